from __future__ import annotations

from django.urls import path

from tirek.matching import views

app_name = "matching"
urlpatterns = [
    path("intake/", views.intake, name="intake"),
    path("checks/", views.checks, name="checks"),
    path("checks/new/", views.check_request_create_view, name="check_request"),
    path("checks/<uuid:request_id>/resolve/", views.check_resolve_view, name="check_resolve"),
    path("review/", views.review, name="review"),
    path("askers/", views.askers_page, name="askers"),
    path("review/decide/", views.review_decide_view, name="review_decide"),
    path("pairs/", views.pair_decide_view, name="pair_decide"),
    path("pairs/<uuid:pair_id>/undo/", views.pair_undo_view, name="pair_undo"),
]
