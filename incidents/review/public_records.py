"""Four-eyes for the records published incidents show: only reviewers change what the public sees.

Published incidents show their actors (names and aliases), the articles and outlets of their
evidence, their place, and their admin areas; the public map also draws every place and every
admin-area outline. Of the two ways issue 13 offers, this project takes the second: a record the
public sees may be changed or deleted only by Reviewers or Administrators (the "review"
permission of incidents.review.workflow), and every change is kept in its history. An analyst
may still add new records and change ones no published incident shows; those reach the public
only through an incident that another person approves.
"""

from django.db.models import Q

from incidents.models import Actor, AdminArea, Article, Incident, Place, Source
from incidents.review.workflow import can_review

# How a published incident reaches each kind of record; Place and AdminArea are on the public map
# whether or not an incident cites them, so every one of them is public.
_CITED_BY = {
    Actor: lambda pk: Q(actor1=pk) | Q(actor2=pk) | Q(assoc_actors_1=pk) | Q(assoc_actors_2=pk),
    Article: lambda pk: Q(evidence__article=pk),
    Source: lambda pk: Q(evidence__article__source=pk),
}
ALWAYS_PUBLIC = (Place, AdminArea)
PUBLIC_RECORD_MODELS = (*_CITED_BY, *ALWAYS_PUBLIC)


def shown_publicly(record):
    """Whether the public sees `record` (an Actor, Article, Source, Place or AdminArea) now."""
    if isinstance(record, ALWAYS_PUBLIC):
        return record.pk is not None
    if record.pk is None:
        return False
    return Incident.objects.published().filter(_CITED_BY[type(record)](record.pk)).exists()


def may_change(user, record):
    """Whether `user` may change or delete `record` on their own word (None: the kind in general)."""
    if can_review(user):
        return True
    return record is not None and not shown_publicly(record)


REFUSAL = ("Only reviewers may change this: the public sees it (a published incident shows it, or the "
           "public map draws it). Ask a reviewer, who will see the change in its history.")
