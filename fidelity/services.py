"""Writes of the fidelity review workflow. Each is one transaction; each refuses what the
workflow does not allow at that stage, with a message for the user."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from ips.models import Team, User

from . import scoring
from .models import ActionItem, Rating, Review, ReviewerAssignment
from .scale import get_scale

REVIEWER_PERMISSIONS = ("fidelity.view_review", "fidelity.score_review")


class ConflictError(ValidationError):
    """Someone else saved the same review since this form was loaded."""


@dataclass(frozen=True)
class RatingInput:
    score: int | None
    rationale: str = ""
    elements: tuple[str, ...] = ()


def _require_open(review: Review) -> None:
    if review.is_final:
        raise ValidationError(
            _("The review is finalised and read-only. Create a correction to change it."),
            code="final",
        )


def _bump_revision(review: Review, expected: int) -> None:
    """Optimistic lock: fail if the review changed since ``expected`` was read."""
    updated = Review.objects.filter(pk=review.pk, revision=expected).update(
        revision=F("revision") + 1
    )
    if not updated:
        raise ConflictError(
            _(
                "Someone else saved this review while you were editing. Your changes were not "
                "saved: reload the page to see theirs, then make your changes again."
            ),
            code="conflict",
        )
    review.revision = expected + 1


@transaction.atomic
def create_review(
    *,
    team: Team,
    period_start: datetime.date,
    period_end: datetime.date,
    reviewers: list[User],
    created_by: User,
    scale_id: str,
) -> Review:
    get_scale(scale_id)
    if len({r.pk for r in reviewers}) != 2:
        raise ValidationError(_("Assign two different reviewers."), code="reviewers")
    review = Review(
        team=team,
        period_start=period_start,
        period_end=period_end,
        created_by=created_by,
        scale_id=scale_id,
    )
    review.full_clean()
    review.save()
    for reviewer in reviewers:
        ReviewerAssignment.objects.create(review=review, reviewer=reviewer)
        for perm in REVIEWER_PERMISSIONS:
            assign_perm(perm, reviewer, review)
    return review


def _checked(review: Review, ratings: Mapping[int, RatingInput]) -> dict[int, RatingInput]:
    """Validate scores against the scale; checklist items take their score from elements."""
    scale = review.scale
    result = {}
    for number, rating in ratings.items():
        if number not in scale.numbers:
            raise ValidationError(_("Unknown scale item %(n)s.") % {"n": number}, code="item")
        item = scale.item(number)
        score = rating.score
        if item.kind == "checklist" and rating.elements:
            score = scoring.score_checklist(item, rating.elements)
        if score is not None:
            try:
                scoring.validate_score(scale, score)
            except scoring.ScoringError:
                raise ValidationError(
                    _("Item %(n)s: a score must be a whole number from 1 to 5.") % {"n": number},
                    code="score",
                ) from None
        result[number] = RatingInput(score, rating.rationale, tuple(rating.elements))
    return result


def _store(review: Review, reviewer: User | None, ratings: Mapping[int, RatingInput]) -> None:
    for number, rating in ratings.items():
        Rating.objects.update_or_create(
            review=review,
            reviewer=reviewer,
            item=number,
            defaults={
                "score": rating.score,
                "rationale": rating.rationale,
                "elements": list(rating.elements),
            },
        )


@transaction.atomic
def save_own_ratings(
    *, review: Review, reviewer: User, ratings: Mapping[int, RatingInput], submit: bool
) -> ReviewerAssignment:
    """Save a reviewer's independent ratings; ``submit`` locks them in (all items needed)."""
    _require_open(review)
    assignment = ReviewerAssignment.objects.select_for_update().get(
        review=review, reviewer=reviewer
    )
    if assignment.submitted_at is not None:
        raise ValidationError(
            _("You have submitted your scores; they can no longer be changed."), code="submitted"
        )
    checked = _checked(review, ratings)
    if submit:
        missing = [
            n for n in review.scale.numbers if checked.get(n, RatingInput(None)).score is None
        ]
        if missing:
            raise ValidationError(
                _("Score every item before submitting. Missing: %(items)s.")
                % {"items": ", ".join(map(str, missing))},
                code="incomplete",
            )
    _store(review, reviewer, checked)
    if submit:
        assignment.submitted_at = timezone.now()
        assignment.save(update_fields=["submitted_at"])
    return assignment


def both_submitted(review: Review) -> bool:
    assignments = list(review.assignments.all())
    return len(assignments) == 2 and all(a.submitted_at for a in assignments)


@transaction.atomic
def save_consensus(
    *, review: Review, ratings: Mapping[int, RatingInput], expected_revision: int
) -> None:
    _require_open(review)
    if not both_submitted(review):
        raise ValidationError(
            _("Consensus starts when both reviewers have submitted their scores."),
            code="not_ready",
        )
    _bump_revision(review, expected_revision)
    _store(review, None, _checked(review, ratings))


@transaction.atomic
def save_report(
    *,
    review: Review,
    strengths: str,
    recommendations: str,
    expected_revision: int,
) -> None:
    _require_open(review)
    _bump_revision(review, expected_revision)
    Review.objects.filter(pk=review.pk).update(strengths=strengths, recommendations=recommendations)
    review.strengths, review.recommendations = strengths, recommendations


@transaction.atomic
def finalise(*, review: Review) -> Review:
    _require_open(review)
    scores = dict(
        Rating.objects.filter(review=review, reviewer__isnull=True).values_list("item", "score")
    )
    if scoring.total_and_band(review.scale, scores) is None:
        raise ValidationError(
            _("Every item needs a consensus score before the review can be finalised."),
            code="incomplete",
        )
    review.finalised_at = timezone.now()
    review.save(update_fields=["finalised_at"])
    return review


@transaction.atomic
def create_correction(*, review: Review, by: User) -> Review:
    """A new version of a finalised review, with everything copied; the old one stays."""
    if not review.is_final:
        raise ValidationError(_("Only a finalised review can be corrected."), code="not_final")
    Review.objects.select_for_update().filter(pk=review.pk).first()  # one correction at a time
    if Review.objects.filter(supersedes=review).exists():
        raise ValidationError(_("This review has already been corrected."), code="corrected")
    correction = Review.objects.create(
        team=review.team,
        scale_id=review.scale_id,
        period_start=review.period_start,
        period_end=review.period_end,
        created_by=by,
        strengths=review.strengths,
        recommendations=review.recommendations,
        version=review.version + 1,
        supersedes=review,
    )
    for assignment in review.assignments.all():
        ReviewerAssignment.objects.create(
            review=correction, reviewer=assignment.reviewer, submitted_at=assignment.submitted_at
        )
        for perm in REVIEWER_PERMISSIONS:
            assign_perm(perm, assignment.reviewer, correction)
    Rating.objects.bulk_create(
        Rating(
            review=correction,
            reviewer=r.reviewer,
            item=r.item,
            score=r.score,
            rationale=r.rationale,
            elements=r.elements,
        )
        for r in review.ratings.all()
    )
    ActionItem.objects.bulk_create(
        ActionItem(
            review=correction,
            item=a.item,
            action=a.action,
            owner=a.owner,
            due_date=a.due_date,
            status=a.status,
        )
        for a in review.actions.all()
    )
    return correction
