"""Arabic reports through "Suggest incidents": short development examples written for these tests, each
with the fields an analyst would code, read by the same function the page calls (suggest_incidents)."""

import datetime

import pytest
from django.contrib.gis.geos import Point
from hypothesis import HealthCheck, given, settings, strategies as st
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from incidents.coding.suggest.extraction import suggest_incidents
from incidents.common.typology import GeoPrecision
from incidents.models import Actor, EventRule, Place
from incidents.tests.factories import make_article, make_user, make_user_with

pytestmark = pytest.mark.django_db
PUBLISHED = datetime.date(2024, 3, 14)  # a Thursday
SDF, IS, SAA = "QSD: Syrian Democratic Forces", "Islamic State (Syria)", "Military Forces of Syria (2000-)"
CIVILIANS, COALITION = "Civilians (Syria)", "Global Coalition Against Daesh"
UNIDENTIFIED, PROTESTERS = "Unidentified Armed Group (Syria)", "Protesters (Syria)"
# Places as the gazetteer loads them (name, Arabic name, kind, lon, lat).
PLACES = [("Deir ez-Zor", "دير الزور", "city", 40.14084, 35.33588),
          ("Dhībān", "ذيبان", "populated place", 40.51028, 35.01498),
          ("Al Buşayrah", "البصيرة", "populated place", 40.42716, 35.15618),
          ("Al Mayādīn", "الميادين", "populated place", 40.45154, 35.01982),
          ("Hajīn", "هجين", "populated place", 40.83138, 34.69508),
          ("Ālbū Kamāl", "أبو كمال", "populated place", 40.91854, 34.45226),
          ("Al Karāmah", "الكرامة", "populated place", 39.27803, 35.86865)]

