"""Scoped reads of fidelity reviews.

* A team lead sees the reviews of the teams they lead.
* A fidelity reviewer sees the reviews they are assigned to: a guardian object permission
  (``fidelity.view_review``, always with ``accept_global_perms=False``).
* An administrator sees every review. Reviews hold aggregates only, never client identities.
* Nobody else sees reviews. No access means 404.
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from guardian.shortcuts import get_objects_for_user

from ips.models import Team, User
from ips.queries import lead_team_ids

from .models import Rating, Review, ReviewerAssignment


def is_admin(user: User) -> bool:
    return user.is_active and (user.is_superuser or user.role == User.Role.ADMIN)


def teams_for_reviews(user: User) -> QuerySet[Team]:
    """Teams the user may create reviews for."""
    if is_admin(user):
        return Team.objects.all()
    return Team.objects.filter(id__in=lead_team_ids(user))


def reviews_for_user(user: User) -> QuerySet[Review]:
    if not user.is_authenticated or not user.is_active:
        return Review.objects.none()
    if is_admin(user):
        return Review.objects.all()
    assigned = get_objects_for_user(
        user,
        "fidelity.view_review",
        klass=Review.objects.filter(
            Exists(ReviewerAssignment.objects.filter(review=OuterRef("pk"), reviewer=user))
        ),
        accept_global_perms=False,
        with_superuser=False,
    ).values("pk")
    return Review.objects.filter(Q(team_id__in=lead_team_ids(user)) | Q(pk__in=assigned))


def review_rows(user: User) -> QuerySet[Review]:
    return (
        reviews_for_user(user)
        .select_related("team", "team__organisation")
        .annotate(
            reviewers=Count("assignments", distinct=True),
            submitted=Count(
                "assignments", filter=Q(assignments__submitted_at__isnull=False), distinct=True
            ),
        )
        .order_by("team__name", "-period_end", "-version")
    )


def get_review_for_user(user: User, pk: int | str) -> Review:
    try:
        return review_rows(user).get(pk=int(pk))
    except (Review.DoesNotExist, TypeError, ValueError, OverflowError):
        raise Http404 from None


def stage(review: Review) -> str:
    """Where the review is: from a row annotated by ``review_rows``."""
    if review.finalised_at is not None:
        return Review.Stage.FINALISED
    if review.reviewers and review.submitted == review.reviewers:
        return Review.Stage.CONSENSUS
    return Review.Stage.SCORING


def assignment_for(review: Review, user: User) -> ReviewerAssignment | None:
    return ReviewerAssignment.objects.filter(review=review, reviewer=user).first()


def can_manage(user: User, review: Review) -> bool:
    """Leads of the team and administrators manage a review (create, correct)."""
    return is_admin(user) or review.team_id in set(
        lead_team_ids(user).values_list("team_id", flat=True)
    )


def ratings_by_reviewer(review: Review) -> dict[int | None, dict[int, Rating]]:
    """{reviewer id or None for consensus: {item: Rating}} in one query."""
    result: dict[int | None, dict[int, Rating]] = {}
    for rating in Rating.objects.filter(review=review):
        result.setdefault(rating.reviewer_id, {})[rating.item] = rating
    return result


def finalised_reviews(team: Team) -> QuerySet[Review]:
    """The current version of each finalised review of the team, oldest first (for trends)."""
    return (
        Review.objects.filter(team=team, finalised_at__isnull=False)
        .exclude(superseded_by__finalised_at__isnull=False)
        .prefetch_related("ratings")
        .order_by("period_end")
    )


def previous_final_review(review: Review) -> Review | None:
    """The team's latest finalised review before this one (current versions only)."""
    return (
        Review.objects.filter(
            team=review.team,
            finalised_at__isnull=False,
            period_end__lt=review.period_end,
        )
        .exclude(superseded_by__finalised_at__isnull=False)
        .order_by("-period_end")
        .first()
    )
