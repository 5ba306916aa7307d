import datetime

import pytest

from fidelity import services
from fidelity.services import RatingInput
from ips.models import User
from tests.factories import UserFactory


@pytest.fixture
def reviewer_a(db):
    return UserFactory(username="reviewer_a", role=User.Role.REVIEWER, first_name="Anna")


@pytest.fixture
def reviewer_b(db):
    return UserFactory(username="reviewer_b", role=User.Role.REVIEWER, first_name="Bertil")


@pytest.fixture
def outsider_reviewer(db):
    return UserFactory(username="reviewer_c", role=User.Role.REVIEWER)


@pytest.fixture
def review(team_a, lead, reviewer_a, reviewer_b):
    return services.create_review(
        team=team_a,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 6, 30),
        reviewers=[reviewer_a, reviewer_b],
        created_by=lead,
        scale_id="ips25-2019",
    )


def all_items(score, rationale="Evidence seen"):
    return {n: RatingInput(score, rationale) for n in range(1, 26)}


@pytest.fixture
def submitted_review(review, reviewer_a, reviewer_b):
    services.save_own_ratings(review=review, reviewer=reviewer_a, ratings=all_items(4), submit=True)
    ratings = all_items(4)
    ratings[7] = RatingInput(3, "No backup")
    services.save_own_ratings(review=review, reviewer=reviewer_b, ratings=ratings, submit=True)
    return review


@pytest.fixture
def final_review(submitted_review):
    services.save_consensus(review=submitted_review, ratings=all_items(4), expected_revision=0)
    submitted_review.refresh_from_db()
    return services.finalise(review=submitted_review)
