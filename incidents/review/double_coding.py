"""Double coding in the workflow: marking articles, submitting a coding, pairing and comparing the two
codings, and settling each disagreement.

    coordinator marks ──▶ two analysts code, each seeing only their own incidents (models.double_coding
    .hidden_from) ──▶ each submits their coding ──▶ the second submission pairs and compares them
    ──▶ agreed units go to review at once; each disagreement waits for a reviewer (neither coder), who
    chooses A's incident, B's incident or none ──▶ the chosen incident is submitted for review and
    published only through the four-eyes workflow (incidents.review.workflow).
"""

import datetime
import random
import re
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents.common.reader_text import reader_list
from incidents.models import Article, CodedUnit, DoubleCoding, Evidence, Incident
from incidents.review import four_eyes, workflow
from incidents.review.agreement import DATE_WITHIN_DAYS, PLACE_WITHIN_KM, differences, distance_km

COORDINATE_PERMISSION = "incidents.coordinate_double_coding"
# Two incidents may be the same event when their dates are within PAIR_DAYS and either their points
# are within PAIR_KM or their event type is the same (wider than the agreement tolerances, so that
# a place or date disagreement is measured rather than turned into two lone incidents).
PAIR_DAYS = 7
PAIR_KM = 25.0
MAX_IDS = 500


class DoubleCodingError(Exception):
    """A step the rules refuse; `message` says why, in words for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def can_coordinate(user):
    return user.is_active and user.has_perm(COORDINATE_PERMISSION)


def parse_article_ids(text):
    """Article ids from "12, 15 17" → [12, 15, 17]; DoubleCodingError naming anything else."""
    tokens = [t for t in re.split(r"[\s,;]+", text or "") if t]
    bad = [t for t in tokens if not re.fullmatch(r"[0-9]{1,9}", t)]
    if bad:
        raise DoubleCodingError(_("Not article ids: %(ids)s. Give whole numbers separated by commas.")
                                % {"ids": reader_list(bad[:10])})
    if not tokens:
        raise DoubleCodingError(_("Give at least one article id."))
    if len(tokens) > MAX_IDS:
        raise DoubleCodingError(_("At most %(count)d articles at a time.") % {"count": MAX_IDS})
    return list(dict.fromkeys(int(t) for t in tokens))


def parse_percentage(text):
    """A sampling percentage from text: a number above 0 and at most 100; DoubleCodingError otherwise."""
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation:
        raise DoubleCodingError(_("“%(text)s” is not a number: give a percentage above 0 and at most 100.")
                                % {"text": text}) from None
    if not value.is_finite() or not 0 < value <= 100:
        raise DoubleCodingError(_("%(text)s is out of range: give a percentage above 0 and at most 100.")
                                % {"text": text})
    return value


def eligible_articles():
    """Articles that may be marked: not marked yet and with no incident coded from them (an article
    already coded would show one coding to the second coder)."""
    return Article.objects.exclude(double_coding__isnull=False).exclude(evidence__isnull=False)


def mark_articles(ids, user):
    """Mark the articles with these ids for double coding; all or nothing. Returns the DoubleCodings.

    Raises DoubleCodingError naming unknown ids, ids already marked and ids already coded.
    """
    if not can_coordinate(user):
        raise DoubleCodingError(_("Only coordinators and administrators may mark articles for double coding."))
    with transaction.atomic():
        found = set(Article.objects.select_for_update().filter(pk__in=ids).values_list("pk", flat=True))
        problems = []
        if unknown := [i for i in ids if i not in found]:
            problems.append(_("no article has id %(ids)s") % {"ids": reader_list(unknown)})
        if marked := sorted(DoubleCoding.objects.filter(article_id__in=ids).values_list("article_id", flat=True)):
            problems.append(_("already marked: %(ids)s") % {"ids": reader_list(marked)})
        coded = sorted(set(Evidence.objects.filter(article_id__in=ids).values_list("article_id", flat=True)))
        if coded:
            problems.append(_("already coded (incidents exist): %(ids)s") % {"ids": reader_list(coded)})
        if problems:
            raise DoubleCodingError(_("Nothing was marked: %(problems)s.") % {"problems": "; ".join(problems)})
        return [DoubleCoding.objects.create(article_id=i, marked_by=user) for i in ids]


def mark_sample(percentage, user, seed=None):
    """Mark a random `percentage` (0 < p ≤ 100, rounded to whole articles, at least one) of eligible_articles().

    Returns the DoubleCodings made; DoubleCodingError when the percentage is out of range or nothing
    is eligible. `seed` makes the draw repeatable (tests).
    """
    percentage = parse_percentage(percentage)
    ids = sorted(eligible_articles().values_list("pk", flat=True))
    if not ids:
        raise DoubleCodingError(_("No article is waiting to be coded: nothing to sample."))
    count = max(1, int((len(ids) * percentage / 100).to_integral_value()))
    return mark_articles(random.Random(seed).sample(ids, count), user)


def incidents_of(user, article):
    """`user`'s incidents coded from `article` (not merged into another)."""
    return (Incident.objects.filter(coder=user, evidence__article=article, merged_into__isnull=True)
            .select_related("actor1", "actor2").distinct().order_by("date", "pk"))


