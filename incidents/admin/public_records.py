"""Admin pages of records the public sees: read-only for analysts (incidents.review.public_records)."""

from django.contrib import messages

from incidents.review import public_records


class PublicRecordAdminMixin:
    """For the ModelAdmins of actors, articles, outlets, places and admin areas.

    An analyst sees a record the public sees read-only, with the reason; a reviewer edits it, and its
    history keeps each change. Bulk deletion is for reviewers only (it cannot be judged row by row).
    """

    # True: the page stays editable for its inlines (an article's evidence, whose edits send the incident
    # back to review) while the record's own fields are shown read-only.
    fields_read_only_when_public = False

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if self.fields_read_only_when_public:
            return allowed
        return allowed and (obj is None or public_records.may_change(request.user, obj))

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if self.fields_read_only_when_public and obj is not None and not public_records.may_change(request.user, obj):
            own = [f.name for f in self.model._meta.concrete_fields if f.editable and not f.primary_key]
            fields += [name for name in own if name not in fields]
        return fields

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and public_records.may_change(request.user, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and request.method == "GET" and not public_records.may_change(request.user, obj):
            messages.info(request, public_records.REFUSAL)
        return super().change_view(request, object_id, form_url, extra_context)
