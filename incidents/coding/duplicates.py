"""Likely duplicate incidents, and merging them.

Several articles often report one event. Two incidents are candidates when they:
- have the same event type,
- have dates that overlap once each is widened by its date precision (a day either side of an
  exact day, a week, a month; an explicit window is used as it is),
- lie within DISTANCE_KM of each other (PostGIS distance on the geography, in metres),
- share at least one actor side (the Republican Guard counts as the Syrian military),
- and nobody has answered "not a duplicate" for the pair (DuplicateDecision).
Left out on purpose: rejected and merged incidents; two ACLED rows (ACLED already lists them as
separate events); and two incidents one analyst coded from the same article (coded apart on
purpose, side by side).

Merging keeps the older / further-reviewed incident, moves the other's evidence to it, takes
the better (lower-number) date and place precision, and saves both through the model so the
history records who merged what, and why.
"""

from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib import messages
from django.db import OperationalError, connection, transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy
from simple_history.models import HistoricalRecords

from incidents.coding import merge_rule
from incidents.coding.suggest.reasons import Reason
from incidents.common.reader_text import incident_ref, reader_list
from incidents.common.typology import TimePrecision, reader_term
from incidents.models import Actor, DuplicateDecision, Incident
from incidents.models.actors import side_of
from incidents.models.double_coding import visible_to
from incidents.review import workflow
from incidents.review.locking import save_checked

DISTANCE_KM = 5
# Days a date may be off, by precision: an exact day ±1 (reports written the day after), a week, a month.
SLACK_DAYS = {TimePrecision.DAY: 1, TimePrecision.WEEK: 7, TimePrecision.MONTH: 31, TimePrecision.UNKNOWN: 0}
STATUS_RANK = {Incident.Status.APPROVED: 0, Incident.Status.IN_REVIEW: 1, Incident.Status.DRAFT: 2,
               Incident.Status.REJECTED: 3}
MAX_WARNINGS_PER_REQUEST = 3
# Checks made while saving or showing an incident are advice: they give up rather than slow the page.
QUICK_CHECK_MS = 800


class MergeError(Exception):
    """A merge the rules refuse; the message says why, for the analyst."""


def _slack(alias):
    cases = " ".join(f"WHEN {precision} THEN {days}" for precision, days in SLACK_DAYS.items())
    return f"(CASE {alias}.time_precision {cases} ELSE 0 END)"


# `a` drives the join (one incident, or every analyst-coded one: ACLED rows are never paired with each
# other, so a large import does not square the work); `b` is found through the spatial index.
PAIRS_SQL = f"""
    SELECT LEAST(a.id, b.id), GREATEST(a.id, b.id), ST_Distance(a.point::geography, b.point::geography)
    FROM incidents_incident a
    JOIN incidents_incident b ON b.id <> a.id AND a.event_type = b.event_type
    WHERE {{driver}}
      AND a.merged_into_id IS NULL AND b.merged_into_id IS NULL
      AND a.status <> 'rejected' AND b.status IN ('draft', 'in_review', 'approved')
      -- implied by the overlap below (slack is at most 31 days each side), but lets an index on date help
      AND b.date <= COALESCE(a.date_end, a.date) + 62
      AND NOT (a.event_id_cnty IS NOT NULL AND b.event_id_cnty IS NOT NULL)
      AND a.date - {_slack('a')} <= COALESCE(b.date_end, b.date) + {_slack('b')}
      AND b.date - {_slack('b')} <= COALESCE(a.date_end, a.date) + {_slack('a')}
      -- degrees first, so the spatial index narrows the pairs; then metres on the geography
      AND ST_DWithin(a.point, b.point, %(degrees)s)
      AND ST_DWithin(a.point::geography, b.point::geography, %(metres)s)
      {{answered}}
    ORDER BY 1, 2
"""
# Pairs someone answered "not a duplicate" for are left out, except for the approval hold
# (coding.duplicate_guard), which itself judges whose answer counts.
UNANSWERED = """AND NOT EXISTS (SELECT 1 FROM incidents_duplicatedecision d
                      WHERE d.incident_a_id = LEAST(a.id, b.id) AND d.incident_b_id = GREATEST(a.id, b.id))"""
THESE_INCIDENTS = "a.id = ANY(%(ids)s)"
ALL_CODED = "a.event_id_cnty IS NULL AND (b.event_id_cnty IS NOT NULL OR a.id < b.id)"


@dataclass
class Candidate:
    incident: Incident  # the other incident
    distance_km: float
    reasons: list
    score: float

    @property
    def strength(self):
        return "likely" if self.score >= 0.75 else "possible"


