"""Actors as ACLED names them, with the aliases reports use and the side (parent chain) they belong to."""

from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GinIndex
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from incidents.common.lists import ListArrayField
from incidents.common.lookalikes import plain_name
from incidents.common.typology import ActorCategory


class Actor(models.Model):
    name = models.CharField(max_length=300, unique=True, validators=[plain_name])
    aliases = ListArrayField(models.CharField(max_length=200, validators=[plain_name]), default=list, blank=True,
                         help_text="Other names used in reports, comma separated (e.g. ISIS, IS, Daesh).")
    category = models.PositiveSmallIntegerField(choices=ActorCategory, help_text="ACLED actor category (inter code).")
    parent = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children")
    demo = models.BooleanField(default=False, editable=False, help_text="Made for synthetic demonstration data.")
    history = HistoricalRecords()

    class Meta:
        verbose_name = pgettext_lazy("model", "actor")
        verbose_name_plural = pgettext_lazy("model", "actors")
        ordering = ["name"]
        indexes = [GinIndex(fields=["aliases"], name="actor_aliases_gin")]

    def __str__(self):
        return self.name


def side_of(actor_id, parent_of):
    """An actor's side: the root of its parent chain (the Republican Guard -> Syrian military).

    `parent_of` maps the ids of the actors known to their parent's id (or None). The chain ends at
    an actor without a parent, at a parent that is not known, or where it would loop. Returns an id.
    """
    seen = set()
    while (parent := parent_of.get(actor_id)) and parent in parent_of and actor_id not in seen:
        seen.add(actor_id)
        actor_id = parent
    return actor_id
