"""Pure rules of a transfer of case ownership: what the previous owner keeps by default, and
what is wrong with a proposal (plain data in, messages out; no database)."""

from __future__ import annotations

from collections.abc import Collection
from uuid import UUID

from django.utils.translation import gettext as _

from tirek.accounts.models import Agency
from tirek.cases.choices import Section

REASON_MAX = 4000

# What an agency of each type still needs once it hands a case on: the police and prosecutors
# follow the criminal proceedings and the perpetrators they investigate; every other agency
# keeps nothing unless the worker chooses otherwise (need-to-know).
KEPT_BY_TYPE: dict[str, tuple[str, ...]] = {
    Agency.Type.LAW_ENFORCEMENT: (Section.PROCEEDINGS, Section.PERPETRATORS),
    Agency.Type.PROSECUTOR: (Section.PROCEEDINGS, Section.PERPETRATORS),
}


def kept_sections_suggested(agency_type: str) -> list[str]:
    """The sections an agency of ``agency_type`` is offered to keep after handing a case on."""
    return sorted(KEPT_BY_TYPE.get(agency_type, ()))


def transfer_errors(
    *,
    owner_agency_id: UUID,
    to_agency_id: UUID | None,
    consent_covers: bool | None,
    kept_sections: Collection[str],
    reason: str,
) -> dict[str, list[str]]:
    """Everything wrong with a proposal, all at once. ``to_agency_id`` is None when no active
    agency was chosen; ``consent_covers`` is None when no consent of the case was chosen, else
    whether it covers handing the whole case to that agency."""
    errors: dict[str, list[str]] = {}
    if to_agency_id is None:
        errors["to_agency"] = [_("Choose an agency from the list.")]
    elif to_agency_id == owner_agency_id:
        errors["to_agency"] = [_("Your agency already owns this case: choose another agency.")]
    if consent_covers is None:
        errors["consent"] = [_("Record the person's consent to the transfer first.")]
    elif not consent_covers:
        errors["consent"] = [
            _(
                "This consent does not cover handing the whole case to that agency. Record the "
                "person's consent to share every part of the case with it."
            )
        ]
    if set(kept_sections) - set(Section.values):
        errors["kept_sections"] = [_("Unknown section.")]
    if len(reason) > REASON_MAX:
        errors["reason"] = [_("The reason is too long (4000 characters at most).")]
    return errors


def kept_reduction_errors(*, kept: Collection[str], keep: Collection[str]) -> dict[str, list[str]]:
    """What is wrong with the owner's choice of what the previous owner still keeps (``keep``)
    out of what it kept so far (``kept``): it may only take sections away, never add one."""
    if set(keep) - set(Section.values):
        return {"kept_sections": [_("Unknown section.")]}
    if set(keep) - set(kept):
        return {
            "kept_sections": [
                _(
                    "The previous owner can only keep less than it kept: untick sections, do "
                    "not add any."
                )
            ]
        }
    if set(keep) == set(kept):
        return {"kept_sections": [_("Untick at least one section the previous owner keeps.")]}
    return {}
