"""Admin autocomplete fields that answer a tampered value with a form error, not a server error.

Django's autocomplete widgets look the submitted ids up again to re-display the
form; a value that is not an id at all ("abc", a NUL character) makes that query
raise ValueError and the page a 500, hiding the form error the field already has.
These widgets leave such values out of the lookup: the field shows its error.
"""

import datetime

from django.contrib.admin import widgets
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.views.main import ERROR_FLAG
from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import connection
from django.http import HttpResponseBadRequest, HttpResponseRedirect

from incidents.models import Actor, Place
from incidents.models.double_coding import without_hidden_records


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


def _without_hidden_records(db_field, request, kwargs):
    """An actor or place another coder added during an open double coding is no valid choice: its id,
    posted by hand, is "Select a valid choice" and its name is not shown back (found by a second
    attacker session: a posted id came back with the hidden name, selected)."""
    model = db_field.related_model
    if model in (Actor, Place) and "queryset" not in kwargs:
        kwargs["queryset"] = without_hidden_records(model._default_manager.all(), request.user)


class SafeAutocompleteMixin:
    """For ModelAdmins and inlines with autocomplete_fields."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        _without_hidden_records(db_field, request, kwargs)
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        _without_hidden_records(db_field, request, kwargs)
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class SafeSelectionMixin:
    """For every ModelAdmin: a bulk action posted with selected ids that are not ids of this model
    ("abc", a NUL, 5,000 digits) is a 400 naming the parameter, not a server error in Django's lookup;
    a date-hierarchy day that is no date (published_on__year=3000000000 overflowed in Django's own
    parsing; found by the staff fuzzing) is refused as Django refuses other bad filters, with ?e=1."""

    def _date_hierarchy_unreadable(self, request):
        field = self.date_hierarchy
        if not field:
            return False
        parts = [request.GET.get(f"{field}__{part}") for part in ("year", "month", "day")]
        if parts[0] is None:
            return False
        try:
            datetime.date(*(int(part) if part not in (None, "") else 1 for part in parts))
        except (ValueError, OverflowError, TypeError):
            return True
        return False

    def changelist_view(self, request, extra_context=None):
        if self._date_hierarchy_unreadable(request):
            return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")
        if request.method == "POST" and "action" in request.POST:
            target = self.model._meta.pk
            for raw in request.POST.getlist(ACTION_CHECKBOX_NAME):
                try:
                    value = target.to_python(raw) if len(raw) <= 40 else None
                    target.get_db_prep_value(value, connection)  # out of the column's range raises
                    ok = value is not None and not (isinstance(value, int) and not 0 < value < 2**63)
                except (ValidationError, ValueError, TypeError, EmptyResultSet):
                    ok = False
                if not ok:
                    return HttpResponseBadRequest(f"{ACTION_CHECKBOX_NAME}: “{raw[:40]}” is not the id of a "
                                                  f"{self.model._meta.verbose_name}.", content_type="text/plain")
        return super().changelist_view(request, extra_context)
