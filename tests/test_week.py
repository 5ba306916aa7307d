import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ips.models import AccessEvent, EmployerContactReview
from ips.weekly import week_label, week_start

from .factories import EmployerContactFactory, EpisodeFactory, JobStartFactory, TeamFactory

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def test_coach_week_figures(as_user, owner, team_a):
    # Two active clients and one referral; one active client entered 45 days ago with no
    # employer contact, the other entered 45 days ago and was presented to an employer.
    waiting = EpisodeFactory(
        coach=owner,
        team=team_a,
        referral_date=today() - datetime.timedelta(days=50),
        accepted_date=today() - datetime.timedelta(days=45),
    )
    presented = EpisodeFactory(
        coach=owner,
        team=team_a,
        referral_date=today() - datetime.timedelta(days=50),
        accepted_date=today() - datetime.timedelta(days=45),
    )
    EpisodeFactory(coach=owner, team=team_a, accepted_date=None)
    monday = week_start(today())
    # This week: 2 face-to-face contacts (one about a client) and one phone call.
    EmployerContactFactory(
        coach=owner, team=team_a, date=monday, clients=[presented.client], kind="client"
    )
    EmployerContactFactory(coach=owner, team=team_a, date=today())
    EmployerContactFactory(coach=owner, team=team_a, date=today(), face_to_face=False)
    # Last week: 6 face to face, meeting the target.
    for day in range(6):
        EmployerContactFactory(
            coach=owner, team=team_a, date=monday - datetime.timedelta(days=7 - day % 5)
        )
    # A job started 2 days ago with no support contact yet: two checks are due.
    JobStartFactory(episode=presented, start_date=today() - datetime.timedelta(days=2))

    response = as_user(owner).get(reverse("coach-week"))

    week = response.context["week"]
    assert (week.caseload, week.referred) == (2, 1)
    assert [(c.count, c.met) for c in week.contact_weeks[-2:]] == [(6, True), (2, False)]
    assert [e.client for e in week.waiting] == [waiting.client]
    assert [(job.episode, [c.kind for c in due]) for job, due in week.support_due] == [
        (presented, ["before_start", "after_start", "weekly"])
    ]
    assert [job.episode for job in week.recent_starts] == [presented]
    event = AccessEvent.objects.get(user=owner)
    assert sorted(event.clients.values_list("client_id", flat=True)) == sorted(
        [waiting.client_id, presented.client_id]
    )


@pytest.mark.parametrize("rows", [1, 20])
def test_coach_week_query_count(as_user, owner, team_a, rows, django_assert_num_queries):
    for _ in range(rows):
        episode = EpisodeFactory(
            coach=owner,
            team=team_a,
            accepted_date=today() - datetime.timedelta(days=40),
            referral_date=today() - datetime.timedelta(days=41),
        )
        JobStartFactory(episode=episode, start_date=today() - datetime.timedelta(days=3))
        EmployerContactFactory(coach=owner, team=team_a)
    http = as_user(owner)
    http.get(reverse("coach-week"))  # warm-up: session bookkeeping of the first request

    with django_assert_num_queries(15):
        http.get(reverse("coach-week"))


def test_lead_sees_each_coach_of_the_team(as_user, lead, owner, colleague, other_coach, team_a):
    EpisodeFactory(coach=owner, team=team_a)
    EpisodeFactory(coach=colleague, team=team_a)
    EpisodeFactory(coach=other_coach)
    EmployerContactFactory(coach=owner, team=team_a, date=today())

    response = as_user(lead).get(reverse("team-week"))

    assert [(w.coach, w.caseload, w.this_week.count) for w in response.context["weeks"]] == sorted(
        [(owner, 1, 1), (colleague, 1, 0)], key=lambda row: (row[0].first_name, row[0].last_name)
    )
    assert [c.coach for c in response.context["contacts"]] == [owner]


@pytest.mark.parametrize("rows", [1, 20])
def test_team_week_query_count(as_user, lead, owner, team_a, rows, django_assert_num_queries):
    for _ in range(rows):
        episode = EpisodeFactory(coach=owner, team=team_a)
        JobStartFactory(episode=episode)
        EmployerContactFactory(coach=owner, team=team_a, clients=[episode.client], kind="client")
    http = as_user(lead)
    http.get(reverse("team-week"))  # warm-up: session bookkeeping of the first request

    with django_assert_num_queries(21):
        http.get(reverse("team-week"))


def test_lead_marks_the_weekly_log_reviewed(as_user, lead, team_a):
    monday = week_start(today()) - datetime.timedelta(weeks=1)

    response = as_user(lead).post(
        reverse("team-week-review"),
        {
            "team": team_a.pk,
            "week": (monday + datetime.timedelta(days=3)).isoformat(),
            "note": "Good variety",
        },
    )

    review = EmployerContactReview.objects.get()
    assert (review.team, review.week_start, review.reviewed_by, review.note) == (
        team_a,
        monday,
        lead,
        "Good variety",
    )
    assert response.url == f"{reverse('team-week')}?week={week_label(monday)}"


def test_coach_cannot_review_and_a_forged_team_is_refused(as_user, owner, lead):
    other_team = TeamFactory()
    data = {"team": other_team.pk, "week": today().isoformat()}

    assert as_user(owner).post(reverse("team-week-review"), data).status_code == 403
    assert as_user(lead).post(reverse("team-week-review"), data).status_code == 400
    assert as_user(owner).get(reverse("team-week")).status_code == 403
    assert EmployerContactReview.objects.count() == 0


@pytest.mark.parametrize("week", ["2026-W99", "garbage", "2026-W48", "0001-W01", "9999-W52"])
def test_week_parameter_never_crashes(as_user, lead, team_a, week):
    response = as_user(lead).get(reverse("team-week"), {"week": week})

    assert response.status_code == 200


def test_home_takes_each_role_to_its_landing_page(as_user, owner, lead, evaluator):
    assert as_user(owner).get(reverse("home")).url == reverse("coach-week")
    assert as_user(lead).get(reverse("home")).url == reverse("team-week")
    assert as_user(evaluator).get(reverse("home")).status_code == 200


def test_lead_week_never_shows_another_teams_clients(as_user, lead, owner, team_a, team_b):
    from tests.factories import MembershipFactory

    # The owner also works in team B; that team's client must not reach team A's lead.
    MembershipFactory(user=owner, team=team_b)
    other = EpisodeFactory(
        coach=owner,
        team=team_b,
        referral_date=today() - datetime.timedelta(days=50),
        accepted_date=today() - datetime.timedelta(days=45),
    )
    JobStartFactory(episode=other, start_date=today() - datetime.timedelta(days=2))

    response = as_user(lead).get(reverse("team-week"))

    body = response.content.decode()
    assert other.client.last_name not in body
    week = next(w for w in response.context["weeks"] if w.coach == owner)
    assert (week.caseload, week.waiting, week.support_due, week.recent_starts) == (0, [], [], [])
