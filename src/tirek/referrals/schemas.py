"""API schemas for referrals (HTCDS ``cas_`` outgoing/incoming referral fields)."""

from __future__ import annotations

import datetime
from uuid import UUID

from ninja import Field

from tirek.cases.choices import Section
from tirek.cases.schemas import MAX_ID, MAX_LIST, enum_of, list_of_enum
from tirek.core.api_support import AgencyRef, InSchema, OutSchema, ServiceTypeRef
from tirek.referrals.models import CaseTransfer, Referral


class ReferralSendIn(InSchema):
    to_agency_id: UUID = Field(
        alias="cas_ReferredOrganisation", description="The receiving agency's id."
    )
    service_type_id: int = Field(ge=1, le=MAX_ID)
    consent_id: UUID = Field(description="A recorded consent covering this agency and sections.")
    sections: list[str] = Field(
        max_length=MAX_LIST,
        json_schema_extra=list_of_enum(Section.values),
        description="The parts of the case the receiver may see once it accepts.",
    )
    message: str = Field("", alias="cas_OutgoingReferralDetails", max_length=20_000)
    reason: str = Field(
        Referral.Reason.ADDITIONAL_SERVICES,
        alias="cas_ReasonForOutgoingReferral",
        max_length=64,
        json_schema_extra=enum_of(Referral.Reason.values),
    )


class ReferralDeclineIn(InSchema):
    reason: str = Field(max_length=4000, description="Why the referral is declined.")


class ReferralWithdrawIn(InSchema):
    reason: str = Field("", max_length=4000)


class ReferralSummaryOut(OutSchema):
    """What the receiver may know before accepting: nothing that identifies the person."""

    sex: str
    age_group: str
    types_of_exploitation: list[str] = Field(alias="vic_TypeOfExploitation")
    primary_language: str = Field(alias="prs_PrimaryLanguage")


class ReferralQuestionOut(OutSchema):
    """A question of the receiving agency and the sending agency's answer (empty until given)."""

    id: UUID
    question: str
    asked_at: datetime.datetime
    asked_by_name: str
    answer: str
    answered_at: datetime.datetime | None
    answered_by_name: str | None


class ReferralQuestionIn(InSchema):
    question: str = Field(max_length=20_000, description="The receiver's question to the sender.")


class ReferralAnswerIn(InSchema):
    answer: str = Field(max_length=20_000, description="The sender's answer to the question.")


class ReferralOut(OutSchema):
    id: UUID
    case_id: UUID
    case_reference: str
    status: str = Field(json_schema_extra=enum_of(Referral.Status.values))
    status_label: str
    from_agency: AgencyRef = Field(alias="cas_ReferringOrganisation")
    to_agency: AgencyRef = Field(alias="cas_ReferredOrganisation")
    service_type: ServiceTypeRef
    reason: str = Field(alias="cas_ReasonForOutgoingReferral")
    message: str = Field(alias="cas_OutgoingReferralDetails")
    sections: list[str]
    sent_at: datetime.datetime = Field(alias="cas_OutgoingReferralDate")
    sent_by_name: str
    decided_at: datetime.datetime | None
    decided_by_name: str | None
    decision_reason: str
    due_at: datetime.datetime | None = Field(
        None, description="When an answer is due (the deadline of the mechanism's step)"
    )
    overdue: bool = Field(False, description="Still waiting after the due time")
    outcome: str = Field("", description="delivered, not_delivered or empty")
    information: str = Field(
        "",
        json_schema_extra=enum_of(["", "requested", "answered"]),
        description="requested: the receiver's question waits for the sender's answer; answered: "
        "every question is answered; empty: none asked. A question does not stop the due time.",
    )
    questions: list[ReferralQuestionOut] = Field(
        default_factory=list,
        description="The question thread (on one referral; lists leave it empty).",
    )
    version: int
    summary: ReferralSummaryOut
    display_name: str | None = Field(
        None, description="The person's name: only where the caller may see the identity section."
    )


class ReferralPageOut(OutSchema):
    count: int
    limit: int
    offset: int
    items: list[ReferralOut]


class ReferralOutcomeIn(InSchema):
    delivered: bool = Field(description="True: the service was delivered; false: it was not")


class ReferralResendIn(InSchema):
    to_agency_id: UUID = Field(alias="cas_ReferredOrganisation")
    consent_id: UUID | None = None


class OutsideReferralIn(InSchema):
    """A referral to a provider outside Tirek: a provider of the directory or a named one."""

    service_type_id: int = Field(ge=1, le=MAX_ID)
    consent_id: UUID = Field(description="A recorded consent covering the provider and sections.")
    sections: list[str] = Field(
        max_length=MAX_LIST,
        json_schema_extra=list_of_enum(Section.values),
        description="The parts of the case the printed form carries.",
    )
    provider_id: UUID | None = Field(None, description="An agency of the directory, or:")
    organisation: str = Field("", max_length=400, description="the name of another organisation")
    message: str = Field("", max_length=20_000, description="What the person needs.")
    checklist_item_id: UUID | None = Field(
        None,
        description="An open step of the case's checklist the referral delivers: the outcome "
        "recorded later closes it.",
    )


class OutsideReferralOut(OutSchema):
    id: UUID
    case_id: UUID
    from_agency: AgencyRef
    provider: AgencyRef | None
    organisation: str
    service_type: ServiceTypeRef
    sections: list[str]
    message: str
    sent_at: datetime.datetime
    sent_by_name: str
    outcome: str = Field(description="delivered, not_delivered or empty (not recorded yet)")
    outcome_at: datetime.datetime | None
    form_url: str = Field(
        description="The printable form (PDF); downloading it is a recorded read."
    )
    version: int


# --- transfers of case ownership -------------------------------------------------------------


class TransferProposeIn(InSchema):
    to_agency_id: UUID = Field(description="The agency that is to own the case.")
    consent_id: UUID = Field(
        description="A recorded consent allowing every part of the case to be shared with it."
    )
    kept_sections: list[str] = Field(
        default_factory=list,
        max_length=MAX_LIST,
        json_schema_extra=list_of_enum(Section.values),
        description="What your agency keeps seeing once the transfer is accepted (need-to-know; "
        "empty: nothing).",
    )
    reason: str = Field("", max_length=20_000, description="Why the case is handed on.")


class TransferDeclineIn(InSchema):
    reason: str = Field(max_length=20_000, description="Why the transfer is declined.")


class TransferKeptIn(InSchema):
    version: int = Field(description="The transfer's version you saw (a change since: 409).")
    kept_sections: list[str] = Field(
        max_length=MAX_LIST,
        json_schema_extra=list_of_enum(Section.values),
        description="What the previous owner still keeps seeing: some of what it keeps now, "
        "never more (empty: nothing).",
    )


class TransferOut(OutSchema):
    id: UUID
    case_id: UUID
    case_reference: str
    status: str = Field(json_schema_extra=enum_of(CaseTransfer.Status.values))
    status_label: str
    from_agency: AgencyRef
    to_agency: AgencyRef
    kept_sections: list[str] = Field(description="What the previous owner keeps seeing.")
    reason: str
    proposed_at: datetime.datetime
    proposed_by_name: str
    decided_at: datetime.datetime | None
    decided_by_name: str | None
    decision_reason: str
    version: int
    summary: ReferralSummaryOut = Field(
        description="What the receiver may know before accepting: nothing that identifies the "
        "person."
    )


class TransferPageOut(OutSchema):
    count: int
    limit: int
    offset: int
    items: list[TransferOut]
