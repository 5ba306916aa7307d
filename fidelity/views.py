"""Fidelity review pages. Every view starts from ``fidelity.queries``; no access is 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms import modelformset_factory
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ips import audit
from ips.audit import Action
from ips.models import Team

from . import queries, scoring, services
from .evidence import evidence_pack
from .forms import ActionItemForm, ConsensusForm, RatingsForm, ReportForm, ReviewCreateForm
from .models import ActionItem, Review


def _scores(ratings) -> dict[int, int | None]:
    return {number: rating.score for number, rating in ratings.items()}


def _review_context(review: Review) -> dict:
    ratings = queries.ratings_by_reviewer(review)
    consensus = ratings.get(None, {})
    return {
        "review": review,
        "scale": review.scale,
        "stage": queries.stage(review),
        "assignments": list(review.assignments.select_related("reviewer")),
        "consensus": consensus,
        "result": scoring.total_and_band(review.scale, _scores(consensus)),
    }


@login_required
@require_GET
def review_list(request: HttpRequest) -> HttpResponse:
    reviews = list(queries.review_rows(request.user))
    for review in reviews:
        review.stage_label = Review.Stage(queries.stage(review)).label
    return render(
        request,
        "fidelity/review_list.html",
        {
            "reviews": reviews,
            "can_create": queries.teams_for_reviews(request.user).exists(),
            "teams": queries.teams_for_reviews(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_create(request: HttpRequest) -> HttpResponse:
    if not queries.teams_for_reviews(request.user).exists():
        raise PermissionDenied
    form = ReviewCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.create_review(
                team=form.cleaned_data["team"],
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
                reviewers=[form.cleaned_data["reviewer_1"], form.cleaned_data["reviewer_2"]],
                created_by=request.user,
                scale_id=form.cleaned_data["scale_id"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Review created and the reviewers assigned."))
            return redirect("review-detail", review.pk)
    return render(request, "fidelity/review_form.html", {"form": form})


@login_required
@require_GET
def review_detail(request: HttpRequest, review_id: int) -> HttpResponse:
    review = queries.get_review_for_user(request.user, review_id)
    context = _review_context(review)
    context["assignment"] = queries.assignment_for(review, request.user)
    context["can_manage"] = queries.can_manage(request.user, review)
    context["actions"] = list(review.actions.all())
    return render(request, "fidelity/review_detail.html", context)


@login_required
@require_GET
def review_evidence(request: HttpRequest, review_id: int) -> HttpResponse:
    """The evidence pack on its own page, for the lead and the reviewers."""
    review = queries.get_review_for_user(request.user, review_id)
    evidence = evidence_pack(review.scale, review.team, review.period_start, review.period_end)
    return render(
        request, "fidelity/review_evidence.html", {"review": review, "evidence": evidence}
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_score(request: HttpRequest, review_id: int) -> HttpResponse:
    """A reviewer's own, independent scoring, with the evidence pack beside the numeric items.
    The other reviewer's scores are not shown here at all."""
    review = queries.get_review_for_user(request.user, review_id)
    assignment = queries.assignment_for(review, request.user)
    if assignment is None:
        raise PermissionDenied
    own = queries.ratings_by_reviewer(review).get(request.user.pk, {})
    form = RatingsForm(request.POST or None, scale=review.scale, ratings=own)
    locked = assignment.submitted_at is not None or review.is_final
    if request.method == "POST" and not locked and form.is_valid():
        submit = "submit" in request.POST
        try:
            services.save_own_ratings(
                review=review, reviewer=request.user, ratings=form.ratings(), submit=submit
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Scores submitted.") if submit else _("Draft saved."))
            return redirect("review-detail" if submit else "review-score", review.pk)
    evidence = evidence_pack(review.scale, review.team, review.period_start, review.period_end)
    return render(
        request,
        "fidelity/review_score.html",
        {"review": review, "form": form, "evidence": evidence, "locked": locked},
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_consensus(request: HttpRequest, review_id: int) -> HttpResponse:
    """Both reviewers' scores side by side, differences marked; consensus per item."""
    review = queries.get_review_for_user(request.user, review_id)
    if queries.assignment_for(review, request.user) is None:
        raise PermissionDenied
    if queries.stage(review) == Review.Stage.SCORING:
        messages.error(request, _("Consensus starts when both reviewers have submitted."))
        return redirect("review-detail", review.pk)
    ratings = queries.ratings_by_reviewer(review)
    assignments = list(review.assignments.select_related("reviewer"))
    first, second = (ratings.get(a.reviewer_id, {}) for a in assignments)
    initial = ratings.get(None) or {
        number: rating
        for number, rating in first.items()
        if number in second and second[number].score == rating.score
    }
    form = ConsensusForm(
        request.POST or None,
        scale=review.scale,
        ratings=initial,
        initial={"revision": review.revision},
    )
    if request.method == "POST" and not review.is_final and form.is_valid():
        try:
            services.save_consensus(
                review=review,
                ratings=form.ratings(),
                expected_revision=form.cleaned_data["revision"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Consensus scores saved."))
            return redirect("review-consensus", review.pk)
    rows = [
        (item, first.get(item.number), second.get(item.number), score, rationale, elements)
        for item, score, rationale, elements in form.rows()
    ]
    differ = scoring.differences(_scores(first), _scores(second))
    return render(
        request,
        "fidelity/review_consensus.html",
        {
            "review": review,
            "form": form,
            "rows": rows,
            "differ": differ,
            "assignments": assignments,
            "result": scoring.total_and_band(review.scale, _scores(ratings.get(None, {}))),
        },
    )


ActionFormSet = modelformset_factory(ActionItem, form=ActionItemForm, extra=2, can_delete=True)


@login_required
@require_http_methods(["GET", "POST"])
def review_report(request: HttpRequest, review_id: int) -> HttpResponse:
    """Strengths, recommendations and the action plan; then finalise."""
    review = queries.get_review_for_user(request.user, review_id)
    if queries.assignment_for(review, request.user) is None:
        raise PermissionDenied
    if queries.stage(review) == Review.Stage.SCORING:
        return redirect("review-detail", review.pk)
    data = request.POST or None
    form = ReportForm(data, instance=review, initial={"revision": review.revision})
    formset = ActionFormSet(
        data,
        queryset=review.actions.all(),
        form_kwargs={"scale": review.scale},
        prefix="actions",
    )
    if request.method == "POST" and not review.is_final and form.is_valid() and formset.is_valid():
        try:
            # One transaction: a refused finalisation saves nothing of the report either.
            with transaction.atomic():
                services.save_report(
                    review=review,
                    strengths=form.cleaned_data["strengths"],
                    recommendations=form.cleaned_data["recommendations"],
                    expected_revision=form.cleaned_data["revision"],
                )
                for action in formset.save(commit=False):
                    action.review = review
                    action.save()
                for action in formset.deleted_objects:
                    action.delete()
                if "finalise" in request.POST:
                    services.finalise(review=review)
        except ValidationError as error:
            review.refresh_from_db()
            form.add_error(None, error)
        else:
            if review.is_final:
                messages.success(request, _("The review is finalised."))
                return redirect("review-detail", review.pk)
            messages.success(request, _("Report saved."))
            return redirect("review-report", review.pk)
    return render(
        request,
        "fidelity/review_report.html",
        {"review": review, "form": form, "formset": formset, **_review_context(review)},
    )


@login_required
@require_POST
def review_correct(request: HttpRequest, review_id: int) -> HttpResponse:
    review = queries.get_review_for_user(request.user, review_id)
    if not (
        queries.can_manage(request.user, review) or queries.assignment_for(review, request.user)
    ):
        raise PermissionDenied
    try:
        correction = services.create_correction(review=review, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("review-detail", review.pk)
    messages.success(
        request,
        _("Version %(n)s created; the earlier version is kept.") % {"n": correction.version},
    )
    return redirect("review-detail", correction.pk)


@login_required
@require_GET
def review_pdf(request: HttpRequest, review_id: int) -> HttpResponse:
    review = queries.get_review_for_user(request.user, review_id)
    from .pdf import build_review_pdf  # reportlab loads only when a report is asked for

    previous = queries.previous_final_review(review)
    content = build_review_pdf(review, previous=previous)
    audit.record(request, Action.PRINT, [], what=f"fidelity review {review.pk} PDF")
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"fidelity-{review.team_id}-{review.period_end:%Y%m%d}-v{review.version}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def team_trend(request: HttpRequest, team_id: int) -> HttpResponse:
    """The trend of the total and of each item across a team's finalised reviews."""
    team = get_object_or_404(
        Team.objects.filter(pk__in=queries.teams_for_reviews(request.user)), pk=team_id
    )
    reviews = list(queries.finalised_reviews(team))
    columns = []
    for review in reviews:
        scores = {r.item: r.score for r in review.ratings.all() if r.reviewer_id is None}
        columns.append((review, scores, scoring.total_and_band(review.scale, scores)))
    last = columns[-1] if columns else None
    next_due = scoring.next_review_due(
        last[0].period_end if last else None, last[2].total if last and last[2] else None
    )
    scale = reviews[-1].scale if reviews else None
    rows = (
        [(item, [scores.get(item.number) for _, scores, _ in columns]) for item in scale.items]
        if scale
        else []
    )
    return render(
        request,
        "fidelity/team_trend.html",
        {"team": team, "columns": columns, "rows": rows, "next_due": next_due},
    )
