"""ACLED CSV in: every row is checked first, then the whole file is written in one transaction, or nothing.

- A bad file is refused with a report naming each bad row and column; nothing is written.
- Keyed on event_id_cnty: importing the same file again changes nothing; a row that
  changed at ACLED updates its incident (an approved one goes back to review, unless
  the analyst approves the import).
- Actors, places and areas are matched by name or alias (spelling-insensitive) or created.
  Area names are stored as ACLED wrote them, so exports give them back unchanged even where
  point-in-polygon disagrees (one Damascus event lies in the Rural Damascus polygon).
- New incidents land in review, or approved with approve=True. ACLED's source text is kept.
  ACLED's own `timestamp` is not kept: ours records when this database changed the row.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.contrib.gis.geos import Point
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from incidents.intake.acled_checks import KNOWN_COLUMNS, ImportRefused, Problem, check_rows
from incidents.intake.acled_stored_checks import (
    refuse_ids_differing_only_in_case, refuse_points_outside_the_boundaries)
from incidents.intake.csv_text import read_csv_file
from incidents.intake.matching import ActorDirectory, AreaDirectory, PlaceDirectory, areas_at_points
from incidents.models import Actor, AdminArea, Incident, Place
from incidents.models.history_baseline import record_links
from incidents.models.incident import own_pk_from_public_id, parse_own_public_id

__all__ = ["ImportRefused", "Problem", "ImportSummary", "check_rows", "import_rows", "import_acled_csv"]
CHANGE_REASON = "ACLED import"


@dataclass
class ImportSummary:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    sent_back_to_review: int = 0
    actors_created: int = 0
    places_created: int = 0
    status: str = ""
    ignored_columns: list = field(default_factory=list)
    unknown_governorates: Counter = field(default_factory=Counter)
    outcomes: list = field(default_factory=list)  # (row number, incident, "new" | "update" | "skip")
    flagged: list = field(default_factory=list)  # (row number, why): names and point disagreed
    other_spellings: dict = field(default_factory=dict)  # actor name -> spellings the file used, not aliases

    def lines(self):
        lines = [f"{self.rows} rows: {self.created} new incidents ({self.status.replace('_', ' ')}), "
                 f"{self.updated} updated, {self.unchanged} unchanged.",
                 f"{self.actors_created} actors and {self.places_created} places added."]
        if self.sent_back_to_review:
            lines.append(f"{self.sent_back_to_review} approved incidents changed and went back to review.")
        if self.unknown_governorates:
            names = ", ".join(f"{name} ({count})" for name, count in self.unknown_governorates.most_common())
            lines.append(f"Governorates not recognised, placed by their coordinates (name kept): {names}.")
        if self.flagged:
            lines.append(f"{len(self.flagged)} rows whose point lies outside their named governorate kept the "
                         "governorate and took its nearest district: rows "
                         + ", ".join(str(number) for number, _ in self.flagged[:20])
                         + (" …" if len(self.flagged) > 20 else "") + ".")
        if self.other_spellings:
            spelled = "; ".join(f"{name}: {', '.join(sorted(spellings))}"
                                for name, spellings in sorted(self.other_spellings.items()))
            lines.append(f"Matched to existing actors by other spellings (not added as aliases; a reviewer "
                         f"may add them on the actor's page): {spelled}.")
        if self.ignored_columns:
            lines.append(f"Columns ignored: {', '.join(self.ignored_columns)}.")
        return lines


def _values(row, actor1, actor2, place, areas):
    """The incident fields a row sets (by attname, so foreign keys compare as ids)."""
    values = {
        "date": row.date, "time_precision": row.time_precision, "event_type": row.event_type,
        "sub_event_type": row.sub_event_type, "actor1_id": actor1.pk, "actor2_id": actor2.pk if actor2 else None,
        "civilian_targeting": row.civilian_targeting, "location": row.location, "place_id": place.pk,
        "point": Point(row.longitude, row.latitude, srid=4326), "geo_precision": row.geo_precision,
        "admin1_id": areas[0], "admin2_id": areas[1], "admin3_id": areas[2],
        "admin1_name": row.admin1, "admin2_name": row.admin2, "admin3_name": row.admin3,
        "source_text": row.source_text, "source_scale": row.source_scale, "notes": row.notes,
        "fatalities": row.fatalities, "tags": row.tags,
    }
    values.update(row.ours)
    return values


def _unique(actors):
    """In order, each actor once (new actors have no pk yet, so compare identities)."""
    seen = set()
    return [actor for actor in actors if not (id(actor) in seen or seen.add(id(actor)))]


def _same(stored, wanted):
    if isinstance(wanted, Point):
        return stored is not None and stored.equals_exact(wanted, 1e-9)
    return stored == wanted


class _Writer:
    """Matches names, then creates and updates incidents in bulk. Runs inside the import transaction."""

    def __init__(self, rows, approve, user, summary):
        self.rows, self.approve, self.user, self.summary = rows, approve, user, summary
        self.now = timezone.now()
        self.through = [Incident.assoc_actors_1.through, Incident.assoc_actors_2.through]

    def actors(self):
        directory = ActorDirectory()
        # Main actors first: an actor's type comes from a row naming it as actor 1 or 2, not
        # from being associated (associated actors take their side's type when new).
        main = [(directory.get(r.actor1, r.inter1), directory.get(r.actor2, r.inter2) if r.actor2 else None)
                for r in self.rows]
        assoc = [[_unique(directory.get(name, inter) for name in names)
                  for names, inter in ((r.assoc_1, r.inter1), (r.assoc_2, r.inter2 or r.inter1))] for r in self.rows]
        self.summary.actors_created = directory.save_new()
        self.summary.other_spellings = directory.other_spellings
        return main, assoc

    def places_and_areas(self):
        directory, areas = PlaceDirectory(), AreaDirectory()
        located = areas_at_points([(r.longitude, r.latitude) for r in self.rows])
        result = []
        for row, by_point in zip(self.rows, located):
            # The file's names first; coordinates only where a name is missing or unknown.
            governorate = areas.governorate(row.admin1)
            if row.admin1 and governorate is None:
                self.summary.unknown_governorates[row.admin1] += 1
            district = areas.district(row.admin2, governorate)
            governorate_id = governorate.pk if governorate else by_point.get(1)
            district_id = district.pk if district else self._district_in(governorate_id, by_point, row)
            ids = (governorate_id, district_id, by_point.get(3))
            place = directory.get(row.location, (row.longitude, row.latitude), geo_precision=row.geo_precision,
                                  admin1_id=ids[0], admin2_id=ids[1])
            result.append((place, ids))
        self.summary.places_created = directory.save_new()
        return result

    def _district_in(self, governorate_id, by_point, row):
        """The district for a row whose admin2 names none of its governorate's districts.

        One rule (README, "ACLED import"): a district always lies in its governorate, and the
        governorate comes from the file's name. The point's district is taken when it lies in that
        governorate; otherwise the governorate's district nearest the point, and the row is flagged
        (a Damascus-city row whose point falls in Darayya, Rural Damascus, stays in Damascus)."""
        point_district = by_point.get(2)
        if governorate_id is None or point_district is None:
            return point_district
        if self._parents().get(point_district) == governorate_id:
            return point_district
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM incidents_adminarea WHERE level = 2 AND parent_id = %s "
                           "ORDER BY geom <-> ST_SetSRID(ST_MakePoint(%s, %s), 4326), id LIMIT 1",
                           [governorate_id, row.longitude, row.latitude])
            nearest = cursor.fetchone()
        self.summary.flagged.append((row.number, f"{row.event_id_cnty}: its point lies outside {row.admin1 or 'its'} "
                                                 "governorate; district taken from the governorate's nearest"))
        return nearest[0] if nearest else None

    def _parents(self):
        if not hasattr(self, "_parent_of"):
            self._parent_of = dict(AdminArea.objects.filter(level=2).values_list("id", "parent_id"))
        return self._parent_of

    def write(self, progress):
        (main, assoc), located = self.actors(), self.places_and_areas()
        existing = {incident.event_id_cnty: incident for incident in
                    Incident.objects.filter(event_id_cnty__in=[row.event_id_cnty for row in self.rows])}
        stored_assoc = self._stored_assoc([incident.pk for incident in existing.values()])
        created, updated, assoc_to_write = [], [], []
        changed_fields = set()
        for index in progress(range(len(self.rows))):
            row, (actor1, actor2), (place, areas) = self.rows[index], main[index], located[index]
            values = _values(row, actor1, actor2, place, areas)
            assoc_ids = [[actor.pk for actor in actors] for actors in assoc[index]]
            incident = existing.get(row.event_id_cnty)
            if incident is None:
                incident = Incident(event_id_cnty=row.event_id_cnty, status=self.summary.status,
                                    published_at=self.now if self.approve else None, **values)
                created.append(incident)
                assoc_to_write.append((incident, assoc_ids))
                self.summary.outcomes.append((row.number, incident, "new"))
                continue
            changes = [name for name, value in values.items() if not _same(getattr(incident, name), value)]
            assoc_changed = assoc_ids != stored_assoc.get(incident.pk, [[], []])
            if not changes and not assoc_changed:
                self.summary.outcomes.append((row.number, incident, "skip"))
                continue
            for name in changes:
                setattr(incident, name, values[name])
            changed_fields.update(changes)
            if incident.date_end and incident.date_end < incident.date:
                incident.date_end = None
            self._review_again(incident)
            updated.append(incident)
            if assoc_changed:
                assoc_to_write.append((incident, assoc_ids))
            self.summary.outcomes.append((row.number, incident, "update"))
        self._save(created, updated, changed_fields, assoc_to_write)

    def _stored_assoc(self, incident_ids):
        stored = {}
        for side, through in enumerate(self.through):
            for incident_id, actor_id in (through.objects.filter(incident_id__in=incident_ids)
                                          .order_by("id").values_list("incident_id", "actor_id")):
                stored.setdefault(incident_id, [[], []])[side].append(actor_id)
        return stored

    def _review_again(self, incident):
        """Like an analyst's edit: a changed published incident needs a second look first."""
        if incident.status == Incident.Status.APPROVED and not self.approve:
            incident.status, incident.withdrawn_at, incident.reviewer = Incident.Status.IN_REVIEW, self.now, None
            self.summary.sent_back_to_review += 1

    def _save(self, created, updated, changed_fields, assoc_to_write):
        history = {"default_user": self.user, "default_change_reason": CHANGE_REASON, "batch_size": 1000}
        bulk_create_with_history(created, Incident, **history)
        if updated:
            for incident in updated:
                incident.updated_at = self.now  # bulk_update skips auto_now
            fields = sorted(changed_fields | {"status", "withdrawn_at", "reviewer_id", "date_end", "updated_at"})
            names = [Incident._meta.get_field(attname).name for attname in fields]
            bulk_update_with_history(updated, Incident, names, **history)
        for side, through in enumerate(self.through):
            through.objects.filter(incident_id__in=[incident.pk for incident, _ in assoc_to_write]).delete()
            # In file order, so exports list them as ACLED did.
            through.objects.bulk_create([through(incident_id=incident.pk, actor_id=actor_id)
                                         for incident, ids in assoc_to_write for actor_id in ids[side]])
        # With the versions just written, so ?as_of= shows them from the import on.
        record_links(Incident, [incident.pk for incident, _ in assoc_to_write])
        self.summary.created, self.summary.updated = len(created), len(updated)
        self.summary.unchanged = len(self.rows) - len(created) - len(updated)


