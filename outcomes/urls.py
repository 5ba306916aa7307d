from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="outcomes-dashboard"),
    path("export/", views.export, name="outcomes-export"),
]