def _close_pairs(incident_ids=None, answered=False):
    driver = THESE_INCIDENTS if incident_ids is not None else ALL_CODED
    # A degree is ~111 km north-south and ~89 km east-west at Syria's latitudes (35-37°N): 1.5x covers both.
    params = {"degrees": DISTANCE_KM / 111 * 1.5, "metres": DISTANCE_KM * 1000, "ids": list(incident_ids or [])}
    with connection.cursor() as cursor:
        cursor.execute(PAIRS_SQL.format(driver=driver, answered="" if answered else UNANSWERED), params)
        return cursor.fetchall()


class _Sides:
    def __init__(self):
        rows = Actor.objects.values_list("id", "parent_id", "name")
        self.parent = {pk: parent for pk, parent, _ in rows}
        self.name = {pk: name for pk, _, name in rows}

    def root(self, actor_id):
        return side_of(actor_id, self.parent)

    def of(self, incident):
        ids = {incident.actor1_id, incident.actor2_id, *[a.pk for a in incident.assoc_actors_1.all()],
               *[a.pk for a in incident.assoc_actors_2.all()]} - {None}
        return {self.root(i) for i in ids}


def _date_text(incident):
    if incident.date_end and incident.date_end != incident.date:
        return Reason(gettext_lazy("%(start)s – %(end)s"), start=incident.date, end=incident.date_end)
    return incident.date


def _judge(a, b, metres, sides):
    """Reasons and score for a close pair, or None when the rules leave the pair out."""
    shared = sides.of(a) & sides.of(b)
    if not shared:
        return None
    articles_a = {e.article_id for e in a.evidence.all()}
    if articles_a & {e.article_id for e in b.evidence.all()} and a.coder_id == b.coder_id:
        return None
    same_day = a.time_precision == b.time_precision == TimePrecision.DAY and a.date == b.date and not (
        a.date_end or b.date_end)
    names = sorted(sides.name[pk] for pk in shared)
    reasons = [Reason(gettext_lazy("same day (%(date)s)"), date=a.date) if same_day else
               Reason(gettext_lazy("dates overlap: %(one)s and %(other)s"), one=_date_text(a), other=_date_text(b)),
               Reason(gettext_lazy("same point")) if metres < 1 else
               Reason(gettext_lazy("%(km)s km apart"), km=round(metres / 1000, 1)),
               Reason(gettext_lazy("both name %(actors)s"), actors=names)]
    same_sub = a.sub_event_type == b.sub_event_type
    reasons.append(Reason(gettext_lazy("both %(event_type)s: %(sub_event_type)s"), event_type=reader_term(a.event_type),
                          sub_event_type=reader_term(a.sub_event_type)) if same_sub else
                   Reason(gettext_lazy("both %(event_type)s (%(sub_event_type)s / %(other)s)"),
                          event_type=reader_term(a.event_type), sub_event_type=reader_term(a.sub_event_type),
                          other=reader_term(b.sub_event_type)))
    both_sides = len(shared) >= 2
    score = 0.25 * same_day + 0.25 * same_sub + 0.25 * both_sides + 0.25 * (1 - metres / (DISTANCE_KM * 1000))
    return reasons, round(score, 2)


def _load(ids):
    incidents = Incident.objects.filter(pk__in=ids).select_related("actor1", "actor2", "coder").prefetch_related(
        "assoc_actors_1", "assoc_actors_2", "evidence")
    return {incident.pk: incident for incident in incidents}


def candidates_for(incident):
    """Likely duplicates of one incident, best first."""
    return candidates_of_many([incident]).get(incident.pk, [])


def candidates_of_many(incidents, answered=False):
    """{incident id: [Candidate], best first} for each of `incidents` (unsaved and merged-away ones are
    left out), found with one query: a review queue's page, a bulk approval's selection. With
    `answered`, pairs answered "not a duplicate" (DuplicateDecision) are included too."""
    ids = {incident.pk for incident in incidents if incident.pk is not None and not incident.merged_into_id}
    if not ids:
        return {}
    # Two of `ids` close to each other come back once per driver: one pair.
    pairs = {(a, b): metres for a, b, metres in _close_pairs(ids, answered)}
    loaded = _load({x for pair in pairs for x in pair})
    sides, found = _Sides(), {pk: [] for pk in ids}
    for (a, b), metres in sorted(pairs.items()):
        judged = _judge(loaded[a], loaded[b], metres, sides)
        for one, other in ((a, b), (b, a)) if judged else ():
            if one in ids:
                found[one].append(Candidate(loaded[other], metres / 1000, *judged))
    return {pk: sorted(candidates, key=lambda c: (-c.score, c.distance_km, c.incident.pk))
            for pk, candidates in found.items()}


