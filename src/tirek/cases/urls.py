from __future__ import annotations

from django.urls import path

from tirek.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_register_view, name="register"),
    path("search/", views.case_search, name="search"),
    path("<uuid:case_id>/", views.case_detail, name="detail"),
    path("<uuid:case_id>/victim/", views.case_victim_update_view, name="victim_update"),
    path("<uuid:case_id>/places/", views.historic_event_add_view, name="place_add"),
    path("<uuid:case_id>/stage/", views.case_stage_change_view, name="stage_change"),
    path("<uuid:case_id>/identity/", views.person_identity_update_view, name="identity_update"),
    path("<uuid:case_id>/contact/", views.person_contact_update_view, name="contact_update"),
]
