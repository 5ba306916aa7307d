"""Persona tests for every fidelity URL: the team's lead, the assigned reviewers, an
unassigned reviewer, a coach, another team's lead, an evaluator, an administrator, anonymous."""

import pytest
from django.urls import get_resolver, reverse

from fidelity.models import Review
from ips.models import Membership
from tests.factories import MembershipFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

# URL name -> (method, expected status for: lead, assigned reviewer, admin)
REVIEW_URLS = {
    "review-detail": ("get", 200, 200, 200),
    "review-evidence": ("get", 200, 200, 200),
    "review-score": ("get", 403, 200, 403),
    "review-consensus": ("get", 403, 200, 403),
    "review-report": ("get", 403, 200, 403),
    "review-pdf": ("get", 200, 200, 200),
    "review-correct": ("post", 302, 302, 302),
}


def test_every_fidelity_url_is_covered():
    names = {
        name
        for name, patterns in get_resolver().reverse_dict.lists()
        if isinstance(name, str) and any("review_id" in p[0][0][1] for p in patterns)
    }

    assert names == set(REVIEW_URLS)


@pytest.fixture
def other_lead(db):
    user = UserFactory(username="otherlead", role="lead")
    MembershipFactory(user=user, team=TeamFactory(), role=Membership.Role.LEAD)
    return user


def _call(http, name, review):
    method = REVIEW_URLS[name][0]
    return getattr(http, method)(reverse(name, args=[review.pk]))


@pytest.mark.parametrize("name", sorted(REVIEW_URLS))
@pytest.mark.parametrize(("persona", "column"), [("lead", 1), ("reviewer_a", 2), ("admin_user", 3)])
def test_people_with_access(request, as_user, final_review, name, persona, column):
    user = request.getfixturevalue(persona)
    if name == "review-correct":
        # Each persona corrects its own copy; a review can be corrected only once.
        Review.objects.filter(supersedes=final_review).delete()

    response = _call(as_user(user), name, final_review)

    assert response.status_code == REVIEW_URLS[name][column]


@pytest.mark.parametrize("name", sorted(REVIEW_URLS))
@pytest.mark.parametrize(
    "persona", ["outsider_reviewer", "owner", "other_lead", "evaluator", "other_coach"]
)
def test_no_access_is_404(request, as_user, final_review, name, persona):
    user = request.getfixturevalue(persona)

    response = _call(as_user(user), name, final_review)

    assert response.status_code == 404


@pytest.mark.parametrize("name", sorted(REVIEW_URLS))
def test_anonymous_goes_to_login(client, final_review, name):
    response = _call(client, name, final_review)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_review_list_shows_only_visible_reviews(
    as_user, review, outsider_reviewer, reviewer_a, lead, owner
):
    assert [r.pk for r in as_user(reviewer_a).get(reverse("review-list")).context["reviews"]] == [
        review.pk
    ]
    assert [r.pk for r in as_user(lead).get(reverse("review-list")).context["reviews"]] == [
        review.pk
    ]
    assert as_user(outsider_reviewer).get(reverse("review-list")).context["reviews"] == []
    assert as_user(owner).get(reverse("review-list")).context["reviews"] == []


def test_only_leads_and_admins_create_reviews(as_user, owner, reviewer_a, evaluator, lead, team_b):
    for user in (owner, reviewer_a, evaluator):
        assert as_user(user).get(reverse("review-create")).status_code == 403
    form = as_user(lead).get(reverse("review-create")).context["form"]
    assert team_b not in form.fields["team"].queryset


@pytest.mark.parametrize("persona", ["owner", "other_lead", "evaluator", "reviewer_a"])
def test_team_trend_of_another_team_is_404(request, as_user, final_review, persona):
    user = request.getfixturevalue(persona)

    response = as_user(user).get(reverse("team-trend", args=[final_review.team_id]))

    assert response.status_code == 404


@pytest.mark.parametrize("rows", [1, 10])
def test_review_list_query_count(
    as_user, lead, team_a, reviewer_a, reviewer_b, rows, django_assert_num_queries
):
    import datetime

    from fidelity import services

    for n in range(rows):
        services.create_review(
            team=team_a,
            period_start=datetime.date(2025, 1, 1) + datetime.timedelta(days=n),
            period_end=datetime.date(2025, 6, 30),
            reviewers=[reviewer_a, reviewer_b],
            created_by=lead,
            scale_id="ips25-2019",
        )
    http = as_user(lead)
    http.get(reverse("review-list"))  # warm-up: session bookkeeping of the first request

    with django_assert_num_queries(8):
        http.get(reverse("review-list"))


def test_global_permission_does_not_open_a_review(as_user, outsider_reviewer, review):
    from django.contrib.auth.models import Permission

    outsider_reviewer.user_permissions.add(Permission.objects.get(codename="view_review"))

    assert (
        as_user(outsider_reviewer).get(reverse("review-detail", args=[review.pk])).status_code
        == 404
    )
