"""The ACLED event typology and actor categories (ACLED codebook, 2023).

Kept as plain data so models, forms, imports and exports share one source.
"""

from django.db import models
from django.db.models import Q
from django.utils.functional import lazy
from django.utils.translation import get_language

SUB_EVENT_TYPES = {
    "Battles": [
        "Armed clash",
        "Government regains territory",
        "Non-state actor overtakes territory",
    ],
    "Explosions/Remote violence": [
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ],
    "Violence against civilians": [
        "Sexual violence",
        "Attack",
        "Abduction/forced disappearance",
    ],
    "Protests": [
        "Peaceful protest",
        "Protest with intervention",
        "Excessive force against protesters",
    ],
    "Riots": ["Violent demonstration", "Mob violence"],
    "Strategic developments": [
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ],
}



def sub_event_type_problem(event_type, sub_event_type):
    """Why `sub_event_type` cannot go with `event_type`, in words naming the choices; None if it can.

    Either value empty is not this rule's business (a required field says so): None. An unknown
    event type is named as such, with the event types to use. Source: ACLED codebook (2023),
    section 3, "Event types and sub-event types".
    """
    if not event_type or not sub_event_type or sub_event_type in SUB_EVENT_TYPES.get(event_type, ()):
        return None
    if event_type not in SUB_EVENT_TYPES:
        return f"“{event_type}” is not an ACLED event type; use one of: {', '.join(SUB_EVENT_TYPES)}."
    return (f"“{sub_event_type}” is not a sub-event type of “{event_type}”; "
            f"use one of: {', '.join(SUB_EVENT_TYPES[event_type])}.")


# The same rule as a database condition on (event_type, sub_event_type), for CheckConstraints.
SUB_EVENT_TYPE_MATCHES = Q(*[Q(event_type=et, sub_event_type__in=subs) for et, subs in SUB_EVENT_TYPES.items()],
                           _connector=Q.OR)

DISORDER_TYPES = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
    "Strategic developments": "Strategic developments",
}

# Colours for the map legend, one per event type (colour-blind safe palette).
EVENT_TYPE_COLOURS = {
    "Battles": "#d55e00",
    "Explosions/Remote violence": "#cc79a7",
    "Violence against civilians": "#e69f00",
    "Protests": "#009e73",
    "Riots": "#0072b2",
    "Strategic developments": "#555555",
}


def event_colour(event_type):
    """The legend colour of an event type (map, timeline, table); grey for a value not in the typology."""
    return EVENT_TYPE_COLOURS.get(event_type, "#999999")


def _in_reader_language(term):
    # Choice labels (event types, sub-types, precisions) show in filters and forms: Arabic on Arabic pages (ARABIC_TERMS below), English
    # everywhere else (imports, exports, migrations run without a language).
    return ARABIC_TERMS.get(term, term) if get_language() == "ar" else term


reader_term = lazy(_in_reader_language, str)


class EventType(models.TextChoices):
    # (value, label): the label is ACLED's own full name, not one Django derives from the member name
    # ("Explosions", "Violence Against Civilians"), so filters, table, legend and admin say the same.
    BATTLES = "Battles", reader_term("Battles")
    EXPLOSIONS = "Explosions/Remote violence", reader_term("Explosions/Remote violence")
    VIOLENCE_AGAINST_CIVILIANS = "Violence against civilians", reader_term("Violence against civilians")
    PROTESTS = "Protests", reader_term("Protests")
    RIOTS = "Riots", reader_term("Riots")
    STRATEGIC_DEVELOPMENTS = "Strategic developments", reader_term("Strategic developments")


SubEventType = models.TextChoices(
    "SubEventType",
    # (member, (value, label)): the label is ACLED's own, not one Django derives from the member name.
    [(name.upper().replace(" ", "_").replace("/", "_").replace("-", "_"), (name, reader_term(name)))
     for subs in SUB_EVENT_TYPES.values() for name in subs],
)


class ActorCategory(models.IntegerChoices):
    """ACLED 'inter' codes; the current codebook writes them as their labels."""

    STATE_FORCES = 1, "State forces"
    REBEL_GROUP = 2, "Rebel group"
    POLITICAL_MILITIA = 3, "Political militia"
    IDENTITY_MILITIA = 4, "Identity militia"
    RIOTERS = 5, "Rioters"
    PROTESTERS = 6, "Protesters"
    CIVILIANS = 7, "Civilians"
    EXTERNAL_OTHER = 8, "External/Other forces"


