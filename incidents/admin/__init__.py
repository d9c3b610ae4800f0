"""The analysts' admin: every model registered, with review buttons, import preview and safe autocomplete."""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext, gettext_lazy
from leaflet.admin import LeafletGeoAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from incidents.admin.autocomplete import SafeAutocompleteMixin, SafeSelectionMixin
from incidents.admin.double_coding import DoubleCodingPrivacyMixin, NewRecordPrivacyMixin
from incidents.admin.history import HumanHistoryMixin
from incidents.admin.import_export import IncidentImportExportMixin
from incidents.admin.incident_map import PlaceFactsMixin, incident_map_config
from incidents.admin.labels import TranslatedLabelsMixin
from incidents.admin.learned_aliases import LearnedAliasesMixin
from incidents.admin.public_records import AddedUnlistedMixin, LoadedOnlyMixin, PublicRecordAdminMixin
from incidents.admin import proposals as _proposals  # noqa: F401 (registers the proposals' admin)
from incidents.admin.spelling_search import SafeSearchMixin, SpellingSearchMixin, safe_term
from incidents.coding.suggest.lexicon import KEYWORD_SYNTAX
from incidents.common.dates import ADMIN_OVERRIDES, MOMENT_OVERRIDES
from incidents.models import (
    Actor,
    AdminArea,
    Article,
    DuplicateDecision,
    EventRule,
    Evidence,
    Incident,
    Place,
    Source,
)
from incidents.public.filters import incidents_matching_words
from incidents.review.admin import EvidenceEditsMixin, EvidenceInlineMixin, IncidentWorkflowMixin

admin.site.site_header = gettext_lazy("Deir ez-Zor Incidents: analysts")
admin.site.site_title = gettext_lazy("Deir ez-Zor Incidents")
admin.site.index_title = gettext_lazy("Coding and review")


@admin.register(Source)
class SourceAdmin(SafeSelectionMixin, HumanHistoryMixin, SafeSearchMixin, PublicRecordAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "url", "language"]
    search_fields = ["name"]


def evidence_inline(layout, other_end, extra):
    """An evidence inline (the quotes, with their offsets) on the page of an article or an incident;
    `other_end` is the field naming what each quote links to from there."""
    return type(f"Evidence{layout.__name__}", (SafeAutocompleteMixin, EvidenceInlineMixin, layout), {
        "model": Evidence, "extra": extra, "autocomplete_fields": [other_end],
        "fields": [other_end, "quote", "start", "end"], "__module__": __name__})


EvidenceInline = evidence_inline(admin.TabularInline, "incident", extra=0)


@admin.register(Article)
class ArticleAdmin(TranslatedLabelsMixin, SafeSelectionMixin, HumanHistoryMixin, SafeSearchMixin, PublicRecordAdminMixin,
                   EvidenceEditsMixin,
                   SimpleHistoryAdmin):
    list_display = ["title", "source", "published_on", "coding_status", "created_at"]
    list_filter = ["coding_status", "source", "language"]
    list_select_related = ["source"]
    search_fields = ["title", "text", "url"]
    date_hierarchy = "published_on"
    # The one day input and the one time input (common.dates): ISO, any digits, UTC.
    formfield_overrides = {models.DateField: ADMIN_OVERRIDES, models.DateTimeField: MOMENT_OVERRIDES}
    readonly_fields = ["content_hash", "created_at"]
    inlines = [EvidenceInline]


@admin.register(Actor)
class ActorAdmin(NewRecordPrivacyMixin, SafeSelectionMixin, HumanHistoryMixin, SpellingSearchMixin, PublicRecordAdminMixin,
                 LearnedAliasesMixin, SafeAutocompleteMixin, SimpleHistoryAdmin):
    list_display = ["name", "category", "parent"]
    list_filter = ["category"]
    list_select_related = ["parent"]
    search_fields = ["name", "aliases"]
    spelling_fields = ["name", "aliases"]
    autocomplete_fields = ["parent"]


@admin.register(AdminArea)
class AdminAreaAdmin(SafeSelectionMixin, HumanHistoryMixin, SpellingSearchMixin, LoadedOnlyMixin, PublicRecordAdminMixin,
                     LeafletGeoAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "level", "pcode", "parent"]
    list_filter = ["level"]
    list_select_related = ["parent"]
    search_fields = ["name", "name_ar", "pcode", "aliases"]
    spelling_fields = ["name", "name_ar", "aliases", "pcode"]


@admin.register(Place)
class PlaceAdmin(NewRecordPrivacyMixin, SafeSelectionMixin, HumanHistoryMixin, PlaceFactsMixin, SpellingSearchMixin,
                 AddedUnlistedMixin, PublicRecordAdminMixin, SafeAutocompleteMixin, LeafletGeoAdminMixin,
                 SimpleHistoryAdmin):
    list_display = ["name", "kind_shown", "admin1", "admin2", "geo_precision", "listed"]
    list_filter = ["kind", "admin1"]
    list_select_related = ["admin1", "admin2"]
    search_fields = ["name", "name_ar", "variants"]
    spelling_fields = ["name", "name_ar", "variants"]
    autocomplete_fields = ["admin1", "admin2"]

    @admin.display(description=gettext_lazy("kind"), ordering="kind")
    def kind_shown(self, place):
        # The kinds our loaders write ("populated place", load_gazetteer) are in the catalogue; a kind an
        # analyst typed shows as typed.
        return gettext(place.kind) if place.kind else ""


