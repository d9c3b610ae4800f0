"""Which of a gazetteer's Arabic-script names is a place's Arabic name.

GeoNames lists every Arabic-script name it holds, in no useful order: Kurdish and Persian spellings
(حەسیچە, اردوگاه یرموک), typos (د مشق, ترطوس), other places' names (السجن, "the prison", for Al
Mazra‘ah). Taking the first one showed readers such names (found by a newcomer session). The rule:
only names written in the Arabic language's own letters qualify, and among them the one whose
consonants best match the place's BGN/PCGN romanisation, which GeoNames' main name follows (ţ is ط,
ḩ is ح, dh is ذ, ‘ is ع, a final -ah is ة).
"""

import re
import unicodedata

from rapidfuzz import fuzz

# Arabic-language letters (hamza to yeh, without tatweel), harakat and dagger alif: no Persian,
# Kurdish or Urdu letters (ی ک ە ۆ ێ گ پ چ ژ ہ), no Latin.
_ARABIC_ONLY = re.compile(r"[\u0621-\u063a\u0641-\u064a\u064b-\u0652\u0670 \-]+")
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_ARABIC_SOUNDS = {
    "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "H", "خ": "kh", "د": "d", "ذ": "dh", "ر": "r", "ز": "z",
    "س": "s", "ش": "sh", "ص": "S", "ض": "D", "ط": "T", "ظ": "Z", "ع": "3", "غ": "gh", "ف": "f", "ق": "q",
    "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "ة": "h",
}
_FINAL_VOWELS = {"ي": "y", "ى": "a", "ا": "a", "و": "w"}
# BGN/PCGN letters with dots and cedillas: the emphatic consonants and ‘ayn, before accents are dropped.
_LATIN_SOUNDS = {"ţ": "T", "ḩ": "H", "ş": "S", "ḑ": "D", "ḍ": "D", "ẓ": "Z", "z̧": "Z", "‘": "3", "ʿ": "3"}
_LATIN_ARTICLES = {"al", "el", "ad", "ar", "as", "at", "az", "ash", "an", "adh", "ath", "ed", "er", "es", "et",
                   "ez", "en"}
_LATIN_FINAL_VOWELS = {"i": "y", "ī": "y", "a": "a", "ā": "a", "u": "w", "ū": "w", "o": "w"}


def _arabic_consonants(name):
    sounds = []
    for word in name.replace("-", " ").split():
        word = word[2:] if word.startswith("ال") and len(word) > 3 else word
        letters = [_ARABIC_SOUNDS.get(letter, "") for letter in word[:-1]]
        last = word[-1]
        letters.append(_ARABIC_SOUNDS.get(last) or _FINAL_VOWELS.get(last, ""))
        sounds.append("".join(letters))
    return "".join(sounds)


def _latin_consonants(name):
    sounds = []
    for word in re.findall(r"[^\W_]+|[‘ʿ]", name.replace("z̧", "ẓ").replace("Z̧", "ẓ")):
        if word.casefold() in _LATIN_ARTICLES:
            continue
        final = _LATIN_FINAL_VOWELS.get(word[-1].casefold(), "") if len(word) > 1 else ""
        # The emphatics become capitals (T for ţ); every other letter is folded to plain lower case.
        word = "".join(_LATIN_SOUNDS.get(letter.casefold(), letter.casefold()) for letter in word)
        word = unicodedata.normalize("NFKD", word)
        word = "".join(ch for ch in word if not unicodedata.combining(ch))
        word = re.sub(r"ah$", "h", word)
        letters = re.sub(r"[aeiouyw'’ʾ]", "", word)
        sounds.append(letters + (final if final and not word.endswith("ah") else ""))
    return "".join(sounds)


def best_arabic_name(romanised, candidates):
    """The Arabic name among `candidates` (strings) for the place GeoNames names `romanised`, or "".

    Candidates with letters outside the Arabic language's alphabet are left out; invisible direction
    marks are removed. The closest match of consonants wins (first ignoring emphatics and ‘ayn, which
    not every romanisation marks, then with them); on a tie, the one without stray single letters
    (د مشق), then the first given.
    """
    usable = []
    for raw in candidates:
        name = " ".join(_INVISIBLE.sub("", raw).split())
        if name and _ARABIC_ONLY.fullmatch(name) and name not in usable:
            usable.append(name)
    if not usable:
        return ""
    target = _latin_consonants(romanised)

    def coarse(sounds):  # romanisations outside BGN/PCGN ("Homs") do not mark emphatics or ‘ayn
        return sounds.casefold().replace("3", "")

    def rank(indexed):
        position, name = indexed
        sounds = _arabic_consonants(name)
        stray = sum(1 for word in name.split() if len(word) == 1 and word != "و")
        return (-fuzz.ratio(coarse(target), coarse(sounds)), -fuzz.ratio(target, sounds), stray, position)

    return min(enumerate(usable), key=rank)[1]
