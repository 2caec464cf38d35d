"""One API object mounting each app's router under ``/api/v1/``; OpenAPI at ``/api/docs``.

Clients authenticate with a personal API token (``Authorization: Bearer tirek_...``) or, in the
browsable docs, with their web session (unsafe methods then need the CSRF token).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import models
from django.http import HttpRequest
from ninja import NinjaAPI, Router

from tirek.accounts.api import grants_router
from tirek.accounts.api import router as accounts_router
from tirek.accounts.models import Agency
from tirek.accounts.roles import Capability, Role
from tirek.cases import choices
from tirek.cases.api import router as cases_router
from tirek.casework.api import router as casework_router
from tirek.core.api_support import API_AUTH, exception_handlers_install
from tirek.core.throttling import api_throttles, throttling_install
from tirek.directory.api import directory_router
from tirek.directory.api import router as reference_data_router
from tirek.directory.models import Place, Service, ServiceCapacity
from tirek.directory.schemas import ChoiceOut
from tirek.exchange.api import router as exchange_router
from tirek.matching.api import router as matching_router
from tirek.mechanisms.api import router as mechanisms_router
from tirek.mechanisms.api_calendars import router as calendars_router
from tirek.oversight.api import router as oversight_router
from tirek.protection import choices as protection_choices
from tirek.protection.api import router as protection_router
from tirek.protection.api_children import router as protection_children_router
from tirek.protection.api_plans import router as protection_plans_router
from tirek.protection.api_return import router as protection_return_router
from tirek.protection.models import Consent
from tirek.referrals.api import router as referrals_router
from tirek.referrals.api_transfers import router as transfers_router
from tirek.referrals.models import CaseTransfer, Referral
from tirek.reports.api import router as reports_router
from tirek.retention.api import router as retention_router
from tirek.screening.api import router as screening_router
from tirek.statistics.api import router as statistics_router
from tirek.statistics.api_performance import router as performance_router

api = NinjaAPI(
    title="Tirek API",
    version="1",
    urls_namespace="api",
    description=(
        "Identification, referral and protection of victims of trafficking. "
        "Field names follow the Human Trafficking Case Data Standard (HTCDS 2.0, IOM) where the "
        "standard has one. Authenticate with `Authorization: Bearer <personal API token>`."
    ),
    auth=API_AUTH,
    throttle=api_throttles(),
)
exception_handlers_install(api)
throttling_install(api)

# Every value set a client needs, keyed by the JSON field that uses it.
CHOICE_SETS: dict[str, type[models.TextChoices] | Sequence[tuple[str, Any]]] = {
    "sex": choices.Sex,
    "prs_Gender": choices.Gender,
    "birth_date_precision": choices.BirthDatePrecision,
    "prs_Citizenship": choices.COUNTRY_CHOICES,
    "prs_PrimaryLanguage": choices.LANGUAGE_CHOICES,
    "vic_TraffickingStatus": choices.TraffickingStatus,
    "vic_TraffickingStatusDecisionMakingOrg": choices.DecisionMakingOrg,
    "vic_TypeOfExploitation": choices.TypeOfExploitation,
    "vic_MethodsOfControl": choices.MethodOfControl,
    "cas_Status": choices.CaseStatus,
    "nrm_stage": choices.NrmStage,
    "hte_Type": choices.HistoricEventType,
    "sections": choices.Section,
    "consent_purpose": Consent.Purpose,
    "consent_method": Consent.Method,
    "reflection_outcome": protection_choices.ReflectionOutcome,
    "risk_level": choices.RiskLevel,
    "risk_factor": protection_choices.RiskFactor,
    "risk_area": protection_choices.RiskArea,
    "spl_Type": protection_choices.SupportType,
    "support_status": protection_choices.SupportStatus,
    "guardian_relation": protection_choices.GuardianRelation,
    "best_interests_decision": protection_choices.BestInterestsDecision,
    "per_RoleInProcess": protection_choices.PerpetratorRole,
    "vic_RelationshipToTrafficker": protection_choices.RelationshipToTrafficker,
    "proceeding_role": protection_choices.ProceedingRole,
    "referral_status": Referral.Status,
    "cas_ReasonForOutgoingReferral": Referral.Reason,
    "transfer_status": CaseTransfer.Status,
    "org_Type": Agency.Type,
    "place_kind": Place.Kind,
    "service_status": Service.Status,
    "service_sex": Service.Sex,
    "service_citizenship": Service.Citizenship,
    "capacity_unit": ServiceCapacity.Unit,
    "role": Role,
    "capability": Capability,
}

reference_router = Router(tags=["reference data"])


@reference_router.get(
    "/reference/choices",
    response=dict[str, list[ChoiceOut]],
    summary="Value sets with labels in the request's language",
)
def reference_choices(request: HttpRequest) -> dict[str, list[dict[str, str]]]:
    result = {}
    for name, value_set in CHOICE_SETS.items():
        pairs = value_set.choices if isinstance(value_set, type) else value_set
        result[name] = [{"value": str(v), "label": str(label)} for v, label in pairs]
    return result


api.add_router("/v1/", accounts_router)
api.add_router("/v1/", grants_router)
api.add_router("/v1/", reference_data_router)
api.add_router("/v1/", directory_router)
api.add_router("/v1/", reference_router)
api.add_router("/v1/", cases_router)
api.add_router("/v1/", casework_router)
api.add_router("/v1/", matching_router)
api.add_router("/v1/", protection_router)
api.add_router("/v1/", protection_plans_router)
api.add_router("/v1/", protection_children_router)
api.add_router("/v1/", protection_return_router)
api.add_router("/v1/", referrals_router)
api.add_router("/v1/", transfers_router)
api.add_router("/v1/", retention_router)
api.add_router("/v1/", oversight_router)
api.add_router("/v1/", screening_router)
api.add_router("/v1/", mechanisms_router)
api.add_router("/v1/", calendars_router)
api.add_router("/v1/", statistics_router)
api.add_router("/v1/", performance_router)
api.add_router("/v1/", reports_router)
api.add_router("/v1/", exchange_router)
