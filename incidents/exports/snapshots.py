"""Citable snapshots: a dashboard view frozen at a moment, its files kept byte for byte, and how to cite it.

A snapshot is built from history exactly as `?as_of=<its moment>` is (incidents/exports/as_of.py), so
right after creation the two give the same bytes. The bytes are then *stored* (zlib, in ~1 MB
chunks, shared between snapshots with the same SHA-256) rather than rebuilt on each download:
rebuilding would depend on today's export code, columns and SITE_URL, and a cited file must stay
identical forever (README, "Citing a view"; storage per snapshot in docs/PERFORMANCE.md).
"""

import datetime
import hashlib
import hmac
import zlib

from django.conf import settings
from django.db import transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy

from incidents.common.params import BadParameters
from incidents.common.reader_text import list_separator
from incidents.exports.as_of import as_of_state, settled_moment
from incidents.exports.incidents import PublicExport
from incidents.models import Incident, Snapshot, SnapshotChunk, SnapshotFile
from incidents.public.pages import filter_query

SITE_TITLE = "Deir ez-Zor Incidents"
# Per client (a keyed hash of its address, as django-axes resolves it), in the last hour: a snapshot
# reads the whole view from history and stores its files, so it is not free.
SNAPSHOTS_PER_HOUR = 10
THROTTLE_WINDOW = datetime.timedelta(hours=1)
STORED_CHUNK_BYTES = 1 << 20  # compressed bytes per SnapshotChunk row
COMPRESSION_LEVEL = 6  # zlib's default: level 9 saved ~3% more for twice the time (docs/PERFORMANCE.md)


class SnapshotCorrupted(Exception):
    """The stored bytes no longer match the recorded SHA-256 (raised at the end of a download, which aborts it)."""


# -- throttling --

def client_key(address):
    """A keyed hash (HMAC-SHA256 with SECRET_KEY, 32 hex digits) of a client address: counts, never stores, it."""
    return hmac.new(settings.SECRET_KEY.encode(), (address or "").encode(), hashlib.sha256).hexdigest()[:32]


def seconds_until_allowed(client, now=None):
    """0 when `client` may create a snapshot now, else the seconds until its oldest one in the window expires."""
    now = now or timezone.now()
    recent = list(Snapshot.objects.filter(client=client, created_at__gt=now - THROTTLE_WINDOW)
                  .order_by("-created_at").values_list("created_at", flat=True)[:SNAPSHOTS_PER_HOUR])
    if len(recent) < SNAPSHOTS_PER_HOUR:
        return 0
    return max(1, int((recent[-1] + THROTTLE_WINDOW - now).total_seconds()) + 1)


# -- stored files --

def store_file(chunks):
    """Compress and store an iterable of bytes; returns the SnapshotFile (an existing one with the same
    SHA-256 and size, if any: identical files are kept once). Memory: one stored chunk at a time."""
    stored = SnapshotFile.objects.create(sha256="", size=0, stored_size=0)
    digest, compressor = hashlib.sha256(), zlib.compressobj(COMPRESSION_LEVEL)
    pending, seq, size, stored_size = [], 0, 0, 0

    def flush(final=False):
        nonlocal pending, seq, stored_size
        data = b"".join(pending)
        if data or (final and seq == 0):
            SnapshotChunk.objects.create(file=stored, seq=seq, data=data)
            seq, stored_size = seq + 1, stored_size + len(data)
        pending = []

    for chunk in chunks:
        digest.update(chunk)
        size += len(chunk)
        pending.append(compressor.compress(chunk))
        if sum(map(len, pending)) >= STORED_CHUNK_BYTES:
            flush()
    pending.append(compressor.flush())
    flush(final=True)
    sha = digest.hexdigest()
    same = SnapshotFile.objects.filter(sha256=sha, size=size).exclude(pk=stored.pk).order_by("pk").first()
    if same:
        stored.delete()
        return same
    SnapshotFile.objects.filter(pk=stored.pk).update(sha256=sha, size=size, stored_size=stored_size)
    stored.refresh_from_db()
    return stored


def file_chunks(stored):
    """The stored file's bytes, decompressed chunk by chunk; raises SnapshotCorrupted at the end if they
    do not hash to the recorded SHA-256 (so a damaged file is never passed off as the cited one)."""
    digest, decompressor = hashlib.sha256(), zlib.decompressobj()
    ids = SnapshotChunk.objects.filter(file=stored).order_by("seq").values_list("id", flat=True)
    for chunk_id in list(ids):  # one row (~1 MB) in memory at a time
        data = decompressor.decompress(bytes(SnapshotChunk.objects.values_list("data", flat=True).get(pk=chunk_id)))
        digest.update(data)
        if data:
            yield data
    tail = decompressor.flush()
    digest.update(tail)
    if tail:
        yield tail
    if digest.hexdigest() != stored.sha256:
        raise SnapshotCorrupted(f"snapshot file {stored.pk}: bytes do not match SHA-256 {stored.sha256}")


# -- creating --