def frozen(incident):
    """What agreement compares of one incident, as submitted: JSON-ready, degrees WGS84, ISO date."""
    actors = sorted({a.name for a in (incident.actor1, incident.actor2) if a is not None})
    return {"id": incident.pk, "date": incident.date.isoformat(), "event_type": incident.event_type,
            "sub_event_type": incident.sub_event_type, "actors": actors, "location": incident.location,
            "lon": round(incident.point.x, 6), "lat": round(incident.point.y, 6), "fatalities": incident.fatalities}


def submit_coding(coding, user):
    """`user` submits their coding of the article: their incidents from it are frozen as coder A's or B's.
    The second submission compares the two (compare()). Returns the DoubleCoding.

    Raises DoubleCodingError if `user` may not code, already submitted, or two others submitted first.
    """
    if not workflow.can_submit(user):
        raise DoubleCodingError(_("Only analysts and reviewers may submit a coding."))
    with transaction.atomic():
        coding = DoubleCoding.objects.select_for_update().get(pk=coding.pk)
        if user.pk in (coding.coder_a_id, coding.coder_b_id):
            raise DoubleCodingError(_("You have already submitted your coding of this article."))
        if coding.coder_b_id is not None:
            raise DoubleCodingError(_("Two analysts have already coded this article."))
        snapshot = [frozen(incident) for incident in incidents_of(user, coding.article)]
        slot = "a" if coding.coder_a_id is None else "b"
        setattr(coding, f"coder_{slot}", user)
        setattr(coding, f"submitted_{slot}", timezone.now())
        setattr(coding, f"coding_{slot}", snapshot)
        coding.save()
        if slot == "b":
            compare(coding)
    return coding


def _pairable(a, b):
    days = abs(datetime.date.fromisoformat(a["date"]) - datetime.date.fromisoformat(b["date"])).days
    km = float(distance_km(a["lon"], a["lat"], b["lon"], b["lat"]))
    return days <= PAIR_DAYS and (km <= PAIR_KM or a["event_type"] == b["event_type"]), km, days


def pair(coding_a, coding_b):
    """Pair two codings of one article: [(a or None, b or None)], each incident in exactly one unit.

    Greedy best match: among pairable incidents (see PAIR_DAYS), the pair agreeing on most fields is
    taken first (ties: nearer, then closer in time, then lower ids), until no pairable pair is left;
    the rest are lone units. If neither coder coded anything, one unit (None, None).
    """
    candidates = []
    for a in coding_a:
        for b in coding_b:
            ok, km, days = _pairable(a, b)
            if ok:
                candidates.append((len(differences(a, b)), km, days, a["id"], b["id"], a, b))
    used_a, used_b, units = set(), set(), []
    for *_ignored, a, b in sorted(candidates, key=lambda c: c[:5]):
        if a["id"] not in used_a and b["id"] not in used_b:
            used_a.add(a["id"])
            used_b.add(b["id"])
            units.append((a, b))
    units += [(a, None) for a in coding_a if a["id"] not in used_a]
    units += [(None, b) for b in coding_b if b["id"] not in used_b]
    return units or [(None, None)]


