"""The text search (issue 16 point 5): words match at the start of a word, places, areas and actors
are found by any spelling, in Arabic too, on the seed article's incidents as the demo loads them."""

import pytest
from django.contrib.gis.geos import Point
from django.http import QueryDict

from incidents.common.params import BadParameters
from incidents.models import Incident, Place
from incidents.public.filters import filtered_incidents
from incidents.public.search import word_start_pattern
from incidents.tests.factories import make_incident

pytestmark = pytest.mark.django_db


def found(text):
    return set(filtered_incidents(QueryDict(mutable=True) | {"q": text}).qs.values_list("id", flat=True))


def seed_ids(**conditions):
    return set(Incident.objects.published().filter(**conditions).values_list("id", flat=True))


def test_a_word_matches_only_at_the_start_of_a_word(seed):
    assert seed_ids(notes__icontains="verified")  # "could not be verified" is in the seed's summaries
    assert found("IED") == set()  # … and no longer finds them
    assert found("verif") == seed_ids(notes__icontains="verif")  # "verified", "verify"
    ied = make_incident(notes="An IED exploded on the road.")
    ieds = make_incident(notes="Two IEDs were defused.")
    assert found("IED") == {ied.id, ieds.id}
    assert found("ied") == {ied.id, ieds.id}


def test_spelling_variants_of_a_place_find_its_incidents(seed):
    harabsh = seed_ids(location="Harabsh")
    assert len(harabsh) == 1
    assert found("Harabsh") >= harabsh
    assert found("Harbash") >= harabsh  # a variant in the gazetteer
    assert found("Hrabsh") >= harabsh  # the same consonants: a transliteration
    assert found("Harbash") == found("Harabsh")


def test_arabic_names_of_places_find_their_incidents(seed):
    assert found("حرابش") == found("Harabsh")  # written without the article, the gazetteer has الحرابش
    assert found("الحرابش") == found("Harabsh")
    # Deir ez-Zor: the city's Arabic name finds the incidents at its airbase and on the road through it.
    assert found("دير الزور") == seed_ids()
    assert found("الزور") == seed_ids()


def test_an_arabic_place_of_the_gazetteer_finds_incidents_coded_with_any_spelling(seed):
    busayrah = Place.objects.create(name="Al Buşayrah", variants=["Al Busayrah", "Buseira", "Busayrah"],
                                    name_ar="البصيرة", point=Point(40.42716, 35.15618, srid=4326))
    by_place = make_incident(location="Al Buşayrah", place=busayrah, notes="Shelling on the town.")
    by_text = make_incident(location="Buseira", notes="Clashes reported in Buseira.")  # an import, no place
    assert found("البصيرة") == {by_place.id, by_text.id}
    assert found("Busayrah") == {by_place.id, by_text.id}


def test_actor_aliases_and_words_of_several_fields(seed):
    daesh = found("Daesh")  # an alias of Islamic State (Syria), actor 1 or 2 of every seed incident but one
    assert daesh and daesh <= seed_ids()
    assert found("Daesh Harbash") == seed_ids(location="Harabsh")


def test_odd_input_never_fails(seed):
    for text in ["(", "a|b", "\\", "[[:alpha:]]", "*", "x{1000}", "٣", "ـ", "?" * 50, "a" * 200, "DZI" + "9" * 30]:
        assert isinstance(found(text), set), text
    with pytest.raises(BadParameters) as refused:  # longer words are a 400 naming q, not a slow search
        found("a" * 201)
    assert list(refused.value.errors) == ["q"]
    assert word_start_pattern(["a.b"]) == r'(?:^|[ (/"-])(?:a\.b)'


@pytest.mark.parametrize("arabic", ["داعش", "تنظيم الدولة"])
def test_arabic_names_of_actors_find_them_in_the_picker_and_the_search(seed, client, arabic):
    """The default dictionaries give the main actors the names Arabic-speaking analysts and readers use."""
    isis = Incident.objects.published().filter(actor1__name="Islamic State (Syria)")
    assert isis.exists()
    picked = client.get("/api/actors.json", {"q": arabic}).json()["results"]
    assert picked and picked[0]["name"] == "Islamic State (Syria)"
    assert found(arabic) >= set(isis.values_list("id", flat=True))


def test_an_incident_is_found_by_its_public_id_and_by_its_number(client, db):
    """"#12" is how pages and people refer to incident 12 (its address is /incidents/12/); its public id
    is DZI12 (found by a newcomer session: "#12" found nothing, "12" found every summary saying 12)."""
    wanted = make_incident(notes="Shelling killed 12 people.")
    other = make_incident(notes=f"Clashes: {wanted.pk} wounded.")
    arabic_digits = str(wanted.pk).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    for typed in (f"#{wanted.pk}", f"DZI{wanted.pk}", f"dzi{wanted.pk}", f"#{arabic_digits}"):
        page = client.get("/", {"q": typed})
        assert page.status_code == 200 and f'/incidents/{wanted.pk}/' in page.content.decode(), typed
        assert found(typed) == {wanted.pk}, typed
    assert other.pk in found(str(wanted.pk))  # a bare number is still a word of the summaries
