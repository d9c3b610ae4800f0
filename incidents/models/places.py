"""Where: governorate, district and sub-district outlines, and the gazetteer of places."""

from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GinIndex
from django.db import connection
from django.db.models import Q
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from incidents.common.lists import ListArrayField
from incidents.common.lookalikes import plain_name
from incidents.common.typology import GeoPrecision
from incidents.models.history_baseline import record_bulk_change


class AdminArea(models.Model):
    class Level(models.IntegerChoices):
        GOVERNORATE = 1, "governorate"
        DISTRICT = 2, "district"
        SUB_DISTRICT = 3, "sub-district"

    level = models.PositiveSmallIntegerField(choices=Level)
    name = models.CharField(max_length=200)
    name_ar = models.CharField("Arabic name", max_length=200, blank=True)
    aliases = ListArrayField(models.CharField(max_length=200), default=list, blank=True,
                         help_text="Other spellings, e.g. ACLED's “Deir ez Zor”.")
    pcode = models.CharField("P-code", max_length=20, null=True, blank=True, unique=True)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    geom = models.MultiPolygonField(srid=4326)
    history = HistoricalRecords()  # the public map draws every outline: its changes are kept

    class Meta:
        verbose_name = pgettext_lazy("model", "admin area")
        verbose_name_plural = pgettext_lazy("model", "admin areas")
        ordering = ["level", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(level__in=[1, 2, 3]), name="adminarea_level_valid"),
        ]

    def __str__(self):
        # The reader's language: an Arabic page names the area in Arabic where we have the name (issue 17).
        return self.name_ar if self.name_ar and get_language() == "ar" else self.name


# The kind load_gazetteer gives GeoNames' populated places (the suggestions prefer them); stored in
# English, shown through the catalogue (PlaceAdmin.kind_shown).
POPULATED_PLACE = gettext_noop("populated place")


class PlaceQuerySet(models.QuerySet):
    def public(self):
        """The places the public may see (map labels, searches, filters, the four-eyes rule): listed
        ones (the gazetteer, the demo, every place from before migration 0025), and those an incident
        that was approved uses. A place an analyst adds in the admin is unlisted until then."""
        incident = self.model._meta.get_field("incidents").related_model
        used = incident.objects.public_or_returning().filter(place=models.OuterRef("pk"))
        return self.filter(models.Q(listed=True) | models.Exists(used))


class Place(models.Model):
    """A gazetteer entry: one place with every spelling reports use for it."""

    name = models.CharField(max_length=200, validators=[plain_name])
    variants = ListArrayField(models.CharField(max_length=200, validators=[plain_name]), default=list, blank=True,
                          help_text="Spellings and transliterations, e.g. Harabsh, Harbash.")
    name_ar = models.CharField("Arabic name", max_length=200, blank=True, validators=[plain_name])
    kind = models.CharField(max_length=40, blank=True, help_text="city, town, district, airbase, road…")
    point = models.PointField(srid=4326)
    geo_precision = models.PositiveSmallIntegerField(choices=GeoPrecision, default=GeoPrecision.EXACT)
    admin1 = models.ForeignKey(AdminArea, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    admin2 = models.ForeignKey(AdminArea, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    geonameid = models.PositiveIntegerField(null=True, blank=True, unique=True)
    listed = models.BooleanField(
        "listed publicly", default=True, editable=False,
        help_text="Loaded reference places are listed; one added in the admin is not, until an approved "
                  "incident uses it (Place.objects.public).")
    history = HistoricalRecords()  # the public map names every place: its changes are kept

    objects = PlaceQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("model", "place")
        verbose_name_plural = pgettext_lazy("model", "places")
        ordering = ["name"]
        indexes = [GinIndex(fields=["variants"], name="place_variants_gin")]

    def __str__(self):
        return self.name


# Point-in-polygon assignment of governorate, district and sub-district.
LEVEL_FIELDS = {1: "admin1_id", 2: "admin2_id", 3: "admin3_id"}


def areas_containing(point):
    """The smallest-known admin area of each level that covers the point, by level."""
    found = {}
    for area in AdminArea.objects.filter(geom__covers=point).only("id", "level").order_by("level", "id"):
        found.setdefault(area.level, area.id)
    return found


def fill_admin_areas(incident):
    """Derive admin areas from the point, keeping areas an analyst chose by hand.

    A new incident, or one whose point moved while its areas were left as they
    were, gets all three levels re-derived; otherwise only empty levels are filled.
    """
    if incident.point is None:
        return
    current = tuple(getattr(incident, f) for f in LEVEL_FIELDS.values())
    loaded = getattr(incident, "_loaded_geo", None)
    if loaded is None:
        rederive = not any(current)
    else:
        point_moved = loaded[0] is None or not loaded[0].equals_exact(incident.point, 1e-9)
        rederive = point_moved and current == loaded[1:]
    if not rederive and all(current):
        return
    found = areas_containing(incident.point)
    for level, field in LEVEL_FIELDS.items():
        if rederive or getattr(incident, field) is None:
            setattr(incident, field, found.get(level))


def assign_admin_areas(queryset):
    """Fill empty admin areas of many incidents in one SQL statement per level.

    Used after bulk loads (fixtures, imports) where save() is not called. Rows that keep history get a
    version with their areas (history_baseline.record_bulk_change), so as_of sees them too.
    """
    table = queryset.model._meta.db_table
    ids = list(queryset.values_list("id", flat=True))
    if not ids:
        return 0
    changed = set()
    with connection.cursor() as cursor:
        for level, field in LEVEL_FIELDS.items():
            cursor.execute(
                f"""
                UPDATE {table} AS i SET {field} = (
                    SELECT a.id FROM incidents_adminarea a
                    WHERE a.level = %s AND ST_Covers(a.geom, i.point)
                    ORDER BY a.id LIMIT 1)
                WHERE i.id = ANY(%s) AND i.{field} IS NULL
                RETURNING i.id
                """,
                [level, ids],
            )
            changed.update(pk for (pk,) in cursor.fetchall())
    # The UPDATE bypasses save(): without a version, as_of would show the rows without their areas.
    record_bulk_change(queryset.model, changed, "Admin areas from the point")
    return len(ids)
