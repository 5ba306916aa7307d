from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

client_urls = [
    path("", views.client_detail, name="client-detail"),
    path("edit/", views.client_edit, name="client-edit"),
    path("contacts/new/", views.contact_create, name="contact-create"),
    path("profile/", views.profile_edit, name="profile-edit"),
    path("cover/", views.cover_manage, name="client-cover"),
    path("cover/<int:cover_id>/revoke/", views.cover_revoke, name="cover-revoke"),
    path("access-log/", views.client_access_log, name="client-access-log"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("clients/", views.caseload, name="caseload"),
    path("clients/new/", views.client_create, name="client-create"),
    path("clients/<int:client_id>/", include(client_urls)),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