def _differences(row, incident):
    """The ACLED fields in which a row of our own export differs from the incident it came from.

    Our export writes our time precision 4 (a window) as ACLED's 3 with the window's first day,
    so 3 on a precision-4 incident with the same first day is the same fact (README, Exports)."""
    point = incident.point
    same = {
        "event_date": row.date == incident.date,
        "time_precision": row.time_precision == incident.time_precision
        or (incident.time_precision == 4 and row.time_precision == 3),
        "event_type": row.event_type == incident.event_type,
        "sub_event_type": row.sub_event_type == incident.sub_event_type,
        "actor1": row.actor1 == incident.actor1.name,
        "actor2": row.actor2 == (incident.actor2.name if incident.actor2 else ""),
        "location": row.location == incident.location,
        "latitude": point is not None and abs(row.latitude - point.y) < 1e-4,
        "longitude": point is not None and abs(row.longitude - point.x) < 1e-4,
        "geo_precision": row.geo_precision == incident.geo_precision,
        "notes": row.notes == incident.notes.strip(),
        "fatalities": row.fatalities == incident.fatalities,
    }
    if "date_end" in row.ours:  # our export's window end (event_date_end)
        same["event_date_end"] = row.ours["date_end"] == (incident.date_end if incident.time_precision == 4 else None)
    return [name for name, equal in same.items() if not equal]