def _value_in_words(field, value):
    choices = dict(getattr(field, "flatchoices", None) or getattr(field, "choices", None) or [])
    if isinstance(value, (list, tuple, set)) or hasattr(value, "model"):
        return list_separator().join(_value_in_words(field, item) for item in value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(choices.get(value, choices.get(str(value), value)))


# The search box's label explains itself at length; a citation needs only its name.
SHORT_LABELS = {"q": gettext_lazy("Search")}


def filter_in_words(incident_filter):
    """The filter as a reader would say it: "Actor: Islamic State; From: 2016-01-01", or "" for no filter.
    Names (actors, areas) are those of the snapshot's moment."""
    form, parts = incident_filter.form, []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in (None, "", [], ()) or (hasattr(value, "exists") and not value.exists()):
            continue
        parts.append(f"{SHORT_LABELS.get(name, field.label)}: {_value_in_words(field, value)}")
    return list_separator(strong=True).join(parts)  # "؛ " in Arabic; a citation is always English


# A page's address carries at most a few kilobytes (gunicorn's request line), but a POST body can carry
# megabytes; a snapshot keeps only what a link to the dashboard could hold.
QUERY_MAX_CHARACTERS = 4000


@transaction.atomic
def create_snapshot(params, client=""):
    """Freeze the view `params` selects (a dashboard query string's QueryDict; only the filter's own
    parameters count) as of now. Returns the Snapshot. Raises BadParameters naming a bad parameter."""
    query = filter_query(params)
    if len(query) > QUERY_MAX_CHARACTERS:
        raise BadParameters({"query": [f"A cited view's filter may be at most {QUERY_MAX_CHARACTERS} characters "
                                       f"long as a query string; this one is {len(query)}."]})
    moment = settled_moment()
    with as_of_state(moment):
        export = PublicExport(QueryDict(query))  # BadParameters: nothing written (the transaction rolls back)
        ids = list(export.incidents.queryset.order_by("-date", "-id").values_list("id", flat=True))
        with translation.override(settings.LANGUAGE_CODE):  # a citation reads the same from any page
            words = filter_in_words(export.filter)
        csv_file = store_file(export.incidents.csv_chunks())
        geojson_file = store_file(export.incidents.geojson_chunks())
    return Snapshot.objects.create(
        created_at=moment, query=query, filter_words=words, rows=len(ids), incident_ids=ids,
        csv_sha256=csv_file.sha256, csv_file=csv_file, geojson_sha256=geojson_file.sha256,
        geojson_file=geojson_file, client=client)


# -- reading --

def changes_since(snapshot):
    """{"withdrawn": n, "changed": n, "unchanged": n} for the snapshot's incidents today: withdrawn = no
    longer published (unpublished or merged); changed = still published, with a version saved after
    the snapshot's moment (any edit of the incident itself, its associated actors included)."""
    ids = snapshot.incident_ids
    published = set(Incident.objects.published().filter(pk__in=ids).values_list("pk", flat=True))
    changed = set(Incident.history.filter(id__in=published, history_date__gt=snapshot.created_at)
                  .values_list("id", flat=True).distinct())
    return {"withdrawn": len(ids) - len(published), "changed": len(changed),
            "unchanged": len(published) - len(changed)}


def permanent_url(snapshot):
    """The snapshot page's address to cite, from SITE_URL (never the request's Host header)."""
    return settings.SITE_URL.rstrip("/") + reverse("snapshot-detail", args=[snapshot.pk])


def title(snapshot):
    """The data set's title in citations, always English: "Published conflict incidents: <the filter in words>"."""
    with translation.override("en"):
        return title_in_words(snapshot.filter_words)


def title_in_words(filter_words):
    """The data set's title in the active language for a filter said in words (str, "" for none): the
    citation's title (title()) and the snapshot page's subtitle, in the reader's language."""
    if not filter_words:
        return gettext("All published conflict incidents")
    return gettext("Published conflict incidents: %(filter)s") % {"filter": filter_words}


def apa_parts(snapshot):
    """APA 7 reference for a data set as (before, title in italics, after)."""
    moment = snapshot.created_at.astimezone(datetime.UTC)
    return (f"{SITE_TITLE}. ({moment.year}). ", title(snapshot),
            f" (Snapshot {snapshot.pk}, {moment:%d %B %Y %H:%M:%S} UTC; {snapshot.rows} incidents; "
            f"CSV SHA-256 {snapshot.csv_sha256}) [Data set]. {permanent_url(snapshot)}")


def apa(snapshot):
    """APA 7 reference as plain text, the title marked *…* (Markdown's italics)."""
    before, italic, after = apa_parts(snapshot)
    return f"{before}*{italic}*{after}"


_BIBTEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$",
                   "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def bibtex_text(text):
    """Text safe inside a BibTeX field: LaTeX's special characters escaped."""
    return "".join(_BIBTEX_SPECIAL.get(c, c) for c in text)


def bibtex(snapshot):
    """A BibTeX @misc entry (key dzi_snapshot_<id>), with the URL, the moment, the count and the hash."""
    moment = snapshot.created_at.astimezone(datetime.UTC)
    return "\n".join([
        f"@misc{{dzi_snapshot_{snapshot.pk},",
        f"  author       = {{{{{SITE_TITLE}}}}},",
        f"  title        = {{{bibtex_text(title(snapshot))}}},",
        f"  year         = {{{moment.year}}},",
        f"  month        = {moment:%b},".lower(),  # BibTeX's month macro (jan … dec)
        f"  howpublished = {{\\url{{{permanent_url(snapshot)}}}}},",
        f"  note         = {{Snapshot {snapshot.pk} of {moment:%Y-%m-%d %H:%M:%S} UTC, {snapshot.rows} incidents; "
        f"CSV SHA-256 {snapshot.csv_sha256}}},",
        "}",
    ])