class IncidentEvidenceInline(TranslatedLabelsMixin, evidence_inline(admin.StackedInline, "article", extra=1)):
    """The incident's evidence, with labels in the analyst's language."""


@admin.register(Incident)
class IncidentAdmin(TranslatedLabelsMixin, DoubleCodingPrivacyMixin, SafeSelectionMixin, HumanHistoryMixin,
                    SafeAutocompleteMixin,
                    IncidentImportExportMixin, IncidentWorkflowMixin, LeafletGeoAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "date", "event_type", "actor1", "actor2", "admin1", "fatalities", "status", "coder"]
    list_filter = ["status", "event_type", "admin1", "time_precision", "geo_precision", "date"]
    list_select_related = ["actor1", "actor2", "admin1", "coder"]
    # Shows the search box; get_search_results below does the searching over these and both actors.
    search_fields = ["notes", "location", "actor1__name", "actor2__name", "actor1__aliases", "event_id_cnty"]
    date_hierarchy = "date"
    # The one day input and the one time input (common.dates): ISO, any digits, UTC.
    formfield_overrides = {models.DateField: ADMIN_OVERRIDES, models.DateTimeField: MOMENT_OVERRIDES}
    autocomplete_fields = ["actor1", "actor2", "assoc_actors_1", "assoc_actors_2", "place", "admin1", "admin2",
                           "admin3"]
    readonly_fields = ["version", "published_at", "withdrawn_at", "created_at", "updated_at"]
    inlines = [IncidentEvidenceInline]
    fieldsets = [
        ("When", {"fields": [("date", "date_end", "time_precision")]}),
        ("What", {"fields": [("event_type", "sub_event_type"), "civilian_targeting", "tags"]}),
        ("Who", {"fields": [("actor1", "assoc_actors_1"), ("actor2", "assoc_actors_2")]}),
        ("Where", {"fields": ["place", "location", "point", "coordinates", "geo_precision",
                              ("admin1", "admin2", "admin3")],
                   "description": "Choose a place to fill the point, location, precision, governorate and "
                                  "district; then move the point on the map or type its coordinates if you "
                                  "know better. Governorate and district are filled from the point unless "
                                  "you choose them."}),
        ("Fatalities", {"fields": [("fatalities", "fatalities_low", "fatalities_high", "injured")]}),
        ("Summary", {"fields": ["notes", "source_text", "source_scale", "event_id_cnty"]}),
        ("Review", {"fields": ["status", "coder", "reviewer", "rejection_reason", "merged_into", "version",
                               "published_at", "withdrawn_at", "created_at", "updated_at"]}),
    ]
    raw_id_fields = ["merged_into"]

    def get_queryset(self, request):
        # The changelist joins each row's governorate: not its outline (kilobytes per row).
        return super().get_queryset(request).defer("admin1__geom")

    def get_search_results(self, request, queryset, search_term):
        # The dashboard's word search, written for the indexes: Django's default OR across joined
        # columns reads every incident (docs/PERFORMANCE.md, Text search).
        search_term = safe_term(search_term)
        if not search_term.strip():
            return queryset, False
        return incidents_matching_words(queryset, search_term, public_places=False), False

    def render_change_form(self, request, context, *args, **kwargs):
        return super().render_change_form(request, {**context, "map_config": incident_map_config()}, *args, **kwargs)

    def view_on_site(self, obj):
        # Only published incidents have a public page: for others the button would lead to a 404.
        return obj.get_absolute_url() if Incident.objects.published().filter(pk=obj.pk).exists() else None


@admin.register(Evidence)
class EvidenceAdmin(DoubleCodingPrivacyMixin, SafeSelectionMixin, HumanHistoryMixin, SafeSearchMixin,
                    SafeAutocompleteMixin, EvidenceEditsMixin, SimpleHistoryAdmin):
    list_display = ["incident", "article", "quote"]
    list_select_related = ["incident", "article"]
    search_fields = ["quote", "article__title"]
    autocomplete_fields = ["incident", "article"]


@admin.register(EventRule)
class EventRuleAdmin(TranslatedLabelsMixin, SafeSelectionMixin, admin.ModelAdmin):
    list_display = ["__str__", "event_type", "sub_event_type", "priority", "active"]
    list_filter = ["event_type", "active"]

    def get_form(self, request, obj=None, **kwargs):
        # Analysts write these rules: tell them which keyword forms the suggestions understand.
        kwargs["help_texts"] = {"keywords": KEYWORD_SYNTAX}
        return super().get_form(request, obj, **kwargs)


@admin.register(DuplicateDecision)
class DuplicateDecisionAdmin(SafeSelectionMixin, admin.ModelAdmin):
    list_display = ["incident_a", "incident_b", "decided_by", "decided_at"]
    list_select_related = ["incident_a", "incident_b", "decided_by"]


# The same for the admins of the other apps (users, groups, login attempts) registered before these.
for _model, _model_admin in list(admin.site._registry.items()):
    if not isinstance(_model_admin, SafeSelectionMixin):
        admin.site.unregister(_model)
        admin.site.register(_model, type(f"Safe{type(_model_admin).__name__}",
                                         (SafeSelectionMixin, type(_model_admin)), {"__module__": __name__}))
