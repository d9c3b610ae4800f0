"""What waits for whom: an analyst's own work by status, and a reviewer's queue."""

from incidents.models import Incident
from incidents.review import workflow

Status = Incident.Status
# The tabs of "My work": key -> (label, statuses shown).
MY_WORK_SHOWS = {
    "todo": ("To do: drafts and rejected", [Status.DRAFT, Status.REJECTED]),
    "draft": ("Drafts", [Status.DRAFT]),
    "rejected": ("Rejected", [Status.REJECTED]),
    "in_review": ("Waiting for review", [Status.IN_REVIEW]),
    "approved": ("Approved", [Status.APPROVED]),
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
