"""What analysts teach the assisted coding: event rules, and pairs they judged not to be duplicates."""

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import F, Q
from django.utils.translation import pgettext_lazy

from incidents.common.lists import ListArrayField
from incidents.common.typology import SUB_EVENT_TYPE_MATCHES, EventType, SubEventType
from incidents.models.incident import Incident


class EventRule(models.Model):
    """An editable rule for assisted coding: words in a sentence suggest an event type."""

    keywords = ListArrayField(models.CharField(max_length=100),
                          help_text="Any of these words or phrases (case-insensitive) triggers the rule.")
    event_type = models.CharField(max_length=40, choices=EventType)
    sub_event_type = models.CharField(max_length=60, choices=SubEventType)
    priority = models.PositiveSmallIntegerField(default=50, help_text="Higher wins when several rules match.")
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "event rule")
        verbose_name_plural = pgettext_lazy("model", "event rules")
        ordering = ["-priority", "id"]
        constraints = [
            models.CheckConstraint(
                condition=SUB_EVENT_TYPE_MATCHES,
                name="eventrule_sub_event_type_matches"),
        ]

    def __str__(self):
        return f"{', '.join(self.keywords)} → {self.sub_event_type}"


class DuplicateDecision(models.Model):
    """An analyst's answer that two incidents are not the same event, remembered."""

    incident_a = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="+")
    incident_b = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "duplicate decision")
        verbose_name_plural = pgettext_lazy("model", "duplicate decisions")
        constraints = [
            models.CheckConstraint(condition=Q(incident_a__lt=F("incident_b")), name="duplicate_pair_ordered"),
            models.UniqueConstraint(fields=["incident_a", "incident_b"], name="duplicate_pair_unique"),
        ]


class ProposedMerge(models.Model):
    """A merge one reviewer asked for that touches an incident the public sees, waiting for a second
    reviewer to confirm it (incidents.coding.merge_rule): until then both incidents stay as they are.

    `kept_version` and `other_version` are the incidents' versions when it was proposed: a confirmation
    applies only to the pair as the proposer saw it. The row is deleted when the merge is done."""

    kept = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="+")
    kept_version = models.PositiveIntegerField()
    other_version = models.PositiveIntegerField()
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "proposed merge")
        verbose_name_plural = pgettext_lazy("model", "proposed merges")
        constraints = [
            models.CheckConstraint(condition=~Q(kept=F("other")), name="proposed_merge_two_incidents"),
            models.UniqueConstraint(fields=["kept", "other"], name="proposed_merge_pair_unique"),
        ]


class RejectedActorForm(models.Model):
    """A learned surface form an analyst rejected for an actor ("the" is no name of the SDF).

    The learned suggestions never use `surface` as a form of `actor` again: the next training
    leaves it out (actor_forms.ActorForms) and the suggestions skip it in the model already
    trained (learned.LearnedModel.predict_all). `surface` is written as the model writes forms:
    words joined by one space, lower case except acronyms ("regime forces", "SDF").
    """

    actor = models.ForeignKey("incidents.Actor", on_delete=models.CASCADE, related_name="rejected_forms")
    surface = models.CharField(max_length=200)
    rejected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    related_name="+")
    rejected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "rejected learned form")
        verbose_name_plural = pgettext_lazy("model", "rejected learned forms")
        ordering = ["actor", "surface"]
        constraints = [models.UniqueConstraint(fields=["actor", "surface"], name="rejectedactorform_once")]

    def __str__(self):
        return f"{self.surface} ≠ {self.actor}"

    @classmethod
    def pairs(cls):
        """{(surface, actor name)} of every rejection: what training and suggestions leave out."""
        return set(cls.objects.values_list("surface", "actor__name"))
