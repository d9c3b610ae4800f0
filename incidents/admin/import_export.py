"""The incident admin's import (ACLED CSV, previewed before it commits) and analyst export.

Both go through the same code as the command line and the public export:
- import: incidents.intake.acled_import checks every row, then writes in one transaction; the preview
  is that same import, rolled back. New incidents land in review (approval is the reviewers' job).
- export: incidents.exports.incidents.IncidentExport, the public CSV's columns and formula guard, over the
  selected or filtered rows of any status (the status column says which).
"""

import re
import uuid
from pathlib import Path

import tablib
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import escape
from import_export import resources
from import_export.admin import ExportActionMixin, ImportExportMixin
from import_export.fields import Field
from import_export.formats.base_formats import CSV
from import_export.results import Error, RowResult
from import_export.tmp_storages import BaseStorage

from incidents.coding.suggest import retraining
from incidents.exports.incidents import EXPORT_COLUMNS, IncidentExport
from incidents.intake.acled_import import ImportRefused, analyze_after_import, check_rows, import_rows
from incidents.intake.csv_text import decode, read_cells
from incidents.models import Incident

# Uploads between the preview and the confirmation live here, never in the shared temp folder
# (issue 15 point 8: django-import-export's TempFolderStorage opened any name a client posted).
UPLOAD_DIR = Path(settings.BASE_DIR, "var", "import-uploads")
_STORED_NAME = re.compile(r"[0-9a-f]{32}")
SESSION_KEY = "incident_import_uploads"


class IncidentResource(resources.Resource):
    """ACLED's columns, then ours (status among them)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.fields = {name: Field(attribute=name, column_name=name) for name in EXPORT_COLUMNS}

    @classmethod
    def get_display_name(cls):
        return "ACLED columns"

    def get_user_visible_fields(self):
        return list(self.fields.values())

    def export(self, queryset=None, **kwargs):
        names = [field.column_name for field in self.get_export_fields(kwargs.get("export_fields"))]
        dataset = tablib.Dataset(headers=names)
        for row in IncidentExport(Incident.objects.all() if queryset is None else queryset).rows(names):
            dataset.append(row)
        return dataset

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None,
                    collect_failed_rows=False, rollback_on_validation_errors=False, **kwargs):
        result = self.get_result_class()()
        result.diff_headers = list(dataset.headers or [])
        result.total_rows = len(dataset)
        # tablib forgets line numbers; problems are named by row (1 = first row after the header).
        records = ((None, ["" if value is None else str(value) for value in values]) for values in dataset)
        try:
            rows = check_rows(result.diff_headers, records)
        except ImportRefused as refused:
            self._report_problems(result, refused, dataset)
            return result
        try:
            with transaction.atomic():
                summary = import_rows(rows, user=kwargs.get("user"))
                if dry_run:  # the preview: the real import, rolled back
                    transaction.set_rollback(True)
        except ImportRefused as refused:  # rows of our own export that differ from our incidents
            self._report_problems(result, refused, dataset)
            return result
        if not dry_run and (summary.created or summary.updated):
            analyze_after_import()
            retraining.after_import()  # on commit; never for the preview, which is rolled back
        for number, incident, kind in summary.outcomes:
            row_result = self.get_row_result_class()()
            row_result.import_type = kind
            row_result.diff = [escape(value) for value in dataset[number - 1]]
            if not dry_run:
                row_result.add_instance_info(incident)
                row_result.instance = incident
            result.append_row_result(row_result)
            result.increment_row_result_total(row_result)
        return result

    def _report_problems(self, result, refused, dataset):
        by_row = {}
        for problem in refused.problems:
            if problem.row is None:
                result.append_base_error(Error(ValueError(str(problem))))
            else:
                by_row.setdefault(problem.row, {}).setdefault(problem.column, []).append(problem.message)
        for number, errors in sorted(by_row.items()):
            values = dict(zip(result.diff_headers, dataset[number - 1]))
            result.append_invalid_row(number, values, ValidationError(errors))
            result.totals[RowResult.IMPORT_TYPE_INVALID] += 1


class AcledCSV(CSV):
    """CSV read by intake.csv_text, the reader of import_acled and ingest_articles: a malformed file
    (encoding, NUL, delimiter, field counts, open quotes, huge cells) is refused naming row, column
    and reason, never as "'InvalidDimensions' encountered"."""

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        header, records = read_cells(decode(in_stream) if isinstance(in_stream, bytes) else in_stream)
        return tablib.Dataset(*(values for _, values in records), headers=header)


class UploadStorage(BaseStorage):
    """An upload kept between preview and confirmation under a random name in UPLOAD_DIR.

    Only names this class made (32 hex digits) are ever opened, so no posted name reaches any other
    file; the admin also accepts only names it gave to the same user's session."""

    def _path(self):
        if not (isinstance(self.name, str) and _STORED_NAME.fullmatch(self.name)):
            raise FileNotFoundError("not an upload name")
        return UPLOAD_DIR / self.name

    def save(self, data):
        UPLOAD_DIR.mkdir(parents=True, exist_ok=True)
        self.name = uuid.uuid4().hex
        self._path().write_bytes(data)

    def read(self):
        return self._path().read_bytes()

    def remove(self):
        self._path().unlink(missing_ok=True)

    def exists(self):
        try:
            return self._path().is_file()
        except FileNotFoundError:
            return False


