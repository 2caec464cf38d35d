"""Roles and what each may do: the one place where role capabilities are written down."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CASE_WORKER = "case_worker", _("Case worker")
    SUPERVISOR = "supervisor", _("Supervisor")
    COORDINATOR = "coordinator", _("Coordinator")
    AGENCY_ADMIN = "agency_admin", _("Agency administrator")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    DATA_PROTECTION_OFFICER = "dpo", _("Data protection officer")
    CHILD_PROTECTION = "child_protection", _("Child protection specialist")


class Capability(models.TextChoices):
    READ_CASES = "read_cases", _("Read cases of the agency's circle")
    REGISTER_CASES = "register_cases", _("Register cases")
    EDIT_CASES = "edit_cases", _("Edit cases")
    RECORD_CONSENT = "record_consent", _("Record consent")
    SEND_REFERRALS = "send_referrals", _("Send referrals")
    DECIDE_REFERRALS = "decide_referrals", _("Accept or decline referrals")
    MANAGE_MEMBERS = "manage_members", _("Manage the agency's members")
    MANAGE_REFERENCE_DATA = "manage_reference_data", _("Manage agencies and reference data")
    ERASE_PERSONAL_DATA = "erase_personal_data", _("Erase a person's data on a valid request")
    BREAK_GLASS = "break_glass", _("Open a case outside the circle in an emergency, and review")
    VIEW_AUDIT = "view_audit", _("View and export the audit log")
    HANDLE_CHILDREN = "handle_children", _("Work on children's cases")
    MANAGE_DIRECTORY = "manage_directory", _("Describe the agency's services in the directory")
    UPDATE_CAPACITY = "update_capacity", _("Update the agency's free places")


_CASE_WORK = {
    Capability.READ_CASES,
    Capability.REGISTER_CASES,
    Capability.EDIT_CASES,
    Capability.RECORD_CONSENT,
    Capability.SEND_REFERRALS,
    Capability.DECIDE_REFERRALS,
    Capability.UPDATE_CAPACITY,
}

# Administrators configure; they do not read cases.
ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.CASE_WORKER: frozenset(_CASE_WORK),
    Role.SUPERVISOR: frozenset(
        _CASE_WORK
        | {Capability.BREAK_GLASS, Capability.ERASE_PERSONAL_DATA, Capability.HANDLE_CHILDREN}
    ),
    # A case worker trained for children: only they and supervisors change a child's case.
    Role.CHILD_PROTECTION: frozenset(_CASE_WORK | {Capability.HANDLE_CHILDREN}),
    Role.COORDINATOR: frozenset(_CASE_WORK | {Capability.MANAGE_DIRECTORY}),
    Role.AGENCY_ADMIN: frozenset(
        {Capability.MANAGE_MEMBERS, Capability.MANAGE_DIRECTORY, Capability.UPDATE_CAPACITY}
    ),
    Role.SYSTEM_ADMIN: frozenset({Capability.MANAGE_MEMBERS, Capability.MANAGE_REFERENCE_DATA}),
    # Reads the audit log (who did what, when), never case content.
    Role.DATA_PROTECTION_OFFICER: frozenset({Capability.VIEW_AUDIT}),
}


def role_can(role: str, capability: str) -> bool:
    """Whether a member with ``role`` holds ``capability``."""
    return capability in ROLE_CAPABILITIES.get(role, frozenset())