# text, then the fields expected: (event type, sub-event type), actor 1, actor 2, place, precision, date,
# fatalities, injured. None: not checked (the analyst's call; the rules have no reading of it).
EXAMPLES = [
    ("اندلعت اشتباكات عنيفة بين قسد وخلايا داعش في بلدة ذيبان بريف دير الزور الشرقي، أسفرت عن مقتل ثلاثة "
     "عناصر من قسد وإصابة اثنين آخرين يوم الأربعاء.",
     ("Battles", "Armed clash"), SDF, IS, "Dhībān", GeoPrecision.EXACT, datetime.date(2024, 3, 13), 3, 2),
    ("قُتل ٥ مدنيين بقصفٍ مدفعيّ لقوات النظام على بلدة البصيرة أمس.",
     ("Explosions/Remote violence", "Shelling/artillery/missile attack"), SAA, CIVILIANS, "Al Buşayrah",
     GeoPrecision.EXACT, datetime.date(2024, 3, 13), 5, None),
    ("شنّت طائرة مسيّرة تابعة للتحالف الدولي غارة على سيارة في الميادين، ما أدى لمصرع قيادي في تنظيم الدولة، "
     "اليوم.",
     ("Explosions/Remote violence", "Air/drone strike"), COALITION, IS, "Al Mayādīn", GeoPrecision.EXACT,
     PUBLISHED, 1, None),
    ("انفجرت عبوة ناسفة بسيارة عسكرية لقوات النظام في ريف الميادين، ما أسفر عن مقتل جنديين وإصابة ٤ آخرين، "
     "يوم الإثنين.",
     ("Explosions/Remote violence", "Remote explosive/landmine/IED"), None, SAA, "Al Mayādīn",
     GeoPrecision.GOVERNORATE, datetime.date(2024, 3, 11), 2, 4),
    ("أقدم مسلحون مجهولون على اغتيال مختار في مدينة هجين مساء الأحد.",
     ("Violence against civilians", "Attack"), UNIDENTIFIED, CIVILIANS, "Hajīn", GeoPrecision.EXACT,
     datetime.date(2024, 3, 10), 1, None),
    ("داهمت قوات النظام منازل في حي الجورة بمدينة ديرالزور واعتقلت ١٢ شاباً، الثلاثاء.",
     ("Strategic developments", "Arrests"), SAA, CIVILIANS, "Deir ez-Zor", GeoPrecision.EXACT,
     datetime.date(2024, 3, 12), 0, None),
    ("خرج العشرات من أهالي البصيرة في وقفة احتجاجية يوم الجمعة ٨ آذار للمطالبة بالإفراج عن المعتقلين.",
     ("Protests", "Peaceful protest"), PROTESTERS, None, "Al Buşayrah", GeoPrecision.EXACT,
     datetime.date(2024, 3, 8), 0, None),
    ("سيطرت خلايا تنظيم الدولة على نقاط لقوات النظام في بادية البوكمال في ١٥ يناير ٢٠٢٤، ولقي ما لا يقل عن "
     "عشرات العناصر حتفهم.",
     ("Battles", "Non-state actor overtakes territory"), IS, SAA, "Ālbū Kamāl", GeoPrecision.DISTRICT,
     datetime.date(2024, 1, 15), 10, None),
    ("هاجم مسلحون يُعتقد أنهم من خلايا داعش حاجزاً لقسد في ذيبان، وقُتل عنصران من قسد.",
     ("Battles", "Armed clash"), IS, SDF, "Dhībān", GeoPrecision.EXACT, PUBLISHED, 2, None),
    ("استعادت قوات النظام السيطرة على قرية في محيط البوكمال في اليوم ذاته.",
     ("Battles", "Government regains territory"), SAA, None, "Ālbū Kamāl", GeoPrecision.DISTRICT, None, 0, None),
    # Wires lead with the toll and give the cause after commas (a newcomer's reports lost the toll and the
    # victims' side): the lead clause stays with its event; a dual is two; the members killed are the target.
    ("قُتل مدنيان اثنان وأصيب ثلاثة آخرون، مساء الخميس، جراء غارة بطائرة مسيّرة على أطراف مدينة البوكمال.",
     ("Explosions/Remote violence", "Air/drone strike"), None, CIVILIANS, "Ālbū Kamāl", GeoPrecision.DISTRICT,
     PUBLISHED, 2, 3),
    ("قُتل خمسة عناصر من قسد، يوم الاثنين، إثر هجوم شنّه مسلحون من خلايا داعش على حاجز في بلدة ذيبان.",
     ("Battles", "Armed clash"), IS, SDF, "Dhībān", GeoPrecision.EXACT, datetime.date(2024, 3, 11), 5, None),
    ("لقي عنصران من قوات النظام حتفهما، صباح الأربعاء، بانفجار لغم أرضي بسيارتهم قرب بلدة البصيرة.",
     ("Explosions/Remote violence", "Remote explosive/landmine/IED"), None, SAA, "Al Buşayrah", None,
     datetime.date(2024, 3, 13), 2, None),
]


@pytest.fixture
def dictionaries(db):
    call_command("load_coding_dictionaries", stdout=open("/dev/null", "w"))
    for name, name_ar, kind, lon, lat in PLACES:
        Place.objects.create(name=name, name_ar=name_ar, kind=kind, point=Point(lon, lat, srid=4326))
    call_command("load_coding_dictionaries", "--add-missing", stdout=open("/dev/null", "w"))  # place variants


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"example-{n}" for n in range(1, len(EXAMPLES) + 1)])
def test_an_arabic_report_is_suggested_with_the_fields_an_analyst_codes(dictionaries, example):
    text, event, actor1, actor2, place, precision, date, fatalities, injured = example
    suggestions = suggest_incidents(text, published_on=PUBLISHED)
    assert len(suggestions) == 1, [s.event_type.value for s in suggestions]
    found = suggestions[0]
    assert found.event_type.value == event
    if actor1 is not None:
        assert str(found.actor1.value) == actor1
    if actor2 is not None:
        assert str(found.actor2.value) == actor2
    elif event[0] == "Protests":
        assert found.actor2.value is None
    assert str(found.place.value) == place
    if precision is not None:
        assert found.geo_precision == precision
    if date is not None:
        assert found.date.value[0] == date
    assert found.casualties.value.fatalities == fatalities
    assert found.casualties.value.injured == injured
    for _, field in found.fields:
        assert field.reasons  # every field says why
    for start, end, quote in found.evidence:
        assert text[start:end] == quote  # evidence is an exact slice of the report


