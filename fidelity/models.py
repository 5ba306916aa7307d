"""Fidelity reviews: one review of one team over a period, two reviewers' independent ratings,
consensus ratings, the report (strengths, recommendations, action plan) and versions.

The scale itself is data (``fidelity/scale.py``); a review stores the id of the scale version
it used, so a later version of the scale never changes an old review.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from ips.models import Team, User
from ips.models.constraints import CheckConstraint

from .scale import DEFAULT_SCALE, get_scale


class Review(models.Model):
    class Stage(models.TextChoices):
        SCORING = "scoring", _("Independent scoring")
        CONSENSUS = "consensus", _("Consensus")
        FINALISED = "finalised", _("Finalised")

    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="fidelity_reviews", verbose_name=_("team")
    )
    scale_id = models.CharField(_("scale version"), max_length=40, default=DEFAULT_SCALE)
    period_start = models.DateField(_("review period start"))
    period_end = models.DateField(_("review period end"))
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    strengths = models.TextField(_("strengths"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    finalised_at = models.DateTimeField(_("finalised"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("corrects"),
    )
    revision = models.PositiveIntegerField(
        default=0, help_text="Bumped on every consensus or report save, to detect lost updates."
    )

    class Meta:
        ordering = ["-period_end", "-version"]
        verbose_name = _("fidelity review")
        verbose_name_plural = _("fidelity reviews")
        permissions = [("score_review", "Can score the review as an assigned reviewer")]
        constraints = [
            CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="review_period_ordered",
                violation_error_message=_("The review period cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.period_start:%d.%m.%Y}–{self.period_end:%d.%m.%Y}"

    @property
    def scale(self):
        return get_scale(self.scale_id)

    @property
    def is_final(self) -> bool:
        return self.finalised_at is not None

    @property
    def is_current_version(self) -> bool:
        return not hasattr(self, "superseded_by")


class ReviewerAssignment(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="review_assignments")
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("reviewer assignment")
        verbose_name_plural = _("reviewer assignments")
        constraints = [
            models.UniqueConstraint(fields=["review", "reviewer"], name="assignment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} – {self.review}"


class Rating(models.Model):
    """One item's score: a reviewer's own (``reviewer`` set) or the consensus (no reviewer)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="ratings")
    reviewer = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    item = models.PositiveSmallIntegerField(_("item"))
    score = models.PositiveSmallIntegerField(
        _("score"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    rationale = models.TextField(_("rationale"), blank=True)
    elements = models.JSONField(_("elements present"), default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["item"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5),
                name="rating_score_1_to_5",
                violation_error_message=_("A score must be from 1 to 5."),
            ),
            models.UniqueConstraint(
                fields=["review", "reviewer", "item"],
                condition=Q(reviewer__isnull=False),
                name="rating_one_per_reviewer_item",
            ),
            models.UniqueConstraint(
                fields=["review", "item"],
                condition=Q(reviewer__isnull=True),
                name="rating_one_consensus_per_item",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.review} #{self.item}: {self.score}"


class ActionItem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="actions")
    item = models.PositiveSmallIntegerField(_("scale item"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=500)
    owner = models.CharField(_("owner"), max_length=200)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.OPEN)

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("action plan item")
        verbose_name_plural = _("action plan")

    def __str__(self) -> str:
        return self.action


class ReviewUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Review, on_delete=models.CASCADE)


class ReviewGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Review, on_delete=models.CASCADE)
