"""The Arabic names the gazetteer loader picks from GeoNames' Arabic-script spellings (found by a
newcomer session: Al-Hasakah showed as "hەsychە", Damascus as "د مشق", Al Mazra‘ah as "السجن")."""

import re

import pytest

from incidents.common.arabic_choice import best_arabic_name
from incidents.models import Place

pytestmark = pytest.mark.django_db

# Arabic-language letters, harakat, dagger alif, space and hyphen: nothing Persian, Kurdish or Latin.
ARABIC_LANGUAGE = re.compile(r"[\u0621-\u063a\u0641-\u064a\u064b-\u0652\u0670 \-]+")


@pytest.mark.parametrize("romanised, candidates, expected", [
    ("Al Ḩasakah", ["hەsychە", "الحسكة", "حسکه", "حەسیچە"], "الحسكة"),
    ("Damascus", ["د مشق", "دمشق", "دیمەشق", "دەمەشىق"], "دمشق"),
    ("Ţarţūs", ["ترطوس", "طرطوس"], "طرطوس"),
    ("Dhībān", ["ديبان", "ذيبان"], "ذيبان"),
    ("Al ‘Ashārah", ["الأشارة", "العشارة"], "العشارة"),
    ("Al Kasrah", ["الكسرا", "الكسرة"], "الكسرة"),
    ("Al Mazra‘ah", ["السجن", "المزرعة"], "المزرعة"),
    ("al-Yarmūk", ["اردوگاه یرموک", "اليرموك", "مخيم اليرموك"], "اليرموك"),
    ("Kafr Lāhā", ["الحولة\u200e\u200e", "كفر لاها"], "كفر لاها"),
    ("Al Qāmishlī", ["qamshlۆ", "القامشلو", "القامشلي", "قامشلی"], "القامشلي"),
    ("Homs", ["حمص", "مدينة حمص"], "حمص"),
    ("Qenterê", ["قنطرێ"], ""),  # only a Kurdish spelling: no Arabic name rather than a wrong one
])
def test_the_arabic_name_is_the_arabic_spelling_of_the_romanised_name(romanised, candidates, expected):
    assert best_arabic_name(romanised, candidates) == expected


def test_every_loaded_place_has_an_arabic_language_name_or_none(seed):
    names = list(Place.objects.exclude(geonameid=None).values_list("name", "name_ar"))
    assert len(names) > 300
    wrong = [(name, arabic) for name, arabic in names if arabic and not ARABIC_LANGUAGE.fullmatch(arabic)]
    assert wrong == []
    chosen = dict(names)
    assert chosen["Al Ḩasakah"] == "الحسكة" and chosen["Damascus"] == "دمشق" and chosen["Dhībān"] == "ذيبان"
