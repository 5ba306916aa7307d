"""The coach's week and the team lead's week: the landing pages of the two client roles."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ips import audit, queries, services, weekly
from ips.audit import Action
from ips.forms import ContactLogReviewForm
from ips.models import EmployerContactReview
from ips.views.common import week_from_request, week_navigation


@login_required
@require_GET
def coach_week(request: HttpRequest) -> HttpResponse:
    if not request.user.works_with_clients:
        raise PermissionDenied
    week = queries.week_figures([request.user], queries.today())[request.user.pk]
    audit.record(request, Action.LIST, week.client_ids, what="coach's week")
    return render(
        request,
        "ips/coach_week.html",
        {
            "week": week,
            "caseload_limit": weekly.CASELOAD_LIMIT,
            "contact_target": weekly.EMPLOYER_CONTACT_TARGET,
            "chart": weekly.bar_chart(week.contact_weeks),
        },
    )


@login_required
@require_GET
def team_week(request: HttpRequest) -> HttpResponse:
    """Per-coach figures for the lead's teams, and the week's employer-contact log to review."""
    teams = queries.led_teams(request.user)
    if not teams.exists():
        raise PermissionDenied
    monday = week_from_request(request)
    coaches = queries.team_coaches(teams)
    figures = queries.week_figures(coaches, queries.today(), teams=teams)
    contacts = list(
        queries.employer_contact_rows(request.user)
        .filter(team__in=teams, date__gte=monday, date__lte=monday + weekly.WEEK_LAST_DAY)
        .order_by("date", "coach__first_name")
    )
    reviews = {
        review.team_id: review
        for review in EmployerContactReview.objects.filter(
            team__in=teams, week_start=monday
        ).select_related("reviewed_by")
    }
    shown = set().union(*(week.client_ids for week in figures.values()))
    shown |= {client.pk for contact in contacts for client in contact.clients.all()}
    audit.record(request, Action.LIST, shown, what="lead's week")
    return render(
        request,
        "ips/team_week.html",
        {
            "weeks": [figures[coach.pk] for coach in coaches],
            "teams": [
                (
                    team,
                    reviews.get(team.pk),
                    ContactLogReviewForm(
                        initial={"team": team.pk, "week": monday}, user=request.user
                    ),
                )
                for team in teams
            ],
            "contacts": contacts,
            "caseload_limit": weekly.CASELOAD_LIMIT,
            "contact_target": weekly.EMPLOYER_CONTACT_TARGET,
            **week_navigation(monday),
        },
    )


@login_required
@require_POST
def team_week_review(request: HttpRequest) -> HttpResponse:
    """The lead marks the team's employer-contact log of a week as reviewed."""
    if not queries.led_teams(request.user).exists():
        raise PermissionDenied
    form = ContactLogReviewForm(request.POST, user=request.user)
    if not form.is_valid():
        raise BadRequest("Malformed or forged review")
    services.mark_contact_log_reviewed(
        team=form.cleaned_data["team"],
        week_start=form.cleaned_data["week"],
        reviewed_by=request.user,
        note=form.cleaned_data["note"],
    )
    label = weekly.week_label(form.cleaned_data["week"])
    messages.success(
        request, _("Employer-contact log of %(week)s marked reviewed.") % {"week": label}
    )
    return redirect(f"{reverse('team-week')}?week={label}")
