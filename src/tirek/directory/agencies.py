"""Agencies' names in Kazakh, Russian and English, edited in the app by the administrators.

An agency's English name is its official ``org_Name`` (unique); the Kazakh and Russian names are
what pages in those languages show (``Agency.label``). One transaction, one audit row naming the
fields changed with their old and new values (an agency's name is public, never personal data).
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency
from tirek.accounts.roles import Capability
from tirek.core.audit import audit_record
from tirek.core.errors import Forbidden, NotFound
from tirek.directory.policy import can_rename_agencies, can_rename_agency

NAME_MAX = 200
SHORT_NAME_MAX = 60
FIELDS = ("name", "name_ru", "name_kk", "short_name")


@dataclass(frozen=True)
class AgencyNames:
    name: str
    name_ru: str = ""
    name_kk: str = ""
    short_name: str = ""


def agencies_renamable_by(actor: Actor) -> QuerySet[Agency]:
    """The agencies whose names ``actor`` may edit, by English name."""
    if not can_rename_agencies(actor):
        return Agency.objects.none()
    agencies = Agency.objects.select_related("place").order_by("name")
    if actor.can(Capability.MANAGE_REFERENCE_DATA):
        return agencies
    return agencies.filter(pk=actor.agency.pk)


def _problems(agency: Agency, names: AgencyNames) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not names.name.strip():
        errors["name"] = [_("The English name is required: it is the official name.")]
    for field in ("name", "name_ru", "name_kk"):
        if len(getattr(names, field).strip()) > NAME_MAX:
            errors.setdefault(field, []).append(_("The name is too long (200 characters at most)."))
    if len(names.short_name.strip()) > SHORT_NAME_MAX:
        errors["short_name"] = [_("The short name is too long (60 characters at most).")]
    taken = Agency.objects.filter(name__iexact=names.name.strip()).exclude(pk=agency.pk)
    if names.name.strip() and taken.exists():
        errors.setdefault("name", []).append(_("Another agency already has this name."))
    return errors


@transaction.atomic
def agency_names_update(*, actor: Actor, agency_id: UUID | str, names: AgencyNames) -> Agency:
    """Change an agency's names in kk/ru/en and its short name."""
    if not can_rename_agencies(actor):
        raise Forbidden(_("Only administrators edit agencies' names."))
    agency = Agency.objects.select_for_update().filter(pk=agency_id).first()
    if agency is None:
        raise NotFound()
    if not can_rename_agency(actor, agency.pk):
        raise Forbidden(_("An agency administrator edits only their own agency's names."))
    errors = _problems(agency, names)
    if errors:
        raise ValidationError(errors)
    changed: dict[str, list[str]] = {}
    for field in FIELDS:
        new = getattr(names, field).strip()
        old = getattr(agency, field)
        if new != old:
            changed[field] = [old, new]
            setattr(agency, field, new)
    if changed:
        agency.save(update_fields=list(changed))
    audit_record(
        action="agency.names_updated",
        user_id=actor.user.pk,
        agency_id=actor.agency.pk,
        object_type="agency",
        object_id=agency.pk,
        data={"changed": changed},
    )
    return agency
