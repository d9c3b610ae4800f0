"""Counts PostgreSQL keeps current on write, so public pages need not re-read a million incidents.

- DataVersion: one number that grows at the commit of any transaction that changed what the public
  can see (incidents, their actors, evidence, articles, outlets, places, areas). Public responses are
  cached under it (see incidents/public/cache.py), so a published change is on every page at once.
- TimelineMonthCount: the same per month bar (migration 0030), for the unfiltered timeline by month.
- ActorCount: how many published incidents name each actor (either side or associated), so the
  public actor list is a lookup, not a scan of every incident.
- TimelineCount / AreaTimelineCount: published incidents and fatalities per (day, window end,
  date precision, event type), overall and per governorate and district: the timeline reads these
  tens of thousands of rows instead of every incident.
- MapCellCount: published incidents, fatalities and coordinate sums per fine map grid cell and event
  type (migration 0028): the unfiltered map's clusters read a few thousand cells (public/map_cells.py).

Triggers (migration 0008) write them; no Python code path can forget to. The
count tables hold signed deltas (+1 when an incident becomes published, -1 when it stops), summed
when read: writers only ever INSERT, so two analysts publishing at once never wait for or deadlock
on the same row. `manage.py compact_counts` folds the deltas together.
"""

from django.db import models
from django.db.models import Q

from incidents.common.typology import EventType, TimePrecision


class DataVersion(models.Model):
    """A single row (id 1): bumped by deferred triggers when a transaction that touched public data commits."""

    value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="data_version_single_row")]

    def __str__(self):
        return f"data version {self.value}"


class TimelineCountBase(models.Model):
    date = models.DateField()
    date_end = models.DateField(null=True)
    time_precision = models.PositiveSmallIntegerField(choices=TimePrecision.choices)
    event_type = models.CharField(max_length=40, choices=EventType.choices)
    incidents = models.IntegerField(help_text="Signed: +1 for each incident published, -1 for each withdrawn.")
    fatalities = models.BigIntegerField()

    class Meta:
        abstract = True


class TimelineCount(TimelineCountBase):
    """Published incidents per (day, window end, precision, event type), all governorates together."""

    class Meta:
        indexes = [models.Index(fields=["date"], name="timeline_count_date")]


class AreaTimelineCount(TimelineCountBase):
    """The same per governorate and per district: an incident counts once under its governorate and
    once under its district (area ids are unique across levels)."""

    # No foreign key: the trigger writes here inside analysts' transactions; an FK check would add a lock.
    area_id = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["area_id", "date"], name="area_timeline_date")]


class TimelineMonthCount(models.Model):
    """Published incidents per month bar of the timeline with no date filter, event type and date
    precision: signed deltas written by triggers (migration 0030), summed when read
    (incidents/public/timeline_counts.month_rows). An incident whose last day lies past its month
    also keys on that day (`last_day`, it stretches the axis) and, for an approximate window, on its
    first day (`window_start`, the windows the timeline lists)."""

    month = models.DateField()
    event_type = models.CharField(max_length=40)
    time_precision = models.PositiveSmallIntegerField()
    window_start = models.DateField(null=True)
    last_day = models.DateField(null=True)
    incidents = models.IntegerField()
    fatalities = models.BigIntegerField()


class ActorCount(models.Model):
    """Published incidents naming an actor, in any role: signed deltas, summed when read."""

    actor_id = models.IntegerField()  # no foreign key, as above
    incidents = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["actor_id"], name="actor_count_actor")]


class MapCellCount(models.Model):
    """Published incidents, fatalities and the sums of their coordinates per fine map grid cell
    (floor(longitude / cell), floor(latitude / cell), cell = mapdata.Viewport(zoom=FINE_ZOOM).cell_size)
    and event type: signed deltas like the timeline's, written by triggers (migration 0028), summed
    when read (incidents/public/map_cells.py). Coarser zooms' cells are whole blocks of these."""

    cell_x = models.IntegerField()
    cell_y = models.IntegerField()
    event_type = models.CharField(max_length=40)
    incidents = models.IntegerField()
    fatalities = models.BigIntegerField()
    sum_x = models.FloatField(help_text="Sum of the longitudes (degrees), for the cluster's mean position.")
    sum_y = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["cell_x", "cell_y"], name="map_cell_xy")]
