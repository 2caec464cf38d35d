from __future__ import annotations

from django.urls import path

from tirek.casework import views

app_name = "casework"
urlpatterns = [
    path("cases/<uuid:case_id>/notes/", views.note_add_view, name="note_add"),
    path("cases/<uuid:case_id>/tasks/", views.task_add_view, name="task_add"),
    path("tasks/<uuid:task_id>/done/", views.task_done_view, name="task_done"),
    path("tasks/<uuid:task_id>/", views.task_update_view, name="task_update"),
    path("notes/<uuid:note_id>/delete/", views.note_delete_view, name="note_delete"),
    path("tasks/", views.my_tasks, name="my_tasks"),
    path("cases/<uuid:case_id>/attachments/", views.attachment_add_view, name="attachment_add"),
    path(
        "attachments/<uuid:attachment_id>/",
        views.attachment_download_view,
        name="attachment_download",
    ),
    path(
        "attachments/<uuid:attachment_id>/delete/",
        views.attachment_delete_view,
        name="attachment_delete",
    ),
]
