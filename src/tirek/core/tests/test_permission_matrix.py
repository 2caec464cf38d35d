"""docs/permissions.md, executable: every web URL and every API route, walked by every persona.

The routes are enumerated from Django's resolver and from the API's OpenAPI schema, so that a new
route cannot be forgotten: ``test_every_route_has_a_row`` fails naming any route missing from
``EXPECTED``. ``EXPECTED`` is the matrix: for each route, the status each persona gets, in the
order of ``PERSONAS``. Beyond the status:

- outside the circle, no answer (page or JSON, list or object) carries the person's name, the case
  reference, her phone number or the place description;
- the referral receiver was granted identity and victim only: the phone number (contact) and the
  place description (events) appear in none of her answers (case page, timeline, search, exports);
- a refused unsafe request writes nothing.

The world is built once per module, inside a transaction rolled back at the end; each test runs
in a savepoint of its own. One test per route and persona (``test_route_for_persona``) makes the
one request and checks every rule above on its answer, naming each rule it breaks: the walk is
thousands of requests, and one request serves all the rules about it.
"""

from __future__ import annotations

import datetime
import io
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency, Membership, User
from tirek.accounts.roles import Role
from tirek.accounts.services import api_token_create
from tirek.api import api
from tirek.cases.choices import Section, Sex, TypeOfExploitation
from tirek.cases.models import Case, CaseEvent
from tirek.cases.page import tabs as case_page_tabs
from tirek.cases.services import PersonInput, PlaceInput, VictimInput, case_register
from tirek.mechanisms.calendars import DayInput, calendar_day_save
from tirek.mechanisms.rules import StepInput
from tirek.mechanisms.services import mechanism_create, mechanism_put_in_force, step_save
from tirek.protection.models import Consent
from tirek.protection.perpetrators import perpetrator_add
from tirek.protection.reflection import reflection_start
from tirek.protection.risk import safety_plan_save
from tirek.protection.support import SupportPlanInput, support_plan_add
from tirek.referrals.models import Referral
from tirek.referrals.outside import outside_referral_record
from tirek.referrals.services import referral_accept
from tirek.screening.selectors import catalogue_current
from tirek.screening.services import Observation, ScreeningInput, screening_save
from tirek.testing.builders import consent_build, referral_build, transfer_build
from tirek.testing.directory import service_build
from tirek.testing.personas import personas_create
from tirek.web.tests.support import SecureClient

FAMILY_NAME = "Matrixova"
PHONE = "+77015550142"
PLACE_DESCRIPTION = "Brick kiln behind the Test-Zhetysu bazaar"

# The columns of EXPECTED.
PERSONAS = [
    "owner",  # aigul, NGO case worker of the owning crisis centre
    "receiver",  # dana, employment: accepted referral granting identity and victim only
    "pending",  # nurlan, police: a referral not yet accepted
    "outsider",  # health department case worker, never in the circle
    "agency_admin",  # crisis centre agency administrator
    "system_admin",
    "dpo",  # data protection officer of the coordinating commission
    "coordinator",  # coordinator of the coordinating commission
    "supervisor",  # embassy supervisor: may break glass (no access open), outside the circle
]
OUTSIDE = {
    "pending",
    "outsider",
    "agency_admin",
    "system_admin",
    "dpo",
    "coordinator",
    "supervisor",
}


@dataclass
class World:
    ids: dict[str, str]
    users: dict[str, User]
    tokens: dict[str, str]
    reference: str
    sessions: dict[str, str]


def _member(username: str, agency: Agency, role: str) -> Actor:
    user = User.objects.create_user(username=username, password=None)
    membership = Membership.objects.create(user=user, agency=agency, role=role)
    return Actor(user=user, membership=membership)


def _session(user: User) -> str:
    """A signed-in session, made once per persona and sent as a cookie by every page request.

    It outlives the idle timeout: the walk takes longer than half an hour on a loaded machine,
    and the requests' renewals of the session are rolled back with their tests.
    """
    client = SecureClient()
    client.force_login(user)
    session = client.session
    session.set_expiry(datetime.timedelta(days=1))
    session.save()
    return str(session.session_key)


def _world_build() -> World:
    people = personas_create()
    commission = Agency.objects.create(
        name="Test Coordinating Commission", type=Agency.Type.COMMISSION, place=people.almaty
    )
    actors = {
        "owner": people.aigul,
        "receiver": people.dana,
        "pending": people.nurlan,
        "outsider": people.outsider,
        "agency_admin": people.agency_admin,
        "system_admin": people.system_admin,
        "dpo": _member("matrix-dpo", commission, Role.DATA_PROTECTION_OFFICER),
        "coordinator": _member("matrix-coordinator", commission, Role.COORDINATOR),
        "supervisor": _member("matrix-supervisor", people.embassy, Role.SUPERVISOR),
    }
    in_force = mechanism_create(
        actor=actors["coordinator"], territory_id=people.almaty.pk, title="Matrix in force"
    )
    step_save(
        actor=actors["coordinator"],
        mechanism_id=in_force.pk,
        expected_version=in_force.version,
        data=StepInput(code="police", stage="identification", name_en="Police", agency_type="NGO"),
    )
    mechanism_put_in_force(actor=actors["coordinator"], mechanism_id=in_force.pk)
    case = case_register(  # under the mechanism in force: its checklist has the police step
        actor=people.aigul,
        person=PersonInput(
            first_name="Testgul",
            family_name=FAMILY_NAME,
            sex=Sex.FEMALE,
            birth_date=datetime.date(1998, 6, 3),
            citizenship=["KAZ"],
            mobile_phone=PHONE,
        ),
        victim=VictimInput(types_of_exploitation=[TypeOfExploitation.FORCED_LABOUR]),
        place=PlaceInput(country="KAZ", city="Almaty", description=PLACE_DESCRIPTION),
    )
    sections: list[str] = [Section.IDENTITY, Section.VICTIM]
    accepted = referral_build(
        people.aigul,
        case,
        to=people.employment,
        service=people.employment_service,
        sections=sections,
    )
    referral_accept(actor=people.dana, referral_id=accepted.pk)
    pending = referral_build(
        people.aigul, case, to=people.police, service=people.investigation_service
    )
    screening = screening_save(
        actor=people.aigul,
        catalogue=catalogue_current(),
        case=case,
        data=ScreeningInput(scope="labour", observations=[Observation("DR-01", "self_report")]),
    )
    shelter = service_build(people.crisis_centre, people.shelter_service, free=3)
    any_agency = consent_build(people.aigul, case, sections=[Section.IDENTITY])
    outside = outside_referral_record(
        actor=people.aigul,
        case_id=case.pk,
        service_type_id=people.shelter_service.pk,
        consent_id=any_agency.pk,
        sections=[Section.IDENTITY],
        organisation="Matrix organisation",
    )
    mechanism = mechanism_create(
        actor=actors["coordinator"], territory_id=people.almaty.pk, title="Matrix mechanism"
    )
    step = step_save(
        actor=actors["coordinator"],
        mechanism_id=mechanism.pk,
        expected_version=mechanism.version,
        data=StepInput(code="police", stage="identification", name_en="Police", agency_type="NGO"),
    )
    day = calendar_day_save(
        actor=actors["coordinator"],
        territory_id=people.almaty.pk,
        data=DayInput(date=datetime.date(2026, 12, 16), name_en="Matrix day"),
    )
    period = reflection_start(actor=people.aigul, case_id=case.pk)
    support = support_plan_add(
        actor=people.aigul,
        case_id=case.pk,
        data=SupportPlanInput(type="Health", objectives="Dental care"),
    )
    safety_plan_save(actor=people.aigul, case_id=case.pk, measures="Call twice a day")
    perpetrator = perpetrator_add(actor=people.aigul, case_id=case.pk, roles=["Exploiter"])
    # A transfer of the case to the police waits for their answer: the "pending" persona is its
    # receiver, and sees (like a pending referral's) only a summary that names nobody.
    transfer = transfer_build(people.aigul, case, to=people.police, kept=[Section.REFERRALS])
    tokens = {}
    token_ids = {}
    for name, actor in actors.items():
        token, tokens[name] = api_token_create(actor=actor, name="matrix")
        token_ids[name] = str(token.pk)
    ids = {
        "case": str(case.pk),
        "accepted": str(accepted.pk),
        "pending": str(pending.pk),
        "consent": str(accepted.consent_id),
        "any_agency_consent": str(any_agency.pk),
        "outside": str(outside.pk),
        "transfer": str(transfer.pk),
        "transfer_consent": str(transfer.consent_id),
        "shelter_type": str(people.shelter_service.pk),
        "screening": str(screening.pk),
        "period": str(period.pk),
        "plan": str(support.pk),
        "perpetrator": str(perpetrator.pk),
        "owner_user": str(people.aigul.user.pk),
        "owner_token": token_ids["owner"],
        "police": str(people.police.pk),
        "investigation": str(people.investigation_service.pk),
        "catalogue": str(catalogue_current().pk),
        "service": str(shelter.pk),
        "capacity": str(shelter.capacities.get().pk),
        "nothing": "00000000-0000-4000-8000-000000000000",
        "mechanism": str(mechanism.pk),
        "step": str(step.pk),
        "almaty": str(people.almaty.pk),
        "day": str(day.pk),
        "item": str(case.checklist.get().pk),
    }
    return World(
        ids=ids,
        users={name: actor.user for name, actor in actors.items()},
        tokens=tokens,
        reference=case.reference,
        sessions={name: _session(actor.user) for name, actor in actors.items()},
    )


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield _world_build()
        transaction.set_rollback(True)


