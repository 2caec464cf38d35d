from __future__ import annotations

from django.urls import path

from tirek.retention import views

app_name = "retention"
urlpatterns = [
    path("cases/<uuid:case_id>/close/", views.case_close_view, name="case_close"),
    path("cases/<uuid:case_id>/reopen/", views.case_reopen_view, name="case_reopen"),
    path(
        "cases/<uuid:case_id>/subject-access/",
        views.subject_access_view,
        name="subject_access",
    ),
    path(
        "cases/<uuid:case_id>/erasure-requests/",
        views.erasure_request_view,
        name="erasure_request",
    ),
    path(
        "cases/<uuid:case_id>/erasure-requests/<uuid:request_id>/execute/",
        views.erasure_execute_view,
        name="erasure_execute",
    ),
]