@contextmanager
def _time_limit(milliseconds):
    """Run the block in a savepoint whose statements are cancelled after `milliseconds`."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        previous = cursor.fetchone()[0]
        cursor.execute("SET LOCAL statement_timeout = %s", [f"{milliseconds}ms"])
        yield
        # SET LOCAL outlives a released savepoint: restore it for the rest of the request's transaction.
        cursor.execute("SET LOCAL statement_timeout = %s", [previous])


def quick_candidates(incident):
    """candidates_for within QUICK_CHECK_MS, or None if the database took longer."""
    found = quick_candidates_of_many([incident])
    return None if found is None else found.get(incident.pk, [])


def quick_candidates_of_many(incidents):
    """candidates_of_many within QUICK_CHECK_MS (each statement), or None if the database took longer."""
    return quickly(lambda: candidates_of_many(incidents))


def quickly(function):
    """function() with QUICK_CHECK_MS per statement, or None if the database took longer."""
    try:
        with _time_limit(QUICK_CHECK_MS):
            return function()
    except OperationalError:
        return None


def all_candidate_pairs():
    """Every likely duplicate pair in the database: (incident a, incident b, reasons, score), a.pk < b.pk."""
    pairs = _close_pairs()
    loaded = _load({x for a, b, _ in pairs for x in (a, b)})
    sides, found = _Sides(), []
    for a, b, metres in pairs:
        judged = _judge(loaded[a], loaded[b], metres, sides)
        if judged:
            found.append((loaded[a], loaded[b], *judged))
    return sorted(found, key=lambda p: (-p[3], p[0].pk, p[1].pk))


def remember_not_duplicate(a, b, user):
    """Record the analyst's answer so the pair is never proposed again."""
    first, second = sorted([a.pk, b.pk])
    if first == second:
        raise MergeError("An incident cannot be a duplicate of itself.")
    decision, _ = DuplicateDecision.objects.get_or_create(incident_a_id=first, incident_b_id=second,
                                                          defaults={"decided_by": user})
    return decision


def choose_kept(a, b):
    """The incident a merge keeps: the further reviewed (approved first), then the older one."""
    return min((a, b), key=lambda i: (STATUS_RANK.get(i.status, 9), i.pk))


def merge_permission_problem(user, a, b):
    """Why `user` may not merge these two, or None."""
    if not user.has_perm("incidents.change_incident"):
        return "You may not change incidents, so you cannot merge them."
    if merge_rule.public_ones(a, b) and not workflow.can_review(user):
        return "One of them is published: only reviewers may merge published incidents."
    return None


def visible_candidates(candidates, user):
    """Candidates without incidents hidden from `user` by an open double coding (models.double_coding)."""
    if not candidates:
        return candidates
    shown = set(visible_to(Incident.objects.filter(pk__in=[c.incident.pk for c in candidates]), user)
                .values_list("pk", flat=True))
    return [c for c in candidates if c.incident.pk in shown]


def review_rows(incident, user, quick=False):
    """What an analyst sees per candidate: which incident a merge keeps and whether they may merge.
    With quick=True (panels on other pages), None when the check would take too long."""
    candidates = quick_candidates(incident) if quick else candidates_for(incident)
    if candidates is None:
        return None
    candidates = visible_candidates(candidates, user)
    rows = []
    for candidate in candidates:
        kept = choose_kept(incident, candidate.incident)
        merged_away = candidate.incident if kept == incident else incident
        rows.append({"candidate": candidate, "kept": kept, "merged_away": merged_away,
                     "merge_problem": merge_permission_problem(user, incident, candidate.incident),
                     "public": merge_rule.public_ones(kept, merged_away),
                     "proposal": (proposal := merge_rule.pending(kept, merged_away)),
                     "proposed_by_you": proposal is not None and proposal.proposed_by_id == user.pk})
    return rows


def _move_evidence(kept, other, user):
    moved = dropped = 0
    spans = set(kept.evidence.values_list("article_id", "start", "end"))
    for evidence in other.evidence.all():
        evidence._history_user = user
        if (evidence.article_id, evidence.start, evidence.end) in spans:
            # The same words of the same article already support the kept incident.
            evidence._change_reason = f"Merge: same quote already on incident #{kept.pk}"
            evidence.delete()
            dropped += 1
            continue
        evidence.incident = kept
        evidence._change_reason = f"Merge: moved from incident #{other.pk}"
        evidence.save()
        moved += 1
    return moved, dropped


def _take_better_precision(kept, other):
    """Lower precision numbers are better (1 = exact day / exact place)."""
    taken = []
    if other.time_precision < kept.time_precision:
        kept.date, kept.date_end, kept.time_precision = other.date, other.date_end, other.time_precision
        taken.append("date")
    if other.geo_precision < kept.geo_precision:
        for name in ("place", "location", "point", "geo_precision", "admin1", "admin2", "admin3"):
            setattr(kept, name, getattr(other, name))
        taken.append("place")
    return taken


