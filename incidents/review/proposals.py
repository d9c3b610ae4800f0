"""Proposed changes to records the public sees: stored by one person, applied only by a second reviewer.

- `same_value`, `changed_values(original, after)` and `propose(record, after, user, note)`: what an
  edit would change, stored as a pending ProposedChange; the record itself is not touched.
- `check_decider(user, proposal)`: who may approve or reject (a reviewer allowed to change that kind
  of record, not the proposer nor an account the proposer made: four_eyes.second_person_refusal); the
  database repeats the "not the proposer" part as a CHECK.
- `approve(proposal, user)`: applies the change through the record's normal save() (so its history
  and the triggers that recompute export lines and counts run as for any edit), or raises
  ProposalRefused and applies nothing (not allowed, already decided, record deleted or changed since
  the proposal, or the new values no longer valid). `reject(proposal, user, reason)`.

Values are stored in JSON by `serialize` (see ProposedChange and incidents.review.values) and read back
by `deserialize`. Who may decide and "the record changed since" are the rules every second-person
decision shares (incidents.review.four_eyes).
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import ManyToManyField
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents.models.proposals import ProposedChange
from incidents.review import four_eyes
# The stored values' format lives in values (shared with the decision pages' record of what they showed);
# named here too because the admin reads them as proposals.serialize and so on.
from incidents.review.values import PRIVATE_FIELDS, deserialize, field_label, proposable_fields, same_value, \
    serialize, serialize_value  # noqa: F401
from incidents.review.workflow import can_review

Status = ProposedChange.Status


class ProposalRefused(Exception):
    """A proposal or a decision the rules refuse; `message` says why, in the user's language."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def waiting_message():
    return _("Your change is waiting for a second reviewer; the public still sees the old value.")


def changed_values(original, after):
    """{name: {"before", "after"}} for the fields whose serialized value in `after` (name -> serialized
    value) differs from the stored `original` record's."""
    changes = {}
    for name, value in after.items():
        before = serialize(original._meta.get_field(name), original)
        if before != value:
            changes[name] = {"before": before, "after": value}
    return changes


def propose(record, after, user, note=""):
    """Store a pending proposal to give `record` the values `after` (field name -> serialized value).

    Returns the ProposedChange, or None when nothing would change. Raises ProposalRefused for a field
    that does not wait for review (the caller saves those itself)."""
    original = type(record)._base_manager.get(pk=record.pk)
    allowed = {f.name for f in proposable_fields(type(record))}
    if unknown := sorted(set(after) - allowed):
        raise ProposalRefused(_("These fields cannot be proposed: %(names)s.") % {"names": ", ".join(unknown)})
    changes = changed_values(original, after)
    if not changes:
        return None
    return ProposedChange.objects.create(
        content_type=ContentType.objects.get_for_model(type(record)), object_id=record.pk,
        record_label=str(original)[:300], changes=changes, note=(note or "").strip(), proposed_by=user)


def check_decider(user, proposal):
    """Raise ProposalRefused unless `user` may approve or reject `proposal`: an active reviewer who may
    change that kind of record, other than the proposer (four-eyes), deciding a pending proposal.
    Returns who made `user`'s account (account_maker), or None, for the decision's history."""
    model = proposal.record_model
    if not (can_review(user) and user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}")):
        raise ProposalRefused(_("Only reviewers who may change %(kind)s can approve or reject changes to them.")
                              % {"kind": model._meta.verbose_name_plural})
    why, maker = four_eyes.second_person_refusal(
        user, {proposal.proposed_by_id},
        own=_("You proposed this change, so another reviewer must decide on it (four-eyes rule)."))
    if why:
        raise ProposalRefused(why)
    if proposal.status != Status.PENDING:
        raise ProposalRefused(_("This change was already decided (%(decision)s).")
                              % {"decision": proposal.get_status_display()})
    return maker


def may_decide(user, proposal):
    try:
        check_decider(user, proposal)
    except ProposalRefused:
        return False
    return True


def stale_fields(proposal, record):
    """The names of the fields `record` no longer holds the proposal's "before" value of: what the proposer
    and the reviewer saw (the decision pages' comparison, four_eyes.fields_changed)."""
    return four_eyes.fields_changed(
        {name: four_eyes.fingerprint(change["before"]) for name, change in proposal.changes.items()}, record)


