from django.urls import path

from ips import converters  # noqa: F401 (registers the <id:…> URL converter)

from . import views

urlpatterns = [
    path("", views.review_list, name="review-list"),
    path("new/", views.review_create, name="review-create"),
    path("<id:review_id>/", views.review_detail, name="review-detail"),
    path("<id:review_id>/evidence/", views.review_evidence, name="review-evidence"),
    path("<id:review_id>/score/", views.review_score, name="review-score"),
    path("<id:review_id>/consensus/", views.review_consensus, name="review-consensus"),
    path("<id:review_id>/report/", views.review_report, name="review-report"),
    path("<id:review_id>/correct/", views.review_correct, name="review-correct"),
    path("<id:review_id>/pdf/", views.review_pdf, name="review-pdf"),
    path("teams/<id:team_id>/", views.team_trend, name="team-trend"),
]
