from django.urls import path

from ips import converters  # noqa: F401 (registers the <id:…> URL converter)

from . import views

urlpatterns = [
    path("", views.dashboard, name="outcomes-dashboard"),
    path("export/", views.export, name="outcomes-export"),
]
