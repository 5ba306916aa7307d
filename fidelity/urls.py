from django.urls import path

from . import views

urlpatterns = [
    path("", views.review_list, name="review-list"),
    path("new/", views.review_create, name="review-create"),
    path("<int:review_id>/", views.review_detail, name="review-detail"),
    path("<int:review_id>/evidence/", views.review_evidence, name="review-evidence"),
    path("<int:review_id>/score/", views.review_score, name="review-score"),
    path("<int:review_id>/consensus/", views.review_consensus, name="review-consensus"),
    path("<int:review_id>/report/", views.review_report, name="review-report"),
    path("<int:review_id>/correct/", views.review_correct, name="review-correct"),
    path("<int:review_id>/pdf/", views.review_pdf, name="review-pdf"),
    path("teams/<int:team_id>/", views.team_trend, name="team-trend"),
]
