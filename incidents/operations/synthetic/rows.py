"""The COPY streams of the generator: incidents (with admin areas by point-in-polygon), articles, evidence.

Ids are written by the generator (after `Plan.first_ids`, so a demonstration load sits beside the
rows already there); a demonstration plan marks every incident with the `demo` tag and every
article with its `demo` flag, and gives no incident an ACLED-like event_id_cnty (its public id is
then DEMO<pk>).
"""

import calendar
import datetime
from functools import lru_cache

from incidents.operations.synthetic.copying import copy_rows, default_columns
from incidents.operations.synthetic.mix import (
    OUTLETS,
    INCIDENTS_PER_ARTICLE,
    SENTENCES_PER_ARTICLE,
    SOURCE_SCALES,
    VERBS,
    Mix,
    article_sentences,
    day_in_words,
    fatalities_for,
    point_hex,
)

INCIDENT_COLUMNS = [
    "id", "event_id_cnty", "date", "date_end", "time_precision", "event_type", "sub_event_type", "location", "point",
    "geo_precision", "fatalities", "fatalities_low", "fatalities_high", "injured", "civilian_targeting", "notes",
    "tags", "source_text", "source_scale", "status", "rejection_reason", "published_at", "withdrawn_at", "version",
    "created_at", "updated_at", "actor1_id", "actor2_id", "coder_id", "merged_into_id", "reviewer_id", "place_id",
]
ARTICLE_COLUMNS = ["id", "title", "url", "published_on", "byline", "language", "text", "retrieved_at",
                   "coding_status", "content_hash", "created_at", "source_id", "demo"]
EVIDENCE_COLUMNS = ["id", "quote", "start", "end", "article_id", "incident_id"]
EVIDENCE_COUNTS, EVIDENCE_WEIGHTS = [1, 2, 3], [0.5, 0.35, 0.15]
REJECTION_REASONS = ["Duplicate of an incident already coded.", "The article does not support the date.",
                     "Location cannot be verified from the source."]
N = r"\N"

# Point-in-polygon against subdivided areas: small polygons make ST_Covers cheap, and points that
# jitter across the border (Albu Kamal sits on it) fall back to their gazetteer place.
ASSIGN_AREAS_SQL = """
CREATE TEMP TABLE synthetic_areas ON COMMIT DROP AS
    SELECT id AS area_id, level, ST_Subdivide(geom, 128) AS geom FROM incidents_adminarea;
CREATE INDEX ON synthetic_areas USING gist (geom);
ANALYZE synthetic_areas;
INSERT INTO incidents_incident ({columns})
SELECT {select}
FROM synthetic_stage s
LEFT JOIN incidents_place p ON p.id = s.place_id
LEFT JOIN LATERAL (SELECT a.area_id FROM synthetic_areas a WHERE a.level = 1 AND ST_Covers(a.geom, s.point)
                   ORDER BY a.area_id LIMIT 1) gov ON true
LEFT JOIN LATERAL (SELECT a.area_id FROM synthetic_areas a WHERE a.level = 2 AND ST_Covers(a.geom, s.point)
                   ORDER BY a.area_id LIMIT 1) dis ON true;
"""
AREA_EXPRESSIONS = {
    "point": "CASE WHEN gov.area_id IS NULL AND p.id IS NOT NULL THEN p.point ELSE s.point END",
    "admin1_id": "CASE WHEN gov.area_id IS NULL THEN p.admin1_id ELSE gov.area_id END",
    "admin2_id": "CASE WHEN gov.area_id IS NULL THEN p.admin2_id ELSE dis.area_id END",
}


def text(value):
    return value.replace("\\", "\\\\").replace("\t", " ").replace("\n", "\\n")


class Plan:
    """Everything the streams share: the mixes, the sorted dates, and the people and outlets to cite."""

    def __init__(self, n, rng, places, actor_ids, source_ids, analysts, reviewers, first_ids=(0, 0, 0), demo=False):
        """first_ids: (incident, article, evidence) ids the new rows start after; analysts and
        reviewers: user ids to name as coder and reviewer (None when the list is empty)."""
        from incidents.models import Article, Evidence, Incident

        self.n, self.rng, self.demo = n, rng, demo
        self.incident_base, self.article_base, self.evidence_base = first_ids
        self.mix = Mix(places, actor_ids)
        self.places, self.source_ids = places, source_ids
        self.analysts, self.reviewers = analysts, reviewers
        self.dates = self.mix.date_ordinals(rng, n)
        self.n_articles = n // 3 + 50
        # The demo mark, as COPY text of the tags array.
        self.tags = "{demo}" if demo else "{}"
        self.assoc = {1: [], 2: []}
        self.extra = {name: default_columns(model, columns) for name, model, columns in
                      (("incident", Incident, INCIDENT_COLUMNS), ("article", Article, ARTICLE_COLUMNS),
                       ("evidence", Evidence, EVIDENCE_COLUMNS))}
        # (place name, words for its day, date) of each incident, in order, as incident_lines codes them: an article is
        # about the place and day of the first incident citing it (article_lines).
        self.incident_subjects = []
        self.sentences = lru_cache(maxsize=16384)(self._article_sentences)

    def article_subjects(self, index):
        """[(place name, words for the day, date)] of the incidents article `index` (0-based) reports first: incidents
        3 × index to 3 × index + 2, which cite it (evidence_lines); none for the surplus articles."""
        return self.incident_subjects[index * INCIDENTS_PER_ARTICLE:(index + 1) * INCIDENTS_PER_ARTICLE]

    def _article_sentences(self, article_id):
        return article_sentences(article_id, self.article_subjects(article_id - self.article_base - 1))

    def columns(self, model, generated):
        return generated + [column for column, _ in self.extra[model]]

    def suffix(self, model):
        values = [value for _, value in self.extra[model]]
        return ("\t" + "\t".join(values)) if values else ""