def _join_associated_actors(kept, other):
    for number in (1, 2):
        if getattr(kept, f"actor{number}_id") == getattr(other, f"actor{number}_id"):
            extra = set(getattr(other, f"assoc_actors_{number}").all()) - {kept.actor1, kept.actor2}
            if extra:
                getattr(kept, f"assoc_actors_{number}").add(*extra)


def merge(kept, other, user):
    """Merge `other` into `kept` and return the kept incident (re-read). Raises MergeError, changing nothing,
    when `user` may not: not allowed to change incidents, or the public sees one of them and no other
    reviewer proposed this merge (merge_rule.refusal: a second person's confirmation)."""
    with transaction.atomic():
        locked = Incident.objects.select_for_update().in_bulk([kept.pk, other.pk])
        if kept.pk == other.pk or len(locked) != 2:
            raise MergeError("Choose two different incidents that exist.")
        kept, other = locked[kept.pk], locked[other.pk]
        for incident in (kept, other):
            if incident.merged_into_id:
                raise MergeError(f"Incident #{incident.pk} was already merged into #{incident.merged_into_id}.")
        problem = merge_permission_problem(user, kept, other) or merge_rule.refusal(kept, other, user)
        if problem:
            raise MergeError(problem)
        proposal = merge_rule.pending(kept, other)
        if kept.status == Incident.Status.APPROVED:
            # Off the public site before anything of the other incident joins it: otherwise the history
            # (and so ?as_of=) would show the published incident with unreviewed evidence and actors.
            workflow.prepare_edit(kept, user, content_changed=True)
            kept._skip_duplicate_check = True
            save_checked(kept, kept.version)
        moved, dropped = _move_evidence(kept, other, user)
        taken = _take_better_precision(kept, other)
        _join_associated_actors(kept, other)
        kept.notes = (f"{kept.notes}\n\n[Merged incident #{other.pk}: {other.date}, {other.location}, "
                      f"{other.fatalities} fatalities] {other.notes}").strip()
        for earlier in Incident.objects.filter(merged_into=other):
            earlier.merged_into, earlier._history_user = kept, user
            earlier._change_reason = f"Merged into #{kept.pk} with #{other.pk}"
            earlier._skip_duplicate_check = True
            earlier.save(update_fields=["merged_into", "updated_at"])
        note = f"Merged #{other.pk} into this incident: {moved} evidence moved"
        if proposal is not None:  # the four-eyes merge: both people in the history
            note = f"Merged #{other.pk} (proposed by {proposal.proposed_by.get_username()}): {moved} evidence moved"
        note += f", better {' and '.join(taken)} precision taken" if taken else ""
        workflow.prepare_edit(kept, user, content_changed=True)
        kept._change_reason = (note + ("; back to review" if kept.status == Incident.Status.IN_REVIEW
                                       and kept.withdrawn_at else ""))[:100]
        kept._skip_duplicate_check = True
        save_checked(kept, kept.version)
        other.merged_into, other.withdrawn_at = kept, timezone.now()
        other._history_user = user
        other._change_reason = f"Merged into incident #{kept.pk}"
        other._skip_duplicate_check = True
        save_checked(other, other.version)
        merge_rule.done(kept, other)
    kept.refresh_from_db()
    return kept


@receiver(post_save, sender=Incident, dispatch_uid="incidents.coding.duplicates.warn")
def warn_about_duplicates(sender, instance, created, raw=False, **kwargs):
    """When an analyst saves an incident, tell them at once if it looks like one already coded.

    The request comes from simple_history's middleware, which keeps it for attributing history;
    without a request (imports, commands) nothing is checked here: find_duplicates covers those.
    """
    request = getattr(HistoricalRecords.context, "request", None)
    if raw or request is None or getattr(instance, "_skip_duplicate_check", False) or instance.merged_into_id:
        return
    # One check per incident per request: a page that saves it twice (the edit, then its workflow step)
    # warned twice (found by a newcomer session after "Save and submit for review").
    checked = request.__dict__.setdefault("_duplicate_checked", set())
    if instance.pk in checked or len(checked) >= MAX_WARNINGS_PER_REQUEST:
        return
    checked.add(instance.pk)
    candidates = visible_candidates(quick_candidates(instance) or [], getattr(request, "user", None))
    if candidates:
        url = reverse("assist-duplicates", args=[instance.pk])
        # The message is our catalogue's (trusted markup); the references and the address are filled in escaped.
        messages.warning(request, format_html(
            gettext("Incident {incident} may duplicate {others}: <a href=\"{url}\">compare and merge</a>."),
            incident=incident_ref(instance.pk), others=reader_list(incident_ref(c.incident.pk) for c in candidates[:5]),
            url=url), fail_silently=True)