def test_denied_events_and_ordinary_words_give_no_suggestion(dictionaries):
    assert suggest_incidents("لم تسجل اشتباكات في دير الزور اليوم.", published_on=PUBLISHED) == []
    assert suggest_incidents("تحدث الأهالي عن الكرامة والباب المفتوح.", published_on=PUBLISHED) == []


def test_a_place_name_that_is_also_a_word_is_a_place_only_where_the_text_makes_it_one(dictionaries):
    found, = suggest_incidents("اشتباكات بين قسد وداعش دفاعاً عن الكرامة في الميادين.", published_on=PUBLISHED)
    assert str(found.place.value) == "Al Mayādīn"
    found, = suggest_incidents("اشتباكات بين قسد وداعش في بلدة الكرامة.", published_on=PUBLISHED)
    assert str(found.place.value) == "Al Karāmah"


def test_an_arabic_keyword_added_in_the_admin_is_used_with_its_clitics(dictionaries):
    rule = EventRule.objects.create(event_type="Strategic developments", sub_event_type="Other", priority=90,
                                    keywords=["حظر تجوال"])
    found, = suggest_incidents("وفرضت قسد حظرَ التجوال في البصيرة.", published_on=PUBLISHED)
    assert found.event_type.value == ("Strategic developments", "Other")
    assert "حظرَ التجوال" in str(found.event_type.reasons[0])
    rule.keywords = []
    rule.save()
    assert suggest_incidents("وفرضت قسد حظرَ التجوال في البصيرة.", published_on=PUBLISHED) == []


def test_the_arabic_words_reach_a_deployment_loaded_before_them(db):
    call_command("load_coding_dictionaries", stdout=open("/dev/null", "w"))
    for rule in EventRule.objects.all():  # as the file was before the Arabic words
        rule.keywords = [k for k in rule.keywords if not any("\u0600" <= c <= "\u06ff" for c in k)]
        rule.save()
    Actor.objects.filter(name__startswith="Military Forces of Iran").delete()
    sdf = Actor.objects.get(name=SDF)
    sdf.aliases = ["SDF"]
    sdf.save()
    call_command("load_coding_dictionaries", stdout=open("/dev/null", "w"))  # seed_demo at the next start
    assert "اشتباكات" in EventRule.objects.get(sub_event_type="Armed clash").keywords
    assert Actor.objects.get(name=SDF).aliases[:2] == ["SDF", "قسد"]  # English aliases removed stay removed
    assert Actor.objects.filter(name__startswith="Military Forces of Iran").exists()
    rule = EventRule.objects.get(sub_event_type="Armed clash")
    rule.keywords = [k for k in rule.keywords if k != "معارك"]  # an analyst's edit afterwards
    rule.save()
    call_command("load_coding_dictionaries", stdout=open("/dev/null", "w"))
    assert "معارك" not in EventRule.objects.get(sub_event_type="Armed clash").keywords


