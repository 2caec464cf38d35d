from __future__ import annotations

from django.urls import path

from tirek.oversight import views

app_name = "oversight"
urlpatterns = [
    path("emergency/", views.emergency, name="emergency"),
    path("emergency/open/", views.break_glass_open_view, name="break_glass_open"),
    path("emergency/<uuid:access_id>/", views.access_detail, name="access_detail"),
    path("emergency/<uuid:access_id>/review/", views.access_review, name="access_review"),
    path("audit/", views.audit_log, name="audit"),
    path("audit/export/", views.audit_export_view, name="audit_export"),
]
