from __future__ import annotations

from django.urls import path

from tirek.statistics import views, views_performance

app_name = "statistics"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("<slug:table>.csv", views.table_download, name="table_csv"),
    path("performance/", views_performance.performance, name="performance"),
    path(
        "performance/<slug:performance_table>.csv",
        views_performance.performance_download,
        name="performance_csv",
    ),
]
