"""Cases in HTCDS 2.0 field names and values, limited to the sections a consent covers.

Tirek stores HTCDS picklist values as the standard spells them (docs/data-model.md), so the
mapping is by field name. Each section of a case (``cases.choices.Section``) brings its fields;
a field of a section the person did not consent to share with the partner is left out, not
emptied.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from tirek.cases.choices import Section
from tirek.cases.models import Case, HistoricEvent

# The fields each section brings, in the order of the export's columns.
SECTION_FIELDS: dict[str, tuple[str, ...]] = {
    Section.IDENTITY: (
        "prs_FirstName",
        "prs_MiddleName",
        "prs_SecondName",
        "prs_Gender",
        "prs_Birthdate",
        "prs_Citizenship",
        "prs_PrimaryLanguage",
        "prs_SecondaryLanguage",
    ),
    Section.CONTACT: ("prs_MobilePhone", "prs_Email"),
    Section.VICTIM: (
        "cas_Status",
        "vic_TraffickingStatus",
        "vic_TraffickingStatusDecisionMakingOrg",
        "vic_TypeOfExploitation",
        "vic_MethodsOfControl",
        "vic_AgeWhenTrafficked",
        "vic_AgreementToManagePersonalData",
    ),
    Section.EVENTS: ("hte_Type", "hte_Country", "hte_City", "hte_Date", "hte_Description"),
    Section.PERPETRATORS: ("vic_RelationshipToTrafficker",),
}
EXPORTED_SECTIONS = frozenset(SECTION_FIELDS)
ALWAYS = ("Id",)  # the case's id, so the partner can match a later export to this one
EVENT_FIELDS = SECTION_FIELDS[Section.EVENTS]


def htcds_columns(sections: Collection[str]) -> list[str]:
    """The columns of an export covering ``sections`` (in a fixed order)."""
    columns = list(ALWAYS)
    for section, fields in SECTION_FIELDS.items():
        if section in sections:
            columns += fields
    return columns


def _event(event: HistoricEvent) -> dict[str, Any]:
    city = event.city or (event.place.label if event.place_id and event.place else "")
    return {
        "hte_Type": event.type,
        "hte_Country": event.country,
        "hte_City": city,
        "hte_Date": event.date.isoformat() if event.date else None,
        "hte_Description": event.description,
    }


def htcds_record(
    case: Case, sections: Collection[str], relations: Sequence[str] = ()
) -> dict[str, Any]:
    """One case as HTCDS fields of the ``sections`` given (events as a list ``hte``)."""
    person = case.person
    record: dict[str, Any] = {"Id": str(case.pk)}
    if Section.IDENTITY in sections:
        record |= {
            "prs_FirstName": person.first_name,
            "prs_MiddleName": person.patronymic,
            "prs_SecondName": person.family_name,
            "prs_Gender": person.gender,
            "prs_Birthdate": person.birth_date.isoformat() if person.birth_date else None,
            "prs_Citizenship": list(person.citizenship or []),
            "prs_PrimaryLanguage": person.primary_language,
            "prs_SecondaryLanguage": person.secondary_language,
        }
    if Section.CONTACT in sections:
        record |= {"prs_MobilePhone": person.mobile_phone, "prs_Email": person.email}
    if Section.VICTIM in sections:
        record |= {
            "cas_Status": case.status,
            "vic_TraffickingStatus": case.trafficking_status,
            "vic_TraffickingStatusDecisionMakingOrg": case.trafficking_status_decision_org,
            "vic_TypeOfExploitation": list(case.types_of_exploitation or []),
            "vic_MethodsOfControl": list(case.methods_of_control or []),
            "vic_AgeWhenTrafficked": case.age_when_trafficked,
            "vic_AgreementToManagePersonalData": case.agreement_to_manage_personal_data,
        }
    if Section.EVENTS in sections:
        record["hte"] = [_event(event) for event in case.historic_events.all()]
    if Section.PERPETRATORS in sections:
        record["vic_RelationshipToTrafficker"] = sorted(set(relations))
    return record


def htcds_flat(record: dict[str, Any], columns: Sequence[str]) -> list[str]:
    """A record as one CSV row: lists joined with ';', events field by field in order."""

    def text(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, list):
            return ";".join(map(str, value))
        return str(value)

    events = record.get("hte", [])
    row = []
    for column in columns:
        if column in EVENT_FIELDS:
            row.append(";".join(text(event[column]) for event in events))
        else:
            row.append(text(record.get(column)))
    return row
