"""A proposed change to a record the public sees, waiting for a second reviewer (four-eyes).

The rules that decide who may propose, approve or reject, how values are stored and how an approved
change is applied live in incidents.review.proposals; this model holds the data and the invariants
the database itself enforces, so no code path (admin, shell, a future view) can break them:
- a decision names its decider and time, a pending proposal names neither;
- the decider is never the proposer (four-eyes), checked by PostgreSQL, not only by the view;
- a rejection gives its reason; a proposal changes at least one field.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ProposedChange(models.Model):
    """`changes` maps field names to {"before": value, "after": value}, values as
    incidents.review.proposals.serialize stores them (text, numbers, ISO dates, ids of related
    records, sorted id lists for many-to-many fields, hex EWKB for geometries, lists for arrays)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for a second reviewer")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=_("kind of record"))
    object_id = models.PositiveIntegerField(_("record id"))
    record_label = models.CharField(_("record"), max_length=300, help_text=_("The record's name when proposed."))
    changes = models.JSONField(_("changes"))
    note = models.TextField(_("note"), blank=True, max_length=2000)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("proposed by"))
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejecting"), blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "proposed change")
        verbose_name_plural = pgettext_lazy("model", "proposed changes")
        ordering = ["proposed_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"], condition=Q(status="pending"),
                                name="proposal_pending_record")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["pending", "approved", "rejected"]),
                                   name="proposal_status_valid"),
            # Four-eyes in the database: whoever proposed a change can never be the one who decides it.
            models.CheckConstraint(condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("proposed_by")),
                                   name="proposal_decider_not_proposer"),
            models.CheckConstraint(
                condition=(Q(status="pending", decided_by__isnull=True, decided_at__isnull=True)
                           | (~Q(status="pending") & Q(decided_by__isnull=False, decided_at__isnull=False))),
                name="proposal_decision_named"),
            models.CheckConstraint(condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                                   name="proposal_rejection_has_reason"),
            models.CheckConstraint(condition=~Q(changes={}), name="proposal_changes_something"),
        ]

    def __str__(self):
        return f"{self.content_type.name}: {self.record_label} (#{self.pk})"

    @property
    def record_model(self):
        return self.content_type.model_class()

    def record(self, lock=False):
        """The record as stored now (locked for update with lock=True), or None once deleted."""
        manager = self.record_model._base_manager
        return (manager.select_for_update() if lock else manager).filter(pk=self.object_id).first()
