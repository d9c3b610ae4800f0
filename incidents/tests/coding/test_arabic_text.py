"""Arabic words as the suggestions read them: the one letter fold (shared with the public search),
clitics, sentence ends, casualty figures and day words. No database: these are the rules' own functions."""

import datetime

from hypothesis import given, settings, strategies as st

from incidents.coding.suggest.casualties import combine, figures_in, vague_mentions
from incidents.coding.suggest.dates import suggest_date
from incidents.coding.suggest.textspans import split_sentences
from incidents.common.arabic_text import entry_key, fold_arabic, fold_with_offsets, word_forms
from incidents.public.spellings import fold

PUBLISHED = datetime.date(2024, 3, 14)  # a Thursday


# -- the fold ------------------------------------------------------------------------------------

def test_letter_variants_marks_and_tatweel_fold_to_one_spelling():
    assert fold_arabic("أإآٱ") == "اااا"
    assert fold_arabic("طائرة مسيّرة") == fold_arabic("طائره مسيره") == "طائره مسيره"
    assert fold_arabic("قَصْفٌ") == "قصف"
    assert fold_arabic("مـــدفعي") == "مدفعي"
    assert fold_arabic("مستشفى") == "مستشفي"


def test_the_public_search_folds_arabic_with_the_same_rule():
    for text in ("إدلب", "البصيرة", "مسيّرة", "الرقـة", "ذيبان"):
        assert fold(text) == fold_arabic(text)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_the_fold_never_fails_and_folding_twice_changes_nothing(text):
    once = fold_arabic(text)
    assert fold_arabic(once) == once
    word_forms(text)  # never fails either
    entry_key(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x24F)))
def test_english_and_latin_text_is_unchanged(text):
    assert fold_arabic(text) == text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("قصف ال وبالقوات أإآةىـَُِّْٰ.،؛۔ ١٢abc")))
def test_folded_offsets_point_back_to_the_letters_as_written(text):
    folded, offsets = fold_with_offsets(text)
    assert folded == fold_arabic(text)
    assert len(offsets) == len(folded) + 1
    for i, character in enumerate(folded):
        assert fold_arabic(text[offsets[i]]) == character


def test_clitics_are_read_off_a_word_but_a_word_keeps_its_own_letters():
    assert "قصف" in word_forms("وبالقصف")
    assert "قوات" in word_forms("للقوات")
    assert "تحالف" in word_forms("والتحالف")
    assert "حاجز" in word_forms("حاجزاً")
    assert "بلده" in word_forms("بلدة")  # ب is the word's own letter here
    assert entry_key("الجيش") == "جيش"


# -- sentences -----------------------------------------------------------------------------------

def test_arabic_sentences_end_at_arabic_stops_and_at_a_comma_between_clauses():
    text = ("اندلعت اشتباكات عنيفة بين قسد وخلايا داعش في ذيبان، وقال ناشطون إن القصف استمر حتى الصباح. "
            "قصف مدفعي على البصيرة؛ غارة على الميادين۔ قوات النظام، مدعومة بالميليشيات، قصفت القرية، ما أدى "
            "إلى مقتل طفلة.")
    assert [s.text for s in split_sentences(text)] == [
        "اندلعت اشتباكات عنيفة بين قسد وخلايا داعش في ذيبان،", "وقال ناشطون إن القصف استمر حتى الصباح.",
        "قصف مدفعي على البصيرة؛", "غارة على الميادين۔",
        "قوات النظام، مدعومة بالميليشيات، قصفت القرية، ما أدى إلى مقتل طفلة."]


def test_harakat_stay_inside_their_word():
    sentence, = split_sentences("قَصْفٌ مدفعيّ.")
    assert [t.text for t in sentence.tokens] == ["قَصْفٌ", "مدفعيّ"]


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_splits_into_exact_slices(text):
    for sentence in split_sentences(text):
        assert text[sentence.start:sentence.end] == sentence.text
        for token in sentence.tokens:
            assert text[token.start:token.end] == token.text


