"""The timeline's table of bars, written in Python (timeline_chart._table_rows), is byte for byte what
the template loop it replaced wrote, in both languages and digit systems."""

import datetime

import pytest
from django.template import engines
from django.test import RequestFactory
from django.utils import translation

from incidents.public.timeline import timeline
from incidents.public.timeline_chart import chart
from incidents.models import Incident
from incidents.tests.factories import make_actor, make_incident

pytestmark = pytest.mark.django_db

# The loop as _timeline.html had it (issue 18 target 2 replaced it with chart.table_rows).
LOOP = engines["django"].from_string(
    "{% load incident_format %}"
    "{% for bar in chart.bars %}\n"
    '            <tr><th scope="row" data-label="{{ bar.start_label|reader_digits }}"><a href="{{ bar.href }}" data-nav>'
    '{{ bar.start|reader_digits }}</a></th><td data-label="{{ bar.end_label|reader_digits }}">{{ bar.end|reader_digits }}'
    "</td><td>{{ bar.incidents|reader_number }}</td>"
    "{% for count in bar.by_type %}{% if count %}<td>{{ count|reader_number }}</td>{% else %}"
    '<td class="zero">{{ count|reader_number }}</td>{% endif %}{% endfor %}'
    "<td>{{ bar.approximate|reader_number }}</td><td>{{ bar.fatalities|reader_number }}</td></tr>\n"
    "          {% endfor %}")


@pytest.mark.parametrize("language", ["en-gb", "ar"])
def test_the_rows_are_those_the_template_loop_wrote(boundaries, language):
    actor = make_actor()
    for day in range(0, 400, 9):
        make_incident(actor1=actor, date=datetime.date(2016, 1, 1) + datetime.timedelta(days=day), fatalities=day * 7)
    params = RequestFactory().get("/", {"q": 'a"<b>&c', "interval": "week"}).GET
    with translation.override(language):
        drawn = chart(timeline(Incident.objects.published(), "week"), params)
        assert len(drawn["bars"]) > 50
        assert str(drawn["table_rows"]) == LOOP.render({"chart": drawn})
        assert ("٢" in drawn["table_rows"]) == (language == "ar")  # the reader's digits, both ways
        assert "&quot;&lt;b&gt;&amp;c" in drawn["table_rows"] or "%22%3Cb%3E%26c" in drawn["table_rows"]