class TimePrecision(models.IntegerChoices):
    """ACLED time_precision 1-3, plus 4 for a report that gives no date at all.

    4 is ours: the incident happened on an unknown day inside [date, date_end];
    exports write it as ACLED's widest code, 3.
    """

    DAY = 1, reader_term("exact day")
    WEEK = 2, reader_term("within a week")
    MONTH = 3, reader_term("within a month")
    UNKNOWN = 4, reader_term("unknown day within a wider window")


class GeoPrecision(models.IntegerChoices):
    EXACT = 1, reader_term("exact place")
    DISTRICT = 2, reader_term("nearby / district")
    GOVERNORATE = 3, reader_term("governorate or wider")


# -- Arabic rendering of the typology (issue 17) --
# ACLED publishes no Arabic codebook. These are our renderings in Modern Standard Arabic, in the terms
# Syrian monitoring organisations use in their Arabic reports (e.g. the Syrian Network for Human
# Rights: اشتباكات مسلحة، قصف، عبوة ناسفة، اختطاف/إخفاء قسري), chosen so a reader recognises the
# category, not as literal translations; docs/ARABIC.md explains the choices. Stored values, filters,
# exports and the API keep ACLED's English terms: only what a reader sees is rendered.
ARABIC_TERMS = {
    # event types
    "Battles": "معارك",
    "Explosions/Remote violence": "انفجارات/عنف عن بُعد",
    "Violence against civilians": "عنف ضد المدنيين",
    "Protests": "احتجاجات",
    "Riots": "أعمال شغب",
    "Strategic developments": "تطورات استراتيجية",
    # sub-event types
    "Armed clash": "اشتباكات مسلحة",
    "Government regains territory": "استعادة القوات الحكومية السيطرة على منطقة",
    "Non-state actor overtakes territory": "سيطرة جهة غير حكومية على منطقة",
    "Chemical weapon": "سلاح كيميائي",
    "Air/drone strike": "غارة جوية/بطائرة مسيّرة",
    "Suicide bomb": "تفجير انتحاري",
    "Shelling/artillery/missile attack": "قصف مدفعي/صاروخي",
    "Remote explosive/landmine/IED": "عبوة ناسفة/لغم أرضي/تفجير عن بُعد",
    "Grenade": "قنبلة يدوية",
    "Sexual violence": "عنف جنسي",
    "Attack": "اعتداء",
    "Abduction/forced disappearance": "اختطاف/إخفاء قسري",
    "Peaceful protest": "احتجاج سلمي",
    "Protest with intervention": "احتجاج تدخلت فيه السلطات",
    "Excessive force against protesters": "استخدام القوة المفرطة ضد المحتجين",
    "Violent demonstration": "مظاهرة عنيفة",
    "Mob violence": "عنف جماعي",
    "Agreement": "اتفاق",
    "Arrests": "اعتقالات",
    "Change to group/activity": "تغيّر في جماعة أو نشاطها",
    "Disrupted weapons use": "إحباط استخدام أسلحة",
    "Headquarters or base established": "إنشاء مقر أو قاعدة",
    "Looting/property destruction": "نهب/تدمير ممتلكات",
    "Non-violent transfer of territory": "انتقال السيطرة على منطقة دون قتال",
    "Other": "أخرى",
    # disorder types
    "Political violence": "عنف سياسي",
    "Demonstrations": "مظاهرات",
    # actor categories (inter codes)
    "State forces": "قوات حكومية",
    "Rebel group": "جماعة مسلحة معارضة",
    "Political militia": "ميليشيا سياسية",
    "Identity militia": "ميليشيا على أساس الهوية",
    "Rioters": "مثيرو شغب",
    "Protesters": "محتجون",
    "Civilians": "مدنيون",
    "External/Other forces": "قوات خارجية/أخرى",
    # precisions
    "exact day": "يوم محدد",
    "within a week": "خلال أسبوع",
    "within a month": "خلال شهر",
    "unknown day within a wider window": "يوم غير معروف ضمن فترة أوسع",
    "exact place": "المكان بدقة",
    "nearby / district": "بالقرب منه / المنطقة",
    "governorate or wider": "المحافظة أو أوسع",
}


def arabic_term(term):
    """ACLED's English term (event type, sub-event type, disorder type, actor category or precision
    label) in Arabic; a term we have no rendering for comes back unchanged (English)."""
    return ARABIC_TERMS.get(str(term), str(term))