def test_the_suggestions_page_reads_an_arabic_article(client, dictionaries):
    article = make_article("أقدم مسلحون مجهولون على اغتيال مختار في مدينة هجين مساء الأحد.", language="ar")
    client.force_login(make_user_with("add_incident", "change_incident", "view_incident", "add_evidence"))
    page = client.get(reverse("assist-suggestions", args=[article.pk])).content.decode()
    assert "Violence against civilians: Attack at Hajīn" in page
    assert "“اغتيال” matched the rule “اغتيال”" in page
    assert "“مسلحون مجهولون” is Unidentified Armed Group (Syria)" in page
    assert "“اغتيال مختار”: 1 killed" in page
    assert "suggestions read English and Arabic only" not in page  # the note is for other languages
    with translation.override("ar"):
        page = client.get(reverse("assist-suggestions", args=[article.pk])).content.decode()
    assert "عنف ضد المدنيين" in page  # the same reasons, on the Arabic page
    assert "«⁨مسلحون مجهولون⁩» هو ⁨Unidentified Armed Group (Syria)⁩" in page
    assert "«⁨اغتيال مختار⁩»: القتلى: ١" in page


def test_the_event_rule_form_says_how_arabic_keywords_match_in_both_languages(client):
    client.force_login(make_user(is_superuser=True))
    page = client.get(reverse("admin:incidents_eventrule_add")).content.decode()
    assert "An Arabic keyword also matches with و ف ب ل ك or ال written before it" in page
    with translation.override("ar"):
        page = client.get(reverse("admin:incidents_eventrule_add")).content.decode()
    assert "الكلمة المفتاحية العربية تطابق أيضاً مع و ف ب ل ك أو ال مكتوبة قبلها" in page


WORDS = ["اشتباكات", "قسد", "وخلايا داعش", "في", "بلدة", "ذيبان", "بريف", "ديرالزور", "مقتل", "ثلاثة", "٣", "عشرات",
         "وإصابة", "قتلى", "يوم الأربعاء", "أمس", "في اليوم ذاته", "١٢ آذار", "لم", "قصفٌ", "مدفعيّ", "لقوات النظام",
         "،", "۔", "؛", ".", "\n\n", "ـ", "ً", "لقي", "حتفهم", "مسلحون", "يُعتقد أنهم من", "سيطرت", "على", "الكرامة"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(WORDS) | st.text(max_size=3), max_size=30))
def test_any_mix_of_arabic_report_words_is_read_without_failing(dictionaries, words):
    text = " ".join(words)
    for suggestion in suggest_incidents(text, published_on=PUBLISHED):
        for start, end, quote in suggestion.evidence:
            assert text[start:end] == quote


@pytest.mark.parametrize("text", [
    "مقتل " + "١" * 5000 + " عنصرا من داعش في دير الزور.",
    "Shelling killed " + "9" * 5000 + " civilians in Mayadin, Deir ez-Zor.",
    "مقتل ١٠٠٠٠٠٠٠٠٠٠٠٠ مدني بقصف على الميادين.",
])
def test_a_run_of_digits_too_long_for_a_toll_is_no_toll_and_no_error(dictionaries, text):
    # An attacker session: 5,000 digits made int() raise (a 500 on the suggestions page), 10^12 was suggested.
    for found in suggest_incidents(text, published_on=PUBLISHED):
        assert found.casualties.value.fatalities < 1_000_000


def test_a_very_long_article_is_read_in_part_and_the_page_says_so(client, dictionaries):
    # An attacker session: a 120 kB article kept a worker past its timeout on every load of this page.
    from incidents.coding.assist import READ_CHARACTERS

    lead = "أقدم مسلحون مجهولون على اغتيال مختار في مدينة هجين مساء الأحد.\n"
    tail = "اندلعت اشتباكات بين قسد وداعش في ذيبان.\n"
    text = lead + "و " * READ_CHARACTERS + "\n" + tail
    article = make_article(text, language="ar")
    client.force_login(make_user_with("add_incident", "change_incident", "view_incident", "add_evidence"))
    page = client.get(reverse("assist-suggestions", args=[article.pk])).content.decode()
    assert "Violence against civilians: Attack at Hajīn" in page  # the part read is suggested as before
    assert "Armed clash at Dhībān" not in page  # what lies past it is not
    assert "the suggestions read only its first" in page
