"""The dashboard's lists of checkboxes, written in Python (incidents/public/checkboxes.py), are
byte for byte what Django's widget templates write, in both languages and with boxes ticked."""

import pytest
from django import forms
from django.utils import translation

from incidents.models import AdminArea
from incidents.public.checkboxes import Checkboxes
from incidents.public.filters import public_incidents
from incidents.tests.factories import make_actor, make_incident

pytestmark = pytest.mark.django_db


def both_ways(params):
    form = public_incidents(params).form
    compared = 0
    for name, field in form.fields.items():
        if isinstance(field.widget, Checkboxes):
            bound = form[name]
            attrs = bound.build_widget_attrs({"id": bound.auto_id})
            ours = str(field.widget.render(bound.html_name, bound.value(), attrs))
            django = str(forms.CheckboxSelectMultiple.render(field.widget, bound.html_name, bound.value(), attrs))
            # The one difference on purpose: groups of other event types than those chosen come hidden
            # (filters.SubEventTypeCheckboxes, test_filters.py).
            assert ours.replace("<div hidden><label>", "<div><label>") == django, name
            compared += 1
    return compared


@pytest.mark.parametrize("language", ["en-gb", "ar"])
def test_every_list_is_written_as_django_writes_it(boundaries, language):
    actor = make_actor(name='Tribal <militia> "A&B"')
    make_incident(actor1=actor)
    district = AdminArea.objects.filter(level=AdminArea.Level.DISTRICT).first()
    with translation.override(language):
        assert both_ways({}) == 7
        assert both_ways({"event_type": ["Battles", "Protests"], "sub_event_type": ["Armed clash"],
                          "district": [district.pk], "actor": [actor.pk], "time_precision": ["2"]}) == 7


def test_a_ticked_box_and_an_escaped_label_reach_the_page(boundaries, client):
    actor = make_actor(name='Tribal <militia> "A&B"')
    make_incident(actor1=actor)
    page = client.get("/", {"actor": actor.pk, "event_type": "Battles"}).content.decode()
    assert 'value="Battles" id="id_event_type_0" checked>' in page
    assert "Tribal &lt;militia&gt; &quot;A&amp;B&quot;" in page and "<militia>" not in page
