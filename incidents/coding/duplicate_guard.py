"""No incident is published while it may duplicate one already published or in review, unless the
approving reviewer saw that incident and said it is a different event.

The rule (the one place it is decided; every approval goes through workflow.apply, which calls
`refusal`): a *holding* candidate is a likely duplicate (incidents.coding.duplicates: same event type,
overlapping dates, within 5 km, a shared actor, no "not a duplicate" answer yet) that is published or in
review and that the reviewer may see. An approval names the holding candidates it answers for
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
from incidents.models import Incident
from incidents.review import workflow

HOLDING_STATUSES = (Incident.Status.APPROVED, Incident.Status.IN_REVIEW)
DECIDE_PERMISSION = "incidents.add_duplicatedecision"


def holding(candidates):
    """The candidates (coding.duplicates.Candidate) that hold an approval: published or in review."""
    return [c for c in candidates if c.incident.status in HOLDING_STATUSES]


def holding_of_many(incidents, user):
    """{incident id: [Candidate]} of the holding candidates `user` may see, for a page that shows
    several incidents; None when the check took longer than QUICK_CHECK_MS."""
    found = duplicates.quick_candidates_of_many(incidents)
    if found is None:
        return None
    return {pk: holding(duplicates.visible_candidates(candidates, user)) for pk, candidates in found.items()}


def refusal(incident, user, not_duplicate_of=frozenset()):
    """"" when `user` may publish `incident` as far as duplicates go, having recorded "not a duplicate"
    for each holding candidate in `not_duplicate_of` (a set of incident ids); else why not, naming the
    candidates. Call inside the approval's transaction, after the other rules: the answers are
    recorded, or undone with it."""
    found = duplicates.quick_candidates(incident)
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
    for candidate in candidates:
        duplicates.remember_not_duplicate(incident, candidate.incident, user)
    return ""


workflow.APPROVAL_RULES.append(refusal)