def upload_limit_text():
    return f"{settings.IMPORT_MAX_UPLOAD_BYTES / 1024 / 1024:g} MB"


class IncidentImportExportMixin(ImportExportMixin, ExportActionMixin):
    """Import/export buttons on the incident list, and "Export selected" among the actions."""

    resource_classes = [IncidentResource]
    import_formats = [AcledCSV]
    tmp_storage_class = UploadStorage
    export_formats = [CSV]
    from_encoding = "utf-8-sig"  # Excel's "CSV UTF-8" starts with a byte-order mark
    to_encoding = "utf-8-sig"  # ... and needs one to read UTF-8
    change_form_template = None  # keep the incident's own change form (review panel)
    show_change_form_export = False

    def has_import_permission(self, request):
        return self.has_add_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, ImportRefused):
            for line in e.report().splitlines():
                form.add_error("import_file", line)
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def get_import_form_class(self, request):
        base = super().get_import_form_class(request)

        class LimitedImportForm(base):
            def clean_import_file(self):
                upload = self.cleaned_data["import_file"]
                # Refused on its size, before a byte of it is parsed (Django has spooled it to disk).
                if upload.size > settings.IMPORT_MAX_UPLOAD_BYTES:
                    raise forms.ValidationError(
                        f"This file is {upload.size / 1024 / 1024:.1f} MB; at most {upload_limit_text()} can be "
                        "imported at once (IMPORT_MAX_UPLOAD_BYTES). Split it by year and import each part.")
                return upload

        return LimitedImportForm

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        confirm = context.get("confirm_form")
        if confirm is None:  # refused: the stored upload will never be confirmed, so delete it now
            # The library notes the stored name on the uploaded file (request.FILES holds the same object).
            if name := getattr(request.FILES.get("import_file"), "tmp_storage_name", None):
                UploadStorage(name=name).remove()
        else:
            issued = request.session.get(SESSION_KEY, [])[-9:]
            request.session[SESSION_KEY] = [*issued, confirm.initial["import_file_name"]]
        return response

    def process_import(self, request, **kwargs):
        """The confirmation: only an upload this user's own preview stored, once."""
        name = request.POST.get("import_file_name", "")
        issued = request.session.get(SESSION_KEY, [])
        if name not in issued or not UploadStorage(name=name).exists():
            messages.error(request, "This import is no longer available: it was already imported, it was "
                                    "not previewed by you, or it expired. Upload the file again.")
            return HttpResponseRedirect(reverse(f"admin:{self.model._meta.app_label}_"
                                                f"{self.model._meta.model_name}_import"))
        request.session[SESSION_KEY] = [other for other in issued if other != name]
        return super().process_import(request, **kwargs)