# --- The routes ------------------------------------------------------------------------------

SKIPPED_NAMESPACES = ("api", "admin")  # the API is walked through its schema; admin below


def _web_patterns(
    resolver: URLResolver | None = None, prefix: str = "", ns: str = ""
) -> list[tuple[str, str]]:
    """(URL name, or the route where there is none; route) of every pattern, namespaces joined."""
    found: list[tuple[str, str]] = []
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{ns}:{pattern.namespace}".strip(":") if pattern.namespace else ns
            found += _web_patterns(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = (
                f"{ns}:{pattern.name}".strip(":") if pattern.name else prefix + str(pattern.pattern)
            )
            found.append((name, prefix + str(pattern.pattern)))
    return found


WEB_ROUTES = {
    name: route
    for name, route in _web_patterns()
    if name.split(":")[0] not in SKIPPED_NAMESPACES and not route.startswith(("api/", "admin/"))
}
ADMIN_ROUTES = {name: route for name, route in _web_patterns() if route.startswith("admin/")}
API_ROUTES = {
    f"{method.upper()} {path.removeprefix('/api/v1')}"
    for path, operations in api.get_openapi_schema()["paths"].items()
    for method in operations
}

# Which object each path parameter names. Routes about a referral are walked twice.
PARAMETERS = {
    "case_id": "case",
    "consent_id": "consent",
    "screening_id": "screening",
    "period_id": "period",
    "plan_id": "plan",
    "perpetrator_id": "perpetrator",
    "user_id": "owner_user",
    "token_id": "owner_token",
    "request_id": "nothing",
    "pair_id": "nothing",
    "access_id": "nothing",
    "grant_id": "nothing",
    "task_id": "nothing",
    "proceeding_id": "nothing",
    "note_id": "nothing",
    "attachment_id": "nothing",
    "code": "DR-01",
    "service_id": "service",
    "capacity_id": "capacity",
    "mechanism_id": "mechanism",
    "item_id": "item",
    "step_id": "step",
    "outside_referral_id": "outside",
    "transfer_id": "transfer",
    "table": "sex",
    "performance_table": "steps",
    "territory_id": "almaty",
    "agency_id": "police",
    "day_id": "day",
    "report_id": "nothing",
    "export_id": "nothing",
}
REFERRAL_VARIANTS = ("accepted", "pending")


# The case page is walked once per tab (``?tab=<name>``): each tab is its own answer.
TABBED_PAGES = {"cases:detail"}


def _variants(route: str, name: str = "") -> list[str]:
    if name in TABBED_PAGES:
        return [""] + [f"tab={tab.name}" for tab in case_page_tabs()]
    about_a_referral = re.search(r"[<{:]referral_id[>}]", route)
    return list(REFERRAL_VARIANTS) if about_a_referral else [""]


def _fill(route: str, ids: dict[str, str], variant: str) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1).split(":")[-1]
        if name == "referral_id":
            return ids[variant]
        key = PARAMETERS[name]
        return ids.get(key, key)

    return re.sub(r"[<{]([\w:]+)[>}]", value, route)


# Valid bodies, so that a refusal comes from the permission check and not from validation.
API_BODIES: dict[str, Any] = {
    "POST /tokens": {"name": "matrix"},
    "POST /persons/search": {"name": FAMILY_NAME},
    "POST /cases": {"person": {"prs_FirstName": "New", "prs_SecondName": "Matrixcase"}},
    "PATCH /cases/{case_id}/victim": {"version": 1, "vic_AgeWhenTrafficked": 5},
    "PATCH /cases/{case_id}/person/identity": {"version": 1, "prs_PrimaryLanguage": "ru"},
    "PATCH /cases/{case_id}/person/contact": {"version": 1, "contact_notes": "Text only"},
    "POST /cases/{case_id}/notes": {"text": "Matrix note"},
    "POST /cases/{case_id}/tasks": {
        "title": "Matrix task",
        "due_on": "2026-12-01",
        "owner_id": "{owner_user}",
    },
    "POST /tasks/{task_id}/done": {},
    "PUT /tasks/{task_id}": {
        "version": 1,
        "title": "Matrix task",
        "due_on": "2026-12-01",
        "owner_id": "{owner_user}",
    },
    "POST /cases/{case_id}/attachments": {"kind": "consent_form"},
    "POST /cases/{case_id}/places": {"hte_Country": "KAZ"},
    "POST /cases/{case_id}/close": {"version": 1, "cas_ReasonForCaseClosure": "x"},
    "POST /cases/{case_id}/reopen": {"version": 1},
    "POST /cases/{case_id}/stage": {"version": 1, "nrm_stage": "first_assistance"},
    "POST /matching/intake": {"prs_SecondName": FAMILY_NAME, "prs_FirstName": "Testgul"},
    "POST /matching/pairs": {"case_a": "{case}", "case_b": "{case}", "decision": "same"},
    "POST /matching/check-requests": {"case_id": "{case}"},
    "POST /matching/review/decide": {"case_a": "{case}", "case_b": "{case}", "decision": "same"},
    "POST /matching/check-requests/{request_id}/resolve": {"decision": "same"},
    "POST /cases/{case_id}/consents": {"method": "written", "sections": ["identity"]},
    "POST /cases/{case_id}/reflection-periods": {},
    "POST /cases/{case_id}/child": {"is_child": False},
    "POST /cases/{case_id}/perpetrators": {"per_RoleInProcess": ["Exploiter"]},
    "PUT /perpetrators/{perpetrator_id}": {"version": 1, "per_RoleInProcess": ["Transporter"]},
    "PUT /cases/{case_id}/return-plan": {"version": 0, "destination_country": "UZB"},
    "POST /cases/{case_id}/proceedings": {"role": "witness"},
    "PUT /proceedings/{proceeding_id}": {"version": 1, "role": "witness"},
    "PUT /cases/{case_id}/guardian": {"version": 0, "name": "x", "relation": "parent"},
    "POST /cases/{case_id}/best-interests": {"assessment": "x", "decision": "other"},
    "POST /reflection-periods/{period_id}/extend": {"version": 1, "days": 5, "reason": "x"},
    "POST /reflection-periods/{period_id}/end": {"version": 1, "outcome": "declines"},
    "POST /cases/{case_id}/risk-assessments": {"level": "low"},
    "PUT /cases/{case_id}/safety-plan": {"version": 1, "measures": "x"},
    "POST /cases/{case_id}/support-plans": {"spl_Type": "Health", "spl_Objectives": "x"},
    "PUT /support-plans/{plan_id}": {"version": 1, "spl_Type": "Health", "spl_Objectives": "x"},
    "POST /support-plans/{plan_id}/delivery": {"version": 1, "status": "planned"},
    "POST /cases/{case_id}/referrals": {
        "cas_ReferredOrganisation": "{police}",
        "service_type_id": "{investigation}",
        "consent_id": "{consent}",
        "sections": ["identity"],
    },
    "POST /referrals/{referral_id}/decline": {"reason": "x"},
    "POST /directory/services": {"service_type": "test-shelter", "name_en": "Matrix shelter"},
    "PUT /directory/services/{service_id}": {
        "service_type": "test-shelter",
        "name_en": "Matrix shelter",
        "version": 1,
    },
    "POST /directory/capacities/{capacity_id}": {"available": 1},
    "POST /directory/import": {},
    "POST /cases/{case_id}/erasure-requests": {"legal_basis": "x"},
    "POST /break-glass": {"case_reference": "{reference}", "reason": "Emergency at night"},
    "POST /break-glass/{access_id}/review": {"justified": True},
    "POST /audit/export": {},
    "POST /screening/assess": {"indicators": ["DR-01"]},
    "POST /screenings/{screening_id}/case": {"person": {"prs_FirstName": "Matrix"}},
    "POST /screenings": {
        "case_id": "{case}",
        "scope": "labour",
        "observations": [{"code": "DR-01", "source": "self_report"}],
    },
    "POST /cases/{case_id}/status-decisions": {
        "expected_version": 1,
        "vic_TraffickingStatus": "ActualVictimOfTrafficking",
        "screening_id": "{screening}",
    },
}
MECHANISM_STEP = {
    "version": 2,
    "code": "matrix",
    "stage": "identification",
    "name_en": "Matrix step",
    "agency_type": "NGO",
}
API_BODIES |= {
    "POST /mechanisms": {"territory_id": "{almaty}", "title": "Matrix draft"},
    "POST /checklist/{item_id}/close": {"version": 1, "outcome": "done"},
    "PUT /checklist/{item_id}/support-plans": {"support_plan_ids": []},
    "POST /referrals/{referral_id}/outcome": {"delivered": True},
    "POST /referrals/{referral_id}/resend": {"cas_ReferredOrganisation": "{police}"},
    "POST /referrals/{referral_id}/questions": {"question": "Matrix question"},
    "POST /cases/{case_id}/outside-referrals": {
        "service_type_id": "{shelter_type}",
        "consent_id": "{any_agency_consent}",
        "sections": ["identity"],
        "organisation": "Matrix organisation",
    },
    "POST /outside-referrals/{outside_referral_id}/outcome": {"delivered": True},
    "POST /referrals/{referral_id}/answer": {"answer": "Matrix answer"},
    "POST /cases/{case_id}/transfers": {
        "to_agency_id": "{police}",
        "consent_id": "{transfer_consent}",
        "kept_sections": [],
    },
    "POST /transfers/{transfer_id}/decline": {"reason": "Matrix reason"},
    "POST /transfers/{transfer_id}/kept": {"version": 1, "kept_sections": []},
    "POST /mechanisms/import": {
        "format": "tirek-mechanism",
        "format_version": 1,
        "territory": "test-almaty",
        "title": "Imported",
        "steps": [],
    },
    "PATCH /mechanisms/{mechanism_id}": {"version": 2, "title": "Renamed"},
    "POST /mechanisms/{mechanism_id}/steps": MECHANISM_STEP,
    "PUT /mechanisms/{mechanism_id}/steps/{step_id}": MECHANISM_STEP,
    "POST /exchange/htcds": {"partner_id": "{police}", "format": "json"},
    "POST /exchange/ctdc": {"format": "json"},
    "PUT /calendars/{territory_id}": {"weekend_days": [5, 6]},
    "PUT /directory/organizations/{agency_id}/names": {"org_Name": "Matrix police"},
    "POST /calendars/{territory_id}/days": {"date": "2026-12-31", "name_en": "Matrix"},
    "POST /calendars/{territory_id}/import": {"days": []},
    "POST /reports": {"kind": "annual", "year": 2025, "format": "xlsx"},
}
WEB_BODIES: dict[str, dict[str, str]] = {
    "accounts:api_token_revoke": {"confirmed": "yes"},
    "cases:search": {"name": FAMILY_NAME},
    "matching:intake": {"family_name": FAMILY_NAME, "first_name": "Testgul"},
    "reports:index": {
        "kind": "annual",
        "year": "2025",
        "scope": "national",
        "language": "en",
        "format": "xlsx",
    },
    "exchange:htcds": {"format": "csv"},
    "exchange:ctdc": {"format": "csv"},
}


