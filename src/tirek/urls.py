from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from tirek.api import api
from tirek.web.forms import LoginForm

urlpatterns = [
    path("", include("tirek.web.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=LoginForm
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/mfa/", include("tirek.accounts.mfa.urls")),
    path("accounts/", include("tirek.accounts.urls")),
    path("cases/", include("tirek.cases.urls")),
    path("matching/", include("tirek.matching.urls")),
    path("", include("tirek.protection.urls")),
    path("", include("tirek.referrals.urls")),
    path("", include("tirek.casework.urls")),
    path("", include("tirek.retention.urls")),
    path("", include("tirek.oversight.urls")),
    path("screening/", include("tirek.screening.urls")),
    path("mechanisms/", include("tirek.mechanisms.urls")),
    path("statistics/", include("tirek.statistics.urls")),
    path("reports/", include("tirek.reports.urls")),
    path("exchange/", include("tirek.exchange.urls")),
    path("directory/", include("tirek.directory.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]

handler400 = "tirek.web.errors.bad_request"
handler404 = "tirek.web.errors.not_found"
handler500 = "tirek.web.errors.server_error"
