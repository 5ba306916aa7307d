"""Importing clients, contacts, employer contacts and job starts from a spreadsheet.

Four plain-form steps, each a page that works without JavaScript: upload (kind, team, file)
→ column mapping → preview with every problem by row and column → import, all or nothing.
Only a lead, and only into a team they lead; the file waits in an ``ImportBatch`` between the
steps and is emptied once imported or cancelled.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ips import audit, importing, queries
from ips.audit import Action
from ips.forms import ImportMappingForm, ImportUploadForm
from ips.models import ImportBatch
from ips.services import spreadsheets
from ips.validators import PIC_PATTERN, mask_pic

PREVIEW_ROWS = 1000
PIC_FIELDS = {"personal_identity_code", "client_pic"}
TEMPLATE_LANGUAGES = ("fi", "en")


def _led_teams(request: HttpRequest) -> QuerySet:
    """The teams the user leads; anyone who leads none is refused (403)."""
    teams = queries.led_teams(request.user)
    if not teams.exists():
        raise PermissionDenied
    return teams


def _batch(request: HttpRequest, batch_id: int, *, own_pending: bool = False) -> ImportBatch:
    """An import of a team the user leads (404 otherwise). The steps before the import are
    only for the lead who uploaded the file."""
    _led_teams(request)  # 403 for anyone who leads no team
    batches = queries.import_batches_for_user(request.user)
    if own_pending:
        batches = batches.filter(created_by=request.user)
    try:
        return batches.get(pk=batch_id)
    except ImportBatch.DoesNotExist:
        raise Http404 from None


def _not_pending(request: HttpRequest, batch: ImportBatch) -> HttpResponse | None:
    if batch.is_waiting:
        return None
    if batch.status == ImportBatch.Status.PENDING:
        messages.info(request, _("This upload waited for more than a day. Upload the file again."))
        return redirect("import-detail", batch.pk)
    messages.info(request, _("This import is no longer waiting: it was imported or cancelled."))
    return redirect("import-detail", batch.pk)


def _templates() -> list[dict]:
    return [
        {
            "kind": label,
            "files": [
                (
                    language,
                    [
                        (file_type, static(f"import-templates/{kind}_{language}.{file_type}"))
                        for file_type in ("xlsx", "csv")
                    ],
                )
                for language in TEMPLATE_LANGUAGES
            ],
        }
        for kind, label in ImportBatch.Kind.choices
    ]


def _sample(cell) -> str:
    """A cell of the mapping page's sample rows: short, and identity codes masked as in
    every list of the app."""
    text = importing.as_text(cell)
    if PIC_PATTERN.match(text.upper()):
        return mask_pic(text.upper())
    return importing.shorten(text, 30)


@login_required
@require_GET
def import_list(request: HttpRequest) -> HttpResponse:
    """The import history of the lead's teams."""
    _led_teams(request)  # 403 for anyone who leads no team
    batches = queries.import_batches_for_user(request.user).defer("content")
    page = Paginator(batches, 50).get_page(request.GET.get("page"))
    return render(request, "ips/import/list.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    """Step 1: the file. A file already imported into the team is refused at once."""
    _led_teams(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None, user=request.user)
    earlier = None
    if request.method == "POST":
        if form.is_valid():
            try:
                batch = spreadsheets.start_import(
                    team=form.cleaned_data["team"],
                    kind=form.cleaned_data["kind"],
                    filename=form.cleaned_data["file"].name,
                    content=form.content,
                    created_by=request.user,
                )
            except importing.ImportFileError as error:
                form.add_error("file", error.message)
            except spreadsheets.ImportRejected as error:
                form.add_error("file", error.message)
                earlier = error.earlier
            else:
                return redirect("import-mapping", batch.pk)
        return render(
            request,
            "ips/import/upload.html",
            {"form": form, "earlier": earlier, "templates": _templates()},
            status=400,
        )
    return render(request, "ips/import/upload.html", {"form": form, "templates": _templates()})


@login_required
@require_http_methods(["GET", "POST"])
def import_mapping(request: HttpRequest, batch_id: int) -> HttpResponse:
    """Step 2: which column holds what; guessed from the column names, changeable."""
    batch = _batch(request, batch_id, own_pending=True)
    if response := _not_pending(request, batch):
        return response
    table = importing.read_table(bytes(batch.content))
    columns = spreadsheets.import_columns(batch.kind)
    form = ImportMappingForm(
        request.POST or None, columns=columns, headers=table.headers, mapping=batch.mapping
    )
    if request.method == "POST" and form.is_valid():
        spreadsheets.save_import_mapping(batch=batch, mapping=form.mapping)
        return redirect("import-preview", batch.pk)
    samples = [[_sample(cell) for cell in cells] for _number, cells in table.rows[:3]]
    return render(
        request,
        "ips/import/mapping.html",
        {
            "batch": batch,
            "form": form,
            "headers": table.headers,
            "samples": samples,
            "encoding": table.encoding,
        },
        status=400 if request.method == "POST" else 200,
    )


def _display(plan: spreadsheets.ImportPlan, mapping: dict) -> tuple[list, list]:
    columns = [column for column in plan.columns if column.field in mapping]
    rows = []
    for row in plan.rows[:PREVIEW_ROWS]:
        cells = []
        for column in columns:
            value = row.values.get(column.field)
            if column.field in PIC_FIELDS and value:
                value = mask_pic(str(value))
            elif column.kind == "bool" and value is not None:
                value = _("yes") if value else _("no")
            elif value is None:
                value = ""
            elif column.kind == "choice":
                value = column.choice_labels.get(value, value)
            else:
                value = importing.shorten(importing.as_text(value), 80)
            cells.append(value)
        rows.append({"row": row, "cells": cells})
    return columns, rows


def _preview(request: HttpRequest, batch: ImportBatch, plan, *, status: int = 200, problem=""):
    columns, rows = _display(plan, batch.mapping)
    audit.record(request, Action.LIST, plan.client_ids, what="import preview")
    return render(
        request,
        "ips/import/preview.html",
        {
            "batch": batch,
            "plan": plan,
            "columns": columns,
            "rows": rows,
            "shown": len(rows),
            "problem": problem,
            "new_count": len(plan.new_rows),
            "existing_count": len(plan.existing_rows),
            "error_rows": sum(1 for row in plan.rows if row.status == "error"),
        },
        status=status,
    )


@login_required
@require_GET
def import_preview(request: HttpRequest, batch_id: int) -> HttpResponse:
    """Step 3: every row as it will be saved, and every problem by row and column."""
    batch = _batch(request, batch_id, own_pending=True)
    if response := _not_pending(request, batch):
        return response
    missing = importing.missing_required(spreadsheets.import_columns(batch.kind), batch.mapping)
    if missing:
        messages.error(request, _("Choose a column for every required field first."))
        return redirect("import-mapping", batch.pk)
    plan = spreadsheets.plan_import(batch=batch, user=request.user)
    return _preview(request, batch, plan)


@login_required
@require_POST
def import_confirm(request: HttpRequest, batch_id: int) -> HttpResponse:
    """Step 4: save every row in one transaction, or none."""
    batch = _batch(request, batch_id, own_pending=True)
    if response := _not_pending(request, batch):
        return response
    if importing.missing_required(spreadsheets.import_columns(batch.kind), batch.mapping):
        messages.error(request, _("Choose a column for every required field first."))
        return redirect("import-mapping", batch.pk)
    try:
        plan = spreadsheets.run_import(batch=batch, user=request.user)
    except spreadsheets.ImportRejected as error:
        if error.plan is None:
            messages.error(request, error.message)
            return redirect("import-detail", batch.pk)
        return _preview(request, batch, error.plan, status=400, problem=error.message)
    saved = {pk for row in plan.new_rows for pk in row.client_ids}
    audit.record(request, Action.CREATE, saved, what=f"import: {batch.kind}")
    result = ngettext(
        "Imported %(created)d row.", "Imported %(created)d rows.", batch.created_count
    ) % {"created": batch.created_count}
    if batch.skipped_count:
        result += " " + ngettext(
            "%(skipped)d row was already recorded and was skipped.",
            "%(skipped)d rows were already recorded and were skipped.",
            batch.skipped_count,
        ) % {"skipped": batch.skipped_count}
    messages.success(request, result)
    return redirect("import-detail", batch.pk)


@login_required
@require_POST
def import_cancel(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = _batch(request, batch_id, own_pending=True)
    spreadsheets.cancel_import(batch=batch)
    messages.info(request, _("The import was cancelled and the file deleted."))
    return redirect("import-list")


@login_required
@require_GET
def import_detail(request: HttpRequest, batch_id: int) -> HttpResponse:
    """One import of the history: who, when, what, how many rows."""
    batch = _batch(request, batch_id)
    return render(
        request,
        "ips/import/detail.html",
        {
            "batch": batch,
            "can_continue": batch.is_waiting and batch.created_by_id == request.user.pk,
        },
    )
