"""What a synthetic incident looks like: the mixes of places, dates, actors and event types.

Proportions follow ACLED's Syria data in broad strokes (remote violence and battles dominate,
Deir ez-Zor is over-represented because it is this dashboard's focus). Outlet names are
invented; actor names follow ACLED's naming so exports look like the real thing.
Everything here is pure Python and seeded, so a run is reproducible.
"""

import calendar
import datetime
import math
import struct

from incidents.common.typology import ActorCategory as C

FIRST_DAY = datetime.date(2015, 1, 1)
YEAR_WEIGHTS = {2015: 1.6, 2016: 1.7, 2017: 1.8, 2018: 1.3, 2019: 1.0,
                2020: 0.8, 2021: 0.6, 2022: 0.55, 2023: 0.55, 2024: 0.6}
DEIR_EZ_ZOR = "SYR009"
DEIR_EZ_ZOR_SHARE = 0.5
# Relative conflict intensity of the other governorates (UNHCR p-codes).
GOVERNORATE_INTENSITY = {"SYR001": 0.8, "SYR002": 2.5, "SYR003": 1.5, "SYR004": 1.2, "SYR005": 1.5,
                         "SYR006": 0.5, "SYR007": 3.0, "SYR008": 1.2, "SYR010": 0.2, "SYR011": 1.5,
                         "SYR012": 2.0, "SYR013": 0.6, "SYR014": 0.5}

ARMED, CIVILIAN, PROTESTER, RIOTER = "armed", "civilian", "protester", "rioter"
# (name, ACLED category, role, weight as an armed actor)
ACTORS = [
    ("Military Forces of Syria (2000-)", C.STATE_FORCES, ARMED, 10),
    ("Police Forces of Syria (2000-)", C.STATE_FORCES, ARMED, 1),
    ("Islamic State (Syria)", C.REBEL_GROUP, ARMED, 8),
    ("Hayat Tahrir al Sham", C.REBEL_GROUP, ARMED, 4),
    ("Syrian National Army", C.REBEL_GROUP, ARMED, 3),
    ("Jaysh al Islam", C.REBEL_GROUP, ARMED, 1),
    ("Hurras al Din", C.REBEL_GROUP, ARMED, 0.5),
    ("QSD: Syrian Democratic Forces", C.REBEL_GROUP, ARMED, 7),
    ("Deir ez-Zor Military Council", C.POLITICAL_MILITIA, ARMED, 2),
    ("NDF: National Defence Forces", C.POLITICAL_MILITIA, ARMED, 2),
    ("Hezbollah", C.POLITICAL_MILITIA, ARMED, 1),
    ("Liwa Fatemiyoun", C.POLITICAL_MILITIA, ARMED, 1),
    ("Liwa al Quds", C.POLITICAL_MILITIA, ARMED, 0.5),
    ("Unidentified Armed Group (Syria)", C.POLITICAL_MILITIA, ARMED, 5),
    ("Al Baggara Tribal Militia (Syria)", C.IDENTITY_MILITIA, ARMED, 1),
    ("Al Shaitat Tribal Militia (Syria)", C.IDENTITY_MILITIA, ARMED, 1),
    ("Al Ugaidat Tribal Militia (Syria)", C.IDENTITY_MILITIA, ARMED, 1),
    ("Al Busaraya Tribal Militia (Syria)", C.IDENTITY_MILITIA, ARMED, 0.5),
    ("Military Forces of Russia (2000-)", C.EXTERNAL_OTHER, ARMED, 4),
    ("Military Forces of Turkey (2016-)", C.EXTERNAL_OTHER, ARMED, 3),
    ("Military Forces of Iran (1989-)", C.EXTERNAL_OTHER, ARMED, 1),
    ("Military Forces of the United States (2021-)", C.EXTERNAL_OTHER, ARMED, 1.5),
    ("Military Forces of Israel (2022-)", C.EXTERNAL_OTHER, ARMED, 1),
    ("Civilians (Syria)", C.CIVILIANS, CIVILIAN, 10),
    ("Health Workers (Syria)", C.CIVILIANS, CIVILIAN, 0.5),
    ("Journalists (Syria)", C.CIVILIANS, CIVILIAN, 0.3),
    ("Protesters (Syria)", C.PROTESTERS, PROTESTER, 1),
    ("Rioters (Syria)", C.RIOTERS, RIOTER, 1),
]

# Who fights beside whom, for associated actors: an associated actor is drawn only from actor 1's (or
# actor 2's) own camp, as ACLED codes them (codebook: "associated actor ... acting in cooperation").
# A newcomer found the demo pairing the Islamic State with Russian forces. Actors in no camp get none.
CAMPS = [
    {"Military Forces of Syria (2000-)", "Police Forces of Syria (2000-)", "NDF: National Defence Forces",
     "Hezbollah", "Liwa Fatemiyoun", "Liwa al Quds", "Military Forces of Russia (2000-)",
     "Military Forces of Iran (1989-)", "Al Baggara Tribal Militia (Syria)"},
    {"QSD: Syrian Democratic Forces", "Deir ez-Zor Military Council", "Al Shaitat Tribal Militia (Syria)",
     "Military Forces of the United States (2021-)"},
    {"Syrian National Army", "Military Forces of Turkey (2016-)", "Jaysh al Islam"},
    {"Hayat Tahrir al Sham", "Hurras al Din"},
]

