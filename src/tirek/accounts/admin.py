"""Django admin for configuration staff: users and memberships, agencies, API tokens.

Administrators configure; they do not read cases, so no case data is registered here or anywhere
in the admin. A system administrator (or superuser) sees every user; an agency administrator sees
only the members of the agencies they administer, and cannot grant staff or superuser rights.
Nobody changes their own rights or memberships; a membership that would let someone read cases
waits for a second administrator (``RoleGrant``); every change is in the audit chain.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.forms import ModelChoiceField, ModelForm
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tirek.accounts.mfa.admin import mfa_reset_selected
from tirek.accounts.mfa.reauth import reauthentication_is_fresh, reauthentication_redirect
from tirek.accounts.models import Agency, ApiToken, Membership, RoleGrant, User
from tirek.accounts.roles import Role
from tirek.accounts.selectors import administered_agency_ids, role_grants_for
from tirek.accounts.services import api_token_revoke, membership_save, role_grant_decide
from tirek.core.admin import AuditedAdmin
from tirek.core.audit import audit_record
from tirek.core.errors import DomainError, Forbidden

# Roles an agency administrator may give; system administrators are made by system staff.
AGENCY_ADMIN_GRANTABLE = [
    (value, label) for value, label in Role.choices if value != Role.SYSTEM_ADMIN
]


class TirekUserCreationForm(UserCreationForm):  # type: ignore[type-arg]
    class Meta(UserCreationForm.Meta):  # type: ignore[name-defined]
        model = User
        fields = ("username", "first_name", "last_name", "email", "preferred_language")


class TirekUserChangeForm(UserChangeForm):  # type: ignore[type-arg]
    class Meta(UserChangeForm.Meta):  # type: ignore[name-defined]
        model = User
        fields = "__all__"


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    """Saved through ``membership_save`` (see ``UserAdmin.save_formset``), never directly."""

    model = Membership
    fields = ("agency", "role", "is_active", "created_at")
    readonly_fields = ("created_at",)
    extra = 0
    can_delete = False  # deactivate instead: a membership stays on record
    autocomplete_fields = ("agency",)

    def _is_self(self, request: HttpRequest, obj: Any) -> bool:
        return obj is not None and obj.pk == request.user.pk

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._is_self(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._is_self(request, obj) and super().has_change_permission(request, obj)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Membership]:
        queryset = super().get_queryset(request).select_related("agency")
        scope = administered_agency_ids(request.user)
        return queryset if scope is None else queryset.filter(agency_id__in=scope)

    def get_min_num(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> int:
        # An agency administrator's new user must belong to their agency, or they would lose it.
        return 0 if administered_agency_ids(request.user) is None else 1

    def get_autocomplete_fields(self, request: HttpRequest) -> tuple[str, ...]:
        return self.autocomplete_fields if administered_agency_ids(request.user) is None else ()

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField | None:  # type: ignore[type-arg]
        scope = administered_agency_ids(request.user)
        if db_field.name == "agency" and scope is not None:
            kwargs["queryset"] = Agency.objects.filter(pk__in=scope)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_choice_field(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "role" and administered_agency_ids(request.user) is not None:
            kwargs["choices"] = AGENCY_ADMIN_GRANTABLE
        return super().formfield_for_choice_field(db_field, request, **kwargs)


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):  # type: ignore[type-arg]
    audit_object_type = "user"
    audit_values = frozenset(
        {"is_active", "is_staff", "is_superuser", "groups", "user_permissions"}
    )
    form = TirekUserChangeForm
    add_form = TirekUserCreationForm
    inlines = [MembershipInline]
    actions = [mfa_reset_selected]
    list_display = ("username", "first_name", "last_name", "email", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "memberships__role", "memberships__agency")
    search_fields = ("username", "first_name", "last_name", "email")
    ordering = ("username",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Personal info"),
            {"fields": ("first_name", "last_name", "email", "preferred_language")},
        ),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "first_name",
                    "last_name",
                    "email",
                    "preferred_language",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        queryset = super().get_queryset(request)
        scope = administered_agency_ids(request.user)
        if scope is None:
            return queryset
        # Agency administrators never see superusers or system administrators.
        return (
            queryset.filter(memberships__agency_id__in=scope, is_superuser=False)
            .exclude(memberships__role=Role.SYSTEM_ADMIN)
            .distinct()
        )

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or request.user.is_superuser:
            return fieldsets
        hidden = {"is_superuser", "user_permissions"}
        if administered_agency_ids(request.user) is not None:
            hidden |= {"is_staff", "groups"}
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in hidden]})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = tuple(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk == request.user.pk:
            # Nobody changes their own rights: another administrator does.
            readonly += ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")
        return readonly

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Users who worked on cases stay on record: deactivate them instead.
        return bool(request.user.is_superuser)

    def save_formset(
        self, request: HttpRequest, form: ModelForm[Any], formset: Any, change: bool
    ) -> None:
        if formset.model is not Membership:
            super().save_formset(request, form, formset, change)
            return
        for member_form in formset.forms:
            if not member_form.has_changed() or not member_form.cleaned_data:
                continue
            data = member_form.cleaned_data
            try:
                outcome = membership_save(
                    by=request.user,  # type: ignore[arg-type]
                    user=form.instance,
                    agency=data["agency"],
                    role=data["role"],
                    is_active=data.get("is_active", True),
                    membership_id=member_form.instance.pk,
                )
            except Forbidden as exc:
                raise PermissionDenied(str(exc.message)) from exc
            if not outcome.applied:
                self.message_user(
                    request,
                    _(
                        "The role “%(role)s” at %(agency)s takes effect when a second "
                        "administrator approves it (Role grants)."
                    )
                    % {"role": Role(data["role"]).label, "agency": data["agency"]},
                    messages.WARNING,
                )
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            audit_record(
                action="user_password_set",
                user_id=request.user.pk,
                agency_id=None,
                object_type="user",
                object_id=id,
                data={"via": "admin"},
            )
        return response


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Held grants of case-reading roles: a second administrator approves or refuses them."""

    list_display = ("member", "agency", "role", "status", "requested_by", "requested_at")
    list_filter = ("status", "role")
    actions = ["approve", "refuse"]
    readonly_fields = [f.name for f in RoleGrant._meta.fields]

    @admin.display(description=_("member"))
    def member(self, grant: RoleGrant) -> str:
        return str(grant.membership.user)

    def get_queryset(self, request: HttpRequest) -> QuerySet[RoleGrant]:
        return role_grants_for(user=request.user, pending_only=False)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return administered_agency_ids(request.user) != set() and request.user.is_staff

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_decide_permission(self, request: HttpRequest) -> bool:
        return self.has_module_permission(request)

    def _decide(
        self, request: HttpRequest, queryset: QuerySet[RoleGrant], approve: bool
    ) -> HttpResponse | None:
        if not reauthentication_is_fresh(request):
            return reauthentication_redirect(
                request, reverse("admin:accounts_rolegrant_changelist")
            )
        done, refused = 0, []
        for grant in queryset:
            try:
                role_grant_decide(by=request.user, grant_id=grant.pk, approve=approve)  # type: ignore[arg-type]
            except DomainError as exc:
                refused.append(str(exc.message))
                continue
            done += 1
        for message in sorted(set(refused)):
            self.message_user(request, message, messages.ERROR)
        self.message_user(
            request,
            ngettext("%(count)d role grant decided.", "%(count)d role grants decided.", done)
            % {"count": done},
            messages.SUCCESS if done else messages.WARNING,
        )
        return None

    @admin.action(description=_("Approve the selected role grants"), permissions=["decide"])
    def approve(self, request: HttpRequest, queryset: QuerySet[RoleGrant]) -> HttpResponse | None:
        return self._decide(request, queryset, approve=True)

    @admin.action(description=_("Refuse the selected role grants"), permissions=["decide"])
    def refuse(self, request: HttpRequest, queryset: QuerySet[RoleGrant]) -> HttpResponse | None:
        return self._decide(request, queryset, approve=False)


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(AuditedAdmin, DjangoGroupAdmin):
    audit_object_type = "group"
    audit_values = frozenset({"name", "permissions"})


