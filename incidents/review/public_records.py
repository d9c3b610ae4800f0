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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from incidents.models import Place
from incidents.review import four_eyes
# What the public sees of each kind of record: one definition, named here too for callers of this module.
from incidents.review.public_reach import ALWAYS_PUBLIC, PUBLIC_RECORD_MODELS, shown_publicly  # noqa: F401
from incidents.review.workflow import can_review

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
