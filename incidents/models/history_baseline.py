"""Every row's history starts with the row as it was: a row written without history (fixtures, bulk
imports, COPY loads) gets a baseline version just before its first recorded change or deletion.

Why: `?as_of=` and snapshots rebuild the past from history (incidents/exports/as_of.py), and take a row
with no history at all "as it is now, as if always so". Its first edit used to give it a history that
began at the edit, so every earlier moment lost the row (found by an attacker session). The baseline
keeps those moments' answer unchanged: dated like as_of's rule for rows without history (an incident
from its publication, or creation; anything else since always), with the row's values before the change.
"""

import datetime

from django.apps import apps
from django.db import connection
from django.db.models.signals import m2m_changed, pre_delete, pre_save

BASELINE_REASON = "Baseline: the row as it was before its first recorded change (written without history)"
# "Since always" for rows as_of takes as they are: before any plausible event or publication.
ALWAYS = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)


def ensure_baseline(model, pk):
    """Write the baseline version of row `pk` of `model` (a model with django-simple-history) when it has
    no history yet; nothing when it has, or when the row does not exist. Returns True if written."""
    history = model.history
    if pk is None or history.filter(id=pk).exists():
        return False
    row = model._base_manager.filter(pk=pk).first()
    if row is None:
        return False
    moment = ALWAYS
    if hasattr(row, "published_at"):  # the incident: as as_of's _without_history dates it
        moment = row.published_at or row.created_at
    history.bulk_history_create([row], default_date=moment, default_change_reason=BASELINE_REASON)
    record_links(model, [pk])
    return True


def record_links(model, ids):
    """Record the links (associated actors) each row of `model` in `ids` has now with that row's latest
    version, as simple-history does on save: for links written in bulk after their rows' versions (the
    ACLED import), which otherwise read as "none" at every earlier moment of `?as_of=`."""
    history_model = model.history.model
    versions = {version.id: version for version in model.history.filter(id__in=list(ids))
                .order_by("id", "-history_date", "-history_id").distinct("id")}
    for field in getattr(history_model, "_history_m2m_fields", []):
        m2m_history = apps.get_model(history_model._meta.app_label, f"{history_model.__name__}_{field.name}")
        through = field.remote_field.through
        source = f"{field.m2m_field_name()}_id"
        m2m_history.objects.bulk_create(
            m2m_history(history=versions[getattr(link, source)],
                        **{f.attname: getattr(link, f.attname) for f in through._meta.concrete_fields})
            for link in through.objects.filter(**{f"{source}__in": list(versions)}).order_by("id"))


def record_bulk_change(model, ids, reason):
    """A new version, dated now, of each row of `model` in `ids` that already has history, as a save
    would have written: for rows changed by SQL (an UPDATE that bypasses save()). Rows without any
    history need none (as_of takes them as they are). Returns the number of versions written."""
    with_history = list(model.history.filter(id__in=list(ids)).values_list("id", flat=True).distinct())
    rows = list(model._base_manager.filter(pk__in=with_history))
    model.history.bulk_history_create(rows, update=True, default_change_reason=reason)
    record_links(model, with_history)
    return len(rows)


def rows_differing_from_history(model):
    """Ids of rows of `model` whose latest version differs from the live row in a column history keeps.

    A row changed without a version (an SQL UPDATE, QuerySet.update) makes `?as_of=` and snapshots show
    its old values at every later moment (found by a newcomer session: a snapshot of one district left
    out a seed incident whose areas were filled in by SQL). Rows without history are not listed.
    """
    live, history = model._meta.db_table, model.history.model._meta.db_table
    kept = {field.column for field in model.history.model._meta.concrete_fields}
    quote = connection.ops.quote_name
    columns = [quote(field.column) for field in model._meta.concrete_fields
               if field.column in kept and not field.primary_key]
    row = ", ".join(f"t.{column}" for column in columns)
    version = ", ".join(f"h.{column}" for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"""
            SELECT t.id FROM {live} t
            JOIN LATERAL (SELECT * FROM {history} v WHERE v.id = t.id
                          ORDER BY v.history_date DESC, v.history_id DESC LIMIT 1) h ON true
            WHERE ({row}) IS DISTINCT FROM ({version}) ORDER BY t.id""")
        return [pk for (pk,) in cursor.fetchall()]


def _before_change(sender, instance, raw=False, **kwargs):
    if not raw and not instance._state.adding:
        ensure_baseline(sender, instance.pk)


def _before_links_change(sender, instance, action, reverse, **kwargs):
    # Only the incident's side: no code changes links from the actor's side (simple-history records
    # those against the wrong model, so the admin offers no such form).
    if action in ("pre_add", "pre_remove", "pre_clear") and not reverse:
        ensure_baseline(type(instance), instance.pk)


def connect(models):
    """Called once at start-up (IncidentsConfig.ready) with every model that keeps history."""
    for model in models:
        pre_save.connect(_before_change, sender=model, dispatch_uid=f"baseline-save-{model._meta.label}")
        pre_delete.connect(_before_change, sender=model, dispatch_uid=f"baseline-delete-{model._meta.label}")
        for field in getattr(model.history.model, "_history_m2m_fields", []):
            m2m_changed.connect(_before_links_change, sender=field.remote_field.through,
                                dispatch_uid=f"baseline-m2m-{field.remote_field.through._meta.label}")
