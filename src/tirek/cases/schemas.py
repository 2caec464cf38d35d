"""API schemas for persons and cases, named after HTCDS 2.0 where the standard has a name.

Python code uses snake_case; JSON uses the HTCDS names (``prs_FirstName``,
``vic_TraffickingStatus``, ``hte_Country``, ``cas_Status``). Value sets are checked by the
services, which answer in the user's language; the schemas only bound sizes so that nothing
oversized reaches the database.
"""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

from ninja import Field
from pydantic import ConfigDict, field_validator

from tirek.cases.choices import (
    BirthDatePrecision,
    CaseStatus,
    DecisionMakingOrg,
    Gender,
    HistoricEventType,
    MethodOfControl,
    NrmStage,
    RiskLevel,
    Section,
    Sex,
    TraffickingStatus,
    TypeOfExploitation,
)
from tirek.core.api_support import AgencyRef, InSchema, OutSchema

MAX_ID = 2**63 - 1
MAX_LIST = 30


def enum_of(values: list[str]) -> dict[str, Any]:
    """Document a value set in OpenAPI; the service checks it, in the user's language."""
    return {"enum": values}


def list_of_enum(values: list[str]) -> dict[str, Any]:
    return {"items": {"type": "string", "enum": values}}


# --- Input ----------------------------------------------------------------------------------


class PersonIn(InSchema):
    """HTCDS ``prs_`` fields of the person; at least a given name or a family name."""

    first_name: str = Field("", alias="prs_FirstName", max_length=100)
    patronymic: str = Field("", alias="prs_MiddleName", max_length=100, description="Patronymic")
    family_name: str = Field("", alias="prs_SecondName", max_length=100, description="Surname")
    sex: str = Field(Sex.UNKNOWN, max_length=8, json_schema_extra=enum_of(Sex.values))
    gender: str = Field(
        Gender.UNKNOWN, alias="prs_Gender", max_length=32, json_schema_extra=enum_of(Gender.values)
    )
    birth_date: datetime.date | None = Field(None, alias="prs_Birthdate")
    birth_date_precision: str = Field(
        BirthDatePrecision.DAY,
        max_length=8,
        json_schema_extra=enum_of(BirthDatePrecision.values),
        description="How much of prs_Birthdate is known: day, month or year.",
    )
    approximate_age: int | None = Field(
        None, ge=-1000, le=1000, description="Estimated age in years, when the date is unknown."
    )
    citizenship: list[str] = Field(
        default_factory=list,
        alias="prs_Citizenship",
        max_length=MAX_LIST,
        description="ISO 3166 alpha-3 country codes, e.g. KAZ.",
    )
    primary_language: str = Field(
        "", alias="prs_PrimaryLanguage", max_length=8, description="ISO 639 code, e.g. kk."
    )
    secondary_language: str = Field("", alias="prs_SecondaryLanguage", max_length=8)
    mobile_phone: str = Field(
        "",
        alias="prs_MobilePhone",
        max_length=32,
        description="A phone number; without a country code, one of TIREK_PHONE_REGION "
        "(Kazakhstan). Stored and returned as E.164, e.g. +77012345678.",
    )
    email: str = Field("", alias="prs_Email", max_length=254)
    contact_notes: str = Field("", max_length=300, description="A safe way to contact the person.")

    @field_validator("citizenship")
    @classmethod
    def _codes_short(cls, value: list[str]) -> list[str]:
        if any(len(code) > 8 for code in value):
            raise ValueError("country codes have three letters")
        return value


class PersonPatchIn(PersonIn):
    """Correct one part of the person: ``/identity`` takes the names, sex, gender, birth date,
    citizenship and languages; ``/contact`` the phone, e-mail and safe way to contact. Fields
    left out keep their value; fields of the other part are refused."""

    version: int = Field(
        ge=1,
        le=MAX_ID,
        description="The part's version you read (person.identity_version or "
        "contact.contact_version); 409 naming what changed if someone saved it since.",
    )


