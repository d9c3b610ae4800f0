"""Spelling-insensitive keys for names of places, areas and actors.

Reports write the same name many ways ("Deir ez-Zor", "Deir Ezzor",
"Dayr az Zawr"); a key folds case, diacritics, punctuation and spacing so
that lookups by key find them all. Fuzzy matching builds on top of this.
"""

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9a-z\u0600-\u06ff]+")


def strip_diacritics(text):
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def name_key(text):
    """'Deir ez-Zor' -> 'deirezzor'; 'Al-Mayadin' -> 'almayadin'."""
    folded = strip_diacritics(text or "").casefold().replace("‘", "").replace("’", "")
    return _NON_ALNUM.sub("", folded)


def display_name(raw):
    """Boundary files write district names with underscores ('Abu_Kamal')."""
    return re.sub(r"\s+", " ", (raw or "").replace("_", " ")).strip()


ARABIC_ARTICLES = {"al", "el", "ad", "ar", "as", "at", "az", "ash", "an", "ed", "er", "es", "et", "ez", "en",
                   "ul", "uz", "adh", "ath", "eth"}
SPELLING_PAIRS = [("dh", "d"), ("th", "t"), ("gh", "g"), ("kh", "k"), ("sh", "s"), ("ch", "s"), ("ph", "f"),
                  ("q", "k"), ("c", "k")]


def folded(name):
    """Lower-case Latin letters of a name without Arabic articles: 'Deir ez-Zor' -> 'deirzor'."""
    words = re.findall(r"[^\W_]+", strip_diacritics(name).casefold())
    return "".join(w for w in words if w not in ARABIC_ARTICLES)


def skeleton(name):
    """Consonant skeleton for transliterations: 'Dayr az Zawr' and 'Deir ez-Zor' -> 'drzr'."""
    words = [re.sub(r"([aei])h$", r"\1", w) for w in re.findall(r"[^\W_]+", strip_diacritics(name).casefold())
             if w not in ARABIC_ARTICLES]
    text = "".join(words)
    for pair, single in SPELLING_PAIRS:
        text = text.replace(pair, single)
    text = re.sub(r"[aeiouyw'ʿʾ]", "", text)
    return re.sub(r"(.)\1+", r"\1", text)
