"""What waits for whom: an analyst's own work by status, and a reviewer's queue."""

from django.utils.translation import gettext_lazy as _

from incidents.models import Incident
from incidents.review import four_eyes, proposals, workflow

Status = Incident.Status
# The tabs of "My work": key -> (label, statuses shown).
MY_WORK_SHOWS = {
    "todo": (_("To do: drafts and rejected"), [Status.DRAFT, Status.REJECTED]),
    "draft": (_("Drafts"), [Status.DRAFT]),
    "rejected": (_("Rejected"), [Status.REJECTED]),
    "in_review": (_("Waiting for review"), [Status.IN_REVIEW]),
    "approved": (_("Approved"), [Status.APPROVED]),
}


def to_do(user):
    """An analyst's incidents waiting for them: drafts and rejected ones."""
    return Incident.objects.filter(coder=user, status__in=MY_WORK_SHOWS["todo"][1])


def to_review(user):
    """Incidents in review that `user` may decide on: the workflow's four-eyes rule decides."""
    return workflow.reviewable_by(user)


def waiting_for_another_reviewer(user):
    """Incidents in review that `user` coded or edited, so another reviewer must decide on them."""
    return Incident.objects.filter(status=Status.IN_REVIEW).exclude(pk__in=to_review(user).values("pk"))


def held_by_your_edits(user):
    """[(incident, why)]: incidents in review `user` may not approve because they changed a record the
    incident would make public (four_eyes.unpublished_edits_refusal), oldest change first, with the reason."""
    waiting = Incident.objects.filter(status=Status.IN_REVIEW)
    refused = four_eyes.unpublished_edits_refusals(user, waiting)
    return [(incident, refused[incident.pk]) for incident in waiting.filter(pk__in=refused).order_by("updated_at", "pk")]


def proposals_to_decide(user):
    """Proposed changes to records the public sees that `user` may approve or reject (not their own)."""
    return proposals.decidable_by(user)
