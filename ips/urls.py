from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import converters  # noqa: F401 (registers the <id:…> URL converter)
from .views import account, caseload, importing, jobs, week

client_urls = [
    path("", caseload.client_detail, name="client-detail"),
    path("edit/", caseload.client_edit, name="client-edit"),
    path("contacts/new/", caseload.contact_create, name="contact-create"),
    path("profile/", caseload.profile_edit, name="profile-edit"),
    path("cover/", caseload.cover_manage, name="client-cover"),
    path("cover/<id:cover_id>/revoke/", caseload.cover_revoke, name="cover-revoke"),
    path("access-log/", caseload.client_access_log, name="client-access-log"),
    path("data.json", caseload.client_data_copy, {"fmt": "json"}, name="client-data-json"),
    path("data.pdf", caseload.client_data_copy, {"fmt": "pdf"}, name="client-data-pdf"),
    path("jobs/new/", jobs.job_create, name="job-create"),
    path("jobs/<id:job_id>/", jobs.job_edit, name="job-edit"),
    path("education/new/", jobs.education_create, name="education-create"),
    path("education/<id:education_id>/", jobs.education_edit, name="education-edit"),
]

employer_urls = [
    path("", jobs.employer_list, name="employer-list"),
    path("new/", jobs.employer_create, name="employer-create"),
    path("options/", jobs.employer_options, name="employer-options"),
    path("<id:employer_id>/", jobs.employer_detail, name="employer-detail"),
    path("<id:employer_id>/edit/", jobs.employer_edit, name="employer-edit"),
    path("<id:employer_id>/merge/", jobs.employer_merge, name="employer-merge"),
]

import_urls = [
    path("", importing.import_list, name="import-list"),
    path("new/", importing.import_upload, name="import-upload"),
    path("<id:batch_id>/", importing.import_detail, name="import-detail"),
    path("<id:batch_id>/columns/", importing.import_mapping, name="import-mapping"),
    path("<id:batch_id>/preview/", importing.import_preview, name="import-preview"),
    path("<id:batch_id>/import/", importing.import_confirm, name="import-confirm"),
    path("<id:batch_id>/cancel/", importing.import_cancel, name="import-cancel"),
]

urlpatterns = [
    path("", caseload.home, name="home"),
    path("week/", week.coach_week, name="coach-week"),
    path("team/week/", week.team_week, name="team-week"),
    path("team/week/review/", week.team_week_review, name="team-week-review"),
    path("clients/", caseload.caseload, name="caseload"),
    path("clients/new/", caseload.client_create, name="client-create"),
    path("clients/<id:client_id>/", include(client_urls)),
    path("employers/", include(employer_urls)),
    path("employer-contacts/", jobs.employer_contact_list, name="employer-contact-list"),
    path("employer-contacts/new/", jobs.employer_contact_create, name="employer-contact-create"),
    path("imports/", include(import_urls)),
    path("fidelity/", include("fidelity.urls")),
    path("outcomes/", include("outcomes.urls")),
    path("account/", account.account, name="account"),
    path("account/password/", account.PasswordChange.as_view(), name="password-change"),
    path("account/2fa/setup/", account.two_factor_setup, name="two-factor-setup"),
    path("account/2fa/verify/", account.two_factor_verify, name="two-factor-verify"),
    path("account/2fa/backup-codes/", account.backup_codes, name="two-factor-backup-codes"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", account.set_language, name="set_language"),
    path("admin/", admin.site.urls),
]
