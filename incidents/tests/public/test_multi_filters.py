"""Several values per filter (issue 16 point 4): OR within a filter, AND across filters, the same
incidents on the dashboard table, the JSON list, the map data, the timeline and both exports; bad
values a 400 naming the parameter; single-value links as before."""

import datetime
import json
import re
from html import unescape

import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse

from incidents.models import AdminArea
from incidents.tests.factories import make_actor, make_incident
from incidents.tests.public.test_api import csv_ids, list_ids, map_ids, table_ids
from incidents.tests.public_data import all_published_ids, make_public_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(boundaries):
    data = make_public_data()
    # A fourth published incident in another governorate, with an actor of its own.
    data.riot = make_incident(date=datetime.date(2017, 2, 2), event_type="Riots", sub_event_type="Violent demonstration",
                              actor1=make_actor("Rioters (Syria)"), location="Raqqa",
                              point=Point(39.01, 35.95, srid=4326),
                              fatalities=1)
    return data


def geojson_export_ids(client, params):
    response = client.get(reverse("export-incidents-geojson"), params)
    assert response.status_code == 200, response.content
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return {int(str(feature["id"]).removeprefix("DZI")) if isinstance(feature["id"], str) else feature["id"]
            for feature in json.loads(body)["features"]}


def everywhere(client, params):
    """The ids each public surface gives for `params`; the timeline gives its total."""
    wide = {**params, "bbox": "35.5,32.0,42.5,37.5", "zoom": "12"}
    ids = map_ids(client, wide)
    return {
        "map": ids,
        "table": table_ids(client, params),
        "list": list_ids(client, params),
        "csv": csv_ids(client, params),
        "geojson": geojson_export_ids(client, params),
        "timeline": client.get(reverse("api-timeline"), params).json()["totals"]["incidents"],
    }


def multi_queries(data):
    deir = AdminArea.objects.get(pcode="SYR009")
    raqqa = AdminArea.objects.get(pcode="SYR011")
    return [
        ({"actor": [data.sdf.id, data.army.id]}, {data.clash.id, data.strike.id, data.attack.id}),
        ({"event_type": ["Battles", "Riots"]}, {data.clash.id, data.riot.id}),
        ({"sub_event_type": ["Attack", "Air/drone strike"]}, {data.strike.id, data.attack.id}),
        ({"governorate": [deir.pk, raqqa.pk]}, all_published_ids(data) | {data.riot.id}),
        ({"governorate": [raqqa.pk]}, {data.riot.id}),
        ({"district": list(AdminArea.objects.filter(parent=raqqa).values_list("pk", flat=True))}, {data.riot.id}),
        # AND across filters: Battles or Riots, and in Deir ez-Zor.
        ({"event_type": ["Battles", "Riots"], "governorate": [deir.pk]}, {data.clash.id}),
        ({"actor": [data.sdf.id, data.isis.id], "event_type": ["Violence against civilians", "Battles"]},
         {data.clash.id, data.attack.id}),
    ]


def test_several_values_select_the_same_incidents_on_every_surface(client, data):
    for params, expected in multi_queries(data):
        found = everywhere(client, params)
        assert found["map"] == expected, params
        for surface in ("table", "list", "csv", "geojson"):
            assert found[surface] == expected, (surface, params)
        assert found["timeline"] == len(expected), params


def test_the_timeline_counts_kept_on_write_agree_with_counting_incidents(client, data):
    """Several governorates or event types are read from the count tables; adding a filter the counts
    cannot answer (text) makes the timeline count the incidents: both ways give the same bars."""
    deir = AdminArea.objects.get(pcode="SYR009")
    raqqa = AdminArea.objects.get(pcode="SYR011")
    params = {"governorate": [deir.pk, raqqa.pk], "event_type": ["Battles", "Riots"], "interval": "month"}
    from_counts = client.get(reverse("api-timeline"), params).json()
    assert from_counts["totals"]["incidents"] == 2
    # min_fatalities=0 keeps every incident but is no column of the counts: the incidents are counted.
    by_incidents = client.get(reverse("api-timeline"), {**params, "min_fatalities": "0"}).json()
    assert by_incidents["buckets"] == from_counts["buckets"]
    assert by_incidents["totals"] == from_counts["totals"]


