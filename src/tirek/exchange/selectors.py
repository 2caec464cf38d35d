"""Who may exchange data, with whom, and the rows behind each export (scoped to the actor)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency
from tirek.accounts.roles import Role
from tirek.cases.choices import AgeGroup, HistoricEventType, TraffickingStatus
from tirek.cases.models import Case, HistoricEvent
from tirek.core.errors import Forbidden, NotFound
from tirek.exchange.ctdc import Person
from tirek.exchange.htcds import EXPORTED_SECTIONS
from tirek.exchange.models import CtdcExport
from tirek.matching.models import PersonPair
from tirek.matching.selectors import REVIEW_DIGEST_LIMIT, ReviewScorer, candidate_pairs
from tirek.protection.choices import PerpetratorRole
from tirek.protection.models import Consent, Perpetrator

# Supervisors and coordinators of the owning agency export its cases; the de-identified dataset
# is for the same roles (as the statistics are). Case workers and administrators may not.
EXPORTERS = frozenset({Role.SUPERVISOR, Role.COORDINATOR})
FORMATS = ("csv", "json")
CHILD_GROUPS = frozenset({AgeGroup.CHILD_0_11, AgeGroup.CHILD_12_17})


def exchange_require(actor: Actor) -> None:
    """403 for anyone but an active supervisor or coordinator."""
    if not actor.membership.is_active or actor.role not in EXPORTERS:
        raise Forbidden(_("Your role does not allow this action."))


def partners(actor: Actor) -> QuerySet[Agency]:
    """The agencies the actor's agency may send data to: every other active agency."""
    return Agency.objects.filter(is_active=True).exclude(pk=actor.membership.agency_id)


def partner_for(actor: Actor, partner_id: UUID | str | None) -> Agency:
    partner = None
    if partner_id:
        try:
            partner = partners(actor).filter(pk=partner_id).first()
        except (ValueError, ValidationError):
            partner = None
    if partner is None:
        raise ValidationError({"partner": [_("Choose an agency from the list.")]})
    return partner


def consented_sections(actor: Actor, partner: Agency) -> dict[Any, set[str]]:
    """Case id -> the exportable sections the person agreed to share with ``partner``.

    A consent counts when it is for data processing, names the partner (an export is never
    covered by a consent to "any agency"), is not withdrawn, and its case is owned by the
    actor's agency and not anonymised.
    """
    consents = Consent.objects.filter(
        case__owner_agency_id=actor.membership.agency_id,
        case__anonymised_at__isnull=True,
        purpose=Consent.Purpose.DATA_PROCESSING,
        recipient_agency_id=partner.pk,
        withdrawn_at__isnull=True,
    ).values_list("case_id", "sections")
    covered: dict[Any, set[str]] = defaultdict(set)
    for case_id, sections in consents:
        covered[case_id] |= set(sections or []) & EXPORTED_SECTIONS
    return {case_id: sections for case_id, sections in covered.items() if sections}


def cases_for_export(case_ids: list[Any]) -> list[Case]:
    return list(
        Case.objects.filter(pk__in=case_ids)
        .select_related("person")
        .prefetch_related(
            Prefetch(
                "historic_events",
                queryset=HistoricEvent.objects.select_related("place").order_by("date", "pk"),
            )
        )
        .order_by("opened_on", "reference")
    )


def relations_of(case_ids: list[Any]) -> dict[Any, list[str]]:
    """Case id -> vic_RelationshipToTrafficker of each perpetrator recorded."""
    relations: dict[Any, list[str]] = defaultdict(list)
    rows = Perpetrator.objects.filter(case_id__in=case_ids).exclude(relationship="")
    for case_id, relationship in rows.values_list("case_id", "relationship"):
        relations[case_id].append(relationship)
    return relations


def _recruiters(case_ids: set[Any]) -> dict[Any, list[str]]:
    relations: dict[Any, list[str]] = defaultdict(list)
    rows = Perpetrator.objects.exclude(relationship="").values_list(
        "case_id", "roles", "relationship"
    )
    for case_id, roles, relationship in rows.iterator():
        if case_id in case_ids and PerpetratorRole.RECRUITER in (roles or []):
            relations[case_id].append(relationship)
    return relations


def _exploitation_countries(case_ids: set[Any]) -> dict[Any, str]:
    countries: dict[Any, str] = {}
    events = (
        HistoricEvent.objects.filter(type=HistoricEventType.EXPLOITATION)
        .exclude(country="")
        .order_by("date", "created_at")
        .values_list("case_id", "country")
    )
    for case_id, country in events.iterator():
        if case_id in case_ids:
            countries.setdefault(case_id, country)
    return countries