def _body(template: Any, world: World) -> Any:
    values = world.ids | {"reference": world.reference}
    text = json.dumps(template)
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return json.loads(text)


COUNTED_TABLES = sorted(
    model._meta.db_table
    for model in apps.get_models()
    if model.__module__.startswith("tirek.")
    and model._meta.label
    not in {"core.AuditEvent", "core.ChainHead", "accounts.ApiToken", "cases.CaseEvent"}
)


def _state() -> tuple[Any, ...]:
    """What a write would change: row counts of the domain tables, versions and statuses.

    The audit log (and its chain head) and the timeline's read records are left out: a refused
    attempt, or the read that preceded it, is recorded there. The tables are counted in one query.
    """
    reads = [CaseEvent.Kind.CASE_VIEWED, CaseEvent.Kind.REFERRAL_VIEWED]
    # One query; the names are those of Tirek's own tables.
    counts_sql = ", ".join(
        f"(SELECT COUNT(*) FROM {connection.ops.quote_name(table)})"  # noqa: S608
        for table in COUNTED_TABLES
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts_sql}")  # noqa: S608
        counts = tuple(cursor.fetchone())
    return (
        counts,
        CaseEvent.objects.exclude(kind__in=reads).count(),
        sorted(Case.objects.values_list("version", "status")),
        sorted(Referral.objects.values_list("status", flat=True)),
        Consent.objects.filter(withdrawn_at__isnull=True).count(),
    )


@dataclass(frozen=True)
class Call:
    kind: str  # "web" or "api"
    method: str
    route: str  # URL name (web) or "METHOD path" (api)
    variant: str

    @property
    def key(self) -> str:
        suffix = f"[{self.variant}]" if self.variant else ""
        return f"{self.method} {self.route}{suffix}" if self.kind == "web" else self.route + suffix


def _calls() -> list[Call]:
    calls = []
    for name, route in sorted(WEB_ROUTES.items()):
        for variant in _variants(route, name):
            calls += [Call("web", method, name, variant) for method in ("GET", "POST")]
    for route in sorted(API_ROUTES):
        for variant in _variants(route):
            calls.append(Call("api", route.split()[0], route, variant))
    return calls


CALLS = _calls()


def _request(call: Call, persona: str, world: World) -> Any:
    if call.kind == "web":
        client = SecureClient()
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[persona]
        url = "/" + _fill(WEB_ROUTES[call.route], world.ids, call.variant)
        if call.variant.startswith("tab="):
            url += "?" + call.variant
        if call.method == "GET":
            return client.get(url)
        return client.post(url, WEB_BODIES.get(call.route, {}))
    client = SecureClient()
    path = _fill(call.route.split(" ", 1)[1], world.ids, call.variant)
    kwargs: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {world.tokens[persona]}"}
    template = API_BODIES.get(call.route)
    if template is not None:
        kwargs |= {"data": json.dumps(_body(template, world)), "content_type": "application/json"}
    return client.generic(call.method, "/api/v1" + path, **kwargs)


