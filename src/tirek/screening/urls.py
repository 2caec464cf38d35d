from __future__ import annotations

from django.urls import path

from tirek.screening import views

app_name = "screening"
urlpatterns = [
    path("", views.screening_list, name="list"),
    path("new/", views.screening_new, name="new"),
    path("assess/", views.screening_assess, name="assess"),
    path("cases/<uuid:case_id>/new/", views.case_screening_new, name="case_new"),
    path("cases/<uuid:case_id>/assess/", views.case_screening_assess, name="case_assess"),
    path("<uuid:screening_id>/", views.screening_detail, name="detail"),
    path("<uuid:screening_id>/decision/", views.status_decide_view, name="decide"),
    path(
        "<uuid:screening_id>/register-case/",
        views.screening_case_register_view,
        name="case_register",
    ),
    path("catalogue/", views.catalogue_page, name="catalogue"),
    path("catalogue/indicators/new/", views.catalogue_indicator_edit, name="indicator_add"),
    path(
        "catalogue/indicators/<str:code>/",
        views.catalogue_indicator_edit,
        name="indicator_edit",
    ),
    path("catalogue/lists/", views.catalogue_list_edit, name="list_edit"),
]
