from __future__ import annotations

from django.urls import path

from tirek.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<uuid:report_id>/", views.detail, name="detail"),
    path("<uuid:report_id>/file", views.download, name="download"),
]