def approve(proposal, user):
    """Apply `proposal` for reviewer `user` and mark it approved; returns the saved record.

    Raises ProposalRefused, applying nothing, when `check_decider` refuses, the record was deleted or
    changed since (naming the fields), or the new values are no longer valid (naming the field)."""
    with transaction.atomic():
        proposal = ProposedChange.objects.select_for_update().get(pk=proposal.pk)
        maker = check_decider(user, proposal)
        record = proposal.record(lock=True)
        if record is None:
            raise ProposalRefused(_("The record was deleted since this change was proposed."))
        if stale := stale_fields(proposal, record):
            raise ProposalRefused(
                _("The record was changed since this change was proposed (%(fields)s): nothing was applied. "
                  "Reject this proposal and propose the change again on the record as it is now.")
                % {"fields": ", ".join(field_label(record._meta.get_field(name)) for name in stale)})
        many = {}
        for name, change in proposal.changes.items():
            field = record._meta.get_field(name)
            if isinstance(field, ManyToManyField):
                many[field] = change["after"]
            else:
                setattr(record, field.attname, deserialize(field, change["after"]))
        try:
            record.full_clean(exclude=[f.name for f in record._meta.fields if not f.editable])
        except ValidationError as error:
            problems = "; ".join(f"{_field_label_of(record, name)}: {' '.join(texts)}"
                                 for name, texts in error.message_dict.items())
            raise ProposalRefused(_("The proposed values are no longer valid: %(errors)s")
                                  % {"errors": problems}) from error
        record._history_user = user
        # Both people in the history: who proposed and who approved (history reasons hold 100 characters).
        # Stored in English like the workflow's history notes: history is data, read in any language.
        record._change_reason = (f"Proposed by {proposal.proposed_by.get_username()}, "
                                 f"approved by {user.get_username()}"
                                 + (f" (account made by {maker.get_username()})" if maker else ""))[:100]
        record.save()
        for field, ids in many.items():
            getattr(record, field.name).set(ids)
        proposal.status, proposal.decided_by, proposal.decided_at = Status.APPROVED, user, timezone.now()
        proposal.save(update_fields=["status", "decided_by", "decided_at"])
    return record


def reject(proposal, user, reason):
    """Mark `proposal` rejected by `user` with `reason`; raises ProposalRefused (nothing saved) when
    `check_decider` refuses or the reason is empty."""
    if not (reason or "").strip():
        raise ProposalRefused(_("A rejection needs a reason the proposer can act on."))
    with transaction.atomic():
        proposal = ProposedChange.objects.select_for_update().get(pk=proposal.pk)
        check_decider(user, proposal)
        proposal.status, proposal.decided_by, proposal.decided_at = Status.REJECTED, user, timezone.now()
        proposal.rejection_reason = reason.strip()
        proposal.save(update_fields=["status", "decided_by", "decided_at", "rejection_reason"])
    return proposal


def _field_label_of(record, name):
    try:
        return field_label(record._meta.get_field(name))
    except FieldDoesNotExist:  # NON_FIELD_ERRORS ("__all__"): not a field
        return _("record")


def pending():
    return ProposedChange.objects.filter(status=Status.PENDING)


def decidable_by(user):
    """Pending proposals `user` may decide: those of the kinds of records they may change, not their own."""
    if not can_review(user):
        return ProposedChange.objects.none()
    kinds = [ct.pk for ct in ContentType.objects.filter(app_label="incidents")
             if user.has_perm(f"incidents.change_{ct.model}")]
    found = pending().filter(content_type__in=kinds).exclude(proposed_by=user)
    if (maker := four_eyes.account_maker(user)) is not None:  # check_decider's account-maker rule
        found = found.exclude(proposed_by=maker)
    return found


def visible_to(user, queryset):
    """The proposals of `queryset` that `user` may see: all for reviewers, their own for analysts (how
    many others wait, and for what, is not theirs to know)."""
    return queryset if can_review(user) else queryset.filter(proposed_by=user)


def pending_for_record(record):
    return pending().filter(content_type=ContentType.objects.get_for_model(type(record)), object_id=record.pk)
