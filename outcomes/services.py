"""Running an export: build it, and log it as a disclosure event whatever happens."""

from __future__ import annotations

import logging

from django.db import transaction
from django.http import HttpRequest

from ips import audit
from ips.audit import Action, Outcome

from .anonymise import ExportRefused
from .exports import EmptySelection, ExportParameters, ExportResult, build_export
from .models import ExportRecord

logger = logging.getLogger(__name__)


def _record(params: ExportParameters, status: str, **fields) -> ExportRecord:
    return ExportRecord.objects.create(
        user=params.user,
        mode=params.mode,
        format=params.format,
        team_ids=sorted(team.pk for team in params.teams),
        period_start=params.start,
        period_end=params.end,
        k=params.k,
        max_suppression=params.max_suppression,
        status=status,
        **fields,
    )


def run_export(
    request: HttpRequest | None, params: ExportParameters
) -> tuple[ExportResult | None, ExportRecord]:
    """Build the export and log it. Refusals and failures are logged too; the caller gets
    the record (with its message) and no content."""
    what = f"evaluation export ({params.mode}, {params.format})"
    try:
        with transaction.atomic():
            result = build_export(params)
    except (ExportRefused, EmptySelection, ValueError) as error:
        record = _record(params, ExportRecord.Status.REFUSED, message=str(error))
        audit.record(
            request, Action.EXPORT, [], outcome=Outcome.DENIED, what=what, user=params.user
        )
        return None, record
    except Exception as error:
        logger.exception("evaluation export failed")
        record = _record(params, ExportRecord.Status.FAILED, message=type(error).__name__)
        audit.record(
            request, Action.EXPORT, [], outcome=Outcome.FAILED, what=what, user=params.user
        )
        return None, record
    record = _record(
        params,
        ExportRecord.Status.OK,
        person_rows=result.person_rows,
        job_rows=result.job_rows,
        suppressed=result.suppressed,
        sha256=result.sha256,
    )
    audit.record(request, Action.EXPORT, result.client_ids, what=what, user=params.user)
    return result, record
