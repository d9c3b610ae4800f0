"""Four-eyes for the records published incidents show: no one person changes what the public sees.

Published incidents show their actors (names and aliases), the articles and outlets of their
evidence, their place, and their admin areas; the public map also draws every admin-area outline
and names listed places (Place.objects.public). "Published" includes an incident an edit sent back
to review: it returns with what its records say then. Whoever may edit such a record (analysts: actors, articles, outlets;
Administrators also places and outlines) may propose a change to it: saving it stores the change
as a pending proposal (incidents.review.proposals) and the record, and so the public, keeps the
old values until a second reviewer, not the proposer, approves it; approval applies it through
the normal save, so the record's history names both people. A record the public sees is not
deleted from the admin by anyone (REFUSAL): a deletion would change what the public sees on one
person's word, and an incident that cites it would lose it. Records the public does not see yet
(an actor only drafts use) are saved and deleted directly; they reach the public only through an
incident that another person approves. The server operator's management commands
(load_boundaries, load_gazetteer, load_coding_dictionaries) are outside this rule.
"""

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from incidents.models import Actor, AdminArea, Article, Incident, Place, Source
from incidents.review import four_eyes
from incidents.review.workflow import can_review

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


def list_publicly(place, user, seen):
    """A second reviewer lists a place someone else added (it goes on the public lists before any incident
    uses it); returns "" when done, or why not (nothing changed). Four-eyes: never whoever added the place
    nor an account they created (four_eyes.second_person_refusal), nor whoever changed it since
    (four_eyes.unpublished_edits_refusal), and only the place as the page that
    offered it showed it: `seen` is that page's four_eyes.shown(place) (None: it showed none)."""
    with transaction.atomic():
        place = Place.objects.select_for_update().get(pk=place.pk)
        if place.listed:
            return ""
        added = place.history.order_by("history_date").first()
        adder = added.history_user if added is not None else None
        own = _("%(place)s: added by you, or you are not a reviewer; another reviewer must list it.") % {
            "place": place}
        if not can_review(user):
            return own
        why, _maker = four_eyes.second_person_refusal(user, {adder.pk} if adder else set(), own=own)
        if why:
            return why if why == own else f"{place}: {why}"
        if edited := four_eyes.unpublished_edits_refusal(user, [place]):
            return f"{place}: {edited}"
        if stale := four_eyes.stale_refusal(four_eyes.NOTHING_SHOWN if seen is None else seen, place):
            return f"{place}: {stale}"
        place.listed, place._history_user = True, user
        place._change_reason = (f"Listed publicly by {user.get_username()}, added by "
                                f"{adder.get_username() if adder else '?'}")[:100]
        place.save(update_fields=["listed"])
    return ""


def describe_place(place):
    """[(label, value)] of what the listing page shows of `place` (what four_eyes.shown(place) fingerprints)."""
    return [(_("Name"), place.name), (_("Arabic name"), place.name_ar or "—"),
            (_("Variants"), ", ".join(place.variants) or "—"), (_("Kind"), place.kind or "—"),
            (_("Point"), f"{place.point.y:.5f}, {place.point.x:.5f}"),
            (_("Precision"), place.get_geo_precision_display()),
            (_("Governorate"), str(place.admin1 or "—")), (_("District"), str(place.admin2 or "—")),
            (_("GeoNames id"), place.geonameid or "—")]


def may_delete_any(user):
    """Whether `user` is offered the bulk deletion of these records (it still refuses public rows)."""
    return can_review(user)


REFUSAL = gettext_lazy(
    "The public sees this record (a published incident shows it, or the public map draws it), so it cannot be "
    "deleted: that would change what the public sees on one person's word. Change it instead (a second "
    "reviewer approves the change), or ask the server's operator")
NOTICE = gettext_lazy("The public sees this record: a change you save waits for a second reviewer, and the "
                      "public sees the old values until then.")
ADDED_UNLISTED = gettext_lazy("The public does not see this new place until an incident that uses it is approved.")
AREAS_ARE_LOADED = gettext_lazy(
    "Governorates, districts and sub-districts are added only by the server's operator (load_boundaries): the "
    "public map draws every one at once. Ask the operator, or propose a change to an existing area.")