def user(rng, ids):
    return str(rng.choice(ids)) if ids else N


def incident_lines(plan):
    rng, mix, pick = plan.rng, plan.mix, plan.rng.choices
    suffix = plan.suffix("incident")
    for i, ordinal in enumerate(plan.dates):
        incident_id = plan.incident_base + i + 1
        day, date_end = datetime.date.fromordinal(ordinal), N
        roll = rng.random()
        time_precision = 1 if roll < 0.85 else 2 if roll < 0.95 else 3
        if time_precision == 2:
            date_end = (day + datetime.timedelta(days=6)).isoformat()
        elif time_precision == 3:
            day = day.replace(day=1)
            date_end = day.replace(day=calendar.monthrange(day.year, day.month)[1]).isoformat()
        place = pick(mix.places, cum_weights=mix.place_cum)[0]
        plan.incident_subjects.append((place[1], day_in_words(day, time_precision), day))
        roll = rng.random()
        # ACLED's geo precision: 1 the place itself (a point within about 500 m of the town), 2 near it
        # (within about 5 km), 3 only the region (the place's own point). A newcomer found "exact" points
        # 2 km from their town.
        geo_precision, spread = (1, 0.004) if roll < 0.75 else (2, 0.04) if roll < 0.95 else (3, 0.0)
        lon, lat = place[2] + rng.gauss(0, spread), place[3] + rng.gauss(0, spread)
        event_type = pick(mix.event_types, cum_weights=mix.event_cum)[0]
        subs, sub_cum = mix.subs[event_type]
        sub_event_type = pick(subs, cum_weights=sub_cum)[0]
        actor1, actor2 = mix.actors_for(rng, event_type)
        for side, actor, other, share in ((1, actor1, actor2, 0.15), (2, actor2, actor1, 0.05)):
            if actor and rng.random() < share and (ally := mix.ally(rng, actor, exclude={other})):
                plan.assoc[side].append((incident_id, ally))
        fatalities = fatalities_for(rng, event_type)
        low = high = N
        if fatalities and rng.random() < 0.1:
            low, high = str(max(0, fatalities - rng.randint(0, 3))), str(fatalities + rng.randint(0, 5))
        injured = str(rng.randint(0, 10)) if rng.random() < 0.2 else N
        civilian = event_type == "Violence against civilians" or (actor2 in mix.civilian_ids)
        status = pick(mix.statuses, cum_weights=mix.status_cum)[0]
        created = day + datetime.timedelta(days=rng.randint(0, 20))
        created_at = f"{created.isoformat()} {rng.randint(6, 22):02d}:{rng.randint(0, 59):02d}:00+00"
        published_at = withdrawn_at = merged_into = reviewer = N
        rejection, updated_at = "", created_at
        if status == "approved":
            published_at = updated_at = f"{(created + datetime.timedelta(days=2)).isoformat()} 09:00:00+00"
            reviewer = user(rng, plan.reviewers)
            if i and rng.random() < 0.001:
                merged_into, withdrawn_at = str(incident_id - 1), published_at
        elif status == "rejected":
            reviewer, rejection = user(rng, plan.reviewers), rng.choice(REJECTION_REASONS)
        name2 = mix.actor_names[actor2] if actor2 else "unknown targets"
        notes = (f"On {day.day} {calendar.month_name[day.month]} {day.year}, {mix.actor_names[actor1]} "
                 f"{VERBS[event_type]} {name2} in {place[1]} ({place[5]}). {fatalities} "
                 f"{'fatality' if fatalities == 1 else 'fatalities'} reported.")
        if rng.random() < 0.3:
            notes += f" Local sources said the situation in {place[1]} remained tense."
        sources = "; ".join(rng.sample(OUTLETS, rng.randint(1, 2)))
        if plan.demo:  # coded, not imported: the export names the outlets of its evidence, as for ours
            sources = ""
        # An ACLED-like id on 70 % (imported rows); never on a demonstration incident (DEMO<pk>).
        acled_like = rng.random() < 0.7 and not plan.demo
        yield "\t".join([
            str(incident_id), f"SYR{incident_id}" if acled_like else N, day.isoformat(), date_end,
            str(time_precision), event_type, sub_event_type, text(place[1]), point_hex(lon, lat), str(geo_precision),
            str(fatalities), low, high, injured, "t" if civilian else "f", text(notes), plan.tags, text(sources),
            rng.choice(SOURCE_SCALES), status, rejection, published_at, withdrawn_at, "1", created_at, updated_at,
            str(actor1), str(actor2) if actor2 else N, user(rng, plan.analysts), merged_into, reviewer,
            str(place[0]),
        ]) + suffix + "\n"


