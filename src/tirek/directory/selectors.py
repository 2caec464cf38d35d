"""Reads of the service directory; none of them holds personal data, none records anything.

``providers_for`` is the selector the referral form and the mechanisms use: which providers of a
service fit a person (sex, age, citizenship), have free places, and serve a territory.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from uuid import UUID

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.core.errors import NotFound
from tirek.directory.models import Location, Place, Service, ServiceCapacity, ServiceType

HOME_COUNTRY = "KAZ"


# --- who the person is, as far as eligibility goes -------------------------------------------


class PersonLike(Protocol):
    sex: str
    birth_date: datetime.date | None
    citizenship: list[str]


@dataclass(frozen=True)
class Seeker:
    """What eligibility looks at: sex ("F", "M" or unknown), age in years, citizenships."""

    sex: str = ""
    age: int | None = None
    citizenship: Sequence[str] = ()


def seeker_of(subject: Any, *, today: datetime.date | None = None) -> Seeker:
    """A ``Seeker`` from a person, a case (its person) or a ``Seeker``; ``None`` knows nothing."""
    if subject is None:
        return Seeker()
    if isinstance(subject, Seeker):
        return subject
    person = getattr(subject, "person", subject)
    day = today or timezone.localdate()
    return Seeker(
        sex=str(getattr(person, "sex", "") or ""),
        # The person's own rule: a birth date, or an estimate grown by the years since it was
        # made (a child known only by an estimated age is still a child for a service).
        age=person.age_on(day),
        citizenship=tuple(getattr(person, "citizenship", None) or ()),
    )


def eligibility_misfits(service: Service, seeker: Seeker) -> list[str]:
    """Why the person does not fit the service (empty: fits, or not known to misfit).

    What is unknown about the person never excludes them: the provider decides on the phone.
    """
    reasons: list[str] = []
    if service.sex != Service.Sex.ANY and seeker.sex in ("F", "M") and seeker.sex != service.sex:
        reasons.append(
            _("for women and girls only")
            if service.sex == Service.Sex.FEMALE
            else _("for men and boys only")
        )
    if seeker.age is not None:
        if service.minimum_age is not None and seeker.age < service.minimum_age:
            reasons.append(_("from the age of %(age)d") % {"age": service.minimum_age})
        if service.maximum_age is not None and seeker.age > service.maximum_age:
            reasons.append(_("up to the age of %(age)d") % {"age": service.maximum_age})
    citizenship = {c for c in seeker.citizenship if c}
    if citizenship and service.citizenship == Service.Citizenship.CITIZENS:
        if HOME_COUNTRY not in citizenship:
            reasons.append(_("for citizens of Kazakhstan only"))
    if citizenship and service.citizenship == Service.Citizenship.FOREIGNERS:
        if citizenship == {HOME_COUNTRY}:
            reasons.append(_("for foreign nationals only"))
    return reasons


# --- territory -------------------------------------------------------------------------------


def place_with_ancestors(place: Place | None) -> list[int]:
    """The place and every place above it (a service for Kazakhstan serves Almaty)."""
    ids: list[int] = []
    seen: set[int] = set()
    current = place
    while current is not None and current.pk not in seen:
        ids.append(current.pk)
        seen.add(current.pk)
        current = current.parent
    return ids


def place_with_descendants(place: Place) -> list[int]:
    ids = [place.pk]
    frontier = [place.pk]
    while frontier:
        frontier = list(
            Place.objects.filter(parent_id__in=frontier)
            .exclude(pk__in=ids)
            .values_list("pk", flat=True)
        )
        ids += frontier
    return ids


def _serving(services: QuerySet[Service], territory: Place) -> QuerySet[Service]:
    """Services whose area covers the territory; without an area, those of the agency's city."""
    around = place_with_ancestors(territory)
    inside = place_with_descendants(territory)
    return services.filter(
        Q(areas__in=around)
        | Q(areas__isnull=True, agency__place__in=around + inside)
        | Q(areas__in=inside)
    ).distinct()


# --- the directory ---------------------------------------------------------------------------


def _with_details(services: QuerySet[Service]) -> QuerySet[Service]:
    return services.select_related("agency", "agency__place", "service_type").prefetch_related(
        "areas",
        Prefetch("locations", queryset=Location.objects.select_related("city")),
        "schedules",
        Prefetch("capacities", queryset=ServiceCapacity.objects.select_related("updated_by")),
    )


@dataclass(frozen=True)
class DirectoryFilter:
    """What a directory search asks; every field optional."""

    text: str = ""
    service_type: str = ""  # ServiceType.code
    territory: str = ""  # Place.code
    language: str = ""  # ISO 639-1
    sex: str = ""  # "F", "M": services open to this sex
    age: int | None = None
    citizenship: str = ""  # "citizens" or "foreigners": services open to them
    free_places_only: bool = False
    agency_id: UUID | None = None
    include_closed: bool = False


SEARCHED_FIELDS = (
    "name_en",
    "name_ru",
    "name_kk",
    "description",
    "agency__name",
    "agency__name_ru",
    "agency__name_kk",
    "agency__short_name",
    "service_type__name_en",
    "service_type__name_ru",
    "service_type__name_kk",
)


def _search_texts(services: QuerySet[Service]) -> list[tuple[Any, str]]:
    """(id, every searched text of the service case-folded) in one query."""
    rows = services.values_list("pk", *SEARCHED_FIELDS)
    return [(row[0], " ".join(str(v or "") for v in row[1:]).casefold()) for row in rows]


