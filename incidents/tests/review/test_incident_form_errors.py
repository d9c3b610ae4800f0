"""The admin's add-incident form: every invalid value of every field is an error on that field, and
nothing is saved — no incident, no evidence, no history row.

Invalid values are derived from each form field's type (so fields added later are covered), plus
the rules between fields that the model enforces (clean() and its database constraints).
"""

import pytest
from django import forms
from django.contrib.gis import forms as gis_forms
from django.contrib.postgres.forms import SimpleArrayField
from django.test import Client

from incidents.models import AdminArea, Evidence, Incident
from incidents.tests.factories import make_actor, make_incident, make_user
from incidents.tests.formdata import form_data

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/incidents/incident/add/"
MISSING_ID = "987654321"
HUGE_ID = "99999999999999999999"  # beyond bigint
# Values no field may take, whatever its type: a NUL character cannot be stored by PostgreSQL.
NUL = "bad\x00value"


def invalid_values(name, field):
    """(label, value) pairs the form must refuse for this field, from its type and limits."""
    if isinstance(field, forms.BooleanField):
        return []  # a checkbox: any value is on, absence is off
    values = [("NUL character", NUL)]
    if field.required:
        values.append(("empty", ""))
    if isinstance(field, forms.DateField):
        values += [("no such day", "2016-02-30"), ("not a date", "yesterday")]
    elif isinstance(field, gis_forms.GeometryField):
        values += [("not geometry", "somewhere near the airbase"),
                   ("off the globe", '{"type": "Point", "coordinates": [200.0, 95.0]}'),
                   ("a line, not a point", '{"type": "LineString", "coordinates": [[40, 35], [41, 36]]}')]
    elif isinstance(field, forms.ModelMultipleChoiceField):
        values = [("missing object", [MISSING_ID]), ("not an id", ["abc"]), ("beyond any id", [HUGE_ID])]
    elif isinstance(field, forms.ModelChoiceField):
        values += [("missing object", MISSING_ID), ("not an id", "abc"), ("beyond any id", HUGE_ID)]
    elif isinstance(field, forms.ChoiceField):  # also TypedChoiceField
        values += [("not a choice", "no-such-choice")]
    elif isinstance(field, forms.IntegerField):
        values += [("not a number", "many"), ("a fraction", "1.5"), ("too large", "99999999999"),
                   ("negative", "-1")]
    elif isinstance(field, SimpleArrayField):
        limit = getattr(field.base_field, "max_length", None)
        if limit:
            values.append(("item too long", "ok," + "x" * (limit + 1)))
    elif isinstance(field, forms.CharField) and field.max_length:
        values.append(("too long", "x" * (field.max_length + 1)))
    return values


# Rules between fields: (label, field the error belongs to, changes to the valid data). Actor 2 may equal
# actor 1 (ACLED codes infighting that way, migration 0005), so that is no rule.
RULES = [
    ("sub-event type of another event type", "sub_event_type", {"sub_event_type": "Peaceful protest"}),
    ("end before start", "date_end", {"date_end": "2016-01-10"}),
    ("unknown date without a window", "date_end", {"time_precision": "4", "date_end": ""}),
    ("low above best estimate", "fatalities_low", {"fatalities": "3", "fatalities_low": "5"}),
    ("high below best estimate", "fatalities_high", {"fatalities": "3", "fatalities_high": "2"}),
    ("negative injured", "injured", {"injured": "-4"}),
    ("ACLED id already used", "event_id_cnty", {"event_id_cnty": "SYR1234"}),
    ("a district as governorate", "admin1",
     lambda valid: {"admin1": str(AdminArea.objects.filter(level=AdminArea.Level.DISTRICT).first().pk)}),
    ("a governorate as district", "admin2",
     lambda valid: {"admin2": str(AdminArea.objects.filter(level=AdminArea.Level.GOVERNORATE).first().pk)}),
]


@pytest.fixture
def admin_client(boundaries):
    client = Client()
    client.force_login(make_user(is_superuser=True))
    return client


@pytest.fixture
def valid(admin_client):
    """What a browser posts for a correctly filled add form."""
    actor = make_actor("Islamic State (Syria)")
    make_incident(event_id_cnty="SYR1234")  # an existing incident, for the unique id
    data = form_data(admin_client.get(ADD_URL, secure=True).content.decode(), "incident_form")
    data.update(date="2016-01-18", time_precision="1", event_type="Battles", sub_event_type="Armed clash",
                actor1=str(actor.pk), location="Deir ez-Zor military airbase", geo_precision="1",
                point='{"type": "Point", "coordinates": [40.1756, 35.2854]}', fatalities="2")
    return data


def form_of(response):
    return response.context["adminform"].form


def saved_rows():
    return Incident.objects.count(), Evidence.objects.count(), Incident.history.count()


def test_the_valid_form_saves(admin_client, valid):
    # Guards every test below: their errors come from the one bad value, not from an incomplete form.
    response = admin_client.post(ADD_URL, valid, secure=True)
    assert response.status_code == 302, form_of(response).errors
    assert Incident.objects.filter(location="Deir ez-Zor military airbase", fatalities=2).exists()


def field_cases(admin_client):
    """Every incident field of the form (not the form's own hidden bookkeeping, like the loaded version)."""
    form = form_of(admin_client.get(ADD_URL, secure=True))
    incident_fields = {field.name for field in Incident._meta.get_fields()}
    return [(name, label, value) for name, field in form.fields.items() if name in incident_fields
            for label, value in invalid_values(name, field)]


def test_every_invalid_value_of_every_field_is_an_error_on_that_field_and_saves_nothing(admin_client, valid):
    before = saved_rows()
    cases = field_cases(admin_client)
    misses = []
    for name, label, value in cases:
        response = admin_client.post(ADD_URL, {**valid, name: value}, secure=True)
        errors = form_of(response).errors if response.status_code == 200 else {}
        if response.status_code != 200 or name not in errors:
            misses.append((name, label, response.status_code, dict(errors)))
    assert misses == []
    assert saved_rows() == before
    assert {name for name, _, _ in cases} >= {"date", "event_type", "sub_event_type", "actor1", "point",
                                               "fatalities", "location", "tags"}


@pytest.mark.parametrize("label, field, changes", RULES, ids=[rule[0] for rule in RULES])
def test_rules_between_fields_give_an_error_on_the_field_and_save_nothing(admin_client, valid, label, field,
                                                                          changes):
    if callable(changes):
        changes = changes(valid)
    before = saved_rows()
    response = admin_client.post(ADD_URL, {**valid, **changes}, secure=True)
    assert response.status_code == 200
    errors = form_of(response).errors
    assert field in errors, dict(errors)
    assert 'class="errorlist' in response.content.decode()
    assert saved_rows() == before


def test_the_error_is_shown_next_to_the_field(admin_client, valid):
    response = admin_client.post(ADD_URL, {**valid, "fatalities": "many"}, secure=True)
    page = response.content.decode()
    # Django ties the message to its input (aria-describedby) through this id.
    errors = page[page.index('id="id_fatalities_error"'):]
    assert "Enter a whole number." in errors[:errors.index("</ul>")]
    assert 'aria-describedby="id_fatalities_error"' in page
