"""The incident admin's import (ACLED CSV, previewed before it commits) and analyst export.

Both go through the same code as the command line and the public export:
- import: incidents.intake.acled_import checks every row, then writes in one transaction; the preview
  is that same import, rolled back. New incidents land in review (approval is the reviewers' job).
- export: incidents.exports.incidents.IncidentExport, the public CSV's columns and formula guard, over the
  selected or filtered rows of any status (the status column says which).
"""

import tablib
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.html import escape
from import_export import resources
from import_export.admin import ExportActionMixin, ImportExportMixin
from import_export.fields import Field
from import_export.formats.base_formats import CSV
from import_export.results import Error, RowResult

from incidents.exports.incidents import EXPORT_COLUMNS, IncidentExport
from incidents.intake.acled_import import ImportRefused, check_rows, import_rows
from incidents.models import Incident


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
        with transaction.atomic():
            summary = import_rows(rows, user=kwargs.get("user"))
            if dry_run:  # the preview: the real import, rolled back
                transaction.set_rollback(True)
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


class IncidentImportExportMixin(ImportExportMixin, ExportActionMixin):
    """Import/export buttons on the incident list, and "Export selected" among the actions."""

    resource_classes = [IncidentResource]
    import_formats = [CSV]
    export_formats = [CSV]
    from_encoding = "utf-8-sig"  # Excel's "CSV UTF-8" starts with a byte-order mark
    to_encoding = "utf-8-sig"  # ... and needs one to read UTF-8
    change_form_template = None  # keep the incident's own change form (review panel)
    show_change_form_export = False

    def has_import_permission(self, request):
        return self.has_add_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)