def own_incidents(rows):
    """Rows carrying our own public id (DZI<pk>, from an export of this database), matched back to
    the incident: ({row number: incident} of rows that equal it, the other rows).

    A re-imported export must not create a copy (issue 15 point 6): an unchanged row is that
    incident, unchanged; a changed one is refused, because our own incidents change through the
    admin and its review, not through a file. Raises ImportRefused naming each such row."""
    # Synthetic demonstration incidents (DEMO<pk>) never enter through a file (issue 20).
    if demo := [Problem(row.number, None, "event_id_cnty", f"“{row.event_id_cnty}” is the id of a synthetic "
                        "demonstration incident, not a real event: remove the row.")
                for row in rows if (parse_own_public_id(row.event_id_cnty or "") or (0, False))[1]]:
        raise ImportRefused(demo)
    own = {row.number: own_pk_from_public_id(row.event_id_cnty) for row in rows}
    own = {number: pk for number, pk in own.items() if pk is not None}
    if not own:
        return {}, rows
    found = Incident.objects.select_related("actor1", "actor2").filter(pk__in=own.values(),
                                                                        event_id_cnty__isnull=True).in_bulk()
    matched, problems = {}, []
    for row in rows:
        if row.number not in own:
            continue
        incident = found.get(own[row.number])
        if incident is None:
            problems.append(Problem(row.number, None, "event_id_cnty", f"“{row.event_id_cnty}” is an id of this "
                                    "database, but it holds no such incident of its own: give the row ACLED's id."))
        elif differs := _differences(row, incident):
            problems.append(Problem(row.number, None, "event_id_cnty", f"“{row.event_id_cnty}” is this database's "
                                    f"own incident, and this row differs from it in {', '.join(differs)}: edit the "
                                    "incident in the admin (its changes go through review), not by importing."))
        else:
            matched[row.number] = incident
    if problems:
        raise ImportRefused(problems)
    return matched, [row for row in rows if row.number not in own]