def services_search(query: DirectoryFilter | None = None) -> QuerySet[Service]:
    """The directory's services matching ``query``, ordered by kind of service, then provider."""
    query = query or DirectoryFilter()
    services = Service.objects.filter(agency__is_active=True, service_type__is_active=True)
    if not query.include_closed:
        services = services.filter(
            status__in=[Service.Status.ACTIVE, Service.Status.TEMPORARILY_CLOSED]
        )
    if query.agency_id:
        services = services.filter(agency_id=query.agency_id)
    if query.service_type:
        services = services.filter(service_type__code=query.service_type)
    words = [word.casefold() for word in query.text.split()[:6]]
    if words:
        # SQLite's LIKE folds ASCII case only ("кәмелетке" would miss "Кәмелетке"): the
        # directory is small, so the words are matched in Python, the same on every database.
        services = services.filter(
            pk__in=[pk for pk, text in _search_texts(services) if all(w in text for w in words)]
        )
    if query.territory:
        territory = Place.objects.filter(code=query.territory).select_related("parent").first()
        if territory is None:
            return Service.objects.none()
        services = _serving(services, territory)
    if query.sex in (Service.Sex.FEMALE, Service.Sex.MALE):
        services = services.filter(sex__in=[Service.Sex.ANY, query.sex])
    if query.age is not None:
        services = services.filter(
            Q(minimum_age__isnull=True) | Q(minimum_age__lte=query.age),
            Q(maximum_age__isnull=True) | Q(maximum_age__gte=query.age),
        )
    if query.citizenship in (Service.Citizenship.CITIZENS, Service.Citizenship.FOREIGNERS):
        services = services.filter(citizenship__in=[Service.Citizenship.ANY, query.citizenship])
    if query.free_places_only:
        services = services.filter(capacities__available__gt=0).distinct()
    services = _with_details(services).order_by("service_type__name_en", "agency__name", "name_en")
    if query.language:
        # JSON containment is not portable to SQLite: the directory is small, filter in Python.
        ids = [s.pk for s in services if query.language in (s.languages or [])]
        services = services.filter(pk__in=ids)
    return services


def service_get(*, service_id: UUID | str) -> Service:
    try:
        return _with_details(Service.objects.all()).get(pk=service_id)
    except (Service.DoesNotExist, ValueError, TypeError) as error:
        raise NotFound() from error


def capacity_get(*, capacity_id: UUID | str) -> ServiceCapacity:
    try:
        return ServiceCapacity.objects.select_related("service__agency", "updated_by").get(
            pk=capacity_id
        )
    except (ServiceCapacity.DoesNotExist, ValueError, TypeError) as error:
        raise NotFound() from error


def capacities_of_agency(*, agency_id: UUID | str) -> QuerySet[ServiceCapacity]:
    """The agency's capacities to keep up to date (its workers' "free places" page)."""
    return (
        ServiceCapacity.objects.filter(service__agency_id=agency_id)
        .exclude(service__status=Service.Status.DEFUNCT)
        .select_related("service__service_type", "service__agency", "updated_by")
        .order_by("service__name_en", "unit")
    )


# --- providers for a referral ----------------------------------------------------------------


@dataclass(frozen=True)
class ProviderOffer:
    """A provider that fits, with its service and, for a shelter, its free places."""

    service: Service
    capacities: list[ServiceCapacity] = field(default_factory=list)

    @property
    def agency(self) -> Any:
        return self.service.agency

    @property
    def free_places(self) -> int | None:
        """Free places in all units; ``None`` when the service counts none."""
        return sum(c.available for c in self.capacities) if self.capacities else None

    @property
    def updated(self) -> datetime.datetime | None:
        return min((c.updated for c in self.capacities), default=None)

    @property
    def is_full(self) -> bool:
        return self.free_places == 0


def providers_for(
    *,
    service_type: ServiceType | str | int | None,
    person: Any = None,
    territory: Place | str | None = None,
    include_full: bool = False,
    exclude_agency_id: UUID | str | None = None,
) -> list[ProviderOffer]:
    """Providers of ``service_type`` that fit ``person`` (a Person, a Case or a ``Seeker``; its
    sex, age and citizenship), serve ``territory`` (a Place or its code) and have free places.

    Active services only; full ones are left out unless ``include_full``. Providers with free
    places come first (most free places first), then those that count none, by name.
    """
    if service_type is None or service_type == "":
        return []
    services = Service.objects.filter(
        agency__is_active=True, status=Service.Status.ACTIVE, service_type__is_active=True
    )
    if isinstance(service_type, ServiceType):
        services = services.filter(service_type=service_type)
    elif isinstance(service_type, str) and not service_type.isdigit():
        services = services.filter(service_type__code=service_type)
    else:
        services = services.filter(service_type_id=int(service_type))
    if exclude_agency_id is not None:
        services = services.exclude(agency_id=exclude_agency_id)
    if isinstance(territory, str) and territory:
        place = Place.objects.filter(code=territory).select_related("parent").first()
        if place is None:
            return []
        territory = place
    if isinstance(territory, Place):
        services = _serving(services, territory)
    seeker = seeker_of(person)
    offers = [
        ProviderOffer(service=service, capacities=list(service.capacities.all()))
        for service in _with_details(services)
        if not eligibility_misfits(service, seeker)
    ]
    if not include_full:
        offers = [offer for offer in offers if not offer.is_full]
    return sorted(offers, key=_offer_order)


def _offer_order(offer: ProviderOffer) -> tuple[int, int, str]:
    free = offer.free_places
    if free is None:
        return (1, 0, offer.agency.label.lower())
    return (0 if free > 0 else 2, -free, offer.agency.label.lower())


def services_by_ids(ids: Iterable[UUID]) -> QuerySet[Service]:
    return _with_details(Service.objects.filter(pk__in=list(ids)))
