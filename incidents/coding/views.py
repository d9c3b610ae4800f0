"""Assisted coding pages (staff only): suggestions from an article, and duplicate incidents."""

from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from incidents.coding import assist, duplicates, merge_rule
from incidents.coding.suggest.learned import current_model
from incidents.common.reader_text import html_message, incident_ref, incident_ref_text
from incidents.coding.suggest.lexicon import Lexicon
from incidents.models import Article, Incident
from incidents.models.double_coding import visible_to

CODING = "incidents.add_incident"


def _highlight(suggestion):
    """Evidence sentences split into plain and matched parts, for <mark> in the template."""
    marks = []
    for mention in suggestion.mentions:
        marks.append((mention.trigger.start, mention.trigger.end, "rule"))
        marks += [(m.start, m.end, "actor") for m in mention.actors]
        if mention.place and mention.place.match.method != "context":
            marks.append((mention.place.match.start, mention.place.match.end, "place"))
        marks += [(f.start, f.end, "figure") for f in mention.figures]
    quotes = []
    for start, end, quote in suggestion.evidence:
        parts, cursor = [], start
        for m_start, m_end, kind in sorted(m for m in set(marks) if start <= m[0] and m[1] <= end):
            if m_start < cursor:
                continue
            parts += [(quote[cursor - start:m_start - start], ""), (quote[m_start - start:m_end - start], kind)]
            cursor = m_end
        parts.append((quote[cursor - start:], ""))
        quotes.append({"start": start, "end": end, "parts": parts})
    return quotes


def _rows(article, suggestions, session, user, bound_form=None):
    coded = assist.already_coded(article, suggestions, user)
    hidden = assist.discarded(session, article)
    rows = []
    for suggestion in suggestions:
        form = bound_form if bound_form is not None and bound_form.prefix == suggestion.key else None
        rows.append({"suggestion": suggestion, "quotes": _highlight(suggestion), "coded": coded.get(suggestion.key),
                     "discarded": suggestion.key in hidden,
                     "form": form or assist.form_for(suggestion, user)})
    return rows


@staff_member_required
@permission_required(CODING, raise_exception=True)
def article_suggestions(request, pk, bound_form=None, status=200):
    article = get_object_or_404(Article.objects.select_related("source"), pk=pk)
    suggestions = assist.suggestions_for(article, request.user, Lexicon.load(request.user))
    rows = _rows(article, suggestions, request.session, request.user, bound_form)
    context = {**admin.site.each_context(request), "article": article, "rows": rows, "model": current_model(),
               "open_rows": [r for r in rows if not r["discarded"]],
               "discarded_count": sum(r["discarded"] for r in rows),
               # The rules and dictionaries read English and Arabic: say so on an article in another language.
               "unread_language": bool(article.language) and article.language.lower()[:2] not in ("en", "ar"),
               "read_characters": len(assist.read_part(article.text)), "article_characters": len(article.text),
               "title": _("Suggested incidents: %(title)s") % {"title": article.title}}
    return render(request, "incidents/coding/suggestions.html", context, status=status)


@require_POST
@staff_member_required
@permission_required(CODING, raise_exception=True)
def accept_suggestion(request, pk, key):
    article = get_object_or_404(Article.objects.select_related("source"), pk=pk)
    suggestion = assist.find(assist.suggestions_for(article, request.user), key)
    if suggestion is None:
        messages.error(request, _("That suggestion no longer matches the article or the dictionaries changed: "
                                  "review the current suggestions."))
        return redirect("assist-suggestions", pk=article.pk)
    form = assist.form_for(suggestion, request.user, request.POST)
    if not form.is_valid():
        messages.error(request, _("The incident was not created: correct the fields marked below."))
        return article_suggestions(request, article.pk, bound_form=form, status=400)
    incident = assist.accept(article, suggestion, form, request.user)
    messages.success(request, html_message(_("Draft incident %(incident)s created from the suggestion: check it, "
                                             "then submit it for review."), incident=incident_ref(incident.pk)))
    return redirect(reverse("admin:incidents_incident_change", args=[incident.pk]))


@require_POST
@staff_member_required
@permission_required(CODING, raise_exception=True)
def discard_suggestion(request, pk, key):
    article = get_object_or_404(Article, pk=pk)
    if request.POST.get("restore"):
        assist.restore(request.session, article)
        messages.info(request, _("Discarded suggestions are shown again."))
    else:
        assist.discard(request.session, article, key)
        messages.info(request, _("Suggestion discarded."))
    return redirect("assist-suggestions", pk=article.pk)


@staff_member_required
@permission_required("incidents.view_incident", raise_exception=True)
def incident_duplicates(request, pk):
    incident = get_object_or_404(visible_to(Incident.objects.select_related("actor1", "actor2"), request.user), pk=pk)
    rows = duplicates.review_rows(incident, request.user)
    context = {**admin.site.each_context(request), "incident": incident, "rows": rows,
               "title": _("Possible duplicates of incident %(incident)s") % {"incident": incident_ref_text(incident.pk)},
               "can_decide": request.user.has_perm("incidents.add_duplicatedecision")}
    return render(request, "incidents/coding/duplicates.html", context)


@require_POST
@staff_member_required
def merge_incidents(request, pk, other):
    incident = get_object_or_404(visible_to(Incident.objects.all(), request.user), pk=pk)
    partner = get_object_or_404(visible_to(Incident.objects.all(), request.user), pk=other)
    kept = duplicates.choose_kept(incident, partner)
    merged_away = partner if kept == incident else incident
    proposal = merge_rule.pending(kept, merged_away)
    if (merge_rule.public_ones(kept, merged_away) and (proposal is None or proposal.proposed_by_id == request.user.pk)
            and not duplicates.merge_permission_problem(request.user, kept, merged_away)):
        # The public sees one of them: the first reviewer's press only proposes (coding.merge_rule).
        _proposal, created = merge_rule.propose(kept, merged_away, request.user)
        messages.warning(request, html_message(
            _("Merge of %(merged)s into %(kept)s proposed: nothing changes, and the public keeps seeing both, until "
              "another reviewer confirms it.") if created else
            _("You already proposed merging %(merged)s into %(kept)s: another reviewer must confirm it (four-eyes "
              "rule)."), merged=incident_ref(merged_away.pk), kept=incident_ref(kept.pk)))
        return redirect("assist-duplicates", pk=incident.pk)
    try:
        kept = duplicates.merge(kept, merged_away, request.user)
    except duplicates.MergeError as error:
        messages.error(request, str(error))
        return redirect("assist-duplicates", pk=incident.pk)
    messages.success(request, html_message(_("Incident %(merged)s was merged into %(kept)s; its evidence moved "
                                             "with it."), merged=incident_ref(merged_away.pk), kept=incident_ref(kept.pk)))
    return redirect(reverse("admin:incidents_incident_change", args=[kept.pk]))


@require_POST
@staff_member_required
@permission_required("incidents.add_duplicatedecision", raise_exception=True)
def not_duplicate(request, pk, other):
    incident = get_object_or_404(visible_to(Incident.objects.all(), request.user), pk=pk)
    partner = get_object_or_404(visible_to(Incident.objects.all(), request.user), pk=other)
    try:
        duplicates.remember_not_duplicate(incident, partner, request.user)
    except duplicates.MergeError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, html_message(_("Noted: %(one)s and %(other)s are different events; they will not "
                                                 "be proposed again."), one=incident_ref(incident.pk),
                                               other=incident_ref(partner.pk)))
    return redirect("assist-duplicates", pk=incident.pk)
