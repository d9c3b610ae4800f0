"""The incident as coded (ACLED's fields plus our review state) and the evidence quotes it rests on."""

import re

from django.conf import settings
from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.db.models import Case, CharField, F, Q, Value, When
from django.db.models.functions import Cast, Coalesce, Concat
from django.db.models.lookups import GreaterThanOrEqual
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from incidents.common.lists import ListArrayField
from incidents.common.plausible_dates import implausible
from incidents.common.typology import (
    DISORDER_TYPES,
    SUB_EVENT_TYPE_MATCHES,
    EventType,
    GeoPrecision,
    SubEventType,
    TimePrecision,
    sub_event_type_problem,
)
from incidents.models.actors import Actor
from incidents.models.articles import Article
from incidents.models.places import AdminArea, Place, fill_admin_areas

# Our own incidents' public id is this prefix and the primary key (DZI42); synthetic demonstration
# incidents (issue 20) get their own prefix (DEMO42) so a cited id never passes for a real event;
# imported ones keep ACLED's event_id_cnty. Formatted and parsed only by the functions below.
PUBLIC_ID_PREFIX = "DZI"
DEMO_PUBLIC_ID_PREFIX = "DEMO"
_OWN_PUBLIC_ID = re.compile(rf"({PUBLIC_ID_PREFIX}|{DEMO_PUBLIC_ID_PREFIX})(\d{{1,18}})")
# The mark of a synthetic demonstration incident (manage.py load_demo_data): this tag in `tags`, so
# every export row shows it in ACLED's `tags` column. The one definition: DEMO (ORM) and demo_sql().
# Only load_demo_data adds it; an incident's own validation refuses adding or removing it by hand.
DEMO_TAG = "demo"
DEMO = Q(tags__contains=[DEMO_TAG])


def demo_sql(alias):
    """DEMO as an SQL condition over the incidents table aliased `alias`."""
    return f"({alias}.tags @> ARRAY['{DEMO_TAG}']::varchar(100)[])"


def format_public_id(event_id_cnty, pk, demo=False):
    """The id the public sees and cites: ACLED's event_id_cnty when imported, else DZI<pk>, or
    DEMO<pk> for a synthetic demonstration incident."""
    return event_id_cnty or f"{DEMO_PUBLIC_ID_PREFIX if demo else PUBLIC_ID_PREFIX}{pk}"


def public_id_sql(alias):
    """format_public_id as an SQL expression over the incidents table aliased `alias`."""
    return (f"COALESCE({alias}.event_id_cnty, CASE WHEN {demo_sql(alias)} THEN '{DEMO_PUBLIC_ID_PREFIX}' "
            f"ELSE '{PUBLIC_ID_PREFIX}' END || {alias}.id)")


def public_id_expression():
    """format_public_id as an ORM expression, for querysets of incidents."""
    prefix = Case(When(DEMO, then=Value(DEMO_PUBLIC_ID_PREFIX)), default=Value(PUBLIC_ID_PREFIX),
                  output_field=CharField())
    return Coalesce(F("event_id_cnty"), Concat(prefix, Cast("id", CharField())), output_field=CharField())


def own_pk_from_public_id(text):
    """The primary key in one of our own real incidents' public ids ("DZI42", any case), or None for
    anything else (a demonstration id DEMO42 included: see parse_own_public_id)."""
    found = parse_own_public_id(text)
    return found[0] if found and not found[1] else None


def parse_own_public_id(text):
    """(pk, is_demo) for one of our own public ids, DZI42 or DEMO42 (any case), else None."""
    # upper() first, as the search always did, not IGNORECASE, which would also let a dotted İ stand for I.
    found = _OWN_PUBLIC_ID.fullmatch(text.strip().upper())
    return (int(found.group(2)), found.group(1) == DEMO_PUBLIC_ID_PREFIX) if found else None


def own_public_id_lookup(text):
    """Q matching the incident one of our own public ids names (its pk and demo mark, so DZI42 never
    finds the demonstration incident DEMO42), or None when the text is not such an id."""
    found = parse_own_public_id(text)
    if not found:
        return None
    return Q(pk=found[0], event_id_cnty__isnull=True) & (DEMO if found[1] else ~DEMO)


def overlapping_dates(date_from=None, date_to=None):
    """Q for rows whose date or date window [date, date_end] overlaps [date_from, date_to].

    Either end may be None (open). Works on any model with `date` and `date_end` (incidents, and the
    timeline counts kept on write), so a date filter means the same wherever it is applied: an
    incident on an unknown day within a window matches any range the window touches.
    """
    conditions = Q()
    if date_from is not None:
        conditions &= Q(GreaterThanOrEqual(Coalesce("date_end", "date"), date_from))
    if date_to is not None:
        conditions &= Q(date__lte=date_to)
    return conditions


