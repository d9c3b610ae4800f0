"""Coding queues: "My work" for analysts and the "Review queue" for reviewers (login required)."""

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import render
from django.utils.translation import gettext as _

from incidents.common.params import BadParameters, json_400_on_bad_parameters, one_value, whole_number
from incidents.common.querystring import link_with
from incidents.models import Incident
from incidents.review import workflow
from incidents.review.queues import (MY_WORK_SHOWS, held_by_your_edits, proposals_to_decide, to_review,
                                     waiting_for_another_reviewer)

PER_PAGE = 50
# Sort keys offered as column headers, and the fields they order by.
SORTS = {"id": "pk", "date": "date", "type": "sub_event_type", "location": "location",
         "fatalities": "fatalities", "status": "status", "coder": "coder__username", "updated": "updated_at"}


def sort_order(params, default):
    key = one_value(params, "sort") or default
    field = SORTS.get(key.removeprefix("-"))
    if field is None:
        raise BadParameters({"sort": [f"“{key}” is not a column to sort by; use one of "
                                      f"{', '.join(SORTS)}, with a leading “-” for descending."]})
    return key, [("-" if key.startswith("-") else "") + field, "-pk"]


def queue_page(request, queryset, default_sort):
    """One sorted page of a queue; bad `sort` or `page` values are a 400 naming them."""
    sort, order = sort_order(request.GET, default_sort)
    paginator = Paginator(queryset.select_related("actor1", "actor2", "coder", "reviewer").order_by(*order),
                          PER_PAGE)
    number = whole_number(request.GET, "page", 1, minimum=1, maximum=max(paginator.num_pages, 1))
    return {"page": paginator.page(number), "sort": sort, "columns": columns(request, sort)}


def columns(request, current):
    """Header links: a column sorts ascending, then descending when clicked again."""
    result = {}
    for key in SORTS:
        arrow = " ▲" if current == key else " ▼" if current == f"-{key}" else ""
        result[key] = {"url": link_with(request.GET, sort=f"-{key}" if current == key else key), "arrow": arrow}
    return result


def page_context(request, title):
    return {**admin.site.each_context(request), "title": title}


@login_required
@json_400_on_bad_parameters
def my_work(request):
    mine = Incident.objects.filter(coder=request.user)
    counts = dict(mine.values_list("status").annotate(n=Count("pk")).order_by())
    show = one_value(request.GET, "show") or "todo"
    if show not in MY_WORK_SHOWS:
        raise BadParameters({"show": [f"Use one of: {', '.join(MY_WORK_SHOWS)}."]})
    tabs = [{"key": key, "label": label, "count": sum(counts.get(s, 0) for s in statuses)}
            for key, (label, statuses) in MY_WORK_SHOWS.items()]
    context = {**page_context(request, _("My work")), "tabs": tabs, "show": show,
               **queue_page(request, mine.filter(status__in=MY_WORK_SHOWS[show][1]), "-updated")}
    return render(request, "incidents/review/mine.html", context)


@login_required
@json_400_on_bad_parameters
def review_queue(request):
    if not workflow.can_review(request.user):
        raise PermissionDenied(_("Only reviewers have a review queue."))
    # Four-eyes: your own incidents wait for another reviewer, so they are counted, not listed.
    others = to_review(request.user)
    yours = waiting_for_another_reviewer(request.user).count()
    context = {**page_context(request, _("Review queue")), "waiting": others.count(), "yours": yours,
               "proposals": proposals_to_decide(request.user).count(), "held": held_by_your_edits(request.user),
               **queue_page(request, others, "updated")}
    return render(request, "incidents/review/review.html", context)
