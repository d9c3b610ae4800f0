"""The analyst workflow: the one place an incident's review status changes.

    draft ──submit──▶ in review ──approve──▶ approved ──(content edited)──▶ in review
                      in review ──reject───▶ rejected ──reopen──▶ draft
                                             rejected ──submit──▶ in review (corrected and sent back at once)

Rules, enforced here for admin actions, forms and any view or API:
- submitting needs the "submit" permission (Analyst, Reviewer, Administrator) and a source
  (an evidence quote or a source text); approving and rejecting need the "review" permission;
- four-eyes: nobody approves or rejects an incident they coded or edited since it was last
  approved — not the coder, and not whoever changed its content or evidence in this round —
  nor one such a person created their account for (four_eyes.second_person_refusal), nor (approving)
  one who changed a record it would make public (four_eyes.unpublished_edits_refusal); an
  approval applies only to what its page showed (four_eyes.shown), and never publishes a likely
  duplicate of an incident published or in review that the reviewer did not answer for
  (coding.duplicate_guard, through APPROVAL_RULES);
- a rejection needs a reason, which the coder sees until the incident is approved;
- editing an approved incident takes it off the public site (status back to in review,
  withdrawn_at set) so a published number never changes without a second look; editing a
  rejected incident returns it to draft, and it may be submitted again straight from rejected
  (the rejection reason stays on it until it is approved).

Every transition locks the row, re-reads it, bumps the version (so open edit forms notice)
and records who and why in the history.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from incidents.models import Evidence, Incident
from incidents.models.double_coding import CodedUnit, submit_hold
from incidents.models.incident import WORKFLOW_FIELDS as INCIDENT_WORKFLOW_FIELDS
from incidents.review import four_eyes
from incidents.review.locking import save_checked

Status = Incident.Status
SUBMIT_PERMISSION = "incidents.submit_incident"
REVIEW_PERMISSION = "incidents.review_incident"
# Fields only this module changes; edit forms can never set them (defined with the model: what a
# reviewer approves is every other field, incidents.review.four_eyes).
WORKFLOW_FIELDS = INCIDENT_WORKFLOW_FIELDS


class WorkflowError(Exception):
    """A transition the rules refuse. `message` says why, in words for the analyst."""

    def __init__(self, message, incident=None):
        super().__init__(message)
        self.message = message
        self.incident = incident


@dataclass(frozen=True)
class Transition:
    name: str
    label: str  # button text
    verb: str  # "approve" in "Only reviewers may approve incidents."
    done: str  # "approved" in "Approved 3 incidents"
    sources: tuple  # the statuses the step starts from
    target: str
    permission: str
    history_note: str
    four_eyes: bool = False
    needs_reason: bool = False


TRANSITIONS = {t.name: t for t in [
    Transition("submit", "Submit for review", "submit for review", "submitted for review",
               (Status.DRAFT, Status.REJECTED), Status.IN_REVIEW, SUBMIT_PERMISSION, "Submitted for review"),
    Transition("approve", "Approve and publish", "approve", "approved",
               (Status.IN_REVIEW,), Status.APPROVED, REVIEW_PERMISSION, "Approved and published", four_eyes=True),
    Transition("reject", "Reject", "reject", "rejected",
               (Status.IN_REVIEW,), Status.REJECTED, REVIEW_PERMISSION, "Rejected", four_eyes=True,
               needs_reason=True),
    Transition("reopen", "Return to draft", "return to draft", "returned to draft",
               (Status.REJECTED,), Status.DRAFT, SUBMIT_PERMISSION, "Returned to draft for revision"),
]}
# Rules other packages add to every approval, so that this package does not depend on them: each is
# rule(incident, user, not_duplicate_of=set of ids) -> "" or why not, called inside the approval's
# transaction after the rules above (coding.duplicate_guard: likely duplicates).
APPROVAL_RULES = []
ROLE_OF_PERMISSION = {SUBMIT_PERMISSION: "analysts and reviewers", REVIEW_PERMISSION: "reviewers"}


def can_submit(user):
    return user.is_active and user.has_perm(SUBMIT_PERMISSION)


def can_review(user):
    return user.is_active and user.has_perm(REVIEW_PERMISSION)


def transition(name):
    try:
        return TRANSITIONS[name]
    except KeyError:
        raise WorkflowError(f"“{name}” is not a workflow step; use one of: {', '.join(TRANSITIONS)}.") from None


def contributors(incident):
    """Ids of users whose work is in this version: the coder, everyone who changed the incident's
    content or evidence since it was last approved, and the reviewer who chose it when settling a
    double coding (the four-eyes rule's "you")."""
    return contributors_of_many([incident])[incident.pk]


def contributors_of_many(incidents, only_user=None):
    """contributors() for many incidents at once: {incident id: {user ids}}.

    With `only_user`, only that user's history records are diffed (enough to say whether they are
    among the contributors, and far cheaper: a diff of the associated actors costs queries).
    """
    by_pk = {incident.pk: incident for incident in incidents}
    records = defaultdict(list)
    for record in Incident.history.filter(id__in=by_pk).order_by("id", "-history_date", "-history_id"):
        records[record.id].append(record)
    evidence = defaultdict(list)
    for incident_id, when, user_id in Evidence.history.filter(incident_id__in=by_pk).values_list(
            "incident_id", "history_date", "history_user_id"):
        evidence[incident_id].append((when, user_id))
    # A reviewer who settled a double-coding difference chose these values: their choice is content.
    settlers = defaultdict(set)
    for a, b, chosen, settler in CodedUnit.objects.filter(
            Q(chosen=CodedUnit.Choice.A, incident_a__in=by_pk) | Q(chosen=CodedUnit.Choice.B, incident_b__in=by_pk),
            settled_by__isnull=False).values_list("incident_a_id", "incident_b_id", "chosen", "settled_by_id"):
        settlers[a if chosen == CodedUnit.Choice.A else b].add(settler)
    merged = _merged_in(by_pk, only_user)
    result = {}
    for pk, incident in by_pk.items():
        ids, last_approved = _content_authors(records[pk], only_user)
        ids.add(incident.coder_id)
        ids.update(settlers[pk])
        ids.update(user for when, user in evidence[pk] if last_approved is None or when > last_approved)
        ids.update(user for when, users in merged[pk] if None in (when, last_approved) or when > last_approved
                   for user in users)
        result[pk] = ids - {None}
    return result


def _merged_in(by_pk, only_user):
    """{incident id: [(moment merged, contributors of an incident merged into it)]}: a merge moves the
    other incident's evidence, dates and actors in, so its coder and editors count as the kept one's
    (found by an attacker session: a reviewer's own incident, merged by an analyst into one in review,
    was then approved by that reviewer alone)."""
    merged = defaultdict(list)
    others = {pk: kept for pk, kept in Incident.objects.filter(merged_into__in=by_pk).values_list("pk", "merged_into_id")}
    if not others:
        return merged
    moments = {}
    for pk, when in Incident.history.filter(id__in=others, merged_into__isnull=False).order_by(
            "id", "history_date").values_list("id", "history_date"):
        moments.setdefault(pk, when)  # the first record that names the kept incident: the merge
    contributions = contributors_of_many(list(Incident.objects.filter(pk__in=others)), only_user)
    for pk, kept in others.items():
        merged[kept].append((moments.get(pk), contributions.get(pk, set())))
    return merged


ASSOCIATED = ["assoc_actors_1", "assoc_actors_2"]


def _changed_content(newer, older):
    """Whether history record `newer` changed the incident's content (not its workflow state) from `older`;
    the associated actors (queries) are compared only when no plain field changed."""
    return bool(newer.diff_against(older, excluded_fields=[*WORKFLOW_FIELDS, *ASSOCIATED]).changes
                or newer.diff_against(older, included_fields=ASSOCIATED).changes)


def _content_authors(records, only_user=None):
    """(authors of content changes since the last approval, when that approval was) from history
    records newest first; with `only_user`, other users' records are not diffed."""
    ids, last_approved = set(), None
    for newer, older in zip(records, records[1:] + [None]):
        judged = only_user is None or newer.history_user_id == only_user
        left_publication = older is not None and older.status == Status.APPROVED and newer.status != Status.APPROVED
        if judged and (older is None or _changed_content(newer, older)):
            # A record that took the incident off the public site counts too if it changed content.
            ids.add(newer.history_user_id)
        if left_publication:
            last_approved = older.history_date
            break
    return ids, last_approved


def reviewable_by(user):
    """The incidents in review that `user` may approve or reject under the four-eyes rules of check().

    The same "you" as contributors(): not the coder, and not anyone who changed the incident's
    content or evidence since it was last approved; nor one who changed a record it would make
    public (four_eyes.unpublished_edits_refusals). Only incidents `user` has touched in their
    history can have them as a contributor; their histories are read together.
    """
    in_review = Incident.objects.filter(status=Status.IN_REVIEW)
    barred = _contributed_to(user.pk, in_review)
    if (maker := four_eyes.account_maker(user)) is not None:  # four_eyes.second_person_refusal's other half
        barred |= _contributed_to(maker.pk, in_review)
    # check()'s other approval rule: not one who changed a record it would make public (found by a
    # newcomer session: the queue offered such incidents, the approve button then refused).
    barred |= set(four_eyes.unpublished_edits_refusals(user, in_review.exclude(pk__in=barred)))
    return in_review.exclude(pk__in=barred)


def _contributed_to(user_id, in_review):
    """The ids of the incidents of `in_review` whose contributors() include user `user_id`."""
    touched = {*Incident.history.filter(history_user=user_id, id__in=in_review.values("pk"))
               .values_list("id", flat=True),
               *Evidence.history.filter(history_user=user_id, incident_id__in=in_review.values("pk"))
               .values_list("incident_id", flat=True)}
    # Barred without reading histories: the coder, and whoever created an incident never approved
    # since (an import into review, say). Only the rest of what they touched needs its history read.
    ever_approved = Incident.history.filter(id__in=touched, status=Status.APPROVED).values("id")
    created = set(Incident.history.filter(id__in=touched, history_type="+", history_user=user_id)
                  .exclude(id__in=ever_approved).values_list("id", flat=True))
    coded = set(in_review.filter(coder=user_id).values_list("pk", flat=True))
    found = contributors_of_many(in_review.filter(pk__in=touched - created - coded), only_user=user_id)
    return coded | created | {pk for pk, ids in found.items() if user_id in ids}


def has_source(incident):
    return bool(incident.source_text.strip()) or incident.evidence.exists()


def check(name, incident, user, reason=""):
    """Raise WorkflowError if `user` may not apply step `name` to `incident` as it is now."""
    step = transition(name)
    if not (user.is_active and user.has_perm(step.permission)):
        raise WorkflowError(f"Only {ROLE_OF_PERMISSION[step.permission]} may {step.verb} incidents.", incident)
    if incident.status not in step.sources:
        raise WorkflowError(f"It is {incident.get_status_display()}; only "
                            f"{' or '.join(str(Status(s).label) for s in step.sources)} incidents can be {step.done}.",
                            incident)
    if step.needs_reason and not (reason or "").strip():
        raise WorkflowError("A rejection needs a reason the coder can act on.", incident)
    if step.four_eyes:
        why, _maker = four_eyes.second_person_refusal(
            user, contributors(incident), own="You coded or edited this incident, so another reviewer must decide on "
                                              "it (four-eyes rule).")
        if why:
            raise WorkflowError(why, incident)
    if name == "approve" and (why := four_eyes.unpublished_edits_refusal(user, four_eyes.records_shown(incident))):
        raise WorkflowError(why, incident)
    if name == "submit" and not has_source(incident):
        raise WorkflowError("It has no evidence quote or source: add the article sentences it is coded from.",
                            incident)
    if name == "submit" and (hold := submit_hold(incident)):  # double coding (issue 19)
        raise WorkflowError(hold, incident)


def allowed(incident, user):
    """The steps `user` may take on `incident` now (for buttons); reasons are asked later."""
    names = []
    for name in TRANSITIONS:
        try:
            check(name, incident, user, reason="(asked when rejecting)")
        except WorkflowError:
            continue
        names.append(name)
    return names


def apply(name, incident, user, reason="", expected_version=None, seen=None, not_duplicate_of=frozenset()):
    """Take step `name` on `incident` for `user`, or raise WorkflowError and change nothing.

    Pass `expected_version` from a page the user read, so a decision is never taken on
    content that changed after they looked at it, and `seen` (four_eyes.shown, as the page
    sent it) so that an approval also refuses when a record the incident shows (an actor's
    name, the place's point, a quote) changed since. `not_duplicate_of`: ids of the likely
    duplicates the approving reviewer confirmed as different events (coding.duplicate_guard).
    Updates `incident` in place and returns it.
    """

    step = transition(name)
    with transaction.atomic():
        current = Incident.objects.select_for_update().get(pk=incident.pk)
        if expected_version is not None and current.version != int(expected_version):
            raise WorkflowError("It was changed since you opened it: reload it and check the changes first.",
                                incident)
        check(name, current, user, reason)
        if seen is not None and (stale := four_eyes.stale_refusal(seen, current)):
            raise WorkflowError(stale, incident)
        for rule in APPROVAL_RULES if name == "approve" else ():
            if held := rule(current, user, not_duplicate_of=set(not_duplicate_of)):
                raise WorkflowError(held, incident)
        note = step.history_note
        if name == "submit" and current.status == Status.REJECTED:
            note = "Submitted for review again after rejection"
        current.status = step.target
        if name == "submit":
            current.coder = current.coder or user
            current.reviewer = None
        elif name == "approve":
            current.reviewer = user
            current.published_at = timezone.now()
            current.withdrawn_at = None
        elif name == "reject":
            current.reviewer = user
            current.rejection_reason = reason.strip()
            note = f"Rejected: {current.rejection_reason}"
        current._history_user = user
        current._change_reason = note[:100]
        save_checked(current, current.version)
    incident.refresh_from_db()
    return incident


@dataclass
class BulkResult:
    done: list
    refused: list  # (incident, message)


def apply_to_many(name, incidents, user, reason="", seen_of=None, not_duplicate_of=None):
    """Take one step on each incident on its own; refusals are collected, not raised. With `seen_of`
    ({incident id: four_eyes.shown snapshot}), each is decided only on what its page showed, and one
    the page did not show is refused (four_eyes.NOTHING_SHOWN). `not_duplicate_of`: {incident id:
    ids of the likely duplicates confirmed as different events} (apply's argument, per incident)."""
    result = BulkResult([], [])
    for incident in incidents:
        seen = None if seen_of is None else seen_of.get(incident.pk, four_eyes.NOTHING_SHOWN)
        try:
            apply(name, incident, user, reason=reason, seen=seen,
                  not_duplicate_of=(not_duplicate_of or {}).get(incident.pk, frozenset()))
        except WorkflowError as error:
            result.refused.append((incident, error.message))
        else:
            result.done.append(incident)
    return result


def start_coding(incident, user):
    """A new incident coded by `user` starts as a draft, whatever a form or import said."""
    incident.status = Status.DRAFT
    incident.coder = incident.coder or user
    incident.reviewer = None
    incident.published_at = incident.withdrawn_at = None
    incident._history_user = user


def content_fields():
    return [f for f in Incident._meta.concrete_fields
            if f.editable and not f.primary_key and f.name not in WORKFLOW_FIELDS]


def content_differs(incident):
    """Whether `incident` differs from its stored row in anything but workflow state (m2m aside)."""
    fields = content_fields()
    stored = Incident.objects.filter(pk=incident.pk).values(*[f.attname for f in fields]).first()
    return stored is None or any(getattr(incident, f.attname) != stored[f.attname] for f in fields)


def prepare_edit(incident, user, content_changed):
    """Before saving edited content: keep the stored workflow state and apply the edit rules.

    Call inside the transaction that saves `incident`. An approved incident whose content
    changed goes back to review and off the public site; a rejected one returns to draft.
    """
    stored = Incident.objects.filter(pk=incident.pk).values(
        *[Incident._meta.get_field(f).attname for f in WORKFLOW_FIELDS]).get()
    for attname, value in stored.items():
        setattr(incident, attname, value)
    incident._history_user = user
    if not content_changed:
        return
    if incident.status == Status.APPROVED:
        incident.status = Status.IN_REVIEW
        incident.withdrawn_at = timezone.now()
        incident.reviewer = None
        incident._change_reason = "Edited after publication: withdrawn and sent back to review"
    elif incident.status == Status.REJECTED:
        incident.status = Status.DRAFT
        incident._change_reason = "Edited after rejection: returned to draft"


def record_related_edit(incident, user):
    """Evidence of `incident` was added, changed or removed: the same edit rules apply."""
    with transaction.atomic():
        current = Incident.objects.select_for_update().get(pk=incident.pk)
        if current.status in (Status.APPROVED, Status.REJECTED):
            prepare_edit(current, user, content_changed=True)
            save_checked(current, current.version)
    incident.refresh_from_db()