# -- casualty figures ----------------------------------------------------------------------------

def toll(text):
    figures = [f for s in split_sentences(text) for f in figures_in(s)]
    vague = [v for s in split_sentences(text) for v in vague_mentions(s)]
    return combine(figures, vague)


def test_arabic_numbers_in_words_and_in_either_digits_are_read():
    assert toll("مقتل ثلاثة عناصر من قسد").fatalities == 3
    assert toll("مقتل ٥ مدنيين").fatalities == 5
    assert toll("مقتل 5 مدنيين").fatalities == 5
    assert toll("مقتل خمسة وعشرين عنصراً").fatalities == 25
    assert toll("مقتل أحد عشر مدنياً").fatalities == 11
    assert toll("مقتل شاب").fatalities == 1
    assert toll("مقتل جنديين").fatalities == 2
    assert toll("سقوط ٤ قتلى").fatalities == 4
    assert toll("لقي سبعة أشخاص حتفهم").fatalities == 7


def test_tens_and_hundreds_are_read_as_acled_reads_them_in_english():
    assert toll("مقتل عشرات العناصر").fatalities == toll("killing dozens of fighters").fatalities - 2 == 10
    assert toll("سقوط عشرات القتلى").fatalities == 10
    assert toll("مقتل مئات المدنيين").fatalities == 100


def test_killed_and_wounded_are_kept_apart_in_arabic():
    found = toll("مقتل ثلاثة عناصر وإصابة ٤ آخرين")
    assert (found.fatalities, found.injured) == (3, 4)
    found = toll("سقوط ١٠ قتلى وجرحى")
    assert (found.fatalities, found.fatalities_high) == (0, 10)  # not a death toll
    assert toll("إصابة ستة مدنيين").fatalities == 0


def test_qualifiers_give_bounds_and_vague_words_no_figure():
    found = toll("مقتل ما لا يقل عن ٧ عناصر")
    assert (found.fatalities, found.fatalities_low) == (7, 7)
    assert "(a low bound)" in str(found.reasons[0])
    assert "approximate" in str(toll("مقتل نحو 20 عنصراً").reasons[0])
    found = toll("وقوع قتلى وجرحى في صفوف المدنيين")
    assert found.fatalities == 0 and "gives no figure" in str(found.reasons[0])


def test_an_english_sentence_quoting_an_arabic_name_is_read_as_english():
    assert toll("Three civilians were killed in Hajin (هجين).").fatalities == 3


# -- day words -----------------------------------------------------------------------------------

def day(text, before=""):
    value, _, reason = suggest_date(text, PUBLISHED, None, before)
    return value and value[0]


def test_arabic_weekdays_yesterday_and_today_count_back_from_publication():
    assert day("قصف مدفعي يوم الأربعاء") == datetime.date(2024, 3, 13)
    assert day("قالت مصادر، الاثنين، إن القصف استمر") == datetime.date(2024, 3, 11)
    assert day("غارة مساء أمس") == datetime.date(2024, 3, 13)
    assert day("اشتباكات صباح اليوم") == PUBLISHED
    assert day("اشتباكات أول أمس") == PUBLISHED  # two days back: not read as yesterday (dated to publication)


def test_arabic_month_names_levantine_and_egyptian():
    assert day("في ٣ كانون الثاني ٢٠٢٤") == datetime.date(2024, 1, 3)
    assert day("في 3 يناير 2024") == datetime.date(2024, 1, 3)
    assert day("يوم ١٢ تشرين الأول") == datetime.date(2024, 10, 12)
    assert day("في 5 آب") == datetime.date(2024, 8, 5)


def test_the_same_day_is_the_day_named_before():
    assert day("وفي اليوم نفسه قصفت قوات النظام", before="اشتباكات في ٢ شباط.") == datetime.date(2024, 2, 2)
    assert day("وفي ذات اليوم غارة", before="في 2 فبراير 2023") == datetime.date(2023, 2, 2)
