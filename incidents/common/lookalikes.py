"""Names that could pass for other names: invisible characters, Latin mixed with Cyrillic or Greek
letters, compatibility forms (full-width letters, no-break spaces). One rule for the ACLED import
(incidents.intake.acled_checks) and the admin's forms of actors, places and outlets (the models'
validators), and one way of showing such characters to a reviewer (`visible`)."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

LOOK_ALIKE_SCRIPTS = {"CYRILLIC", "GREEK"}
ORDINARY_CONTROLS = "\n\r\t"  # line breaks and tabs of prose (an article's text), shown as they are


def invisible_character(value):
    """The first invisible character in `value`: formatting (zero-width space, direction marks, BOM:
    Unicode Cf) or control (newline, escape: Cc), named with its code point, or "" when there is none.
    Found by attacker sessions: "DZI3011" + U+200B imported as a new incident that displayed as our own
    id; a newline in an actor's name made a second actor that reads as two."""
    for character in value:
        if unicodedata.category(character) in ("Cf", "Cc"):
            return f"U+{ord(character):04X} {unicodedata.name(character, 'CONTROL CHARACTER')}"
    return ""


def _script(character):
    return unicodedata.name(character, "").split(" ")[0]


def mixes_scripts(value):
    """Whether `value` has Latin letters and Cyrillic or Greek ones (Islamic Stаte with a Cyrillic а)."""
    scripts = {_script(ch) for ch in value if ch.isalpha()}
    return "LATIN" in scripts and bool(scripts & LOOK_ALIKE_SCRIPTS)


def has_compatibility_forms(value):
    """Whether `value` holds compatibility characters: full-width letters (ＤＥＭＯ), ligatures, no-break spaces."""
    return unicodedata.normalize("NFKC", value) != unicodedata.normalize("NFC", value)


def look_alike_problem(value):
    """Why a name could pass for another, or "" (in English, for import reports)."""
    if mixes_scripts(value):
        return "mixes Latin with Cyrillic or Greek letters, which look alike (а for a): write it in one script"
    if has_compatibility_forms(value):
        return "holds compatibility characters (full-width letters, ligatures, no-break spaces): write them plainly"
    return ""


def plain_name(value):
    """Validator of names people pick from lists (actors, places, outlets): the import's rule."""
    if hidden := invisible_character(value):
        raise ValidationError(
            gettext_lazy("“%(value)s” holds an invisible character (%(character)s): a name must read as it is "
                         "stored."), code="invisible", params={"value": visible(value), "character": hidden})
    if mixes_scripts(value):
        raise ValidationError(
            gettext_lazy("“%(value)s” mixes Latin with Cyrillic or Greek letters, which look alike: write it in "
                         "one script."), code="look_alike", params={"value": visible(value)})
    if has_compatibility_forms(value):
        raise ValidationError(
            gettext_lazy("“%(value)s” holds compatibility characters (full-width letters, ligatures, no-break "
                         "spaces): write them plainly."), code="compatibility", params={"value": visible(value)})


def visible(text):
    """`text` with every invisible, compatibility or look-alike character written as its code point
    ([U+0435]), so a reviewer sees what they approve."""
    if not isinstance(text, str):
        return text
    mixed = mixes_scripts(text)

    def shown(character):
        if character in ORDINARY_CONTROLS:
            return character
        suspicious = (unicodedata.category(character) in ("Cf", "Cc")
                      or has_compatibility_forms(character)
                      or (mixed and character.isalpha() and _script(character) in LOOK_ALIKE_SCRIPTS))
        return f"[U+{ord(character):04X}]" if suspicious else character

    return "".join(shown(character) for character in text)
