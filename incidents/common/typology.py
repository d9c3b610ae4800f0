"""The ACLED event typology and actor categories (ACLED codebook, 2023).

Kept as plain data so models, forms, imports and exports share one source.
"""

from django.db import models

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


class EventType(models.TextChoices):
    BATTLES = "Battles"
    EXPLOSIONS = "Explosions/Remote violence"
    VIOLENCE_AGAINST_CIVILIANS = "Violence against civilians"
    PROTESTS = "Protests"
    RIOTS = "Riots"
    STRATEGIC_DEVELOPMENTS = "Strategic developments"


SubEventType = models.TextChoices(
    "SubEventType",
    [(name.upper().replace(" ", "_").replace("/", "_").replace("-", "_"), name)
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

    DAY = 1, "exact day"
    WEEK = 2, "within a week"
    MONTH = 3, "within a month"
    UNKNOWN = 4, "unknown day within a wider window"


class GeoPrecision(models.IntegerChoices):
    EXACT = 1, "exact place"
    DISTRICT = 2, "nearby / district"
    GOVERNORATE = 3, "governorate or wider"
