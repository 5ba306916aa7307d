"""Persona tests for every outcomes URL, the dashboard's figures and suppression, and the
export view."""

import datetime
import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from ips.models import AccessEvent
from outcomes.metrics import Quarter
from outcomes.models import EvaluationGrant, ExportRecord
from tests.factories import EpisodeFactory, JobStartFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def granted_evaluator(evaluator, team_a):
    EvaluationGrant.objects.create(evaluator=evaluator, organisation=team_a.organisation)
    return evaluator


def _quarter_params():
    quarter = Quarter.of(timezone.localdate())
    return {"first": str(quarter), "last": str(quarter)}


def _row(response):
    return response.context["rows"][-1]


@pytest.fixture
def caseload(owner, colleague, team_a):
    today = timezone.localdate()
    start = Quarter.of(today).start
    mine = [
        EpisodeFactory(coach=owner, team=team_a, referral_date=start, accepted_date=start)
        for _ in range(6)
    ]
    theirs = [
        EpisodeFactory(coach=colleague, team=team_a, referral_date=start, accepted_date=start)
        for _ in range(2)
    ]
    JobStartFactory(episode=mine[0], start_date=start)
    JobStartFactory(episode=theirs[0], start_date=start)
    return mine, theirs


def test_lead_sees_the_whole_team(as_user, lead, caseload):
    row = _row(as_user(lead).get(reverse("outcomes-dashboard"), _quarter_params()))

    assert (row["served"], row["working"], row["rate"]) == (8, 2, 25.0)


def test_coach_sees_only_their_own_figures(as_user, owner, caseload):
    response = as_user(owner).get(reverse("outcomes-dashboard"), _quarter_params())

    row = _row(response)
    assert response.context["own_only"] is True
    assert (row["served"], row["working"]) == (6, 1)


def test_evaluator_sees_small_cells_hidden(as_user, granted_evaluator, caseload):
    row = _row(as_user(granted_evaluator).get(reverse("outcomes-dashboard"), _quarter_params()))

    # 8 served is shown; 2 working is a small cell, so the rate is hidden too.
    assert (row["served"], row["working"], row["rate"]) == (8, "<5", None)


def test_evaluator_without_a_grant_sees_nothing(as_user, evaluator, caseload):
    assert as_user(evaluator).get(reverse("outcomes-dashboard")).status_code == 403
    assert as_user(evaluator).get(reverse("outcomes-export")).status_code == 403


def test_team_outside_the_scope_is_404(as_user, granted_evaluator, team_b, caseload):
    dashboard = as_user(granted_evaluator).get(reverse("outcomes-dashboard"), {"team": team_b.pk})
    export = as_user(granted_evaluator).post(
        reverse("outcomes-export"),
        {
            "teams": [team_b.pk],
            "start": "2026-01-01",
            "end": "2026-06-30",
            "format": "csv",
            "mode": "anonymised",
            "k": 5,
            "max_suppression": 10,
        },
    )

    huge = as_user(granted_evaluator).get(reverse("outcomes-dashboard"), {"team": "9" * 25})

    assert dashboard.status_code == 404
    assert export.status_code == 404
    assert huge.status_code == 404
    assert ExportRecord.objects.count() == 0


@pytest.mark.parametrize("persona", ["reviewer", "anonymous"])
def test_reviewers_and_anonymous_have_no_outcomes(request, as_user, client, persona):
    http = client if persona == "anonymous" else as_user(request.getfixturevalue(persona))

    for name in ("outcomes-dashboard", "outcomes-export"):
        response = http.get(reverse(name))
        assert response.status_code == (302 if persona == "anonymous" else 403)


def test_only_evaluators_and_admins_export(as_user, lead, owner, admin_user):
    assert as_user(lead).get(reverse("outcomes-export")).status_code == 403
    assert as_user(owner).get(reverse("outcomes-export")).status_code == 403
    assert as_user(admin_user).get(reverse("outcomes-export")).status_code == 200


def test_evaluator_never_sees_a_client_page(as_user, granted_evaluator, caseload):
    mine, _ = caseload

    response = as_user(granted_evaluator).get(reverse("client-detail", args=[mine[0].client_id]))

    assert response.status_code == 404


