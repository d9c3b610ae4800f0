"""Double coding: an article two analysts code independently, the codings they submitted, and the
units (paired or lone incidents) a reviewer settles.

The rules that other stages must respect live here, next to the data, so the workflow, the admin
and the coding pages ask one place:
- `hidden_from(user)`: while an article is being double-coded (not both codings submitted), each
  coder's incidents from it are seen by that coder only — no one else, reviewers included, so no
  one can see a coding and then code the article as its second coder;
- `hidden_new_records(model, user)`, and `without_hidden_records(queryset, user)` to leave them
  out: an actor or place someone else added during an open double coding stays out of `user`'s
  lists and autocompletes until an incident `user` can see uses it (a coder's new actor would
  otherwise tell the other coder what was coded);
- `submit_hold(incident)`: an incident coded from a double-coded article goes to review only once
  a reviewer (or full agreement) chose it when settling.
"""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from incidents.models.articles import Article
from incidents.models.incident import Evidence, Incident


class DoubleCoding(models.Model):
    """An article marked for double coding. The first two analysts to submit their coding of it are
    its coders A and B; `coding_a`/`coding_b` are what they had coded then (frozen, see
    incidents.review.double_coding.frozen_coding), so agreement never changes after the fact."""

    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="double_coding")
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")
    marked_at = models.DateTimeField(auto_now_add=True)
    coder_a = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    submitted_a = models.DateTimeField(null=True, blank=True)
    coding_a = models.JSONField(default=list, blank=True)
    coder_b = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    submitted_b = models.DateTimeField(null=True, blank=True)
    coding_b = models.JSONField(default=list, blank=True)
    # Set when the second coding is submitted: the codings were compared and are visible to all.
    compared_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-marked_at", "-id"]
        permissions = [("coordinate_double_coding", "Can mark articles for double coding")]
        constraints = [
            models.CheckConstraint(condition=Q(coder_a__isnull=True) | Q(coder_b__isnull=True)
                                   | ~Q(coder_a=models.F("coder_b")), name="double_coding_two_coders",
                                   violation_error_message="The two codings must come from two different analysts."),
        ]

    def __str__(self):
        return f"Double coding of “{self.article}”"

    @property
    def coders(self):
        return [user for user in (self.coder_a, self.coder_b) if user is not None]


class CodedUnit(models.Model):
    """One unit of comparison: two coders' incidents paired as the same event, one coder's incident
    the other did not code, or (for an article where neither coded any) the agreed absence."""

    class Choice(models.TextChoices):
        OPEN = "", "not settled"
        A = "a", "coder A's incident"
        B = "b", "coder B's incident"
        NONE = "none", "no incident"

    double_coding = models.ForeignKey(DoubleCoding, on_delete=models.CASCADE, related_name="units")
    incident_a = models.ForeignKey(Incident, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    incident_b = models.ForeignKey(Incident, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # The incidents as submitted (one entry of DoubleCoding.coding_a/_b), or None: not coded.
    coded_a = models.JSONField(null=True, blank=True)
    coded_b = models.JSONField(null=True, blank=True)
    differences = models.JSONField(default=list, blank=True)  # field keys that differ, as compared
    chosen = models.CharField(max_length=4, choices=Choice, default=Choice.OPEN, blank=True)
    settled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["double_coding", "id"]

    def __str__(self):
        return f"Unit {self.pk} of {self.double_coding}"

    @property
    def agreed(self):
        return not self.differences

    @property
    def chosen_incident(self):
        return {self.Choice.A: self.incident_a, self.Choice.B: self.incident_b}.get(self.chosen)


def open_double_codings():
    """Double codings whose codings are not both submitted yet."""
    return DoubleCoding.objects.filter(compared_at__isnull=True)


def hidden_from(user):
    """Incidents `user` may not see: coded by anyone else from an article whose double coding is open.

    Returns a queryset of incidents (use `.values("pk")` to exclude them). The one definition for the
    admin's lists, forms and history, the coding screen, suggestions and the duplicates panel.
    """
    hidden = Incident.objects.filter(evidence__article__in=open_double_codings().values("article_id"))
    if user is None or not user.is_authenticated:
        return hidden
    return hidden.exclude(coder=user)


def visible_to(queryset, user):
    """`queryset` of incidents without those hidden from `user` by an open double coding (a subquery of
    the same statement: no extra query, so list pages keep their query counts)."""
    return queryset.exclude(pk__in=hidden_from(user).values("pk"))


# The incident fields through which an actor or a place is used.
USES = {"actor": ("actor1", "actor2", "assoc_actors_1", "assoc_actors_2"), "place": ("place",)}


def hidden_new_records(model, user):
    """Actors or places (`model`: Actor or Place) that `user` may not see yet: added by someone else
    since the oldest open double coding was marked, and used by no incident `user` may see.

    Returns a lazy queryset of `model` (no query runs until it is used; the moment of the oldest open
    double coding is a subquery, so a form with five actor fields asks nothing extra). Rows added
    without a recorded user (imports, fixtures) and rows added before any open double coding are
    never hidden. The price: someone else's new actor, not yet used, is hidden from every other user
    until it is used or the double codings close.
    """
    # NULL when no double coding is open: `history_date >= NULL` hides nothing.
    opened = Subquery(open_double_codings().order_by("marked_at").values("marked_at")[:1])
    added = model.history.filter(history_type="+", history_date__gte=opened, history_user__isnull=False)
    if user is not None and user.is_authenticated:
        added = added.exclude(history_user=user)
    uses = Q()
    for field in USES[model._meta.model_name]:
        uses |= Q(**{field: OuterRef("pk")})
    used_where_seen = visible_to(Incident.objects.filter(uses), user)
    return model.objects.filter(pk__in=added.values("id")).exclude(Exists(used_where_seen))


def without_hidden_records(queryset, user):
    """`queryset` of actors or places without those hidden from `user` (`hidden_new_records`): the one
    filter for the admin's lists and choices, the autocomplete, the coding form and the suggestions'
    lexicon."""
    return queryset.exclude(pk__in=hidden_new_records(queryset.model, user).values("pk"))


def visible_evidence(queryset, user):
    """`queryset` of evidence without the quotes of incidents hidden from `user`."""
    return queryset.exclude(incident__in=hidden_from(user).values("pk"))


def submit_hold(incident):
    """Why `incident` may not be submitted for review because of double coding, or None.

    An incident coded from a double-coded article waits until both codings are compared, and then
    goes to review only as the version chosen for its unit (by full agreement or by a reviewer).
    """
    articles = Evidence.objects.filter(incident=incident).values("article_id")
    coding = DoubleCoding.objects.filter(article__in=articles).first()
    if coding is None:
        return None
    if coding.compared_at is None:
        return _("Its article is being double-coded: it goes to review after both analysts have submitted "
                 "their coding and the differences are settled.")
    chosen = coding.units.filter(Q(chosen=CodedUnit.Choice.A, incident_a=incident)
                                 | Q(chosen=CodedUnit.Choice.B, incident_b=incident))
    if not chosen.exists():
        return _("Its article was double-coded and this incident was not chosen when the codings were settled "
                 "(or is not settled yet).")
    return None
