"""The dashboard table's rows written in Python (public/table_rows.py) are byte for byte what the
template loop they replaced wrote (with the old _fatalities.html), in both languages and both Arabic
digit systems, for rows with and without associates, second actor, sources, areas, precisions and
each kind of fatality range; the incident page's fatalities (the same function, through a filter)
likewise; the timeline's bar links encoded once are link_with's; and the Arabic date labels, whose
month names now come from an array in SQL, name every month."""

import datetime

import pytest
from django.template import engines
from django.test import override_settings
from django.utils import translation

from incidents.common.arabic_names import ARABIC_MONTHS
from incidents.common.querystring import link_with, links_with
from incidents.models import AdminArea, Incident
from incidents.public.fields import public_rows
from incidents.public.table_rows import table_rows
from incidents.tests.factories import make_actor, make_article, make_evidence, make_incident, make_source

pytestmark = pytest.mark.django_db

ENGINE = engines["django"]
# _fatalities.html before it used the `fatalities` filter (issue 18 target 2).
OLD_FATALITIES = ENGINE.from_string("{# Expects `row`. #}{% load i18n incident_format %}\n" + (
    '{{ row.fatalities|reader_number }}{% if row.fatalities_low is not None and row.fatalities_high is not None %}{% if row.fatalities_low != row.fatalities or row.fatalities_high != row.fatalities %} <span class="range" title="{% translate \'low–high estimate\' %}">({{ row.fatalities_low|reader_number }}–{{ row.fatalities_high|reader_number }})</span>{% endif %}{% elif row.fatalities_low is not None %} <span class="range" title="{% translate \'low estimate; no high estimate given\' %}">({% blocktranslate with low=row.fatalities_low|reader_number %}at least {{ low }}{% endblocktranslate %})</span>{% elif row.fatalities_high is not None %} <span class="range" title="{% translate \'high estimate; no low estimate given\' %}">({% blocktranslate with high=row.fatalities_high|reader_number %}up to {{ high }}{% endblocktranslate %})</span>{% endif %}\n'))
# The loop as _table.html had it before the rows were written in Python.
OLD_LOOP = ENGINE.from_string("{% load i18n incident_format %}" + (
    '{% for row in rows %}\n'
    '            <tr data-incident-id="{{ row.id }}">\n'
    '              <td data-label="{% translate "Date" %}">\n'
    '                <a href="{% url \'incident-detail\' row.id %}">{{ row.date_label|reader_digits }}</a>\n'
    '                {% if row.time_precision != 1 %}<div class="precision">{{ row.time_precision_label }}</div>{% endif %}\n'
    '                <div class="muted small"><bdi>{{ row.public_id }}</bdi></div>\n'
    '              </td>\n'
    '              <td data-label="{% translate "Event" %}">\n'
    '                {% include "incidents/public/_swatch.html" with colour=row.event_type|event_colour %}{{ row.sub_event_type|in_reader_language }}\n'
    '                <div class="muted small">{{ row.event_type|in_reader_language }}</div>\n'
    '              </td>\n'
    '              <td data-label="{% translate "Actors" %}">\n'
    '                <bdi>{{ row.actor1_name }}</bdi>{% if row.actor1_associates %} <span class="muted">{% translate "with" context "associated actors" %} <bdi>{{ row.actor1_associates|reader_list }}</bdi></span>{% endif %}\n'
    '                {% if row.actor2_name %}<div><span class="muted">{% translate "vs" %}</span> <bdi>{{ row.actor2_name }}</bdi>{% if row.actor2_associates %} <span class="muted">{% translate "with" context "associated actors" %} <bdi>{{ row.actor2_associates|reader_list }}</bdi></span>{% endif %}</div>{% endif %}\n'
    '              </td>\n'
    '              <td data-label="{% translate "Place" %}">\n'
    '                <bdi>{{ row.location }}</bdi>\n'
    '                <div class="muted small">{{ row.district|default:"" }}{% if row.district and row.governorate %}{% translate ", " context "list separator" %}{% endif %}{{ row.governorate|default:"" }}</div>\n'
    '                {% if row.geo_precision != 1 %}<div class="precision">{{ row.geo_precision_label }}</div>{% endif %}\n'
    '              </td>\n'
    '              <td data-label="{% translate "Fatalities" %}" class="num">{% include fatalities %}</td>\n'
    '              <td data-label="{% translate "Sources" %}">\n'
    '                {% for source in row.sources %}\n'
    '                  <div dir="auto">{% if source.url %}<a href="{{ source.url }}" rel="noopener">{{ source.title }}</a>{% else %}{{ source.title }}{% endif %}\n'
    '                    <span class="muted">(<bdi>{{ source.source }}</bdi>)</span></div>\n'
    '                {% empty %}<span class="muted"><bdi>{{ row.source_text|default:"—" }}</bdi></span>\n'
    '                {% endfor %}\n'
    '              </td>\n'
    '            </tr>\n'
    '          {% endfor %}'))