class VictimIn(InSchema):
    """HTCDS ``vic_`` fields of the case."""

    trafficking_status: str = Field(
        TraffickingStatus.POSSIBLE,
        alias="vic_TraffickingStatus",
        max_length=64,
        json_schema_extra=enum_of(TraffickingStatus.values),
    )
    trafficking_status_decision_org: str = Field(
        "",
        alias="vic_TraffickingStatusDecisionMakingOrg",
        max_length=64,
        json_schema_extra=enum_of([""] + DecisionMakingOrg.values),
    )
    types_of_exploitation: list[str] = Field(
        default_factory=list,
        alias="vic_TypeOfExploitation",
        max_length=MAX_LIST,
        json_schema_extra=list_of_enum(TypeOfExploitation.values),
    )
    methods_of_control: list[str] = Field(
        default_factory=list,
        alias="vic_MethodsOfControl",
        max_length=MAX_LIST,
        json_schema_extra=list_of_enum(MethodOfControl.values),
    )
    age_when_trafficked: int | None = Field(None, alias="vic_AgeWhenTrafficked", ge=-1000, le=1000)
    agreement_to_manage_personal_data: bool = Field(
        False, alias="vic_AgreementToManagePersonalData"
    )

    @field_validator("types_of_exploitation", "methods_of_control")
    @classmethod
    def _values_short(cls, value: list[str]) -> list[str]:
        if any(len(item) > 64 for item in value):
            raise ValueError("unknown value")
        return value


class VictimPatchIn(VictimIn):
    """Change the trafficking details; fields left out keep their value."""

    version: int = Field(
        ge=1, le=MAX_ID, description="The case's version you read; 409 if it changed since."
    )


class PlaceIn(InSchema):
    """Where and when recruitment, transit or exploitation happened (HTCDS ``hte_``)."""

    type: str = Field(
        HistoricEventType.EXPLOITATION,
        alias="hte_Type",
        max_length=32,
        json_schema_extra=enum_of(HistoricEventType.values),
    )
    country: str = Field("", alias="hte_Country", max_length=8, description="ISO 3166 alpha-3")
    place_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="A city from /reference/places."
    )
    city: str = Field("", alias="hte_City", max_length=100, description="If not in the list.")
    date: datetime.date | None = Field(None, alias="hte_Date")
    description: str = Field("", alias="hte_Description", max_length=4000)


class CaseRegisterIn(InSchema):
    person: PersonIn
    victim: VictimIn = Field(default_factory=lambda: VictimIn.model_validate({}))
    place: PlaceIn | None = None


class PersonSearchIn(InSchema):
    """Search before create. Sent in the body so that names never appear in URLs or logs."""

    name: str = Field("", max_length=300)
    birth_date: datetime.date | None = None


# --- Output ---------------------------------------------------------------------------------


class PersonOut(OutSchema):
    """The ``identity`` section."""

    first_name: str = Field(alias="prs_FirstName")
    patronymic: str = Field(alias="prs_MiddleName")
    family_name: str = Field(alias="prs_SecondName")
    sex: str
    gender: str = Field(alias="prs_Gender")
    birth_date: datetime.date | None = Field(alias="prs_Birthdate")
    birth_date_precision: str
    approximate_age: int | None
    age_estimated_on: datetime.date | None
    citizenship: list[str] = Field(alias="prs_Citizenship")
    primary_language: str = Field(alias="prs_PrimaryLanguage")
    secondary_language: str = Field(alias="prs_SecondaryLanguage")
    identity_version: int = Field(description="Send it back to correct the identity.")


class ContactOut(OutSchema):
    """The ``contact`` section."""

    mobile_phone: str = Field(alias="prs_MobilePhone")
    email: str = Field(alias="prs_Email")
    contact_notes: str
    contact_version: int = Field(description="Send it back to update the contact details.")


class VictimOut(OutSchema):
    """The ``victim`` section."""

    trafficking_status: str = Field(alias="vic_TraffickingStatus")
    trafficking_status_decision_org: str = Field(alias="vic_TraffickingStatusDecisionMakingOrg")
    types_of_exploitation: list[str] = Field(alias="vic_TypeOfExploitation")
    methods_of_control: list[str] = Field(alias="vic_MethodsOfControl")
    age_when_trafficked: int | None = Field(alias="vic_AgeWhenTrafficked")
    agreement_to_manage_personal_data: bool = Field(alias="vic_AgreementToManagePersonalData")


class HistoricEventOut(OutSchema):
    """One entry of the ``events`` section."""

    id: UUID
    type: str = Field(alias="hte_Type")
    country: str = Field(alias="hte_Country")
    place_id: int | None
    place_label: str
    city: str = Field(alias="hte_City")
    date: datetime.date | None = Field(alias="hte_Date")
    description: str = Field(alias="hte_Description")


