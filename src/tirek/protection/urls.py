from __future__ import annotations

from django.urls import path

from tirek.protection import views

app_name = "protection"
urlpatterns = [
    path("cases/<uuid:case_id>/consents/", views.consent_record_view, name="consent_record"),
    path(
        "consents/<uuid:consent_id>/withdraw/",
        views.consent_withdraw_view,
        name="consent_withdraw",
    ),
]