@pytest.mark.parametrize("name, value", [
    ("actor", "abc"), ("actor", "999999"), ("governorate", "x"), ("governorate", "999999"),
    ("district", "1.5"), ("event_type", "Explosions"), ("sub_event_type", "Nope"),
    ("actor", "99999999999999999999999"),
])
@pytest.mark.parametrize("url", ["dashboard", "api-incidents-json", "api-incidents-geojson", "api-timeline",
                                 "export-incidents-csv", "export-incidents-geojson"])
def test_a_bad_value_among_good_ones_is_a_400_naming_the_parameter(client, data, name, value, url):
    good = {"actor": data.isis.id, "governorate": AdminArea.objects.get(pcode="SYR009").pk,
            "district": AdminArea.objects.filter(level=2).first().pk, "event_type": "Battles",
            "sub_event_type": "Armed clash"}[name]
    response = client.get(reverse(url), {name: [good, value], "bbox": "35,32,42,37", "zoom": "8"})
    assert response.status_code == 400
    assert name in response.content.decode()


def test_old_single_value_links_still_work(client, data):
    assert table_ids(client, {"actor": data.sdf.id}) == {data.strike.id, data.attack.id}
    assert table_ids(client, {"event_type": "Battles"}) == {data.clash.id}
    assert table_ids(client, {"order": "oldest"}) == all_published_ids(data) | {data.riot.id}


def test_the_form_shows_every_chosen_value_ticked(client, data):
    page = client.get(reverse("dashboard"), {"event_type": ["Battles", "Riots"], "actor": [data.sdf.id]}).content.decode()
    assert 'value="Battles" id="id_event_type_0" checked' in page or (
        'value="Battles"' in page and page.count("checked") >= 3)
    assert data.sdf.name in page  # the chosen actor, named, untickable
    assert data.isis.name not in page.split('id="chosen-actors"')[1].split("</fieldset>")[0]  # only chosen ones


def test_event_type_labels_are_acleds_full_names(client, data):
    page = client.get(reverse("dashboard")).content.decode()
    form = page.split('id="filter-form"')[1].split("</form>")[0]
    assert "Explosions/Remote violence" in form
    assert ">Explosions<" not in form and " Explosions\n" not in form


def test_districts_sharing_a_name_say_their_governorate(client, data):
    page = client.get(reverse("dashboard")).content.decode()
    districts = page.split('id="id_district"')[1].split("</fieldset>")[0]
    unknown = [line for line in districts.split("</label>") if "Name Unknown" in line]
    assert len(unknown) == 3
    labels = {line.rsplit(">", 1)[-1].strip() for line in unknown}
    assert len(labels) == 3 and all(label.startswith("Name Unknown (") for label in labels), labels


def district_groups(page):
    """{group heading: [district labels]} of the dashboard's district list."""
    districts = page.split('id="id_district"')[1].split("</fieldset>")[0]
    groups = {}
    for heading, body in re.findall(r"<div><label>([^<]+)</label>(.*?)\n  </div>", districts, flags=re.S):
        groups[unescape(heading)] = [unescape(label.strip()) for label in re.findall(r"<input[^>]*>\s*([^<]+)</label>", body)]
    return groups


def test_districts_are_grouped_under_their_governorate_in_both_languages(client, data):
    english = district_groups(client.get(reverse("dashboard")).content.decode())
    governorates = AdminArea.objects.filter(level=1)
    assert list(english) == sorted(area.name for area in governorates if area.children.exists())
    assert english["Deir Ez-Zor"] == ["Abu Kamal", "Al Mayadin", "Dayr Az Zor"]
    assert sum(len(labels) for labels in english.values()) == AdminArea.objects.filter(level=2).count()
    arabic = district_groups(client.get("/ar/").content.decode())
    assert arabic["دير الزور"] == sorted(["البوكمال", "الميادين", "دير الزور"])


def test_the_actor_picker_finds_published_actors_by_name_or_alias(client, data):
    def names(term):
        return [row["name"] for row in client.get(reverse("api-actors"), {"q": term}).json()["results"]]
    data.isis.aliases = ["Daesh", "ISIS"]
    data.isis.save()
    assert names("Daesh") == [data.isis.name]
    assert names("democratic") == [data.sdf.name]
    assert names("drafts") == []  # named only in unpublished incidents
    assert data.secret_actor.name not in json.dumps(client.get(reverse("api-actors")).json())
