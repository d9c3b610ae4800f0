"""{% load work_queues %}: the admin home's links to "My work" and the review queue, with counts."""

from django import template

from incidents.review import workflow
from incidents.review.queues import proposals_to_decide, to_do, to_review

register = template.Library()


@register.inclusion_tag("incidents/review/summary.html")
def work_summary(user):
    """Links to the coding queues with how much waits in each, for the admin home page."""
    return {"to_do": to_do(user).count(),
            "to_review": to_review(user).count() if workflow.can_review(user) else None,
            "proposals": proposals_to_decide(user).count() if workflow.can_review(user) else None}