class ReviewStatus(models.TextChoices):
    """Where an incident is in review; only incidents.review.workflow moves it (Incident.Status)."""

    DRAFT = "draft", _("draft")
    IN_REVIEW = "in_review", _("in review")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


# What the public may see: approved, and not merged into another incident. The one definition:
# Incident.objects.published() and the partial indexes below take it from here; migrations
# 0008/0009 keep the SQL they were run with.
# An incident's review state, changed only by incidents.review.workflow (edit forms never set it); the
# other editable fields are its content, what a reviewer approves.
WORKFLOW_FIELDS = ["status", "coder", "reviewer", "rejection_reason", "published_at", "withdrawn_at"]
PUBLISHED = Q(status=ReviewStatus.APPROVED, merged_into__isnull=True)
# Published, or published before and off the site only while it is reviewed again (an edit sent it
# back; it returns when approved): what such an incident shows is still public for the four-eyes rule
# on records (incidents.review.public_records). Merged incidents are withdrawn for good.
PUBLIC_OR_RETURNING = PUBLISHED | Q(published_at__isnull=False, merged_into__isnull=True)


class IncidentQuerySet(models.QuerySet):
    def published(self):
        """The only queryset public views, exports and counts may start from."""
        return self.filter(PUBLISHED)

    def public_or_returning(self):
        """Published incidents and those off the site only for re-review (PUBLIC_OR_RETURNING)."""
        return self.filter(PUBLIC_OR_RETURNING)