# --- The matrix ------------------------------------------------------------------------------
# Status per persona, in the order of PERSONAS:
#            owner receiver pending outsider agency_admin system_admin dpo coordinator supervisor
# 404: outside the circle (or no such object); 403: the role may not do this at all, answered
# before any lookup (the same for a case that does not exist, see test_refusal_reveals_nothing);
# 405: method not allowed; 422/400/409: allowed, but the empty or repeated request is refused.
# Web pages check the capability first (403 for administrators and the DPO); the API answers 404
# on case routes and empty lists instead.
EXPECTED: dict[str, str] = {
    "GET accounts:api_token_revoke": "200 404 404 404 404 404 404 404 404",
    "POST accounts:api_token_revoke": "302 404 404 404 404 404 404 404 404",
    "GET accounts:api_tokens": "200 200 200 200 200 200 200 200 200",
    "POST accounts:api_tokens": "200 200 200 200 200 200 200 200 200",
    "GET accounts:membership_choose": "405 405 405 405 405 405 405 405 405",
    "POST accounts:membership_choose": "302 302 302 302 302 302 302 302 302",
    "GET cases:detail": "200 200 404 404 403 403 403 404 404",
    "POST cases:detail": "200 200 404 404 403 403 403 404 404",
    "GET cases:detail[tab=person]": "200 200 404 404 403 403 403 404 404",
    "POST cases:detail[tab=person]": "200 200 404 404 403 403 403 404 404",
    "GET cases:detail[tab=trafficking]": "200 200 404 404 403 403 403 404 404",
    "POST cases:detail[tab=trafficking]": "200 200 404 404 403 403 403 404 404",
    "GET cases:detail[tab=screening]": "200 200 404 404 403 403 403 404 404",
    "POST cases:detail[tab=screening]": "200 200 404 404 403 403 403 404 404",
    "GET cases:detail[tab=consents]": "200 200 404 404 403 403 403 404 404",
    "POST cases:detail[tab=consents]": "200 200 404 404 403 403 403 404 404",
    "GET cases:detail[tab=protection]": "200 200 404 404 403 403 403 404 404",
    "POST cases:detail[tab=protection]": "200 200 404 404 403 403 403 404 404",
    "GET cases:detail[tab=referrals]": "200 200 404 404 403 403 403 404 404",
    "POST cases:detail[tab=referrals]": "200 200 404 404 403 403 403 404 404",
    "GET cases:detail[tab=mechanism]": "200 200 404 404 403 403 403 404 404",
    "POST cases:detail[tab=mechanism]": "200 200 404 404 403 403 403 404 404",
    "GET cases:detail[tab=notes]": "200 200 404 404 403 403 403 404 404",
    "POST cases:detail[tab=notes]": "200 200 404 404 403 403 403 404 404",
    "GET cases:detail[tab=tasks]": "200 200 404 404 403 403 403 404 404",
    "POST cases:detail[tab=tasks]": "200 200 404 404 403 403 403 404 404",
    "GET cases:detail[tab=timeline]": "200 200 404 404 403 403 403 404 404",
    "POST cases:detail[tab=timeline]": "200 200 404 404 403 403 403 404 404",
    "GET cases:detail[tab=record]": "200 200 404 404 403 403 403 404 404",
    "POST cases:detail[tab=record]": "200 200 404 404 403 403 403 404 404",
    "GET casework:attachment_add": "405 405 405 405 405 405 405 405 405",
    "POST casework:attachment_add": "422 422 404 404 403 403 403 404 404",
    "GET casework:attachment_download": "404 404 404 404 403 403 403 404 404",
    "POST casework:attachment_download": "404 404 404 404 403 403 403 404 404",
    "GET casework:my_tasks": "200 200 200 200 403 403 403 200 200",
    "POST casework:my_tasks": "200 200 200 200 403 403 403 200 200",
    "GET casework:note_add": "405 405 405 405 405 405 405 405 405",
    "POST casework:note_add": "422 422 404 404 403 403 403 404 404",
    "GET casework:task_add": "405 405 405 405 405 405 405 405 405",
    "POST casework:task_add": "422 422 404 404 403 403 403 404 404",
    "GET casework:task_done": "405 405 405 405 405 405 405 405 405",
    "POST casework:task_done": "404 404 404 404 403 403 403 404 404",
    "GET casework:task_update": "405 405 405 405 405 405 405 405 405",
    "POST casework:task_update": "404 404 404 404 403 403 403 404 404",
    "GET casework:note_delete": "405 405 405 405 405 405 405 405 405",
    "POST casework:note_delete": "404 404 404 404 403 403 403 404 404",
    "GET casework:attachment_delete": "405 405 405 405 405 405 405 405 405",
    "POST casework:attachment_delete": "404 404 404 404 403 403 403 404 404",
    "GET cases:list": "200 200 200 200 403 403 403 200 200",
    "POST cases:list": "200 200 200 200 403 403 403 200 200",
    "GET cases:place_add": "405 405 405 405 405 405 405 405 405",
    "POST cases:place_add": "422 403 404 404 403 403 403 404 404",
    "GET cases:register": "200 200 200 200 403 403 403 200 200",
    "POST cases:register": "422 422 422 422 403 403 403 422 422",
    "GET cases:search": "302 302 302 302 403 403 403 302 302",
    "POST cases:search": "200 200 200 200 403 403 403 200 200",
    "GET cases:victim_update": "405 405 405 405 405 405 405 405 405",
    "POST cases:victim_update": "422 403 404 404 403 403 403 404 404",
    "GET cases:identity_update": "405 405 405 405 405 405 405 405 405",
    "POST cases:identity_update": "422 403 404 404 403 403 403 404 404",
    "GET cases:contact_update": "405 405 405 405 405 405 405 405 405",
    "POST cases:contact_update": "422 403 404 404 403 403 403 404 404",
    "GET cases:stage_change": "405 405 405 405 405 405 405 405 405",
    "POST cases:stage_change": "422 403 404 404 403 403 403 404 404",
    "GET directory:exchange": "200 200 200 200 200 200 200 200 200",
    "POST directory:exchange": "403 403 403 403 403 422 403 403 403",
    "GET directory:export": "200 200 200 200 200 200 200 200 200",
    "POST directory:export": "200 200 200 200 200 200 200 200 200",
    "GET directory:list": "200 200 200 200 200 200 200 200 200",
    "POST directory:list": "200 200 200 200 200 200 200 200 200",
    "GET directory:detail": "200 200 200 200 200 200 200 200 200",
    "POST directory:detail": "200 200 200 200 200 200 200 200 200",
    "GET directory:service_new": "403 403 403 403 200 200 403 200 403",
    "POST directory:service_new": "403 403 403 403 422 422 403 422 403",
    "GET directory:service_edit": "403 403 403 403 200 200 403 403 403",
    "POST directory:service_edit": "403 403 403 403 422 422 403 403 403",
    "GET directory:free_places": "200 200 200 200 200 403 403 200 200",
    "POST directory:free_places": "200 200 200 200 200 403 403 200 200",
    "GET directory:capacity_set": "405 405 405 405 405 405 405 405 405",
    "POST directory:capacity_set": "302 403 403 403 302 302 403 403 403",
    # Agencies' names: administrators (an agency administrator only their own agency's).
    "GET directory:agencies": "403 403 403 403 200 200 403 403 403",
    "POST directory:agencies": "405 405 405 405 405 405 405 405 405",
    "GET directory:agency_names": "405 405 405 405 405 405 405 405 405",
    "POST directory:agency_names": "403 403 403 403 403 422 403 403 403",
    "PUT /directory/organizations/{agency_id}/names": "403 403 403 403 403 200 403 403 403",
    "GET referrals:providers": "200 403 404 404 403 403 403 404 404",
    "POST referrals:providers": "200 403 404 404 403 403 403 404 404",
    "GET login": "302 302 302 302 302 302 302 302 302",
    "POST login": "302 302 302 302 302 302 302 302 302",
    "GET logout": "405 405 405 405 405 405 405 405 405",
    "POST logout": "302 302 302 302 302 302 302 302 302",
    "GET matching:check_request": "405 405 405 405 405 405 405 405 405",
    "POST matching:check_request": "422 422 422 422 403 403 403 422 422",
    "GET matching:check_resolve": "405 405 405 405 405 405 405 405 405",
    "POST matching:check_resolve": "404 404 404 404 404 404 404 404 404",
    "GET matching:checks": "200 200 200 200 200 200 200 200 200",
    "POST matching:checks": "200 200 200 200 200 200 200 200 200",
    "GET matching:intake": "405 405 405 405 405 405 405 405 405",
    "POST matching:intake": "200 200 200 200 403 403 403 200 200",
    "GET matching:pair_decide": "405 405 405 405 405 405 405 405 405",
    "POST matching:pair_decide": "404 404 404 404 403 403 403 404 404",
    "GET matching:review": "404 404 404 404 404 404 404 200 404",
    "GET matching:askers": "404 404 404 404 404 404 404 200 404",
    "POST matching:askers": "405 405 405 405 405 405 405 405 405",
    "POST matching:review": "405 405 405 405 405 405 405 405 405",
    "GET matching:review_decide": "405 405 405 405 405 405 405 405 405",
    "POST matching:review_decide": "404 404 404 404 404 404 404 404 404",
    "GET matching:pair_undo": "405 405 405 405 405 405 405 405 405",
    "POST matching:pair_undo": "404 404 404 404 403 403 403 404 404",
    "GET mfa:enrol": "200 200 200 200 200 200 200 200 200",
    "POST mfa:enrol": "200 200 200 200 200 200 200 200 200",
    "GET mfa:member_reset": "403 403 403 403 200 200 403 403 403",
    "POST mfa:member_reset": "403 403 403 403 302 302 403 403 403",
    "GET mfa:members": "403 403 403 403 200 200 403 403 403",
    "GET accounts:role_grants": "403 403 403 403 200 200 403 403 403",
    "POST accounts:role_grants": "403 403 403 403 302 302 403 403 403",
    "POST mfa:members": "403 403 403 403 200 200 403 403 403",
    "GET mfa:reauth": "200 200 200 200 200 200 200 200 200",
    "POST mfa:reauth": "200 200 200 200 200 200 200 200 200",
    "GET mfa:recovery_codes": "200 200 200 200 200 200 200 200 200",
    "POST mfa:recovery_codes": "302 302 302 302 302 302 302 302 302",
    "GET mfa:security": "200 200 200 200 200 200 200 200 200",
    "POST mfa:security": "200 200 200 200 200 200 200 200 200",
    "GET mfa:verify": "302 302 302 302 302 302 302 302 302",
    "POST mfa:verify": "302 302 302 302 302 302 302 302 302",
    "GET oversight:access_detail": "404 404 404 404 404 404 404 404 404",
    "POST oversight:access_detail": "404 404 404 404 404 404 404 404 404",
    "GET oversight:access_review": "405 405 405 405 405 405 405 405 405",
    "POST oversight:access_review": "403 403 403 403 403 403 403 403 404",
    "GET oversight:audit": "404 404 404 404 404 404 200 404 404",
    "POST oversight:audit": "404 404 404 404 404 404 200 404 404",
    "GET oversight:audit_export": "405 405 405 405 405 405 405 405 405",
    "POST oversight:audit_export": "404 404 404 404 404 404 200 404 404",
    "GET oversight:break_glass_open": "405 405 405 405 405 405 405 405 405",
    "POST oversight:break_glass_open": "403 403 403 403 403 403 403 403 422",
    "GET oversight:emergency": "403 403 403 403 403 403 403 403 200",
    "POST oversight:emergency": "403 403 403 403 403 403 403 403 200",
    "GET protection:consent_record": "405 405 405 405 405 405 405 405 405",
    "POST protection:consent_record": "422 403 404 404 403 403 403 404 404",
    "GET protection:consent_withdraw": "405 405 405 405 405 405 405 405 405",
    "POST protection:consent_withdraw": "302 403 404 404 403 403 403 404 404",
    "GET protection:reflection_start": "405 405 405 405 405 405 405 405 405",
    "POST protection:reflection_start": "422 403 404 404 403 403 403 404 404",
    "GET protection:reflection_extend": "405 405 405 405 405 405 405 405 405",
    "POST protection:reflection_extend": "422 403 404 404 403 403 403 404 404",
    "GET protection:reflection_end": "405 405 405 405 405 405 405 405 405",
    "POST protection:reflection_end": "422 403 404 404 403 403 403 404 404",
    "GET protection:risk_assess": "405 405 405 405 405 405 405 405 405",
    "POST protection:risk_assess": "422 403 404 404 403 403 403 404 404",
    "GET protection:safety_plan_save": "405 405 405 405 405 405 405 405 405",
    "POST protection:safety_plan_save": "422 403 404 404 403 403 403 404 404",
    "GET protection:support_plan_add": "405 405 405 405 405 405 405 405 405",
    "POST protection:support_plan_add": "422 403 404 404 403 403 403 404 404",
    "GET protection:support_plan_update": "405 405 405 405 405 405 405 405 405",
    "POST protection:support_plan_update": "422 403 404 404 403 403 403 404 404",
    "GET protection:support_delivery": "405 405 405 405 405 405 405 405 405",
    "POST protection:support_delivery": "403 404 404 404 403 403 403 404 404",
    "GET protection:return_plan_save": "405 405 405 405 405 405 405 405 405",
    "POST protection:return_plan_save": "422 403 404 404 403 403 403 404 404",
    "GET protection:proceeding_add": "405 405 405 405 405 405 405 405 405",
    "POST protection:proceeding_add": "422 403 404 404 403 403 403 404 404",
    "GET protection:proceeding_update": "405 405 405 405 405 405 405 405 405",
    "POST protection:proceeding_update": "404 404 404 404 403 403 403 404 404",
    "GET cases:detail[tab=return]": "200 200 404 404 403 403 403 404 404",
    "POST cases:detail[tab=return]": "200 200 404 404 403 403 403 404 404",
    "GET protection:perpetrator_add": "405 405 405 405 405 405 405 405 405",
    "POST protection:perpetrator_add": "422 403 404 404 403 403 403 404 404",
    "GET protection:perpetrator_update": "405 405 405 405 405 405 405 405 405",
    "POST protection:perpetrator_update": "422 403 404 404 403 403 403 404 404",
    "GET protection:perpetrator_remove": "405 405 405 405 405 405 405 405 405",
    "POST protection:perpetrator_remove": "302 403 404 404 403 403 403 404 404",
    "GET protection:child_mark": "405 405 405 405 405 405 405 405 405",
    "POST protection:child_mark": "302 403 404 404 403 403 403 404 404",
    "GET protection:guardian_save": "405 405 405 405 405 405 405 405 405",
    "POST protection:guardian_save": "403 403 403 403 403 403 403 403 404",
    "GET protection:best_interests": "405 405 405 405 405 405 405 405 405",
    "POST protection:best_interests": "403 403 403 403 403 403 403 403 404",
    "GET referrals:accept[accepted]": "405 405 405 405 405 405 405 405 405",
    "POST referrals:accept[accepted]": "403 302 404 404 403 403 403 404 404",
    "GET referrals:accept[pending]": "405 405 405 405 405 405 405 405 405",
    "POST referrals:accept[pending]": "403 404 302 404 403 403 403 404 404",
    "GET referrals:decline[accepted]": "403 302 404 404 403 403 403 404 404",
    "POST referrals:decline[accepted]": "403 422 404 404 403 403 403 404 404",
    "GET referrals:decline[pending]": "403 404 200 404 403 403 403 404 404",
    "POST referrals:decline[pending]": "403 404 422 404 403 403 403 404 404",
    "GET referrals:detail[accepted]": "200 200 404 404 403 403 403 404 404",
    "POST referrals:detail[accepted]": "200 200 404 404 403 403 403 404 404",
    "GET referrals:detail[pending]": "200 404 200 404 403 403 403 404 404",
    "POST referrals:detail[pending]": "200 404 200 404 403 403 403 404 404",
    "GET referrals:inbox": "200 200 200 200 403 403 403 200 200",
    "POST referrals:inbox": "200 200 200 200 403 403 403 200 200",
    "GET referrals:send": "405 405 405 405 405 405 405 405 405",
    "POST referrals:send": "422 403 404 404 403 403 403 404 404",
    "GET referrals:sent": "200 200 200 200 403 403 403 200 200",
    "POST referrals:sent": "200 200 200 200 403 403 403 200 200",
    "GET referrals:transfer": "200 404 200 404 403 403 403 404 404",
    "POST referrals:transfer": "200 404 200 404 403 403 403 404 404",
    "GET referrals:transfer_accept": "405 405 405 405 405 405 405 405 405",
    "POST referrals:transfer_accept": "403 404 302 404 403 403 403 404 404",
    "GET referrals:transfer_decline": "405 405 405 405 405 405 405 405 405",
    "POST referrals:transfer_decline": "403 404 422 404 403 403 403 404 404",
    "GET referrals:transfer_propose": "405 405 405 405 405 405 405 405 405",
    "POST referrals:transfer_propose": "422 403 404 404 403 403 403 404 404",
    "GET referrals:transfer_withdraw": "405 405 405 405 405 405 405 405 405",
    "POST referrals:transfer_withdraw": "302 404 403 404 403 403 403 404 404",
    "GET referrals:transfer_kept": "405 405 405 405 405 405 405 405 405",
    "POST referrals:transfer_kept": "422 404 403 404 403 403 403 404 404",
    "GET referrals:transfers_sent": "200 200 200 200 403 403 403 200 200",
    "POST referrals:transfers_sent": "200 200 200 200 403 403 403 200 200",
    "GET referrals:withdraw[accepted]": "302 403 404 404 403 403 403 404 404",
    "POST referrals:withdraw[accepted]": "302 403 404 404 403 403 403 404 404",
    "GET referrals:withdraw[pending]": "200 404 403 404 403 403 403 404 404",
    "POST referrals:withdraw[pending]": "302 404 403 404 403 403 403 404 404",
    "GET retention:case_close": "405 405 405 405 405 405 405 405 405",
    "POST retention:case_close": "422 403 404 404 403 403 403 404 404",
    "GET retention:case_reopen": "405 405 405 405 405 405 405 405 405",
    "POST retention:case_reopen": "302 403 404 404 403 403 403 404 404",
    "GET retention:erasure_execute": "403 403 403 403 403 403 403 403 404",
    "POST retention:erasure_execute": "403 403 403 403 403 403 403 403 404",
    "GET retention:erasure_request": "405 405 405 405 405 405 405 405 405",
    "POST retention:erasure_request": "403 403 403 403 403 403 403 403 404",
    "GET retention:subject_access": "200 403 404 404 403 403 403 404 404",
    "POST retention:subject_access": "200 403 404 404 403 403 403 404 404",
    "GET screening:assess": "405 405 405 405 405 405 405 405 405",
    "POST screening:assess": "200 200 200 200 403 403 403 200 200",
    "GET screening:case_assess": "405 405 405 405 405 405 405 405 405",
    "POST screening:case_assess": "200 200 404 404 403 403 403 404 404",
    "GET screening:case_new": "200 200 404 404 403 403 403 404 404",
    "POST screening:case_new": "200 200 404 404 403 403 403 404 404",
    "GET screening:catalogue": "403 403 403 403 403 200 403 200 403",
    "POST screening:catalogue": "403 403 403 403 403 200 403 200 403",
    "GET screening:decide": "405 405 405 405 405 405 405 405 405",
    "POST screening:decide": "422 422 404 404 403 403 403 404 404",
    "GET screening:case_register": "302 302 404 404 403 403 403 404 404",
    "POST screening:case_register": "302 302 404 404 403 403 403 404 404",
    "GET screening:detail": "200 200 404 404 403 403 403 404 404",
    "POST screening:detail": "200 200 404 404 403 403 403 404 404",
    "GET screening:indicator_add": "403 403 403 403 403 200 403 200 403",
    "POST screening:indicator_add": "403 403 403 403 403 422 403 422 403",
    "GET screening:indicator_edit": "403 403 403 403 403 200 403 200 403",
    "POST screening:indicator_edit": "403 403 403 403 403 422 403 422 403",
    "GET screening:list": "200 200 200 200 403 403 403 200 200",
    "POST screening:list": "200 200 200 200 403 403 403 200 200",
    "GET screening:list_edit": "405 405 405 405 405 405 405 405 405",
    "POST screening:list_edit": "403 403 403 403 403 422 403 422 403",
    "GET screening:new": "200 200 200 200 403 403 403 200 200",
    "POST screening:new": "200 200 200 200 403 403 403 200 200",
    "GET set_language": "302 302 302 302 302 302 302 302 302",
    "POST set_language": "302 302 302 302 302 302 302 302 302",
    "GET web:home": "200 200 200 200 200 200 200 200 200",
    "POST web:home": "200 200 200 200 200 200 200 200 200",
    "DELETE /tokens/{token_id}": "200 404 404 404 404 404 404 404 404",
    "GET /audit/events": "404 404 404 404 404 404 200 404 404",
    "GET /break-glass/review": "200 200 200 200 200 200 200 200 200",
    "GET /break-glass/{access_id}": "404 404 404 404 404 404 404 404 404",
    "GET /cases": "200 200 200 200 200 200 200 200 200",
    "GET /cases/{case_id}": "200 200 404 404 404 404 404 404 404",
    "GET /cases/{case_id}/consents": "200 200 404 404 404 404 404 404 404",
    "GET /cases/{case_id}/erasure-requests": "403 403 404 404 404 404 404 404 404",
    "GET /cases/{case_id}/events": "200 200 404 404 404 404 404 404 404",
    "GET /cases/{case_id}/referrals": "200 200 404 404 404 404 404 404 404",
    "GET /cases/{case_id}/reflection-periods": "200 200 404 404 404 404 404 404 404",
    "POST /cases/{case_id}/reflection-periods": "409 403 404 404 404 404 404 404 404",
    "POST /reflection-periods/{period_id}/extend": "200 403 404 404 404 404 404 404 404",
    "POST /reflection-periods/{period_id}/end": "200 403 404 404 404 404 404 404 404",
    "GET /cases/{case_id}/risk-assessments": "200 200 404 404 404 404 404 404 404",
    "POST /cases/{case_id}/risk-assessments": "201 403 404 404 404 404 404 404 404",
    "GET /cases/{case_id}/safety-plan": "200 404 404 404 404 404 404 404 404",
    "PUT /cases/{case_id}/safety-plan": "200 403 404 404 404 404 404 404 404",
    "GET /cases/{case_id}/support-plans": "200 200 404 404 404 404 404 404 404",
    "POST /cases/{case_id}/support-plans": "201 403 404 404 404 404 404 404 404",
    "PUT /support-plans/{plan_id}": "200 403 404 404 404 404 404 404 404",
    "POST /support-plans/{plan_id}/delivery": "403 404 404 404 404 404 404 404 404",
    "GET /cases/{case_id}/return-plan": "404 404 404 404 404 404 404 404 404",
    "PUT /cases/{case_id}/return-plan": "200 403 404 404 404 404 404 404 404",
    "GET /cases/{case_id}/proceedings": "200 200 404 404 404 404 404 404 404",
    "POST /cases/{case_id}/proceedings": "201 403 404 404 404 404 404 404 404",
    "PUT /proceedings/{proceeding_id}": "404 404 404 404 404 404 404 404 404",
    "GET /cases/{case_id}/perpetrators": "200 200 404 404 404 404 404 404 404",
    "POST /cases/{case_id}/perpetrators": "201 403 404 404 404 404 404 404 404",
    "PUT /perpetrators/{perpetrator_id}": "200 403 404 404 404 404 404 404 404",
    "DELETE /perpetrators/{perpetrator_id}": "204 403 404 404 404 404 404 404 404",
    "GET /cases/{case_id}/child": "200 200 404 404 404 404 404 404 404",
    "POST /cases/{case_id}/child": "200 403 404 404 404 404 404 404 404",
    "PUT /cases/{case_id}/guardian": "403 403 404 404 404 404 404 404 404",
    "POST /cases/{case_id}/best-interests": "403 403 404 404 404 404 404 404 404",
    "GET /cases/{case_id}/screenings": "200 200 404 404 404 404 404 404 404",
    "GET /matching/cases/{case_id}/matches": "200 200 404 404 404 404 404 404 404",
    "GET /matching/check-requests": "200 200 200 200 200 200 200 200 200",
    "GET /matching/review": "404 404 404 404 404 404 404 200 404",
    "GET /matching/askers": "404 404 404 404 404 404 404 200 404",
    "GET /me": "200 200 200 200 200 200 200 200 200",
    "GET /directory/export": "200 200 200 200 200 200 200 200 200",
    "POST /directory/import": "403 403 403 403 403 400 403 403 403",
    "GET /directory/organizations": "200 200 200 200 200 200 200 200 200",
    "GET /directory/providers": "200 200 200 200 200 200 200 200 200",
    "GET /directory/services": "200 200 200 200 200 200 200 200 200",
    "GET /directory/services/{service_id}": "200 200 200 200 200 200 200 200 200",
    "POST /directory/services": "403 403 403 403 201 201 403 201 403",
    "PUT /directory/services/{service_id}": "403 403 403 403 200 200 403 403 403",
    "POST /directory/capacities/{capacity_id}": "200 403 403 403 200 200 403 403 403",
    "GET /reference/agencies": "200 200 200 200 200 200 200 200 200",
    "GET /reference/choices": "200 200 200 200 200 200 200 200 200",
    "GET /reference/places": "200 200 200 200 200 200 200 200 200",
    "GET /reference/service-types": "200 200 200 200 200 200 200 200 200",
    "GET /referrals/inbox": "200 200 200 200 200 200 200 200 200",
    "GET /cases/{case_id}/transfers": "200 200 404 404 404 404 404 404 404",
    "POST /cases/{case_id}/transfers": "409 403 404 404 404 404 404 404 404",
    "GET /transfers": "200 200 200 200 200 200 200 200 200",
    "GET /transfers/{transfer_id}": "200 404 200 404 404 404 404 404 404",
    "POST /transfers/{transfer_id}/accept": "403 404 200 404 404 404 404 404 404",
    "POST /transfers/{transfer_id}/decline": "403 404 200 404 404 404 404 404 404",
    "POST /transfers/{transfer_id}/withdraw": "200 404 403 404 404 404 404 404 404",
    "POST /transfers/{transfer_id}/kept": "409 404 403 404 404 404 404 404 404",
    "GET /referrals/sent": "200 200 200 200 200 200 200 200 200",
    "GET /referrals/{referral_id}[accepted]": "200 200 404 404 404 404 404 404 404",
    "GET /referrals/{referral_id}[pending]": "200 404 200 404 404 404 404 404 404",
    "GET /screening/catalogues": "200 200 200 200 200 200 200 200 200",
    "GET /screenings/{screening_id}": "200 200 404 404 404 404 404 404 404",
    "GET /tokens": "200 200 200 200 200 200 200 200 200",
    "GET /cases/{case_id}/attachments": "200 200 404 404 404 404 404 404 404",
    "POST /cases/{case_id}/attachments": "400 400 404 404 404 404 404 404 404",
    "GET /attachments/{attachment_id}/download": "404 404 404 404 404 404 404 404 404",
    "GET /cases/{case_id}/notes": "200 200 404 404 404 404 404 404 404",
    "POST /cases/{case_id}/notes": "201 201 404 404 404 404 404 404 404",
    "GET /cases/{case_id}/tasks": "200 200 404 404 404 404 404 404 404",
    "POST /cases/{case_id}/tasks": "201 400 404 404 404 404 404 404 404",
    "POST /tasks/{task_id}/done": "404 404 404 404 404 404 404 404 404",
    "PUT /tasks/{task_id}": "404 404 404 404 404 404 404 404 404",
    "DELETE /notes/{note_id}": "404 404 404 404 404 404 404 404 404",
    "DELETE /attachments/{attachment_id}": "404 404 404 404 404 404 404 404 404",
    "GET /tasks/mine": "200 200 200 200 200 200 200 200 200",
    "GET /tasks/mine/dates": "200 200 200 200 200 200 200 200 200",
    "PATCH /cases/{case_id}/person/identity": "200 403 404 404 404 404 404 404 404",
    "PATCH /cases/{case_id}/person/contact": "200 403 404 404 404 404 404 404 404",
    "PATCH /cases/{case_id}/victim": "200 403 404 404 404 404 404 404 404",
    "POST /audit/export": "404 404 404 404 404 404 200 404 404",
    "POST /break-glass": "403 403 403 403 403 403 403 403 400",
    "POST /break-glass/{access_id}/review": "404 404 404 404 404 404 404 404 404",
    "POST /cases": "201 201 201 201 403 403 403 201 201",
    "POST /cases/{case_id}/close": "400 403 404 404 404 404 404 404 404",
    "POST /cases/{case_id}/consents": "201 403 404 404 404 404 404 404 404",
    "POST /cases/{case_id}/erasure-requests": "403 403 404 404 404 404 404 404 404",
    "POST /cases/{case_id}/erasure-requests/{request_id}/execute": "403 403 404 404 404 404 404 404 404",  # noqa: E501
    "POST /cases/{case_id}/places": "201 403 404 404 404 404 404 404 404",
    "POST /cases/{case_id}/referrals": "400 403 404 404 404 404 404 404 404",
    "POST /cases/{case_id}/reopen": "409 403 404 404 404 404 404 404 404",
    "POST /cases/{case_id}/stage": "200 403 404 404 404 404 404 404 404",
    "POST /cases/{case_id}/status-decisions": "403 403 404 404 404 404 404 404 404",
    "POST /cases/{case_id}/subject-access": "200 403 404 404 404 404 404 404 404",
    "POST /consents/{consent_id}/withdraw": "200 403 404 404 403 403 403 404 404",
    "POST /matching/check-requests": "409 409 404 404 403 403 403 404 404",
    "POST /matching/check-requests/{request_id}/resolve": "404 404 404 404 404 404 404 404 404",
    "POST /matching/intake": "200 200 200 200 200 200 200 200 200",
    "POST /matching/pairs": "400 400 404 404 404 404 404 404 404",
    "POST /matching/pairs/{pair_id}/undo": "404 404 404 404 404 404 404 404 404",
    "POST /matching/review/decide": "404 404 404 404 404 404 404 404 404",
    "POST /persons/search": "200 200 200 200 200 200 200 200 200",
    "POST /referrals/{referral_id}/accept[accepted]": "403 409 404 404 404 404 404 404 404",
    "POST /referrals/{referral_id}/accept[pending]": "403 404 200 404 404 404 404 404 404",
    "POST /referrals/{referral_id}/decline[accepted]": "403 409 404 404 404 404 404 404 404",
    "POST /referrals/{referral_id}/decline[pending]": "403 404 200 404 404 404 404 404 404",
    "POST /referrals/{referral_id}/withdraw[accepted]": "409 403 404 404 404 404 404 404 404",
    "POST /referrals/{referral_id}/withdraw[pending]": "200 404 403 404 404 404 404 404 404",
    "POST /screening/assess": "200 200 200 200 200 200 200 200 200",
    "POST /screenings": "201 201 404 404 404 404 404 404 404",
    "POST /screenings/{screening_id}/case": "409 409 404 404 403 403 403 404 404",
    "POST /tokens": "401 401 401 401 401 401 401 401 401",
    "GET /role-grants": "403 403 403 403 200 200 403 403 403",
    "POST /role-grants/{grant_id}/approve": "401 401 401 401 401 401 401 401 401",
    "POST /role-grants/{grant_id}/refuse": "401 401 401 401 401 401 401 401 401",
    "GET mechanisms:checklist_close": "405 405 405 405 405 405 405 405 405",
    "POST mechanisms:checklist_close": "302 403 404 404 404 404 404 404 404",
    "GET /cases/{case_id}/checklist": "200 200 404 404 404 404 404 404 404",
    "POST /checklist/{item_id}/close": "200 403 404 404 404 404 404 404 404",
    "PUT /checklist/{item_id}/support-plans": "200 403 404 404 404 404 404 404 404",
    "GET mechanisms:checklist_plans": "405 405 405 405 405 405 405 405 405",
    "POST mechanisms:checklist_plans": "302 403 404 404 404 404 404 404 404",
    "GET mechanisms:open_steps": "200 200 200 200 200 200 200 200 200",
    "POST mechanisms:open_steps": "405 405 405 405 405 405 405 405 405",
    "GET /mechanisms/open-steps": "200 200 200 200 200 200 200 200 200",
    "GET referrals:outcome[accepted]": "405 405 405 405 405 405 405 405 405",
    "POST referrals:outcome[accepted]": "302 302 302 302 403 403 403 302 302",
    "GET referrals:outcome[pending]": "405 405 405 405 405 405 405 405 405",
    "POST referrals:outcome[pending]": "302 302 302 302 403 403 403 302 302",
    "POST /referrals/{referral_id}/outcome[accepted]": "403 200 404 404 404 404 404 404 404",
    "POST /referrals/{referral_id}/outcome[pending]": "403 404 409 404 404 404 404 404 404",
    "GET referrals:resend[accepted]": "405 405 405 405 405 405 405 405 405",
    "POST referrals:resend[accepted]": "302 302 302 302 403 403 403 302 302",
    "GET referrals:resend[pending]": "405 405 405 405 405 405 405 405 405",
    "POST referrals:resend[pending]": "302 302 302 302 403 403 403 302 302",
    "POST /referrals/{referral_id}/resend[accepted]": "409 403 404 404 404 404 404 404 404",
    "POST /referrals/{referral_id}/resend[pending]": "409 404 403 404 404 404 404 404 404",
    "GET referrals:ask[accepted]": "405 405 405 405 405 405 405 405 405",
    "POST referrals:ask[accepted]": "403 422 404 404 403 403 403 404 404",
    "GET referrals:ask[pending]": "405 405 405 405 405 405 405 405 405",
    "POST referrals:ask[pending]": "403 404 422 404 403 403 403 404 404",
    "GET referrals:answer[accepted]": "405 405 405 405 405 405 405 405 405",
    "POST referrals:answer[accepted]": "422 403 404 404 403 403 403 404 404",
    "GET referrals:answer[pending]": "405 405 405 405 405 405 405 405 405",
    "POST referrals:answer[pending]": "422 404 403 404 403 403 403 404 404",
    "POST /referrals/{referral_id}/questions[accepted]": "403 409 404 404 404 404 404 404 404",
    "POST /referrals/{referral_id}/questions[pending]": "403 404 201 404 404 404 404 404 404",
    "POST /referrals/{referral_id}/answer[accepted]": "409 403 404 404 404 404 404 404 404",
    "POST /referrals/{referral_id}/answer[pending]": "409 404 403 404 404 404 404 404 404",
    "GET referrals:outside_send": "405 405 405 405 405 405 405 405 405",
    "POST referrals:outside_send": "422 403 404 404 403 403 403 404 404",
    "GET referrals:outside_pdf": "200 404 404 404 403 403 403 404 404",
    "POST referrals:outside_pdf": "200 404 404 404 403 403 403 404 404",
    "GET referrals:outside_outcome": "405 405 405 405 405 405 405 405 405",
    "POST referrals:outside_outcome": "302 404 404 404 403 403 403 404 404",
    "GET /cases/{case_id}/outside-referrals": "200 200 404 404 404 404 404 404 404",
    "POST /cases/{case_id}/outside-referrals": "201 403 404 404 404 404 404 404 404",
    "GET /outside-referrals/{outside_referral_id}/form.pdf": "200 404 404 404 404 404 404 404 404",
    "POST /outside-referrals/{outside_referral_id}/outcome": "200 404 404 404 404 404 404 404 404",
    "GET mechanisms:list": "200 200 200 200 200 200 200 200 200",
    "POST mechanisms:list": "405 405 405 405 405 405 405 405 405",
    "GET mechanisms:new": "405 405 405 405 405 405 405 405 405",
    "POST mechanisms:new": "403 403 403 403 403 403 403 422 403",
    "GET mechanisms:import": "403 403 403 403 403 403 403 200 403",
    "POST mechanisms:import": "403 403 403 403 403 403 403 422 403",
    "GET mechanisms:compare": "200 200 200 200 200 200 200 200 200",
    "POST mechanisms:compare": "405 405 405 405 405 405 405 405 405",
    "GET mechanisms:detail": "200 200 200 200 200 200 200 200 200",
    "POST mechanisms:detail": "405 405 405 405 405 405 405 405 405",
    "GET mechanisms:diagram": "200 200 200 200 200 200 200 200 200",
    "POST mechanisms:diagram": "405 405 405 405 405 405 405 405 405",
    "GET mechanisms:export": "200 200 200 200 200 200 200 200 200",
    "POST mechanisms:export": "405 405 405 405 405 405 405 405 405",
    "GET mechanisms:update": "405 405 405 405 405 405 405 405 405",
    "POST mechanisms:update": "403 403 403 403 403 403 403 422 403",
    "GET mechanisms:in_force": "405 405 405 405 405 405 405 405 405",
    "POST mechanisms:in_force": "403 403 403 403 403 403 403 302 403",
    "GET mechanisms:step_add": "403 403 403 403 403 403 403 200 403",
    "POST mechanisms:step_add": "403 403 403 403 403 403 403 422 403",
    "GET mechanisms:step_edit": "403 403 403 403 403 403 403 200 403",
    "POST mechanisms:step_edit": "403 403 403 403 403 403 403 422 403",
    "GET mechanisms:step_delete": "405 405 405 405 405 405 405 405 405",
    "POST mechanisms:step_delete": "403 403 403 403 403 403 403 302 403",
    "GET /mechanisms": "200 200 200 200 200 200 200 200 200",
    "GET /mechanisms/schema": "200 200 200 200 200 200 200 200 200",
    "GET /mechanisms/compare": "422 422 422 422 422 422 422 422 422",
    "GET /mechanisms/{mechanism_id}": "200 200 200 200 200 200 200 200 200",
    "GET /mechanisms/{mechanism_id}/export": "200 200 200 200 200 200 200 200 200",
    "POST /mechanisms": "403 403 403 403 403 403 403 201 403",
    "POST /mechanisms/import": "403 403 403 403 403 403 403 201 403",
    "PATCH /mechanisms/{mechanism_id}": "403 403 403 403 403 403 403 200 403",
    "POST /mechanisms/{mechanism_id}/steps": "403 403 403 403 403 403 403 201 403",
    "PUT /mechanisms/{mechanism_id}/steps/{step_id}": "403 403 403 403 403 403 403 200 403",
    "DELETE /mechanisms/{mechanism_id}/steps/{step_id}": "403 403 403 403 403 403 403 400 403",
    "POST /mechanisms/{mechanism_id}/in-force": "403 403 403 403 403 403 403 200 403",
    # Working calendars: everyone reads; coordinators and system administrators keep them.
    "GET mechanisms:calendars": "200 200 200 200 200 200 200 200 200",
    "POST mechanisms:calendars": "403 403 403 403 403 422 403 422 403",
    "GET mechanisms:calendar": "200 200 200 200 200 200 200 200 200",
    "POST mechanisms:calendar": "405 405 405 405 405 405 405 405 405",
    "GET mechanisms:calendar_update": "405 405 405 405 405 405 405 405 405",
    "POST mechanisms:calendar_update": "403 403 403 403 403 302 403 302 403",
    "GET mechanisms:calendar_day_add": "405 405 405 405 405 405 405 405 405",
    "POST mechanisms:calendar_day_add": "403 403 403 403 403 422 403 422 403",
    "GET mechanisms:calendar_day_delete": "405 405 405 405 405 405 405 405 405",
    "POST mechanisms:calendar_day_delete": "403 403 403 403 403 302 403 302 403",
    "GET mechanisms:calendar_import": "405 405 405 405 405 405 405 405 405",
    "POST mechanisms:calendar_import": "403 403 403 403 403 422 403 422 403",
    "GET mechanisms:calendar_export": "200 200 200 200 200 200 200 200 200",
    "POST mechanisms:calendar_export": "405 405 405 405 405 405 405 405 405",
    "GET /calendars": "200 200 200 200 200 200 200 200 200",
    "GET /calendars/{territory_id}": "200 200 200 200 200 200 200 200 200",
    "GET /calendars/{territory_id}/export": "200 200 200 200 200 200 200 200 200",
    "PUT /calendars/{territory_id}": "403 403 403 403 403 200 403 200 403",
    "POST /calendars/{territory_id}/days": "403 403 403 403 403 201 403 201 403",
    "DELETE /calendars/{territory_id}/days/{day_id}": "403 403 403 403 403 204 403 204 403",
    "POST /calendars/{territory_id}/import": "403 403 403 403 403 200 403 200 403",
    "GET statistics:dashboard": "403 403 403 403 403 403 403 200 200",
    "POST statistics:dashboard": "405 405 405 405 405 405 405 405 405",
    "GET statistics:table_csv": "403 403 403 403 403 403 403 200 200",
    "POST statistics:table_csv": "405 405 405 405 405 405 405 405 405",
    "GET /statistics/tables": "403 403 403 403 403 403 403 200 200",
    "GET /statistics/tables/{table}": "403 403 403 403 403 403 403 200 200",
    "GET statistics:performance": "403 403 403 403 403 403 403 200 200",
    "POST statistics:performance": "405 405 405 405 405 405 405 405 405",
    "GET statistics:performance_csv": "403 403 403 403 403 403 403 200 200",
    "POST statistics:performance_csv": "405 405 405 405 405 405 405 405 405",
    "GET /statistics/performance": "403 403 403 403 403 403 403 200 200",
    "GET /statistics/assistance-time": "403 403 403 403 403 403 403 200 200",
    "GET reports:index": "403 403 403 403 403 403 403 200 200",
    "POST reports:index": "403 403 403 403 403 403 403 302 302",
    "GET reports:detail": "403 403 403 403 403 403 403 404 404",
    "POST reports:detail": "405 405 405 405 405 405 405 405 405",
    "GET reports:download": "403 403 403 403 403 403 403 404 404",
    "POST reports:download": "405 405 405 405 405 405 405 405 405",
    "POST /reports": "403 403 403 403 403 403 403 202 202",
    "GET /reports": "403 403 403 403 403 403 403 200 200",
    "GET /reports/{report_id}": "403 403 403 403 403 403 403 404 404",
    "GET /reports/{report_id}/file": "403 403 403 403 403 403 403 404 404",
    "GET exchange:index": "403 403 403 403 403 403 403 200 200",
    "POST exchange:index": "405 405 405 405 405 405 405 405 405",
    "GET exchange:htcds": "405 405 405 405 405 405 405 405 405",
    "POST exchange:htcds": "403 403 403 403 403 403 403 422 422",
    "GET exchange:ctdc": "405 405 405 405 405 405 405 405 405",
    "POST exchange:ctdc": "403 403 403 403 403 403 403 302 302",
    "GET exchange:ctdc_detail": "403 403 403 403 403 403 403 404 404",
    "POST exchange:ctdc_detail": "405 405 405 405 405 405 405 405 405",
    "GET exchange:ctdc_file": "403 403 403 403 403 403 403 404 404",
    "POST exchange:ctdc_file": "405 405 405 405 405 405 405 405 405",
    "POST /exchange/htcds": "403 403 403 403 403 403 403 200 200",
    "POST /exchange/ctdc": "403 403 403 403 403 403 403 202 202",
    "GET /exchange/ctdc": "403 403 403 403 403 403 403 200 200",
    "GET /exchange/ctdc/{export_id}": "403 403 403 403 403 403 403 404 404",
    "GET /exchange/ctdc/{export_id}/file": "403 403 403 403 403 403 403 404 404",
}

