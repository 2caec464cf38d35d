from __future__ import annotations

from django.urls import path

from tirek.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.directory_list, name="list"),
    path("new/", views.service_new, name="service_new"),
    path("free-places/", views.free_places, name="free_places"),
    path("exchange/", views.directory_exchange, name="exchange"),
    path("export/", views.directory_export_view, name="export"),
    path("agencies/", views.agency_names_list, name="agencies"),
    path("agencies/<uuid:agency_id>/names/", views.agency_names_edit, name="agency_names"),
    path("<uuid:service_id>/", views.directory_detail, name="detail"),
    path("<uuid:service_id>/edit/", views.service_edit, name="service_edit"),
    path("capacities/<uuid:capacity_id>/", views.capacity_set_view, name="capacity_set"),
]
