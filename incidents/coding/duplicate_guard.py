"""No incident is published while it may duplicate one already published or in review, unless the
approving reviewer saw that incident and said it is a different event.

The rule (the one place it is decided; every approval goes through workflow.apply, which calls
`refusal`): a *holding* candidate is a likely duplicate (incidents.coding.duplicates: same event type,
overlapping dates, within 5 km, a shared actor, no "not a duplicate" answer yet) that is published or in
review and that the reviewer may see. A "not a duplicate" answer counts here only when it was given by
someone who did not code or edit either incident of the pair (workflow.contributors): an author cannot
clear the hold on their own work (`_unanswered`). An approval names the holding candidates it answers for
(`CONFIRM`, posted by the page that showed them); it is refused while any holding candidate is not
among them, and otherwise records "not a duplicate" (DuplicateDecision) for each, in the approval's
transaction, so the pair is never proposed again. Drafts are shown but do not hold an approval: they
are unfinished, and the same check runs when they are approved in turn.

The check has QUICK_CHECK_MS per statement. If the database takes longer the approval is refused (an
unchecked incident is never published) and the reviewer is asked to try again.

The rule reaches every approval through workflow.APPROVAL_RULES (registered when this module is
imported, from the app's ready()): the review package does not depend on coding.
"""

from django.utils.translation import gettext as _

from incidents.coding import duplicates
from incidents.common.reader_text import incident_ref_text, reader_list
from incidents.models import DuplicateDecision, Incident
from incidents.review import workflow

HOLDING_STATUSES = (Incident.Status.APPROVED, Incident.Status.IN_REVIEW)
DECIDE_PERMISSION = "incidents.add_duplicatedecision"


def holding(candidates):
    """The candidates (coding.duplicates.Candidate) that hold an approval: published or in review."""
    return [c for c in candidates if c.incident.status in HOLDING_STATUSES]


def _unanswered(found):
    """`found` ({incident id: [Candidate]}, answered pairs included) without the pairs whose "not a
    duplicate" answer counts: one given by someone who is not a contributor (workflow.contributors) of
    either incident, or whose account is gone."""
    ids = {pk for pk in found} | {c.incident.pk for candidates in found.values() for c in candidates}
    answers = {(a, b): by for a, b, by in DuplicateDecision.objects.filter(incident_a__in=ids, incident_b__in=ids)
               .values_list("incident_a_id", "incident_b_id", "decided_by_id")}
    if not answers:
        return found
    involved = {x for pair in answers for x in pair}
    incidents = {c.incident.pk: c.incident for candidates in found.values() for c in candidates}
    incidents.update({i.pk: i for i in Incident.objects.filter(pk__in=involved - set(incidents))})
    authors = workflow.contributors_of_many([incidents[pk] for pk in involved if pk in incidents])

    def counts(pk, other):
        pair = (min(pk, other), max(pk, other))
        if pair not in answers:
            return False
        by = answers[pair]
        return by is None or by not in authors.get(pk, set()) | authors.get(other, set())

    return {pk: [c for c in candidates if not counts(pk, c.incident.pk)] for pk, candidates in found.items()}


def holding_of_many(incidents, user):
    """{incident id: [Candidate]} of the holding candidates `user` may see, for a page that shows
    several incidents; None when the check took longer than QUICK_CHECK_MS."""
    found = _quick_unanswered(incidents)
    if found is None:
        return None
    return {pk: holding(duplicates.visible_candidates(candidates, user)) for pk, candidates in found.items()}


def _quick_unanswered(incidents):
    """{incident id: [Candidate]} of `incidents` without the pairs answered in a way that counts, read
    within the quick check's limit (the answers too); None when the database took longer."""
    return duplicates.quickly(lambda: _unanswered(duplicates.candidates_of_many(incidents, answered=True)))


def refusal(incident, user, not_duplicate_of=frozenset()):
    """"" when `user` may publish `incident` as far as duplicates go, having recorded "not a duplicate"
    for each holding candidate in `not_duplicate_of` (a set of incident ids); else why not, naming the
    candidates. Call inside the approval's transaction, after the other rules: the answers are
    recorded, or undone with it."""
    found = _quick_unanswered([incident])
    found = None if found is None else found.get(incident.pk, [])
    if found is None:
        return _("The check for duplicates took too long (the database is busy): nothing was decided. "
                 "Try again in a moment.")
    candidates = holding(duplicates.visible_candidates(found, user))
    unanswered = [c for c in candidates if c.incident.pk not in not_duplicate_of]
    if unanswered:
        return _("It may duplicate %(others)s, already published or in review: compare them first, and merge "
                 "them, or confirm “publish anyway: not a duplicate” for each. Nothing was decided.") % {
            "others": reader_list(incident_ref_text(c.incident.pk) for c in unanswered)}
    if candidates and not user.has_perm(DECIDE_PERMISSION):
        return _("It may duplicate %(others)s, and you may not mark incidents as different events: ask a "
                 "reviewer. Nothing was decided.") % {
            "others": reader_list(incident_ref_text(c.incident.pk) for c in candidates)}
    for candidate in candidates:  # an author's answer, if any, becomes this reviewer's
        decision = duplicates.remember_not_duplicate(incident, candidate.incident, user)
        if decision.decided_by_id != user.pk:
            decision.decided_by = user
            decision.save(update_fields=["decided_by"])
    return ""


workflow.APPROVAL_RULES.append(refusal)
