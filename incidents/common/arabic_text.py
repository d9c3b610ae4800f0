"""Arabic words as reports write them: one letter fold and one reading of the prefixed clitics.

Used by the public search (incidents.public.spellings) and the suggestions (incidents.coding.suggest),
so a name or a word compares the same way in both.

- Letter variants (`fold_arabic`): hamza seats of alef (أ إ آ ٱ) → ا, ta marbuta ة → ه, alef maqsura
  ى → ي, Persian/Urdu yeh and kaf (ی ک) → ي ك; harakat, shadda, sukun, dagger alef, Quranic marks and
  tatweel (ـ) dropped. Outlets spell the same word with and without these (Enab Baladi writes "ديرالزور",
  SANA "دير الزور"; "مسيّرة" and "مسيرة"), and a keyboard often has only one of each pair. Nothing outside
  the Arabic block is touched, so English text is unchanged.
- Clitics (`word_forms`): a written word may carry a conjunction (و، ف), then a preposition (ب، ل، ك)
  and the article (ال; ل + ال is written لل): "وبالقصف" is و + ب + ال + قصف; an indefinite accusative
  ends in an alef ("حاجزاً", often written "حاجزا" without its tanwin). `word_forms` gives every
  reading of a word with some of them taken off (never leaving fewer than MIN_STEM letters), and
  `entry_key` the form a dictionary word is compared in (its article dropped): a dictionary word
  matches a written word when its key is one of the word's forms. Both follow the standard
  description of Arabic proclitics (e.g. Buckwalter's morphological analyser, prefixes table).
"""

import re

ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ی": "ي", "ک": "ك",
                                "ـ": None})
# Harakat, shadda, sukun, maddah/hamza marks (U+064B-065F), dagger alef (U+0670), Quranic marks.
ARABIC_MARKS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed]")
ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
# The article before a word, with a conjunction or preposition joined to it (the public search's rule).
ARABIC_ARTICLE = re.compile(r"^(?:و|ف|ب)?ال(?=\w{2})")
CONJUNCTIONS = ("و", "ف")
PREPOSITIONS = ("ب", "ل", "ك")
MIN_STEM = 2


def fold_arabic(text):
    """`text` with the Arabic letter variants folded and marks and tatweel dropped (module docstring);
    any other character is kept: "قصفٌ مدفعيّ" -> "قصف مدفعي", "Deir ez-Zor" -> "Deir ez-Zor"."""
    return ARABIC_MARKS.sub("", str(text)).translate(ARABIC_LETTERS)


def fold_with_offsets(text):
    """(folded text, offsets): `fold_arabic(text)` and, for each of its characters, the index of the
    character of `text` it came from (plus one last entry, len(text)), so a match in the folded text
    maps back to the words as written: text[offsets[m.start()]:offsets[m.end()]]."""
    folded, offsets = [], []
    for i, character in enumerate(text):
        kept = fold_arabic(character)
        folded.append(kept)
        offsets.extend([i] * len(kept))
    offsets.append(len(text))
    return "".join(folded), offsets


def is_arabic(text):
    """Whether `text` holds any Arabic-script letter."""
    return bool(ARABIC_SCRIPT.search(text or ""))


def mostly_arabic(text):
    """Whether `text` has more Arabic-script letters than Latin ones (an Arabic sentence, not an English
    one that quotes an Arabic name)."""
    arabic = len(ARABIC_SCRIPT.findall(text or ""))
    return arabic > 0 and arabic > len(LATIN_LETTER.findall(text or ""))


def _without_article(word):
    if word.startswith("ال") and len(word) - 2 >= MIN_STEM:
        return word[2:]
    return word


def entry_key(word):
    """The form a dictionary word is compared in: folded, without its article ("الجيش" -> "جيش")."""
    return _without_article(fold_arabic(word))


def word_forms(word):
    """Every reading of a written word with clitics taken off, the word itself included, folded:
    "وبالقصف" -> {"وبالقصف", "بالقصف", "القصف", "قصف", …}; "للقوات" -> {…, "قوات"}."""
    word = fold_arabic(word)
    forms = {word}
    bases = [word]
    if word[:1] in CONJUNCTIONS and len(word) - 1 >= MIN_STEM:
        bases.append(word[1:])
    for base in list(bases):
        if base.startswith("لل") and len(base) - 2 >= MIN_STEM:
            bases.append(base[2:])  # ل + ال
        if base[:1] in PREPOSITIONS and len(base) - 1 >= MIN_STEM:
            bases.append(base[1:])
    for base in bases:
        for form in (base, _without_article(base)):
            forms.add(form)
            if form.endswith("ا") and len(form) - 1 >= MIN_STEM + 1:
                forms.add(form[:-1])  # the accusative's alef ("حاجزاً" is حاجز)
    return forms
