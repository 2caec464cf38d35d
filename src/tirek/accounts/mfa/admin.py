"""Django admin pieces for second factors: the audited reset action on users.

django-otp's own device admins are removed: through them staff could read a user's TOTP secret
or recovery codes, or add a device to someone else's account without an audit event.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tirek.accounts.mfa.reauth import reauthentication_is_fresh, reauthentication_redirect
from tirek.accounts.mfa.services import mfa_reset
from tirek.core.errors import NotFound

for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.action(description=_("Reset the second factor (they set it up again at next sign-in)"))
def mfa_reset_selected(
    modeladmin: Any, request: HttpRequest, queryset: QuerySet[Any]
) -> HttpResponse | None:
    if not reauthentication_is_fresh(request):
        return reauthentication_redirect(request, reverse("admin:accounts_user_changelist"))
    done = 0
    for user in queryset:
        try:
            mfa_reset(admin=request.user, member_id=user.pk)  # type: ignore[arg-type]
        except NotFound:
            continue
        done += 1
    modeladmin.message_user(
        request,
        ngettext(
            "The second factor of %(count)d user was reset.",
            "The second factors of %(count)d users were reset.",
            done,
        )
        % {"count": done},
        messages.SUCCESS,
    )
    return None
