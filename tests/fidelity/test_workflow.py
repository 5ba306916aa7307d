"""The review workflow: independent scoring, consensus, report, finalise, correct."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fidelity import services
from fidelity.models import Rating, Review
from fidelity.services import ConflictError, RatingInput

from .conftest import all_items

pytestmark = pytest.mark.django_db


def _form_data(score, rationale="ok", prefix_extra=None):
    data = {}
    for n in range(1, 26):
        data[f"score_{n}"] = str(score)
        data[f"rationale_{n}"] = rationale
    data.update(prefix_extra or {})
    return data


def test_lead_creates_a_review_and_assigns_two_reviewers(
    as_user, lead, team_a, reviewer_a, reviewer_b
):
    response = as_user(lead).post(
        reverse("review-create"),
        {
            "team": team_a.pk,
            "scale_id": "ips25-2019",
            "period_start": "2026-01-01",
            "period_end": "2026-06-30",
            "reviewer_1": reviewer_a.pk,
            "reviewer_2": reviewer_b.pk,
        },
    )

    review = Review.objects.get()
    assert response.url == reverse("review-detail", args=[review.pk])
    assert sorted(a.reviewer.username for a in review.assignments.all()) == [
        "reviewer_a",
        "reviewer_b",
    ]
    assert reviewer_a.has_perm("fidelity.score_review", review)
    assert not reviewer_a.has_perm("fidelity.score_review")  # object permission only


def test_the_same_reviewer_twice_is_refused(as_user, lead, team_a, reviewer_a):
    response = as_user(lead).post(
        reverse("review-create"),
        {
            "team": team_a.pk,
            "scale_id": "ips25-2019",
            "period_start": "2026-01-01",
            "period_end": "2026-06-30",
            "reviewer_1": reviewer_a.pk,
            "reviewer_2": reviewer_a.pk,
        },
    )

    assert response.context["form"].errors["reviewer_2"] == ["Choose two different reviewers."]
    assert Review.objects.count() == 0


def test_reviewer_saves_a_draft_then_submits(as_user, review, reviewer_a):
    http = as_user(reviewer_a)
    draft = _form_data(4)
    del draft["score_25"]

    http.post(reverse("review-score", args=[review.pk]), {**draft, "save": "1"})
    refused = http.post(reverse("review-score", args=[review.pk]), {**draft, "submit": "1"})

    assert "Score every item before submitting. Missing: 25." in str(
        refused.context["form"].non_field_errors()
    )
    assert Rating.objects.filter(reviewer=reviewer_a, score=4).count() == 24
    http.post(reverse("review-score", args=[review.pk]), {**_form_data(4), "submit": "1"})
    assert review.assignments.get(reviewer=reviewer_a).submitted_at is not None


def test_reviewer_does_not_see_the_other_scores_before_both_submit(
    as_user, review, reviewer_a, reviewer_b
):
    services.save_own_ratings(
        review=review, reviewer=reviewer_b, ratings=all_items(2, "SECRET-B"), submit=True
    )

    score_page = as_user(reviewer_a).get(reverse("review-score", args=[review.pk]))
    consensus_page = as_user(reviewer_a).get(reverse("review-consensus", args=[review.pk]))

    assert "SECRET-B" not in score_page.content.decode()
    assert consensus_page.status_code == 302


def test_submitted_scores_cannot_change(review, reviewer_a):
    services.save_own_ratings(review=review, reviewer=reviewer_a, ratings=all_items(4), submit=True)

    with pytest.raises(ValidationError):
        services.save_own_ratings(
            review=review, reviewer=reviewer_a, ratings=all_items(5), submit=False
        )


@pytest.mark.parametrize("bad", ["0", "6", "x"])
def test_score_outside_1_to_5_is_refused(as_user, review, reviewer_a, bad):
    data = _form_data(4)
    data["score_3"] = bad

    response = as_user(reviewer_a).post(reverse("review-score", args=[review.pk]), data)

    assert "score_3" in response.context["form"].errors
    assert Rating.objects.count() == 0


def test_checklist_score_comes_from_the_elements(review, reviewer_a):
    ratings = all_items(4)
    ratings[5] = RatingInput(None, "", ("a", "b", "c"))

    services.save_own_ratings(review=review, reviewer=reviewer_a, ratings=ratings, submit=False)

    assert Rating.objects.get(reviewer=reviewer_a, item=5).score == 3


def test_consensus_before_both_submitted_is_refused(review, reviewer_a):
    services.save_own_ratings(review=review, reviewer=reviewer_a, ratings=all_items(4), submit=True)

    with pytest.raises(ValidationError, match="both reviewers"):
        services.save_consensus(review=review, ratings=all_items(4), expected_revision=0)


def test_consensus_screen_marks_differences(as_user, submitted_review, reviewer_a):
    response = as_user(reviewer_a).get(reverse("review-consensus", args=[submitted_review.pk]))

    assert response.context["differ"] == {7}
    assert "No backup" in response.content.decode()


def test_concurrent_consensus_edits_are_detected(submitted_review):
    services.save_consensus(review=submitted_review, ratings=all_items(4), expected_revision=0)

    with pytest.raises(ConflictError):
        services.save_consensus(review=submitted_review, ratings=all_items(3), expected_revision=0)

    assert set(Rating.objects.filter(reviewer__isnull=True).values_list("score", flat=True)) == {4}


def test_second_editor_is_told_and_nothing_is_overwritten(
    as_user, submitted_review, reviewer_a, reviewer_b
):
    stale = _form_data(3, prefix_extra={"revision": "0"})
    as_user(reviewer_a).post(
        reverse("review-consensus", args=[submitted_review.pk]),
        _form_data(4, prefix_extra={"revision": "0"}),
    )

    response = as_user(reviewer_b).post(
        reverse("review-consensus", args=[submitted_review.pk]), stale
    )

    assert "Someone else saved this review" in str(response.context["form"].non_field_errors())
    assert set(Rating.objects.filter(reviewer__isnull=True).values_list("score", flat=True)) == {4}


def test_finalise_needs_every_consensus_score(submitted_review):
    ratings = all_items(4)
    ratings[25] = RatingInput(None)
    services.save_consensus(review=submitted_review, ratings=ratings, expected_revision=0)

    with pytest.raises(ValidationError, match="Every item needs a consensus score"):
        services.finalise(review=submitted_review)


def test_report_and_finalise_through_the_page(as_user, submitted_review, reviewer_a):
    services.save_consensus(review=submitted_review, ratings=all_items(4), expected_revision=0)
    data = {
        "strengths": "Strong employer contacts",
        "recommendations": "Weekly group supervision",
        "revision": "1",
        "actions-TOTAL_FORMS": "1",
        "actions-INITIAL_FORMS": "0",
        "actions-0-item": "7",
        "actions-0-action": "Start weekly unit meetings",
        "actions-0-owner": "Lead",
        "actions-0-due_date": "2026-09-30",
        "actions-0-status": "open",
        "finalise": "1",
    }

    response = as_user(reviewer_a).post(reverse("review-report", args=[submitted_review.pk]), data)

    submitted_review.refresh_from_db()
    assert response.url == reverse("review-detail", args=[submitted_review.pk])
    assert submitted_review.is_final
    assert submitted_review.strengths == "Strong employer contacts"
    assert [(a.item, a.action) for a in submitted_review.actions.all()] == [
        (7, "Start weekly unit meetings")
    ]


def test_a_finalised_review_is_read_only(final_review, reviewer_a):
    with pytest.raises(ValidationError, match="read-only"):
        services.save_consensus(review=final_review, ratings=all_items(5), expected_revision=1)


def test_correction_creates_a_new_version_and_keeps_the_old(as_user, final_review, lead):
    response = as_user(lead).post(reverse("review-correct", args=[final_review.pk]))

    correction = Review.objects.get(supersedes=final_review)
    assert response.url == reverse("review-detail", args=[correction.pk])
    assert (correction.version, correction.is_final) == (2, False)
    assert correction.ratings.count() == final_review.ratings.count() == 75
    final_review.refresh_from_db()
    assert final_review.is_final


def test_trend_and_next_review_due(as_user, lead, final_review, team_a):
    response = as_user(lead).get(reverse("team-trend", args=[team_a.pk]))

    review, scores, result = response.context["columns"][0]
    assert (review, result.total, result.band.code) == (final_review, 100, "good")
    assert response.context["next_due"] == datetime.date(2027, 6, 30)


def test_pdf_report_has_total_band_and_finnish_item_names(final_review, lead, as_user):
    import io

    from pypdf import PdfReader

    from ips.models import AccessEvent

    response = as_user(lead).get(reverse("review-pdf", args=[final_review.pk]))

    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    with __import__("django.utils.translation", fromlist=["override"]).override("fi"):
        finnish_names = [final_review.scale.item(n).name for n in (1, 15, 17)]
    text = " ".join(page.extract_text() for page in reader.pages)
    normalised = " ".join(text.split())
    assert "100 / 125" in normalised
    assert "Good fidelity" in normalised
    assert AccessEvent.objects.get(action="print").what == f"fidelity review {final_review.pk} PDF"
    finnish = as_user(lead)
    finnish.defaults["HTTP_ACCEPT_LANGUAGE"] = "fi"
    fi_text = " ".join(
        p.extract_text()
        for p in PdfReader(
            io.BytesIO(finnish.get(reverse("review-pdf", args=[final_review.pk])).content)
        ).pages
    )
    fi_normalised = " ".join(fi_text.split())
    for name in finnish_names:
        assert " ".join(name.split()) in fi_normalised
    assert "ä" in fi_normalised


def test_a_refused_finalise_saves_nothing_of_the_report(as_user, submitted_review, reviewer_a):
    data = {
        "strengths": "Should not be saved",
        "recommendations": "",
        "revision": "0",
        "actions-TOTAL_FORMS": "0",
        "actions-INITIAL_FORMS": "0",
        "finalise": "1",
    }

    response = as_user(reviewer_a).post(reverse("review-report", args=[submitted_review.pk]), data)

    submitted_review.refresh_from_db()
    assert "Every item needs a consensus score" in str(response.context["form"].non_field_errors())
    assert (submitted_review.strengths, submitted_review.revision, submitted_review.is_final) == (
        "",
        0,
        False,
    )
