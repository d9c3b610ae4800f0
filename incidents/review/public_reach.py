"""Which records the public sees: the one definition the four-eyes rule (review.four_eyes) and the
public records' saves (review.public_records) both use. Models only, so neither imports the other."""

from django.db.models import Q

from incidents.models import Actor, AdminArea, Article, Incident, Place, Source

# How a published incident reaches each kind of record. "Published" includes an incident off the
# site only while it is reviewed again (Incident.objects.public_or_returning): it comes back with
# whatever its records say then. Every AdminArea is on the public map and in the district filter;
# a Place is public when Place.objects.public() says so (listed, or an approved incident uses it).
_CITED_BY = {
    Actor: lambda pk: Q(actor1=pk) | Q(actor2=pk) | Q(assoc_actors_1=pk) | Q(assoc_actors_2=pk),
    Article: lambda pk: Q(evidence__article=pk),
    Source: lambda pk: Q(evidence__article__source=pk),
}
ALWAYS_PUBLIC = (AdminArea,)
PUBLIC_RECORD_MODELS = (*_CITED_BY, Place, *ALWAYS_PUBLIC)


def shown_publicly(record):
    """Whether the public sees `record` (an Actor, Article, Source, Place or AdminArea), now or when
    an incident withdrawn for re-review comes back: the one definition the four-eyes rule uses."""
    if record.pk is None:
        return False
    if isinstance(record, ALWAYS_PUBLIC):
        return True
    if isinstance(record, Place):
        return Place.objects.public().filter(pk=record.pk).exists()
    return Incident.objects.public_or_returning().filter(_CITED_BY[type(record)](record.pk)).exists()
