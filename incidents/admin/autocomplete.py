"""Admin autocomplete fields that answer a tampered value with a form error, not a server error.

Django's autocomplete widgets look the submitted ids up again to re-display the
form; a value that is not an id at all ("abc", a NUL character) makes that query
raise ValueError and the page a 500, hiding the form error the field already has.
These widgets leave such values out of the lookup: the field shows its error.
"""

from django.contrib.admin import widgets
from django.core.exceptions import ValidationError


class _LookUpValidIdsOnly:
    def optgroups(self, name, value, attr=None):
        options = self.field.remote_field.model._meta
        target = options.get_field(getattr(self.field.remote_field, "field_name", options.pk.attname))

        def is_id(raw):
            try:
                target.to_python(raw)
            except ValidationError:
                return False
            return True

        return super().optgroups(name, [raw for raw in value if is_id(raw)], attr)


class SafeAutocompleteSelect(_LookUpValidIdsOnly, widgets.AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_LookUpValidIdsOnly, widgets.AutocompleteSelectMultiple):
    pass


class SafeAutocompleteMixin:
    """For ModelAdmins and inlines with autocomplete_fields."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)