class Incident(models.Model):
    Status = ReviewStatus

    event_id_cnty = models.CharField(_("ACLED event id"), max_length=40, null=True, blank=True, unique=True)
    date = models.DateField(_("date"), help_text=_("The day, or the first day of the window the incident lies in."))
    date_end = models.DateField(_("date end"), null=True, blank=True,
                                help_text=_("Last day of a multi-day event or window."))
    time_precision = models.PositiveSmallIntegerField(_("time precision"), choices=TimePrecision, default=TimePrecision.DAY)
    event_type = models.CharField(_("event type"), max_length=40, choices=EventType)
    sub_event_type = models.CharField(_("sub event type"), max_length=60, choices=SubEventType)
    actor1 = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="incidents_as_actor1",
                               verbose_name=_("actor 1"))
    assoc_actors_1 = models.ManyToManyField(Actor, blank=True, related_name="incidents_assoc_1",
                                            verbose_name=_("associated actors of actor 1"))
    actor2 = models.ForeignKey(Actor, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="incidents_as_actor2", verbose_name=_("actor 2"))
    assoc_actors_2 = models.ManyToManyField(Actor, blank=True, related_name="incidents_assoc_2",
                                            verbose_name=_("associated actors of actor 2"))
    place = models.ForeignKey(Place, on_delete=models.SET_NULL, null=True, blank=True, related_name="incidents",
                              verbose_name=_("place"))
    location = models.CharField(_("location"), max_length=200, help_text=_("Place name as coded."))
    point = models.PointField(_("point"), srid=4326)
    geo_precision = models.PositiveSmallIntegerField(_("geo precision"), choices=GeoPrecision, default=GeoPrecision.EXACT)
    admin1 = models.ForeignKey(AdminArea, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="incidents_admin1", verbose_name=_("governorate"),
                               limit_choices_to={"level": 1})
    admin2 = models.ForeignKey(AdminArea, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="incidents_admin2", verbose_name=_("district"),
                               limit_choices_to={"level": 2})
    admin3 = models.ForeignKey(AdminArea, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="incidents_admin3", verbose_name=_("sub-district"),
                               limit_choices_to={"level": 3})
    # What an imported file (ACLED) called the areas, exported as given; forgotten when the place changes.
    admin1_name = models.CharField(_("governorate as the source names it"), max_length=200, blank=True)
    admin2_name = models.CharField(_("district as the source names it"), max_length=200, blank=True)
    admin3_name = models.CharField(_("sub-district as the source names it"), max_length=200, blank=True)
    fatalities = models.IntegerField(_("fatalities (best estimate)"), default=0)
    fatalities_low = models.IntegerField(_("fatalities low"), null=True, blank=True)
    fatalities_high = models.IntegerField(_("fatalities high"), null=True, blank=True)
    injured = models.IntegerField(_("injured"), null=True, blank=True)
    civilian_targeting = models.BooleanField(_("civilian targeting"), default=False)
    notes = models.TextField(_("summary"), blank=True)
    tags = ListArrayField(models.CharField(max_length=100), default=list, blank=True, verbose_name=_("tags"))
    source_text = models.TextField(_("source text"), blank=True,
                                   help_text=_("Sources as given in an imported file (ACLED 'source')."))
    source_scale = models.CharField(_("source scale"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    coder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="coded_incidents", verbose_name=_("coder"))
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="reviewed_incidents", verbose_name=_("reviewer"))
    rejection_reason = models.TextField(_("rejection reason"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False,
                                        help_text=_("When an approved incident was unpublished or merged."))
    merged_into = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="merged_from", verbose_name=_("merged into"))
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)  # optimistic locking
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)
    history = HistoricalRecords(m2m_fields=[assoc_actors_1, assoc_actors_2])

    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("model", "incident")
        verbose_name_plural = pgettext_lazy("model", "incidents")
        ordering = ["-date", "-id"]
        # Checked by incidents.review.workflow, the one place status changes.
        permissions = [("submit_incident", "Can submit incidents for review"),
                       ("review_incident", "Can approve or reject incidents coded by others")]
        indexes = [
            # The model's order: the admin's first page reads 100 entries instead of sorting every incident
            # (docs/PERFORMANCE.md, Admin and the public table).
            models.Index(fields=["date", "id"], name="incident_date_id"),
            models.Index(fields=["status", "date"], name="incident_status_date"),
            models.Index(fields=["status", "event_type", "date"], name="incident_status_type_date"),
            # Published incidents only, covering what counts and the timeline read: index-only scans
            # instead of heap visits (docs/PERFORMANCE.md, Admin and the public table).
            models.Index(fields=["event_type", "date"], include=["date_end", "time_precision", "fatalities"],
                         condition=PUBLISHED, name="incident_published_type_date"),
            models.Index(fields=["date"], include=["date_end", "event_type", "time_precision", "fatalities"],
                         condition=PUBLISHED, name="incident_published_date"),
            # The public table's "most fatalities first" (read backwards).
            models.Index(fields=["fatalities", "date", "id"], condition=PUBLISHED,
                         name="incident_published_fatalities"),
            # "Is there any demonstration incident?" (the banner) and removing them: a tiny index.
            models.Index(fields=["id"], condition=DEMO, name="incident_demo"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(fatalities__gte=0), name="fatalities_not_negative",
                                   violation_error_message="Fatalities cannot be negative."),
            models.CheckConstraint(condition=Q(fatalities_low__isnull=True) | Q(fatalities_low__gte=0)
                                   & Q(fatalities_low__lte=F("fatalities")), name="fatalities_low_in_range",
                                   violation_error_message="Low fatalities must be between 0 and the best estimate."),
            models.CheckConstraint(condition=Q(fatalities_high__isnull=True) | Q(fatalities_high__gte=F("fatalities")),
                                   name="fatalities_high_in_range",
                                   violation_error_message="High fatalities must be at least the best estimate."),
            models.CheckConstraint(condition=Q(injured__isnull=True) | Q(injured__gte=0), name="injured_not_negative",
                                   violation_error_message="Injured cannot be negative."),
            models.CheckConstraint(condition=Q(date_end__isnull=True) | Q(date_end__gte=F("date")),
                                   name="date_end_not_before_date",
                                   violation_error_message="The end date cannot be before the date."),
            models.CheckConstraint(
                condition=SUB_EVENT_TYPE_MATCHES,
                name="sub_event_type_matches_event_type",
                violation_error_message="This sub-event type does not belong to the event type."),
            # Actor 2 may equal actor 1: ACLED codes infighting and clashes between two unidentified
            # groups that way ("Unidentified Armed Group (Syria)" on both sides, 232 of its 5,000 rows here).
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.sub_event_type} at {self.location}"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Remember where the point and areas were, so a moved point re-derives its areas.
        instance._loaded_geo = (instance.__dict__.get("point"), instance.__dict__.get("admin1_id"),
                                instance.__dict__.get("admin2_id"), instance.__dict__.get("admin3_id"))
        instance._loaded_demo = DEMO_TAG in (instance.__dict__.get("tags") or [])
        return instance

    def get_absolute_url(self):
        return reverse("incident-detail", args=[self.pk])

    @property
    def disorder_type(self):
        return DISORDER_TYPES.get(self.event_type, "")

    @property
    def public_id(self):
        return format_public_id(self.event_id_cnty, self.pk, self.is_demo)

    @property
    def withdrawal_reason(self):
        """Why a once-published incident is off the site (the withdrawn list's `reason`, the page at its
        link): "merged" into another; "under review", taken off while a correction waits for a second
        reviewer (it comes back, perhaps with other figures); else "unpublished". None while published
        or never published."""
        if not (self.published_at and self.withdrawn_at):
            return None
        if self.merged_into_id:
            return "merged"
        if self.status in (self.Status.IN_REVIEW, self.Status.DRAFT):
            return "under review"
        return "unpublished"

    @property
    def is_demo(self):
        """A synthetic demonstration incident (DEMO_TAG), not a real event."""
        return DEMO_TAG in (self.tags or [])

    def clean(self):
        errors = {}
        if problem := sub_event_type_problem(self.event_type, self.sub_event_type):
            errors["sub_event_type"] = problem
        for field in ("fatalities", "fatalities_low", "fatalities_high", "injured"):
            value = getattr(self, field)
            if value is not None and value < 0:
                errors[field] = "Cannot be negative."
        if self.fatalities is not None and self.fatalities >= 0:
            if self.fatalities_low is not None and self.fatalities_low > self.fatalities:
                errors.setdefault("fatalities_low", "Cannot be more than the best estimate.")
            if self.fatalities_high is not None and self.fatalities_high < self.fatalities:
                errors.setdefault("fatalities_high", "Cannot be less than the best estimate.")
        if self.date and self.date_end and self.date_end < self.date:
            errors["date_end"] = "Cannot be before the date."
        for field in ("date", "date_end"):  # the plausible range (issue 15 point 5), one rule for all inputs
            if problem := implausible(getattr(self, field)):
                errors.setdefault(field, problem)
        if self.time_precision == TimePrecision.UNKNOWN and not self.date_end:
            errors["date_end"] = "An unknown date needs the last day of the window it lies in."
        if self.is_demo != getattr(self, "_loaded_demo", False):  # only load_demo_data marks (issue 20)
            errors["tags"] = gettext("The “%(tag)s” tag marks synthetic demonstration data: it cannot be added "
                                     "or removed by hand.") % {"tag": DEMO_TAG}
        if self.point is not None and not (-180 <= self.point.x <= 180 and -90 <= self.point.y <= 90):
            errors["point"] = "Longitude must be within ±180 and latitude within ±90."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # Administrative areas follow the point unless the analyst set them.
        self._forget_source_area_names_if_moved()
        fill_admin_areas(self)
        if not self._state.adding:
            # Every save is a new version, so open edit forms notice it (incidents.review.locking).
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)

    def _forget_source_area_names_if_moved(self):
        """Area names copied from a file describe the imported point and areas, nothing else."""
        loaded = getattr(self, "_loaded_geo", None)
        if loaded is None or loaded[0] is None:
            return
        moved = self.point is None or not loaded[0].equals_exact(self.point, 1e-9)
        if moved or loaded[1:] != (self.admin1_id, self.admin2_id, self.admin3_id):
            self.admin1_name = self.admin2_name = self.admin3_name = ""


