from __future__ import annotations

from django.urls import path

from tirek.statistics import views

app_name = "statistics"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("<slug:table>.csv", views.table_download, name="table_csv"),
]