REFUSED = {403, 404, 405}


@dataclass
class Outcome:
    status: int
    text: str
    wrote: bool  # looked at only where the matrix expects a refused unsafe request


_outcomes: dict[tuple[str, str], Outcome] = {}


def _text(response: Any) -> str:
    """The answer as text; a ZIP (the directory's datapackage) as the text of its files."""
    if response.get("Content-Type", "").startswith("application/pdf"):
        return str(response.content.decode("latin-1"))
    if response.get("Content-Type", "").startswith("application/zip"):
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            return "\n".join(archive.read(name).decode() for name in archive.namelist())
    return str(response.content.decode())


def _expected(call: Call, persona: str) -> int:
    return int(EXPECTED[call.key].split()[PERSONAS.index(persona)])


def _refused_unsafe(call: Call, persona: str) -> bool:
    return call.method != "GET" and call.key in EXPECTED and _expected(call, persona) in REFUSED


def _outcome(call: Call, persona: str, world: World) -> Outcome:
    """One request per route and persona, shared by the tests that read its answer."""
    key = (call.key, persona)
    if key not in _outcomes:
        before = _state() if _refused_unsafe(call, persona) else None
        response = _request(call, persona, world)
        wrote = before is not None and _state() != before
        _outcomes[key] = Outcome(response.status_code, _text(response), wrote)
    return _outcomes[key]


