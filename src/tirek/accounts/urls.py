from __future__ import annotations

from django.urls import path

from tirek.accounts import views

app_name = "accounts"
urlpatterns = [
    path("tokens/", views.api_tokens, name="api_tokens"),
    path("tokens/<uuid:token_id>/revoke/", views.api_token_revoke_view, name="api_token_revoke"),
    path("membership/", views.membership_choose_view, name="membership_choose"),
    path("role-grants/", views.role_grants, name="role_grants"),
]