EVENT_TYPES = {  # event type: (share, {sub-event type: share})
    "Explosions/Remote violence": (0.48, {
        "Shelling/artillery/missile attack": 0.55, "Air/drone strike": 0.30, "Remote explosive/landmine/IED": 0.12,
        "Grenade": 0.02, "Suicide bomb": 0.008, "Chemical weapon": 0.002}),
    "Battles": (0.22, {"Armed clash": 0.92, "Government regains territory": 0.04,
                       "Non-state actor overtakes territory": 0.04}),
    "Strategic developments": (0.14, {
        "Arrests": 0.25, "Looting/property destruction": 0.2, "Disrupted weapons use": 0.2,
        "Change to group/activity": 0.1, "Other": 0.1, "Headquarters or base established": 0.05,
        "Agreement": 0.05, "Non-violent transfer of territory": 0.05}),
    "Violence against civilians": (0.10, {"Attack": 0.7, "Abduction/forced disappearance": 0.28,
                                          "Sexual violence": 0.02}),
    "Protests": (0.05, {"Peaceful protest": 0.9, "Protest with intervention": 0.07,
                        "Excessive force against protesters": 0.03}),
    "Riots": (0.01, {"Violent demonstration": 0.6, "Mob violence": 0.4}),
}
STATUSES = [("approved", 0.90), ("draft", 0.05), ("in_review", 0.03), ("rejected", 0.02)]
OUTLETS = ["Euphrates Monitor", "Eastern Syria Observer", "Deir ez-Zor Network", "Khabur Daily",
           "Jazira Region News", "Syria Local Reporter", "Northeast Syria Wire", "Levant Field Reports",
           "Badia Watch", "Damascus Press Review", "Idlib Situation Report", "Southern Front Bulletin"]
SOURCE_SCALES = ["Local partner-National", "National", "Subnational", "Local partner", "New media",
                 "Subnational-National", "Other-National"]
VERBS = {
    "Battles": "clashed with", "Explosions/Remote violence": "shelled positions of",
    "Violence against civilians": "attacked", "Protests": "demonstrated against",
    "Riots": "rioted against", "Strategic developments": "carried out an operation against",
}
# An article reports the three incidents that cite it first, one sentence each (place and day), then
# two sentences that name neither, which the incidents citing it as a further source quote.
ARTICLE_SENTENCES = [
    "Local sources reported heavy fighting near {place} on {day}.",
    "Residents of {place} said shelling continued through the night of {day}.",
    "Medical sources in {place} said several people were taken to hospital on {day}.",
    "Fighters were seen moving towards the outskirts of {place} early on {day}.",
    "An air strike hit a building on the edge of {place} on {day}, witnesses said.",
]
FOLLOW_UP_SENTENCES = [
    "A local council member described the situation as tense.",
    "Families began leaving the area after the clashes, according to activists.",
    "The road to the river crossing was closed for several hours.",
    "Activists said the toll could still rise.",
]
INCIDENTS_PER_ARTICLE = 3
SENTENCES_PER_ARTICLE = 5


def point_hex(lon, lat):
    """Hex EWKB of an SRID 4326 point: PostGIS parses this faster than WKT."""
    return "0101000020E6100000" + struct.pack("<dd", lon, lat).hex()


def cumulative(weights):
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