def load_incidents(cur, plan, progress):
    """Incidents (from a staging table, with their admin areas) and their associated actors."""
    columns = plan.columns("incident", INCIDENT_COLUMNS)
    cur.execute("CREATE TEMP TABLE synthetic_stage (LIKE incidents_incident INCLUDING DEFAULTS) ON COMMIT DROP")
    copy_rows(cur, "synthetic_stage", columns, incident_lines(plan), plan.n, "incidents", progress)
    cur.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'incidents_incident'"
                " ORDER BY ordinal_position")
    all_columns = [row[0] for row in cur.fetchall()]
    select = ", ".join(AREA_EXPRESSIONS.get(c, f's."{c}"') for c in all_columns)
    if progress:
        print("Assigning governorates and districts (point in polygon)…", flush=True)
    cur.execute(ASSIGN_AREAS_SQL.format(columns=", ".join(f'"{c}"' for c in all_columns), select=select))
    for side, pairs in plan.assoc.items():
        lines = (f"{incident}\t{actor}\n" for incident, actor in pairs if actor)
        copy_rows(cur, f"incidents_incident_assoc_actors_{side}", ["incident_id", "actor_id"], lines, len(pairs),
                  f"associated actors {side}", progress)


def article_lines(plan):
    from incidents.models import content_hash

    suffix = plan.suffix("article")
    for index in range(plan.n_articles):
        article_id = plan.article_base + index + 1
        body = " ".join(plan.sentences(article_id)) + f" (Report reference {article_id}.)"
        subjects = plan.article_subjects(index) or [plan.incident_subjects[-1]]
        place, published = subjects[0][0], max(day for _, _, day in subjects)
        outlet = index % len(plan.source_ids)
        slug = OUTLETS[outlet].lower().replace(" ", "-")
        yield "\t".join([
            str(article_id), text(f"{OUTLETS[outlet]}: fighting and strikes reported near {place}"),
            f"https://{slug}.example.org/{published.year}/{article_id}", published.isoformat(), "", "en",
            text(body), f"{published.isoformat()} 18:00:00+00", "coded", content_hash(body),
            f"{published.isoformat()} 18:00:00+00", str(plan.source_ids[outlet]), "t" if plan.demo else "f",
        ]) + suffix + "\n"


def evidence_lines(plan):
    rng, suffix, last = plan.rng, plan.suffix("evidence"), plan.n_articles - 1
    evidence_id, incidents, articles = plan.evidence_base, plan.incident_base, plan.article_base
    for i in range(plan.n):
        base = min(i // INCIDENTS_PER_ARTICLE, last)
        chosen = [base]
        for _ in range(rng.choices(EVIDENCE_COUNTS, EVIDENCE_WEIGHTS)[0] - 1):
            other = min(base + rng.randint(1, 40), last)
            if other not in chosen:
                chosen.append(other)
        for j, index in enumerate(chosen):
            sentences = plan.sentences(articles + index + 1)
            # Its own sentence in the article reporting it; a follow-up (naming no place or day) elsewhere.
            k = i % INCIDENTS_PER_ARTICLE if j == 0 else INCIDENTS_PER_ARTICLE + (i + j) % (
                SENTENCES_PER_ARTICLE - INCIDENTS_PER_ARTICLE)
            start = sum(len(s) + 1 for s in sentences[:k])
            evidence_id += 1
            yield (f"{evidence_id}\t{text(sentences[k])}\t{start}\t{start + len(sentences[k])}"
                   f"\t{articles + index + 1}\t{incidents + i + 1}{suffix}\n")


def load_articles_and_evidence(cur, plan, progress):
    copy_rows(cur, "incidents_article", plan.columns("article", ARTICLE_COLUMNS), article_lines(plan),
              plan.n_articles, "articles", progress)
    expected = round(plan.n * sum(c * w for c, w in zip(EVIDENCE_COUNTS, EVIDENCE_WEIGHTS)))
    copy_rows(cur, "incidents_evidence", plan.columns("evidence", EVIDENCE_COLUMNS), evidence_lines(plan),
              expected, "evidence", progress)