@admin.register(Agency)
class AgencyAdmin(AuditedAdmin):
    audit_object_type = "agency"
    audit_values = frozenset(
        {
            "name",
            "name_ru",
            "name_kk",
            "short_name",
            "description",
            "website",
            "type",
            "place",
            "country",
            "phone",
            "email",
            "services",
            "is_active",
        }
    )
    list_display = ("name", "name_kk", "name_ru", "short_name", "type", "place", "is_active")
    list_filter = ("type", "is_active", "place")
    search_fields = ("name", "name_ru", "name_kk", "short_name")
    filter_horizontal = ("services",)
    fields = (
        "name",
        "name_ru",
        "name_kk",
        "short_name",
        "description",
        "website",
        "type",
        "place",
        "country",
        "phone",
        "email",
        "services",
        "is_active",
    )
    autocomplete_fields = ("place",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: tokens are created by their owners; staff may only revoke them."""

    list_display = (
        "name",
        "user",
        "agency",
        "prefix",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    )
    list_filter = (("revoked_at", admin.EmptyFieldListFilter), "membership__agency")
    search_fields = ("name", "prefix", "user__username")
    list_select_related = ("user", "membership__agency")
    actions = ["revoke"]
    readonly_fields = [f.name for f in ApiToken._meta.fields if f.name != "digest"]
    exclude = ("digest",)

    @admin.display(description=_("agency"))
    def agency(self, token: ApiToken) -> Agency:
        return token.membership.agency

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm("accounts.change_apitoken"))

    @admin.action(description=_("Revoke the selected tokens"), permissions=["revoke"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        revoked = 0
        for token in queryset.filter(revoked_at__isnull=True).select_related("user"):
            try:
                with transaction.atomic():
                    api_token_revoke(user=token.user, token_id=token.pk)
                    audit_record(
                        action="api_token_revoked_by_staff",
                        user_id=request.user.pk,
                        agency_id=None,
                        object_type="api_token",
                        object_id=token.pk,
                    )
            except DomainError:
                continue  # revoked meanwhile
            revoked += 1
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", revoked)
            % {"count": revoked},
            messages.SUCCESS,
        )
