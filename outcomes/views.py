"""The outcomes dashboard and the evaluation export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ips.models import Episode, User

from . import disclosure, metrics, queries
from .charts import rate_chart
from .exports import ExportParameters
from .forms import DashboardForm, ExportForm
from .models import ExportRecord
from .services import run_export

COUNT_COLUMNS = ["served", "working", "into_work", "job_starts", "education_starts"]


def _require_outcomes_access(user: User) -> None:
    if not queries.teams_for_outcomes(user).exists():
        raise PermissionDenied


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """Outcome measures by quarter for the teams in the user's scope; evaluators see small
    cells hidden; coaches see their own caseload only."""
    user = request.user
    _require_outcomes_access(user)
    form = DashboardForm(request.GET, user=user)  # always bound: empty means the defaults
    form.is_valid()
    data = form.cleaned_data
    first = data.get("first_quarter") or metrics.Quarter.of(timezone.localdate())
    last = data.get("last_quarter") or first
    definition = metrics.DEFINITIONS[data.get("definition") or metrics.DEFAULT_DEFINITION]
    scope = queries.teams_for_outcomes(user)
    team_ids = data.get("team") or list(scope.values_list("pk", flat=True))
    teams = queries.scoped_teams(user, team_ids)
    quarters = metrics.quarters_between(first, last)[-20:]
    coach = user if queries.only_own_clients(user) else None
    episodes, jobs, education = queries.metric_frames(teams, first.start, last.end, coach)
    table = metrics.quarterly_table(episodes, jobs, education, quarters, definition)
    rows = [
        {
            "quarter": str(row.quarter),
            "served": row.served,
            "working": row.working,
            "rate": row.rate,
            "into_work": row.into_work,
            "job_starts": row.job_starts,
            "education_starts": row.education_starts,
        }
        for row in table
    ]
    totals = {column: sum(row[column] for row in rows) for column in COUNT_COLUMNS[2:]}
    as_of = min(last.end, timezone.localdate())
    contact_days, contact_n = metrics.median_days_to_first_employer_contact(
        episodes, first.start, last.end
    )
    job_days, job_n = metrics.median_days_to_first_job(
        episodes, jobs, first.start, last.end, definition
    )
    tenure, tenure_n = metrics.first_job_tenure_weeks(jobs, as_of, definition)
    retention = metrics.still_working_after(jobs, first.start, last.end, as_of, definition)
    discharges = metrics.discharges_by_reason(episodes, first.start, last.end)
    reasons = dict(Episode.DischargeReason.choices)
    discharge_rows = [
        {"reason": reasons.get(code, code), "count": count}
        for code, count in sorted(discharges.items())
    ]
    suppress = queries.suppress_small_cells(user)
    if suppress:
        rows = disclosure.suppress_table(rows, COUNT_COLUMNS)
        for row in rows:
            if disclosure.HIDDEN in (row["served"], row["working"]):
                row["rate"] = None
        totals = {column: disclosure.shown(value) for column, value in totals.items()}
        discharge_rows = disclosure.suppress_table(discharge_rows, ["count"])
        small = disclosure.SMALL_CELL
        contact_days = contact_days if contact_n >= small else None
        job_days = job_days if job_n >= small else None
        tenure = tenure if tenure_n >= small else None
        retention_shown = retention.percent if retention.denominator >= small else None
    else:
        retention_shown = retention.percent
    by = data.get("by") or "team"
    groups = queries.group_frame(teams, first.start, last.end, coach, by)
    group_rows = [
        {
            "group": r.group,
            "served": r.served,
            "working": r.working,
            "rate": r.rate,
            "job_starts": r.job_starts,
        }
        for r in metrics.breakdown(episodes, jobs, groups, first.start, last.end, definition)
    ]
    if suppress:
        group_rows = disclosure.suppress_table(group_rows, ["served", "working", "job_starts"])
        for row in group_rows:
            if disclosure.HIDDEN in (row["served"], row["working"]):
                row["rate"] = None
    chart = rate_chart([(row["quarter"], row["rate"]) for row in rows])
    return render(
        request,
        "outcomes/dashboard.html",
        {
            "form": form,
            "rows": rows,
            "totals": totals,
            "definition": definition,
            "definitions": metrics.DEFINITIONS.values(),
            "benchmarks": metrics.BENCHMARKS,
            "chart": chart,
            "teams": teams,
            "own_only": coach is not None,
            "suppressed": suppress,
            "summary": {
                "contact_days": contact_days,
                "contact_n": disclosure.shown(contact_n) if suppress else contact_n,
                "job_days": job_days,
                "job_n": disclosure.shown(job_n) if suppress else job_n,
                "tenure": tenure,
                "tenure_n": disclosure.shown(tenure_n) if suppress else tenure_n,
                "retention": retention_shown,
                "retention_n": (
                    disclosure.shown(retention.denominator) if suppress else retention.denominator
                ),
            },
            "discharges": discharge_rows,
            "group_rows": group_rows,
            "by_label": dict(form.fields["by"].choices).get(by, ""),
            "can_export": _can_export(user),
        },
    )


def _can_export(user: User) -> bool:
    return user.role == User.Role.EVALUATOR or queries.is_admin(user)


@login_required
@require_http_methods(["GET", "POST"])
def export(request: HttpRequest) -> HttpResponse:
    """An evaluator chooses teams, period, format and k, and downloads the zip."""
    user = request.user
    if not _can_export(user):
        raise PermissionDenied
    _require_outcomes_access(user)
    form = ExportForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        teams = queries.scoped_teams(user, data["teams"])
        if data["mode"] == ExportRecord.Mode.PSEUDONYMISED and not user.has_perm(
            "outcomes.export_pseudonymised"
        ):
            raise PermissionDenied
        params = ExportParameters(
            user=user,
            teams=teams,
            start=data["start"],
            end=data["end"],
            format=data["format"],
            mode=data["mode"],
            k=data["k"],
            max_suppression=data["max_suppression"] / 100,
        )
        result, record = run_export(request, params)
        if result is not None:
            response = HttpResponse(result.content, content_type="application/zip")
            stamp = timezone.localtime(record.created_at).strftime("%Y%m%d-%H%M%S")
            response["Content-Disposition"] = (
                f'attachment; filename="ips-evaluation-{record.mode}-{stamp}.zip"'
            )
            response["X-Content-SHA256"] = result.sha256
            return response
        if record.status == ExportRecord.Status.REFUSED:
            form.add_error(
                None,
                _(
                    "The export was refused: %(reason)s. Choose more teams, a longer period, "
                    "a smaller k or allow more suppression."
                )
                % {"reason": record.message},
            )
        else:
            form.add_error(None, _("The export failed and nothing was produced. It was logged."))
    exports = ExportRecord.objects.filter(user=user)[:20]
    return render(request, "outcomes/export.html", {"form": form, "exports": exports})
