from __future__ import annotations

from django.urls import path

from tirek.mechanisms import views, views_calendars

app_name = "mechanisms"
urlpatterns = [
    path("", views.mechanism_list, name="list"),
    path("new/", views.draft_new, name="new"),
    path("import/", views.mechanism_import_view, name="import"),
    path("compare/", views.mechanism_compare, name="compare"),
    path("open-steps/", views.open_steps_view, name="open_steps"),
    path("calendars/", views_calendars.calendar_list_view, name="calendars"),
    path("calendars/<int:territory_id>/", views_calendars.calendar_view, name="calendar"),
    path(
        "calendars/<int:territory_id>/edit/",
        views_calendars.calendar_update_view,
        name="calendar_update",
    ),
    path(
        "calendars/<int:territory_id>/days/",
        views_calendars.calendar_day_add_view,
        name="calendar_day_add",
    ),
    path(
        "calendars/<int:territory_id>/days/<uuid:day_id>/delete/",
        views_calendars.calendar_day_delete_view,
        name="calendar_day_delete",
    ),
    path(
        "calendars/<int:territory_id>/import/",
        views_calendars.calendar_import_view,
        name="calendar_import",
    ),
    path(
        "calendars/<int:territory_id>/export.json",
        views_calendars.calendar_export_view,
        name="calendar_export",
    ),
    path("<uuid:mechanism_id>/", views.mechanism_detail, name="detail"),
    path("checklist/<uuid:item_id>/close/", views.checklist_close_view, name="checklist_close"),
    path("checklist/<uuid:item_id>/plans/", views.checklist_plans_view, name="checklist_plans"),
    path("<uuid:mechanism_id>/diagram.svg", views.mechanism_diagram, name="diagram"),
    path("<uuid:mechanism_id>/export.json", views.mechanism_export_view, name="export"),
    path("<uuid:mechanism_id>/edit/", views.mechanism_update_view, name="update"),
    path("<uuid:mechanism_id>/in-force/", views.put_in_force_view, name="in_force"),
    path("<uuid:mechanism_id>/steps/new/", views.step_edit, name="step_add"),
    path("<uuid:mechanism_id>/steps/<uuid:step_id>/", views.step_edit, name="step_edit"),
    path(
        "<uuid:mechanism_id>/steps/<uuid:step_id>/delete/",
        views.step_delete_view,
        name="step_delete",
    ),
]
