from __future__ import annotations

from django.urls import path

from tirek.accounts.mfa import views

app_name = "mfa"
urlpatterns = [
    path("", views.security, name="security"),
    path("enrol/", views.enrol, name="enrol"),
    path("verify/", views.verify, name="verify"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("confirm/", views.reauthenticate, name="reauth"),
    path("members/", views.members, name="members"),
    path("members/<uuid:user_id>/reset/", views.member_reset, name="member_reset"),
]