def _known(calls: list[Call]) -> list[Call]:
    return [call for call in calls if call.key in EXPECTED]


def _id(value: Any) -> str:
    return value.key if isinstance(value, Call) else str(value)


def test_every_route_has_a_row() -> None:
    assert [call.key for call in CALLS if call.key not in EXPECTED] == []


def test_every_row_is_a_route() -> None:
    assert set(EXPECTED) - {call.key for call in CALLS} == set()


def test_every_unsafe_api_route_has_a_body() -> None:
    unsafe = {route for route in API_ROUTES if not route.startswith("GET ")}
    bodiless = {
        "DELETE /tokens/{token_id}",
        "POST /matching/pairs/{pair_id}/undo",
        "POST /role-grants/{grant_id}/approve",
        "POST /role-grants/{grant_id}/refuse",
    }
    bodiless |= {route for route in unsafe if route.endswith(("/accept", "/withdraw"))}
    bodiless |= {
        "POST /mechanisms/{mechanism_id}/in-force",
        "DELETE /mechanisms/{mechanism_id}/steps/{step_id}",
        "DELETE /perpetrators/{perpetrator_id}",
        "DELETE /calendars/{territory_id}/days/{day_id}",
        "DELETE /notes/{note_id}",
        "DELETE /attachments/{attachment_id}",
        "POST /cases/{case_id}/subject-access",
        "POST /cases/{case_id}/erasure-requests/{request_id}/execute",
    }
    assert unsafe - bodiless - set(API_BODIES) == set()


