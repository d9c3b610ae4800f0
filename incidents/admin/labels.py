"""The admin's field labels, help texts and section titles in the analyst's language.

Labels come from the models' verbose names (English, ACLED's terms) and from our forms; rather than
touching every model, the admin forms translate each label and help text through the catalogue when
they are built, so an Arabic admin shows Arabic labels and an English one exactly what it showed
before. LABELS below lists them for makemessages (generated from the forms: see docs/ARABIC.md).
"""

from django.utils.translation import gettext, gettext_noop


def _translated(text):
    return gettext(str(text)) if text else text


def with_translated_labels(form):
    """A subclass of the form class `form` whose fields' labels and help texts go through gettext
    when a form is made (so in the language of the request that makes it)."""

    class TranslatedForm(form):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            for field in self.fields.values():
                field.label = _translated(field.label)
                field.help_text = _translated(field.help_text)

    TranslatedForm.__name__ = form.__name__
    TranslatedForm.__qualname__ = form.__qualname__
    return TranslatedForm


class TranslatedLabelsMixin:
    """ModelAdmin mixin: form labels, help texts, fieldset titles and descriptions through gettext."""

    def get_form(self, request, obj=None, **kwargs):
        return with_translated_labels(super().get_form(request, obj, **kwargs))

    def get_formset(self, request, obj=None, **kwargs):
        """Inlines (the incident's evidence): the same, for each form of the formset."""
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = with_translated_labels(formset.form)
        return formset

    def get_fieldsets(self, request, obj=None):
        return [(_translated(name), {**options, **({"description": _translated(options["description"])}
                                                  if options.get("description") else {})})
                for name, options in super().get_fieldsets(request, obj)]


LABELS = [
    gettext_noop("When"),
    gettext_noop("What"),
    gettext_noop("Who"),
    gettext_noop("Where"),
    gettext_noop("Choose a place to fill the point, location, precision, governorate and district; then move the point on the map or type its coordinates if you know better. Governorate and district are filled from the point unless you choose them."),
    gettext_noop("Fatalities"),
    gettext_noop("Summary"),
    gettext_noop("Review"),
    gettext_noop("Date"),
    gettext_noop("The day, or the first day of the window the incident lies in."),
    gettext_noop("Date end"),
    gettext_noop("Last day of a multi-day event or window."),
    gettext_noop("Time precision"),
    gettext_noop("Event type"),
    gettext_noop("Sub event type"),
    gettext_noop("Civilian targeting"),
    gettext_noop("Tags"),
    gettext_noop("Actor1"),
    gettext_noop("Associated actors of actor 1"),
    gettext_noop("Actor2"),
    gettext_noop("Associated actors of actor 2"),
    gettext_noop("Place"),
    gettext_noop("Location"),
    gettext_noop("Place name as coded."),
    gettext_noop("Point"),
    gettext_noop("Coordinates"),
    gettext_noop("Latitude first: decimal degrees (35.3333, 40.1333) or degrees-minutes-seconds (35°20'N 40°08'E). Filled from the map; typing here moves the point."),
    gettext_noop("Geo precision"),
    gettext_noop("Governorate"),
    gettext_noop("District"),
    gettext_noop("Sub-district"),
    gettext_noop("Fatalities (best estimate)"),
    gettext_noop("Fatalities low"),
    gettext_noop("Fatalities high"),
    gettext_noop("Injured"),
    gettext_noop("Source text"),
    gettext_noop("Sources as given in an imported file (ACLED 'source')."),
    gettext_noop("Source scale"),
    gettext_noop("ACLED event id"),
    gettext_noop("Merged into"),
    gettext_noop("Save anyway: I have checked the warnings"),
    gettext_noop("Article"),
    gettext_noop("The exact words of the article that support the incident."),
    gettext_noop("Start"),
    gettext_noop("Character offset of the quote."),
    gettext_noop("End"),
    gettext_noop("Delete"),
    gettext_noop("Incident"),
    gettext_noop("evidence"),
    gettext_noop("incident"),
    gettext_noop("incidents"),
    gettext_noop("Source"),
    gettext_noop("Title"),
    gettext_noop("Url"),
    gettext_noop("Published on"),
    gettext_noop("Leave empty when the text gives no date."),
    gettext_noop("Byline"),
    gettext_noop("Language"),
    gettext_noop("Text"),
    gettext_noop("Retrieved at"),
    gettext_noop("Coding status"),
    gettext_noop("article"),
    gettext_noop("articles"),
    gettext_noop("draft"),
    gettext_noop("in review"),
    gettext_noop("approved"),
    gettext_noop("rejected"),
    gettext_noop("Actor 1"),
    gettext_noop("Actor 2"),
    gettext_noop("high"),
    gettext_noop("medium"),
    gettext_noop("low"),
    gettext_noop("Evidence"),
    gettext_noop("Quote"),
    gettext_noop("Ready"),
    gettext_noop("Sub-event type"),
    # The fields of actors, places and admin areas, as a proposed change's page names them.
    gettext_noop("Name"),
    gettext_noop("Aliases"),
    gettext_noop("Category"),
    gettext_noop("Parent"),
    gettext_noop("Variants"),
    gettext_noop("Arabic name"),
    gettext_noop("Kind"),
    gettext_noop("Geom"),
    gettext_noop("Level"),
    gettext_noop("P-code"),
    gettext_noop("Geonameid"),
    gettext_noop("Admin1"),
    gettext_noop("Admin2"),
]