@pytest.mark.parametrize("rows", [1, 20])
def test_dashboard_query_count(as_user, lead, team_a, owner, rows, django_assert_num_queries):
    start = Quarter.of(timezone.localdate()).start
    for _ in range(rows):
        episode = EpisodeFactory(coach=owner, team=team_a, referral_date=start, accepted_date=start)
        JobStartFactory(episode=episode, start_date=start)
    http = as_user(lead)
    http.get(reverse("outcomes-dashboard"))  # warm-up: session bookkeeping of the first request

    with django_assert_num_queries(14):
        http.get(reverse("outcomes-dashboard"))


def _export_data(team, **overrides):
    data = {
        "teams": [team.pk],
        "start": (timezone.localdate() - datetime.timedelta(days=200)).isoformat(),
        "end": timezone.localdate().isoformat(),
        "format": "csv",
        "mode": "anonymised",
        "k": 5,
        "max_suppression": 10,
    }
    data.update(overrides)
    return data


def test_export_download(as_user, granted_evaluator, team_a, owner):
    start = timezone.localdate() - datetime.timedelta(days=100)
    for _ in range(10):
        EpisodeFactory(
            coach=owner,
            team=team_a,
            referral_date=start,
            accepted_date=start,
            client__birth_year=1980,
            client__gender="female",
        )

    response = as_user(granted_evaluator).post(reverse("outcomes-export"), _export_data(team_a))

    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(archive.namelist()) == [
            "codebook.csv",
            "job.csv",
            "person.csv",
            "risk_report.json",
        ]
    record = ExportRecord.objects.get()
    assert (record.status, record.person_rows, record.sha256) == (
        "ok",
        10,
        response["X-Content-SHA256"],
    )
    assert AccessEvent.objects.get(action="export").clients.count() == 10


def test_empty_selection_gets_a_message_not_an_empty_zip(as_user, granted_evaluator, team_a):
    response = as_user(granted_evaluator).post(reverse("outcomes-export"), _export_data(team_a))

    assert response.status_code == 200
    assert "no clients were served" in str(response.context["form"].non_field_errors())
    assert ExportRecord.objects.get().status == "refused"


@pytest.mark.parametrize(("field", "value"), [("k", 2), ("end", "2000-01-01"), ("teams", "x")])
def test_bad_export_parameters_are_refused(as_user, granted_evaluator, team_a, field, value):
    response = as_user(granted_evaluator).post(
        reverse("outcomes-export"), _export_data(team_a, **{field: value})
    )

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert ExportRecord.objects.count() == 0


def test_pseudonymised_mode_needs_its_own_permission(as_user, granted_evaluator, team_a):
    response = as_user(granted_evaluator).post(
        reverse("outcomes-export"), _export_data(team_a, mode="pseudonymised")
    )

    assert "mode" in response.context["form"].errors


@pytest.mark.parametrize("by", ["team", "organisation", "target_group", "coach"])
def test_breakdowns(as_user, lead, caseload, team_a, by):
    from ips.models import TargetGroup

    mine, theirs = caseload
    group = TargetGroup.objects.get(code="immigrants")
    for episode in mine[:3]:
        episode.target_groups.add(group)

    response = as_user(lead).get(reverse("outcomes-dashboard"), {**_quarter_params(), "by": by})

    rows = {row["group"]: (row["served"], row["working"]) for row in response.context["group_rows"]}
    expected = {
        "team": {team_a.name: (8, 2)},
        "organisation": {team_a.organisation.name: (8, 2)},
        "target_group": {group.name: (3, 1)},
        "coach": {str(mine[0].coach): (6, 1), str(theirs[0].coach): (2, 1)},
    }[by]
    assert rows == expected


def test_evaluators_cannot_break_down_by_coach(as_user, granted_evaluator, caseload):
    response = as_user(granted_evaluator).get(
        reverse("outcomes-dashboard"), {**_quarter_params(), "by": "coach"}
    )

    assert "by" in response.context["form"].errors
    assert response.context["by_label"] == "Team"
