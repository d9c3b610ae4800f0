"""Double coding pages (login required): the list of double-coded articles with each user's next step,
marking articles (coordinators), submitting one's coding, settling differences (reviewers), and the
agreement page. The rules are in incidents.review.double_coding; these views only call them."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from incidents.common.params import json_400_on_bad_parameters, whole_number
from incidents.common.reader_text import incident_ref_text, reader_list
from incidents.models import CodedUnit, DoubleCoding
from incidents.review import double_coding as dc
from incidents.review import workflow
from incidents.review.agreement import DATE_WITHIN_DAYS, FIELDS, PLACE_WITHIN_KM, agreement_table

AGREEMENT_PERMISSION = "incidents.view_doublecoding"
LISTED = 200  # the most recent double codings listed


class MarkForm(forms.Form):
    """Mark articles by id, or a random percentage of the articles not coded yet (one or the other)."""

    article_ids = forms.CharField(label=gettext_lazy("Article ids"), required=False, max_length=5000,
                                  help_text=gettext_lazy("Separated by commas, e.g. 12, 15, 17."))
    percentage = forms.CharField(label=gettext_lazy("Or a random sample, in per cent"), required=False, max_length=20,
                                 help_text=gettext_lazy("Above 0 and at most 100, of the articles not coded yet."))

    def clean_article_ids(self):
        text = self.cleaned_data["article_ids"].strip()
        try:
            return dc.parse_article_ids(text) if text else []
        except dc.DoubleCodingError as error:
            raise forms.ValidationError(error.message) from None

    def clean_percentage(self):
        text = self.cleaned_data["percentage"].strip()
        try:
            return dc.parse_percentage(text) if text else None
        except dc.DoubleCodingError as error:
            raise forms.ValidationError(error.message) from None

    def clean(self):
        data = super().clean()
        if not self.errors and bool(data.get("article_ids")) == (data.get("percentage") is not None):
            raise forms.ValidationError(_("Give either article ids or a percentage."))
        return data


def _page(request, title, **context):
    return {**admin.site.each_context(request), "title": title, **context}


def _may_see_list(user):
    return workflow.can_submit(user) or dc.can_coordinate(user) or user.has_perm(AGREEMENT_PERMISSION)


def _rows(user):
    codings = (DoubleCoding.objects.select_related("article", "coder_a", "coder_b")
               .annotate(open_units=Count("units", filter=Q(units__chosen=CodedUnit.Choice.OPEN)))
               .order_by("-marked_at", "-pk")[:LISTED])
    rows = []
    for coding in codings:
        mine = user.pk in (coding.coder_a_id, coding.coder_b_id)
        rows.append({
            "coding": coding, "mine": mine,
            "submitted": sum(c is not None for c in (coding.coder_a_id, coding.coder_b_id)),
            "may_submit": (workflow.can_submit(user) and not mine and coding.coder_b_id is None),
            "own_incidents": dc.incidents_of(user, coding.article).count() if not coding.compared_at else None,
            "may_settle": (coding.compared_at is not None and coding.open_units and not mine
                           and workflow.can_review(user)),
        })
    return rows


@login_required
def double_coding_list(request, form=None, status=200):
    if not _may_see_list(request.user):
        raise PermissionDenied(_("Only analysts, reviewers and coordinators see double coding."))
    context = _page(request, _("Double coding"), rows=_rows(request.user),
                    form=form if form is not None else MarkForm(),
                    can_coordinate=dc.can_coordinate(request.user),
                    eligible=dc.eligible_articles().count() if dc.can_coordinate(request.user) else None)
    return render(request, "incidents/review/agreement_list.html", context, status=status)


@require_POST
@login_required
def mark(request):
    if not dc.can_coordinate(request.user):
        raise PermissionDenied(_("Only coordinators and administrators may mark articles for double coding."))
    form = MarkForm(request.POST)
    if form.is_valid():
        try:
            if form.cleaned_data["article_ids"]:
                made = dc.mark_articles(form.cleaned_data["article_ids"], request.user)
            else:
                made = dc.mark_sample(form.cleaned_data["percentage"], request.user)
        except dc.DoubleCodingError as error:
            field = "article_ids" if form.cleaned_data["article_ids"] else "percentage"
            form.add_error(field, error.message)
        else:
            messages.success(request, _("%(count)d articles marked for double coding: %(ids)s.") % {
                "count": len(made), "ids": reader_list(incident_ref_text(c.article_id) for c in made)})
            return redirect("work-double-coding")
    return double_coding_list(request, form=form, status=400)


@require_POST
@login_required
def submit(request, pk):
    coding = get_object_or_404(DoubleCoding, pk=pk)
    try:
        coding = dc.submit_coding(coding, request.user)
    except dc.DoubleCodingError as error:
        messages.error(request, error.message)
    else:
        if coding.compared_at:
            messages.success(request, _("Your coding was submitted; both codings are now compared."))
        else:
            messages.success(request, _("Your coding was submitted; it stays hidden until the second analyst "
                                        "submits theirs."))
    return redirect("work-double-coding")


def _field_rows(unit):
    rows = []
    for key, label in FIELDS.items():
        if key == "found":
            continue
        rows.append({"label": label, "differs": key in unit.differences,
                     "a": _shown(key, unit.coded_a), "b": _shown(key, unit.coded_b)})
    return rows


def _shown(key, coded):
    if coded is None:
        return "—"
    if key == "actors":
        return reader_list(coded["actors"])
    if key == "place":
        return f"{coded['location']} ({coded['lat']:.4f}, {coded['lon']:.4f})"
    return coded[key]


@login_required
def settle(request, pk):
    coding = get_object_or_404(DoubleCoding.objects.select_related("article", "coder_a", "coder_b"), pk=pk)
    if not workflow.can_review(request.user):
        raise PermissionDenied(_("Only reviewers settle double coding."))
    if coding.compared_at is None:
        raise PermissionDenied(_("Both codings must be submitted before anyone sees them."))
    if request.method == "POST":
        unit_id = request.POST.get("unit", "")
        unit = (CodedUnit.objects.filter(pk=int(unit_id), double_coding=coding).first()
                if unit_id.isdigit() and len(unit_id) < 10 else None)
        if unit is None:
            messages.error(request, _("Choose a difference to settle."))
        else:
            try:
                dc.settle(unit, request.POST.get("choice", ""), request.user)
            except dc.DoubleCodingError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Settled: %(choice)s.") % {"choice": unit.get_chosen_display()})
        return redirect("work-double-coding-settle", pk=coding.pk)
    units = [{"unit": u, "fields": _field_rows(u)} for u in
             coding.units.select_related("incident_a", "incident_b", "settled_by")]
    context = _page(request, _("Settle the double coding of “%(title)s”") % {"title": coding.article.title},
                    coding=coding, units=units,
                    is_coder=request.user.pk in (coding.coder_a_id, coding.coder_b_id))
    return render(request, "incidents/review/agreement_settle.html", context)


@login_required
@json_400_on_bad_parameters
def agreement(request):
    if not request.user.has_perm(AGREEMENT_PERMISSION):
        raise PermissionDenied(_("Only coordinators, reviewers and administrators see agreement figures."))
    km = whole_number(request.GET, "km", int(PLACE_WITHIN_KM), minimum=0, maximum=500)
    days = whole_number(request.GET, "days", DATE_WITHIN_DAYS, minimum=0, maximum=365)
    table = agreement_table(km=km, days=days)
    return render(request, "incidents/review/agreement.html",
                  _page(request, _("Inter-coder agreement"), table=table, fields=FIELDS))