class CaseListItemOut(OutSchema):
    id: UUID
    reference: str
    status: str = Field(alias="cas_Status", json_schema_extra=enum_of(CaseStatus.values))
    nrm_stage: str = Field(json_schema_extra=enum_of(NrmStage.values))
    opened_on: datetime.date
    owner_agency: AgencyRef
    is_owner: bool
    display_name: str | None = Field(
        description="The person's name, only where the identity section is granted."
    )
    trafficking_status: str | None = Field(
        None,
        alias="vic_TraffickingStatus",
        description="Only in the case list, where the trafficking details are granted.",
        json_schema_extra=enum_of(TraffickingStatus.values),
    )
    risk_level: str | None = Field(
        None,
        description="The latest risk assessment's level, where the risk section is granted.",
        json_schema_extra=enum_of(RiskLevel.values),
    )
    is_child: bool = Field(False, description="A child's case (child safeguards apply).")


class CaseFilterParams(InSchema):
    """Filters of the case list (codes only: a name is searched with POST /persons/search).
    Other apps' filters (e.g. ``risk``, ``overdue``) are query parameters of the same kind."""

    model_config = ConfigDict(extra="allow")

    stage: str = Field("", json_schema_extra=enum_of([""] + NrmStage.values))
    status: str = Field("", description="open or closed")
    owner: str = Field("", description="mine, agency (my agency's) or shared (with my agency)")
    reference: str = Field("", max_length=16, description="A case reference, e.g. TK-ACDE3479")


class CasePageOut(OutSchema):
    count: int = Field(
        description="How many cases match: exact when `count_is_exact`, otherwise more than "
        "this (the count stops at `TIREK_CASE_LIST_COUNT_LIMIT`, 10,000 by default)."
    )
    count_is_exact: bool = Field(
        description="False when more cases match than `count` says: page on with `has_more`."
    )
    has_more: bool = Field(description="Whether cases follow this page (at `offset + limit`).")
    limit: int
    offset: int
    items: list[CaseListItemOut]


class CaseOut(OutSchema):
    """A case as the caller may see it: sections not granted are null."""

    id: UUID
    reference: str
    version: int
    status: str = Field(alias="cas_Status")
    nrm_stage: str
    opened_on: datetime.date
    owner_agency: AgencyRef
    is_owner: bool
    sections: list[str] = Field(
        json_schema_extra=list_of_enum(Section.values),
        description="The sections the caller may see.",
    )
    person: PersonOut | None
    contact: ContactOut | None
    victim: VictimOut | None
    historic_events: list[HistoricEventOut] | None


class CaseEventOut(OutSchema):
    id: int
    at: datetime.datetime
    kind: str
    kind_label: str
    section: str
    actor_name: str | None
    actor_agency: AgencyRef | None
    data: dict[str, Any]
    details: dict[str, Any] | None = Field(
        description="What the event changed that is personal data (old and new values of a "
        "correction, the reason of a move back), where you may read it."
    )


class CaseCloseIn(InSchema):
    """Close a case (HTCDS ``cas_Status`` and ``cas_ReasonForCaseClosure``)."""

    version: int = Field(
        ge=1, le=MAX_ID, description="The case's version you read; 409 if it changed since."
    )
    status: str = Field(
        CaseStatus.CLOSED,
        alias="cas_Status",
        json_schema_extra=enum_of([CaseStatus.CLOSED, CaseStatus.CLOSED_REFERRED]),
    )
    reason: str = Field(alias="cas_ReasonForCaseClosure", max_length=2000)


class CaseReopenIn(InSchema):
    version: int = Field(
        ge=1, le=MAX_ID, description="The case's version you read; 409 if it changed since."
    )


class CaseClosureOut(OutSchema):
    """A case's status after closing or reopening it."""

    id: UUID
    reference: str
    version: int
    status: str = Field(alias="cas_Status")
    closed_on: datetime.date | None


class CaseStageIn(InSchema):
    """Move a case to another NRM stage; going back needs a reason."""

    version: int = Field(
        ge=1, le=MAX_ID, description="The case's version you read; 409 if it changed since."
    )
    nrm_stage: str = Field(json_schema_extra=enum_of(NrmStage.values))
    reason: str = Field("", max_length=2000, description="Why (required when moving back).")


class CaseStageOut(OutSchema):
    id: UUID
    reference: str
    version: int
    nrm_stage: str