# Accepting the referral makes the waiting agency a receiver: the answer may name the person.
BECOMING_RECEIVER = {"POST /referrals/{referral_id}/accept[pending]"}

# The reference is no personal data: the DPO filters the audit by it and a receiving agency reads
# it in the summary of a referral still waiting; the others never see it.
SEE_REFERENCE = {"pending", "dpo"}


def _route_template(call: Call) -> str:
    return WEB_ROUTES[call.route] if call.kind == "web" else call.route


CASE_CALLS = [call for call in _known(CALLS) if "case_id" in _route_template(call)]


def _secrets(call: Call, persona: str, world: World) -> dict[str, str]:
    """What this persona's answer must not carry, by name."""
    secrets: dict[str, str] = {}
    if persona in OUTSIDE and not (persona == "pending" and call.key in BECOMING_RECEIVER):
        # Outside the circle: nothing personal.
        secrets |= {"family name": FAMILY_NAME, "phone": PHONE, "place": PLACE_DESCRIPTION}
    if persona in OUTSIDE - SEE_REFERENCE:
        secrets["case reference"] = world.reference
    if persona == "receiver":
        # Granted identity and victim only: never the contact or events sections.
        secrets |= {
            "phone (contact, not granted)": PHONE,
            "place (events, not granted)": PLACE_DESCRIPTION,
        }
    return secrets


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("call", _known(CALLS), ids=_id)
def test_route_for_persona(world: World, db: None, call: Call, persona: str) -> None:
    """One request, every rule about it; each broken rule is named in the failure:

    - the status follows the matrix;
    - a refused unsafe request writes nothing;
    - outside the circle, nothing personal and (but for ``SEE_REFERENCE``) no case reference;
    - the receiver never sees the sections she was not granted;
    - outside the circle, a case that exists is answered as one that does not (the same request
      about a missing case gets the same status).
    """
    outcome = _outcome(call, persona, world)
    broken = []
    expected = _expected(call, persona)
    if outcome.status != expected:
        broken.append(f"status {outcome.status}, the matrix says {expected}")
    if _refused_unsafe(call, persona) and outcome.wrote:
        broken.append(f"refused ({outcome.status}), yet it wrote to the database")
    broken += [
        f"the answer carries the {name}"
        for name, secret in _secrets(call, persona, world).items()
        if secret in outcome.text
    ]
    if persona in OUTSIDE and call in CASE_CALLS:
        missing = replace(world, ids=world.ids | {"case": world.ids["nothing"]})
        status = _request(call, persona, missing).status_code
        if status != outcome.status:
            broken.append(f"a missing case answers {status}, this one {outcome.status}")
    if broken:
        pytest.fail(f"{call.key} as {persona}: " + "; ".join(broken), pytrace=False)