class Evidence(models.Model):
    """The sentence(s) of an article that support an incident."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="evidence",
                                 verbose_name=_("incident"))
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="evidence",
                                verbose_name=_("article"))
    quote = models.TextField(_("quote"), help_text=_("The exact words of the article that support the incident."))
    start = models.PositiveIntegerField(_("start"), null=True, blank=True, help_text=_("Character offset of the quote."))
    end = models.PositiveIntegerField(_("end"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = pgettext_lazy("model", "evidence")
        verbose_name_plural = pgettext_lazy("model", "evidence")
        ordering = ["incident", "start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(start__isnull=True, end__isnull=True) | Q(start__lt=F("end")),
                                   name="evidence_offsets_ordered",
                                   violation_error_message="The quote must end after it starts."),
            models.UniqueConstraint(fields=["incident", "article", "start", "end"], name="evidence_unique_span"),
        ]

    def __str__(self):
        return f"“{self.quote[:60]}…” ({self.article})"

    def clean(self):
        if not self.article_id or not self.quote:
            return
        text = self.article.text
        if self.start is not None and self.end is not None:
            if text[self.start:self.end] != self.quote:
                raise ValidationError({"quote": "The quote does not match the article text at the given offsets."})
            return
        position = text.find(self.quote)
        if position < 0:
            raise ValidationError({"quote": "The quote is not found in the article text."})
        self.start, self.end = position, position + len(self.quote)


