"""Double coding in the admin: while an article is double-coded, each coder's incidents and their
evidence stay out of everyone else's lists, forms, autocompletes and history pages
(incidents.models.double_coding.hidden_from is the one rule)."""

from django.http import Http404

from incidents.models import Evidence, Incident
from incidents.models.double_coding import (
    hidden_from, hidden_new_records, visible_evidence, visible_to, without_hidden_records)


def is_hidden(obj, user):
    """Whether `obj` (an incident or evidence, or a historical instance of one) is hidden from `user`."""
    incident_id = obj.pk if isinstance(obj, Incident) else getattr(obj, "incident_id", None)
    return incident_id is not None and hidden_from(user).filter(pk=incident_id).exists()


class DoubleCodingPrivacyMixin:
    """For the incident and evidence admins: hidden rows are neither listed nor opened (change form,
    delete, autocomplete all start from get_queryset), and their history pages answer 404 like a
    missing id's (a 403 told a hidden incident from one that does not exist)."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.model is Evidence:
            return visible_evidence(queryset, request.user)
        return visible_to(queryset, request.user)

    def has_view_history_or_change_history_permission(self, request, obj=None):
        # simple_history's history pages fall back to the history records when get_queryset finds
        # nothing, so the rule is checked on the object itself too.
        if obj is not None and is_hidden(obj, request.user):
            raise Http404
        return super().has_view_history_or_change_history_permission(request, obj)


class NewRecordPrivacyMixin:
    """For the actor and place admins: a record another coder added during an open double coding is
    neither listed nor offered by the autocomplete until an incident the user may see uses it
    (incidents.models.double_coding.hidden_new_records)."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return without_hidden_records(queryset, request.user)

    def history_view(self, request, object_id, extra_context=None):
        # 404 as for an id that does not exist: a 403 told a hidden record from a missing one (found by
        # a second attacker session).
        if hidden_new_records(self.model, request.user).filter(pk=object_id if str(object_id).isdigit() else None) \
                .exists():
            raise Http404
        return super().history_view(request, object_id, extra_context)