def _incidents():
    actor, ally, other = make_actor("Actor <A> & Co"), make_actor('Ally "B"'), make_actor("Other")
    district = AdminArea.objects.filter(level=AdminArea.Level.DISTRICT).exclude(parent=None).first()
    made = [
        make_incident(actor1=actor, fatalities=3, fatalities_low=1, fatalities_high=9, time_precision=2,
                      geo_precision=2, assoc_actors_1=[ally], actor2=other, assoc_actors_2=[ally, actor],
                      source_text="A <b>note</b>"),
        make_incident(actor1=actor, fatalities=4, fatalities_low=4, fatalities_high=4, event_type="Riots",
                      sub_event_type="Violent demonstration", date=datetime.date(2017, 3, 1)),
        make_incident(actor1=other, fatalities=5, fatalities_low=2, location='Hajin "north" <x>'),
        make_incident(actor1=other, fatalities=0, fatalities_high=30, time_precision=3, geo_precision=3,
                      source_text=""),
        make_incident(actor1=ally, fatalities=1234, admin2=district, admin1=district.parent),
    ]
    source = make_source("Deir <Post>")
    make_evidence(made[0], make_article(title="Clash & more", url="https://example.org/a?x=1&y=2", source=source))
    make_evidence(made[0], make_article(title="No link", url=""))
    make_evidence(made[2], make_article(title="تقرير", url="https://example.org/ar"))
    return made


@pytest.mark.parametrize("language, digits", [("en-gb", "arab"), ("ar", "arab"), ("ar", "latn")])
def test_the_rows_are_those_the_template_loop_wrote(boundaries, language, digits):
    _incidents()
    with override_settings(ARABIC_DIGITS=digits), translation.override(language):
        rows = list(public_rows(Incident.objects.published().order_by("id")))
        assert len(rows) == 5
        written = table_rows(rows)
        assert str(written) == OLD_LOOP.render({"rows": rows, "fatalities": OLD_FATALITIES})
        assert "&lt;A&gt; &amp; Co" in written and "Deir &lt;Post&gt;" in written  # escaped, as the loop did
        assert ("١٬٢٣٤" in written) == (language == "ar" and digits == "arab")


@pytest.mark.parametrize("language", ["en-gb", "ar"])
def test_the_incident_page_shows_the_fatalities_the_old_template_wrote(boundaries, language):
    made = _incidents()
    page_template = ENGINE.get_template("incidents/public/_fatalities.html")
    with translation.override(language):
        for row in public_rows(Incident.objects.filter(pk__in=[incident.pk for incident in made])):
            assert page_template.render({"row": row}) == OLD_FATALITIES.render({"row": row})


@pytest.mark.parametrize("query", ["", "q=a%22%3Cb%3E%26c&interval=week", "date_to=2017-01-01&page=4&q=x&date_from=2016-01-01",
                                   "event_type=Battles&event_type=Riots&page=2", "date_from=&q=%D8%AF%D9%8A%D8%B1"])
def test_bar_links_encoded_once_are_the_links_link_with_gives(rf, query):
    params = rf.get(f"/?{query}").GET
    link = links_with(params, "date_from", "date_to")
    for first, last in (("2016-01-01", "2016-01-31"), ("2017-02-01", "2017-02-28")):
        assert link(date_from=first, date_to=last) == link_with(params, date_from=first, date_to=last)
    assert links_with({}, "date_from")(date_from="2016-01-01") == link_with({}, date_from="2016-01-01")


def test_arabic_date_labels_name_each_month_in_arabic(boundaries):
    # fields._day reads the month's name from an array (one expression, not twelve CASE branches):
    # every month, and a window across two months, still read with their own Arabic names.
    for month in range(1, 13):
        make_incident(date=datetime.date(2016, month, 15))
    make_incident(date=datetime.date(2017, 1, 30), date_end=datetime.date(2017, 2, 2), time_precision=2)
    with translation.override("ar"):
        labels = dict(public_rows(Incident.objects.published()).values_list("date", "date_label"))
    for month, name in enumerate(ARABIC_MONTHS, start=1):
        assert labels[datetime.date(2016, month, 15)] == f"15 {name} 2016"
    assert labels[datetime.date(2017, 1, 30)] == f"بين 30 {ARABIC_MONTHS[0]} 2017 و2 {ARABIC_MONTHS[1]} 2017"
