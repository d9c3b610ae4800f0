"""Four-eyes for merges: no one person takes a published incident off the public site by merging it.

A merge withdraws both incidents: the merged-away one for good (its public link then leads to the
kept one), the kept one until a reviewer approves the result. When the public sees either of them
(Incident.objects.public_or_returning: published, or off the site only while a correction is reviewed),
the merge is the same kind of change as a deletion or a rename of a public record, so it follows the
rule of review.proposals: one reviewer proposes it (a ProposedMerge; nothing changes), and a second
reviewer, not the proposer nor an account the proposer made (four_eyes.second_person_refusal),
confirms it, which does the merge (coding.duplicates.merge). A confirmation applies only to the pair as
it was proposed (the incidents' versions). Merges of incidents the public does not see are done at once,
as before: the kept incident still needs a second person's approval to be published.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from incidents.common.reader_text import ltr_text, reader_list
from incidents.models import Incident, ProposedMerge
from incidents.review import four_eyes


def public_ones(*incidents):
    """The incidents of `incidents` the public sees now or when a correction is approved, in the order
    given (one query)."""
    seen = set(Incident.objects.public_or_returning().filter(pk__in=[i.pk for i in incidents])
               .values_list("pk", flat=True))
    return [i for i in incidents if i.pk in seen]


def pending(kept, other):
    """The ProposedMerge of `other` into `kept` made on the pair as it is now, or None (one made before
    either changed no longer counts: confirming it would merge what nobody proposed)."""
    return (ProposedMerge.objects.select_related("proposed_by")
            .filter(kept=kept.pk, other=other.pk, kept_version=kept.version, other_version=other.version).first())


def propose(kept, other, user):
    """Record `user`'s wish to merge `other` into `kept` (both as they are now); returns (proposal,
    created). A proposal on an older version of the pair is replaced."""
    current = pending(kept, other)
    if current is not None:
        return current, False
    proposal, _created = ProposedMerge.objects.update_or_create(
        kept=kept, other=other, defaults={"kept_version": kept.version, "other_version": other.version,
                                          "proposed_by": user})
    return proposal, True


def refusal(kept, other, user):
    """"" when `user` may merge `other` into `kept` now, else why not, in the reader's language.

    Call with both rows locked (inside the merge's transaction). Allowed when the public sees neither,
    or when another person (second_person_refusal) proposed this merge of the pair as it is now."""
    public = public_ones(kept, other)
    if not public:
        return ""
    refs = reader_list(ltr_text(i.public_id) for i in public)
    proposal = pending(kept, other)
    if proposal is None:
        return _("The public sees %(incidents)s: a merge would change what the public sees on one person's word, so "
                 "it waits for a second reviewer. Propose the merge; another reviewer confirms it (four-eyes rule).") % {
            "incidents": refs}
    why, _maker = four_eyes.second_person_refusal(
        user, {proposal.proposed_by_id},
        own=_("You proposed this merge, so another reviewer must confirm it (four-eyes rule)."))
    return why


def done(kept, other):
    """Forget the proposals a merge of `other` into `kept` settles or makes impossible: the pair's, and
    any other merge of `other`, which no longer exists on its own."""
    ProposedMerge.objects.filter(Q(kept=other.pk) | Q(other=other.pk)).delete()