def compare(coding):
    """Pair the two submitted codings into CodedUnits and mark the double coding compared (its incidents
    become visible). A unit with no difference is settled at once: coder A's incident goes to review
    (an empty unit settles as "no incident"); the others wait for a reviewer."""
    coding.compared_at = timezone.now()
    coding.save(update_fields=["compared_at"])
    existing = set(Incident.objects.filter(pk__in=[c["id"] for c in coding.coding_a + coding.coding_b])
                   .values_list("pk", flat=True))
    for a, b in pair(coding.coding_a, coding.coding_b):
        unit = CodedUnit.objects.create(
            double_coding=coding, coded_a=a, coded_b=b, differences=differences(a, b),
            incident_a_id=a["id"] if a and a["id"] in existing else None,
            incident_b_id=b["id"] if b and b["id"] in existing else None)
        if unit.agreed:
            _auto_settle(unit)


def _auto_settle(unit):
    """Both coders agree: A's incident is submitted as its coder's work (or "no incident" for an
    empty article). If that is refused (coder no longer active, say), a reviewer settles it."""
    try:
        with transaction.atomic():
            if unit.coded_a is None:
                _settle(unit, CodedUnit.Choice.NONE, None, None)
            else:
                _settle(unit, CodedUnit.Choice.A, None, unit.double_coding.coder_a)
    except (DoubleCodingError, workflow.WorkflowError):
        unit.refresh_from_db()


def settle(unit, choice, user):
    """A reviewer settles a unit: `choice` is "a", "b" or "none". The chosen incident is submitted for
    review (the four-eyes workflow publishes it); the other is marked merged into it.

    Raises DoubleCodingError: not a reviewer, one of the two coders or an account one of them made
    (four_eyes.second_person_refusal), already settled, unknown choice,
    or the chosen incident no longer exists.
    """
    if not workflow.can_review(user):
        raise DoubleCodingError(_("Only reviewers may settle disagreements."))
    coding = unit.double_coding
    why, _maker = four_eyes.second_person_refusal(
        user, {coding.coder_a_id, coding.coder_b_id},
        own=_("You coded this article, so another reviewer must settle its disagreements."))
    if why:
        raise DoubleCodingError(why)
    try:
        choice = CodedUnit.Choice(choice)
    except ValueError:
        raise DoubleCodingError(_("“%(choice)s” is not a choice: use a, b or none.") % {"choice": choice}) from None
    if choice == CodedUnit.Choice.OPEN:
        raise DoubleCodingError(_("Choose coder A's incident, coder B's incident or no incident."))
    try:
        with transaction.atomic():
            _settle(unit, choice, user, user)
    except workflow.WorkflowError as error:
        raise DoubleCodingError(_("Not settled: %(reason)s") % {"reason": error.message}) from None
    return unit


def _settle(unit, choice, settler, user):
    """Record `settler`'s choice (None: both coders agreed) and submit the chosen incident as `user`."""
    locked = CodedUnit.objects.select_for_update().select_related("double_coding").get(pk=unit.pk)
    if locked.chosen:
        raise DoubleCodingError(_("This difference is already settled."))
    if locked.double_coding.compared_at is None:
        raise DoubleCodingError(_("Both codings must be submitted before differences are settled."))
    locked.chosen, locked.settled_by, locked.settled_at = choice, settler, timezone.now()
    chosen = locked.chosen_incident
    if choice != CodedUnit.Choice.NONE and chosen is None:
        raise DoubleCodingError(_("That incident was deleted after it was submitted: choose another."))
    locked.save()
    if chosen is not None:
        other = locked.incident_b if choice == CodedUnit.Choice.A else locked.incident_a
        if other is not None:
            other.merged_into = chosen
            other._history_user = user
            other._change_reason = f"Double coding settled: incident #{chosen.pk} was chosen"
            other._skip_duplicate_check = True
            other.save()
        workflow.apply("submit", chosen, user)
    unit.refresh_from_db()


def open_units_for(user):
    """Units waiting for a reviewer that `user` may settle (neither of the article's coders)."""
    units = (CodedUnit.objects.filter(chosen=CodedUnit.Choice.OPEN, double_coding__compared_at__isnull=False)
             .exclude(double_coding__coder_a=user).exclude(double_coding__coder_b=user))
    if (maker := four_eyes.account_maker(user)) is not None:  # settle's account-maker rule
        units = units.exclude(double_coding__coder_a=maker).exclude(double_coding__coder_b=maker)
    return units