@pytest.mark.parametrize(
    "keys",
    [
        ["GET cases:detail[tab=person]", "GET cases:detail[tab=trafficking]"],
        ["GET /cases/{case_id}"],
        ["POST retention:subject_access"],
    ],
)
def test_owner_sees_contact_and_places(world: World, db: None, keys: list[str]) -> None:
    """The receiver's absence checks could fail: the same answers carry them for the owner."""
    text = "".join(_outcome(call, "owner", world).text for call in CALLS if call.key in keys)
    assert PHONE in text and PLACE_DESCRIPTION in text


@pytest.mark.parametrize("key", ["GET cases:detail", "GET /cases/{case_id}"])
def test_receiver_sees_the_granted_identity(world: World, db: None, key: str) -> None:
    call = next(call for call in CALLS if call.key == key)
    assert FAMILY_NAME in _outcome(call, "receiver", world).text


ADMIN_PAGES = sorted(
    name
    for name, route in ADMIN_ROUTES.items()
    if not re.search(r"[<(]", route) and not name.endswith(("login", "logout", "jsi18n"))
)


@pytest.mark.parametrize("persona", ["system_admin", "agency_admin", "owner"])
@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_django_admin_is_for_staff_only(world: World, db: None, name: str, persona: str) -> None:
    """Django's admin holds no case data, and the personas (no staff flag) are sent to its login."""
    client = SecureClient()
    client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[persona]
    response = client.get("/" + ADMIN_ROUTES[name])
    assert (response.status_code, response.get("Location", "").startswith("/admin/login/")) == (
        302,
        True,
    )
