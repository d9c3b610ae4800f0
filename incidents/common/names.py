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