def import_rows(rows, approve=False, user=None, progress=None):
    """Write checked rows in one transaction; returns an ImportSummary. Rows with our own ids are
    matched back to their incidents (own_incidents) and change nothing; ImportRefused otherwise."""
    summary = ImportSummary(rows=len(rows), status=Incident.Status.APPROVED if approve else Incident.Status.IN_REVIEW)
    with transaction.atomic():
        refuse_ids_differing_only_in_case(rows)
        refuse_points_outside_the_boundaries(rows)
        own, others = own_incidents(rows)
        _Writer(others, approve, user, summary).write(progress or (lambda items: items))
    summary.unchanged += len(own)
    summary.outcomes += [(number, incident, "skip") for number, incident in own.items()]
    summary.outcomes.sort(key=lambda outcome: outcome[0])
    return summary


def analyze_after_import():
    """Refresh PostgreSQL's statistics of the tables an import fills. Without it the planner still
    believed the tables small after a bulk load, and /?order=fatalities&page=700 ran for over 30 s
    (issue 15 point 14). Cheap: ANALYZE reads a sample. Outside the import's transaction."""
    tables = [Incident._meta.db_table, Incident.assoc_actors_1.through._meta.db_table,
              Incident.assoc_actors_2.through._meta.db_table, Actor._meta.db_table, Place._meta.db_table]
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(tables)}")


def import_acled_csv(file, approve=False, user=None, check_progress=None, write_progress=None):
    """Check then import an open CSV file (text, or bytes read as UTF-8); raises ImportRefused
    (nothing written, every problem named) or returns a summary."""
    header, records = read_csv_file(file)
    rows = check_rows(header, records, check_progress)
    summary = import_rows(rows, approve=approve, user=user, progress=write_progress)
    if summary.created or summary.updated:
        analyze_after_import()
    summary.ignored_columns = [name for name in header if name.strip().lstrip("\ufeff") not in KNOWN_COLUMNS]
    return summary
