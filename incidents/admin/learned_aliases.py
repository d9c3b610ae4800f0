"""The actor's admin page shows what the newest suggestion model learned to call that actor.

Below the change form, a panel lists the newest model's learned surface forms of the actor
(learned.current_model().forms: the form, its support = training texts that say it and were
coded with the actor, its precision = share of the texts saying it that were coded so). Each form:

- *Add to aliases* fills the form's Aliases field in the page (static/incidents/learned_aliases.js);
  nothing is saved until the analyst presses Save, so the normal change form, its permissions and
  its review rules for records the public sees (incidents.review.public_records) decide, never
  this panel;
- *Reject* stores a RejectedActorForm: the form is no longer suggested for this actor (at once
  by the model already trained, and left out of the next training). *Restore* undoes it.

Rejecting changes the suggestions, not the actor (its name and aliases, which the public sees), so it
needs the actor change permission in general (every analyst), not the right to change this record.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from incidents.coding.suggest.learned import current_model
from incidents.models import RejectedActorForm

SHOWN = 40  # forms listed per actor, most supported first; the panel says how many more there are


def learned_forms_panel(actor):
    """What the panel shows for `actor`: {"version", "forms": [{"surface", "support", "precision"
    (0-1), "alias" (already one of the actor's aliases)}], "more": int, "rejected": [RejectedActorForm]},
    or None when there is no trained model with learned forms."""
    model = current_model()
    if model is None or model.forms is None:
        return None
    rejected = list(RejectedActorForm.objects.filter(actor=actor).select_related("rejected_by"))
    refused = {r.surface for r in rejected}
    aliases = {alias.casefold() for alias in actor.aliases}
    forms = [f for f in model.forms.of_actor(actor.name) if f.surface not in refused]
    return {"version": model.version, "more": max(0, len(forms) - SHOWN), "rejected": rejected,
            "forms": [{"surface": f.surface, "support": f.support, "precision": f.precision,
                       "alias": f.surface.casefold() in aliases} for f in forms[:SHOWN]]}


class LearnedAliasesMixin:
    """For the actor admin: the learned forms panel and its reject/restore action."""

    change_form_template = "admin/incidents/actor/change_form.html"

    def get_urls(self):
        return [path("<path:object_id>/learned-forms/", self.admin_site.admin_view(require_POST(self.learned_form_view)),
                     name="incidents_actor_learned_form"), *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        actor = self.get_object(request, object_id) if request.method == "GET" else None
        if actor is not None:
            extra_context = {**(extra_context or {}), "learned_forms": learned_forms_panel(actor)}
        return super().change_view(request, object_id, form_url, extra_context)

    def learned_form_view(self, request, object_id):
        """POST surface=<form> and action=reject|restore; back to the actor's page with a message."""
        actor = self.get_object(request, object_id)  # get_queryset: hidden records answer 404
        if actor is None:
            raise Http404
        if not request.user.has_perm("incidents.change_actor"):
            raise PermissionDenied
        surface, action = request.POST.get("surface", "").strip(), request.POST.get("action")
        if not surface or len(surface) > RejectedActorForm._meta.get_field("surface").max_length \
                or action not in ("reject", "restore"):
            messages.error(request, _("No learned form was given to reject or restore."))
        elif action == "reject":
            RejectedActorForm.objects.get_or_create(actor=actor, surface=surface,
                                                    defaults={"rejected_by": request.user})
            messages.success(request, _("“%(form)s” is no longer suggested for %(actor)s.")
                             % {"form": surface, "actor": actor.name})
        else:
            RejectedActorForm.objects.filter(actor=actor, surface=surface).delete()
            messages.success(request, _("“%(form)s” is no longer rejected for %(actor)s: it is suggested again while a model "
                                         "has learned it.")
                             % {"form": surface, "actor": actor.name})
        return HttpResponseRedirect(reverse("admin:incidents_actor_change", args=[actor.pk]) + "#learned-forms")
