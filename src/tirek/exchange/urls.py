from __future__ import annotations

from django.urls import path

from tirek.exchange import views

app_name = "exchange"
urlpatterns = [
    path("", views.index, name="index"),
    path("htcds/", views.htcds, name="htcds"),
    path("ctdc/", views.ctdc, name="ctdc"),
    path("ctdc/<uuid:export_id>/", views.ctdc_detail, name="ctdc_detail"),
    path("ctdc/<uuid:export_id>/file", views.ctdc_file, name="ctdc_file"),
]
