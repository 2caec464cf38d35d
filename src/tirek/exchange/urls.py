from __future__ import annotations

from django.urls import path

from tirek.exchange import views

app_name = "exchange"
urlpatterns = [
    path("", views.index, name="index"),
    path("htcds/", views.htcds, name="htcds"),
    path("ctdc/", views.ctdc, name="ctdc"),
]
