"""The main pages of every role and a small world of records that fills them.

Shared by the accessibility and the small-screen tests, so both visit the same pages."""

from __future__ import annotations

import datetime

from django.utils import timezone

from fidelity import services as fidelity_services
from fidelity.services import RatingInput
from ips.models import Membership, User
from outcomes.models import EvaluationGrant
from tests.factories import (
    CareerProfileVersionFactory,
    ContactFactory,
    EmployerContactFactory,
    EmployerFactory,
    EpisodeFactory,
    JobStartFactory,
    MembershipFactory,
    TeamFactory,
    UserFactory,
)

PASSWORD = "correct horse battery"


def build_world() -> dict:
    """Two coaches' clients with contacts, a job due for follow-along support, employer
    contacts, a lead, an evaluator with a grant and two fidelity reviews (one being scored, one
    at consensus)."""
    today = timezone.localdate()
    team = TeamFactory(name="IPS-tiimi Tampere")
    coach = UserFactory(username="coach", role=User.Role.COACH, first_name="Kaisa")
    MembershipFactory(user=coach, team=team)
    lead = UserFactory(username="teamlead", role=User.Role.LEAD)
    MembershipFactory(user=lead, team=team, role=Membership.Role.LEAD)
    evaluator = UserFactory(username="evaluator", role=User.Role.EVALUATOR)
    EvaluationGrant.objects.create(evaluator=evaluator, organisation=team.organisation)
    reviewers = [UserFactory(username=f"reviewer_{n}", role=User.Role.REVIEWER) for n in (1, 2)]

    episodes = []
    for n in range(6):
        start = today - datetime.timedelta(days=40 + 30 * n)
        episodes.append(
            EpisodeFactory(
                coach=coach,
                team=team,
                referral_date=start,
                accepted_date=start + datetime.timedelta(days=2),
                client__first_name=f"Asiakas{n}",
                client__last_name="Virtanen",
            )
        )
    client = episodes[0].client
    CareerProfileVersionFactory(client=client, created_by=coach, strengths="Täsmällinen")
    ContactFactory(episode=episodes[0], note="Ensitapaaminen kahvilassa")
    ContactFactory(episode=episodes[0], date=today - datetime.timedelta(days=7))
    employer = EmployerFactory(organisation=team.organisation, name="Kesko Oyj")
    JobStartFactory(
        episode=episodes[1],
        employer=employer,
        start_date=today - datetime.timedelta(days=30),
    )
    for weeks_ago in range(0, 8, 2):
        EmployerContactFactory(
            coach=coach,
            team=team,
            employer=employer,
            date=today - datetime.timedelta(weeks=weeks_ago),
            clients=[client],
        )

    period = (today - datetime.timedelta(days=180), today - datetime.timedelta(days=1))
    scoring = fidelity_services.create_review(
        team=team,
        period_start=period[0],
        period_end=period[1],
        reviewers=reviewers,
        created_by=lead,
        scale_id="ips25-2019",
    )
    consensus = fidelity_services.create_review(
        team=team,
        period_start=period[0] - datetime.timedelta(days=365),
        period_end=period[1] - datetime.timedelta(days=365),
        reviewers=reviewers,
        created_by=lead,
        scale_id="ips25-2019",
    )
    for reviewer, score in zip(reviewers, (4, 3), strict=True):
        ratings = {n: RatingInput(score if n % 5 else 5) for n in range(1, 26)}
        fidelity_services.save_own_ratings(
            review=consensus, reviewer=reviewer, ratings=ratings, submit=True
        )
    return {
        "team": team,
        "client": client,
        "scoring_review": scoring,
        "consensus_review": consensus,
    }


def main_pages(world: dict) -> dict[str, list[tuple[str, str]]]:
    """Role's username → [(page name, URL)]; None for the login page, seen signed out."""
    client = world["client"].pk
    return {
        "": [("login", "/login/")],
        "coach": [
            ("coach's week", "/"),
            ("caseload", "/clients/"),
            ("client detail", f"/clients/{client}/"),
            ("contact logging", f"/clients/{client}/contacts/new/"),
            ("employer contact logging", "/employer-contacts/new/"),
            ("job start form", f"/clients/{client}/jobs/new/"),
            ("outcomes dashboard (coach)", "/outcomes/"),
        ],
        "teamlead": [
            ("lead's week", "/team/week/"),
            ("caseload (lead)", "/clients/"),
            ("outcomes dashboard (lead)", "/outcomes/"),
        ],
        "reviewer_1": [
            ("fidelity scoring", f"/fidelity/{world['scoring_review'].pk}/score/"),
            ("fidelity consensus", f"/fidelity/{world['consensus_review'].pk}/consensus/"),
        ],
        "evaluator": [
            ("outcomes dashboard", "/outcomes/"),
            ("evaluation export", "/outcomes/export/"),
        ],
    }
