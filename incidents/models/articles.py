"""Where reports come from: news outlets and the articles analysts code, stored once each."""

import hashlib
import re

from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords
from incidents.common.lookalikes import plain_name


def normalise_text(text):
    """Collapse white space so the same text pasted twice hashes the same."""
    return re.sub(r"\s+", " ", text or "").strip()


def content_hash(text):
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


class Source(models.Model):
    """A news outlet or other origin of articles."""

    name = models.CharField(max_length=200, unique=True, validators=[plain_name])
    url = models.URLField(blank=True)
    language = models.CharField(max_length=10, blank=True, help_text="ISO 639-1 code, e.g. en, ar")
    demo = models.BooleanField(default=False, editable=False, help_text="Made for synthetic demonstration data.")
    history = HistoricalRecords()  # published incidents show the outlet: its changes are kept

    class Meta:
        verbose_name = pgettext_lazy("model", "source")
        verbose_name_plural = pgettext_lazy("model", "sources")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Article(models.Model):
    class CodingStatus(models.TextChoices):
        NEW = "new", _("new")
        IN_CODING = "in_coding", _("in coding")
        CODED = "coded", _("coded")
        NOT_RELEVANT = "not_relevant", _("not relevant")

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="articles", verbose_name=_("source"))
    title = models.CharField(_("title"), max_length=500)
    url = models.URLField(_("URL"), max_length=1000, null=True, blank=True, unique=True)
    published_on = models.DateField(_("published on"), null=True, blank=True,
                                    help_text=_("Leave empty when the text gives no date."))
    byline = models.CharField(_("byline"), max_length=300, blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    text = models.TextField(_("text"))
    retrieved_at = models.DateTimeField(_("retrieved at"), null=True, blank=True)
    coding_status = models.CharField(_("coding status"), max_length=20, choices=CodingStatus, default=CodingStatus.NEW)
    content_hash = models.CharField(_("content hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    demo = models.BooleanField(default=False, editable=False, help_text="A synthetic demonstration article.")
    history = HistoricalRecords()

    class Meta:
        verbose_name = pgettext_lazy("model", "article")
        verbose_name_plural = pgettext_lazy("model", "articles")
        ordering = ["-published_on", "-id"]

    def __str__(self):
        return self.title

    def clean(self):
        if self.text and not normalise_text(self.text):
            raise ValidationError({"text": "The article text is empty."})
        self.content_hash = content_hash(self.text)
        duplicate = Article.objects.filter(content_hash=self.content_hash).exclude(pk=self.pk).first()
        if duplicate:
            raise ValidationError({"text": f"The same text is already stored as article #{duplicate.pk} “{duplicate}”."})

    def save(self, *args, **kwargs):
        # The hash is derived data: always recomputed so it can never go stale.
        self.content_hash = content_hash(self.text)
        if self.url == "":
            self.url = None
        super().save(*args, **kwargs)