class Mix:
    """Weighted choices for one run, built from the places actually in the database."""

    def __init__(self, places, actor_ids):
        # places: (id, name, lon, lat, governorate p-code, governorate name)
        self.places = places
        dez = [p for p in places if p[4] == DEIR_EZ_ZOR]
        rest = [p for p in places if p[4] != DEIR_EZ_ZOR]
        weight = {p: math.sqrt(max(population_hint(p), 0)) + 30 for p in places}
        dez_total = sum(weight[p] for p in dez) or 1
        rest_total = sum(weight[p] * GOVERNORATE_INTENSITY.get(p[4], 0.5) for p in rest) or 1
        dez_share = DEIR_EZ_ZOR_SHARE if dez and rest else (1.0 if dez else 0.0)
        self.place_cum = cumulative(
            [weight[p] / dez_total * dez_share if p[4] == DEIR_EZ_ZOR
             else weight[p] * GOVERNORATE_INTENSITY.get(p[4], 0.5) / rest_total * (1 - dez_share)
             for p in places])
        self.event_types = list(EVENT_TYPES)
        self.event_cum = cumulative(share for share, _ in EVENT_TYPES.values())
        self.subs = {et: (list(subs), cumulative(subs.values())) for et, (_, subs) in EVENT_TYPES.items()}
        by_role = {}
        for name, _, role, w in ACTORS:
            by_role.setdefault(role, []).append((actor_ids[name], w))
        self.actors = {role: ([a for a, _ in pairs], cumulative(w for _, w in pairs))
                       for role, pairs in by_role.items()}
        self.actor_names = {actor_ids[name]: name for name, *_ in ACTORS}
        self.civilian_ids = set(self.actors[CIVILIAN][0])
        weights = {actor_ids[name]: w for name, _, _, w in ACTORS}
        self.camp_of = {actor_ids[name]: [(actor_ids[m], weights[actor_ids[m]]) for m in sorted(camp)]
                        for camp in CAMPS for name in camp}
        self.statuses = [s for s, _ in STATUSES]
        self.status_cum = cumulative(w for _, w in STATUSES)
        years = list(YEAR_WEIGHTS)
        self.year_cum = cumulative(YEAR_WEIGHTS.values())
        self.years = years

    def pick(self, rng, items, cum):
        return rng.choices(items, cum_weights=cum)[0]

    def date_ordinals(self, rng, n):
        """n sorted day numbers over the ten years, busier in the war's peak years."""
        days = []
        for _ in range(n):
            year = self.pick(rng, self.years, self.year_cum)
            start = datetime.date(year, 1, 1).toordinal()
            days.append(start + rng.randrange(datetime.date(year + 1, 1, 1).toordinal() - start))
        days.sort()
        return days

    def actor(self, rng, role, exclude=None):
        ids, cum = self.actors[role]
        for _ in range(5):
            chosen = rng.choices(ids, cum_weights=cum)[0]
            if chosen != exclude:
                return chosen
        return None

    def ally(self, rng, actor, exclude=()):
        """An actor of `actor`'s camp (CAMPS) other than it and `exclude`, by weight; None if it has none."""
        pairs = [(a, w) for a, w in self.camp_of.get(actor, []) if a != actor and a not in exclude]
        if not pairs:
            return None
        return rng.choices([a for a, _ in pairs], cum_weights=cumulative(w for _, w in pairs))[0]

    def actors_for(self, rng, event_type):
        """(actor1, actor2 or None) as ACLED pairs them for each event type."""
        if event_type == "Protests":
            return self.actor(rng, PROTESTER), (self.actor(rng, ARMED) if rng.random() < 0.1 else None)
        if event_type == "Riots":
            return self.actor(rng, RIOTER), (self.actor(rng, CIVILIAN) if rng.random() < 0.3 else None)
        actor1 = self.actor(rng, ARMED)
        if event_type == "Battles":
            return actor1, self.actor(rng, ARMED, exclude=actor1)
        if event_type == "Violence against civilians":
            return actor1, self.actor(rng, CIVILIAN)
        roll = rng.random()
        if event_type == "Explosions/Remote violence":
            return actor1, (None if roll < 0.5 else self.actor(rng, CIVILIAN) if roll < 0.7
                            else self.actor(rng, ARMED, exclude=actor1))
        return actor1, (self.actor(rng, ARMED, exclude=actor1) if roll < 0.3 else None)


def population_hint(place):
    return place[6] if len(place) > 6 else 0


def fatalities_for(rng, event_type):
    if event_type == "Battles":
        return 0 if rng.random() < 0.4 else 1 + int(rng.expovariate(1 / 4))
    if event_type == "Explosions/Remote violence":
        return 0 if rng.random() < 0.7 else 1 + int(rng.expovariate(1 / 2.5))
    if event_type == "Violence against civilians":
        return 0 if rng.random() < 0.5 else 1 + int(rng.expovariate(1))
    return 1 if rng.random() < 0.005 else 0


def day_in_words(day, time_precision):
    """How a report names an incident's day (a date) at ACLED's time precision 1, 2 or 3."""
    words = f"{day.day} {calendar.month_name[day.month]} {day.year}"
    if time_precision == 2:
        return f"a day in the week of {words}"
    if time_precision == 3:
        return f"a day in {calendar.month_name[day.month]} {day.year}"
    return words


def article_sentences(article_id, subjects):
    """The sentences of synthetic article n: one per (place name, words for the day, date) in
    `subjects` (the incidents it reports first), then follow-ups naming neither. A pure function, so evidence offsets can be
    recomputed. A quote thus never names another day or town than its incident's (a newcomer
    session found demo quotes that contradicted their incidents)."""
    told = [ARTICLE_SENTENCES[(article_id + k) % len(ARTICLE_SENTENCES)].format(place=place, day=day)
            for k, (place, day, _) in enumerate(subjects)]
    return told + [FOLLOW_UP_SENTENCES[(article_id + k) % len(FOLLOW_UP_SENTENCES)]
                   for k in range(SENTENCES_PER_ARTICLE - len(told))]