@dataclass
class SamePerson:
    """Which person records count as one person, and how many pairs remain uncertain."""

    root: dict[Any, Any]  # person id -> the id standing for everyone linked to it
    uncertain: list[tuple[Any, Any]]  # undecided pairs in matching's review band, not linked
    high_confidence: int  # pairs linked by the engine's score alone (above the review band)


def same_person_links() -> SamePerson:
    """Person records linked as one person: pairs a coordinator confirmed, and pairs the matching
    engine scores at or above the top of its review band (high confidence) that nobody rejected.
    Pairs in the review band that nobody decided stay separate and are counted as uncertain.

    Scores the whole candidate index with the review's scorer (decrypting each person once): for
    the background task that builds an export, never for a request."""
    parent: dict[Any, Any] = {}

    def find(item: Any) -> Any:
        while parent.setdefault(item, item) != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def join(a: Any, b: Any) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    confirmed = PersonPair.objects.filter(status=PersonPair.Status.CONFIRMED)
    for low, high in confirmed.values_list("person_low_id", "person_high_id").iterator():
        join(low, high)
    scorer = ReviewScorer()  # leaves out decided pairs and pairs confirmed already
    low_band, high_band = scorer.band
    scorer.band = (low_band, float("inf"))  # keep the pairs above the band as well
    strong: list[tuple[Any, Any]] = []
    uncertain: list[tuple[Any, Any]] = []
    for chunk, _skipped, _last in candidate_pairs(digest_limit=REVIEW_DIGEST_LIMIT):
        _scored, found = scorer.score(chunk, limit=len(chunk))
        for a, b, score in found:
            (strong if score.probability >= high_band else uncertain).append((a, b))
    for a, b in strong:
        join(a, b)
    left = [(a, b) for a, b in uncertain if find(a) != find(b)]
    return SamePerson({item: find(item) for item in list(parent)}, left, len(strong))


@dataclass
class Victims:
    people: list[Person]
    merged: int  # person records counted together with another record of the same person
    uncertain: int  # pairs of counted records that may be one person (nobody has decided)


def ctdc_victims(links: SamePerson | None = None) -> Victims:
    """Every presumed or identified victim once: the earliest case of each person, a person
    being every person record linked as the same person (``same_person_links``)."""
    links = links if links is not None else SamePerson({}, [], 0)
    cases = (
        Case.objects.filter(
            trafficking_status__in=[TraffickingStatus.POSSIBLE, TraffickingStatus.ACTUAL]
        )
        .select_related("person")
        .order_by("opened_on", "created_at")
    )
    first: dict[Any, Case] = {}
    records: set[Any] = set()
    for case in cases.iterator():
        records.add(case.person_id)
        first.setdefault(links.root.get(case.person_id, case.person_id), case)
    uncertain = sum(1 for a, b in links.uncertain if a in records and b in records)
    return Victims(_people(list(first.values())), len(records) - len(first), uncertain)


def ctdc_exports_of(actor: Actor) -> QuerySet[CtdcExport]:
    """The actor's own CTDC exports, newest first, without their files."""
    exchange_require(actor)
    return CtdcExport.objects.filter(
        requested_by_id=actor.user.pk, membership_id=actor.membership.pk
    ).defer("content")


def ctdc_export_for(actor: Actor, export_id: Any) -> CtdcExport:
    """One of the actor's exports; anyone else's, or none, is not found."""
    try:
        export = ctdc_exports_of(actor).filter(pk=export_id).first()
    except (ValueError, ValidationError):
        export = None
    if export is None:
        raise NotFound()
    return export


def _people(cases: list[Case]) -> list[Person]:
    first = {case.pk: case for case in cases}
    case_ids = set(first)
    countries = _exploitation_countries(case_ids)
    recruiters = _recruiters(case_ids)
    people = []
    for case in first.values():
        person = case.person
        if case.anonymised_at is not None:
            sex, gender, age = case.stats_sex, "", None
            citizenship = case.stats_citizenship or []
            minor = case.stats_age_group in CHILD_GROUPS if case.stats_age_group else None
        else:
            sex, gender = person.sex, person.gender
            age = person.age_on(case.opened_on)
            citizenship, minor = person.citizenship or [], None
        people.append(
            Person(
                registered_on=case.opened_on,
                sex=sex,
                gender=gender,
                age=age,
                minor=minor,
                age_when_trafficked=case.age_when_trafficked,
                citizenship=citizenship[0] if citizenship else "",
                country_of_exploitation=countries.get(case.pk, ""),
                types_of_exploitation=list(case.types_of_exploitation or []),
                methods_of_control=list(case.methods_of_control or []),
                recruiter_relations=recruiters.get(case.pk, []),
            )
        )
    return people
