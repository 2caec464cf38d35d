"""Every read of catalogues and screenings, scoped to the acting person."""

from __future__ import annotations

from functools import lru_cache
from uuid import UUID

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from tirek.accounts.actor import Actor
from tirek.cases.selectors import CaseView, case_view
from tirek.core.errors import NotFound
from tirek.screening import policy
from tirek.screening.catalogue import CatalogueDefinition, IndicatorDefinition, ListDefinition
from tirek.screening.models import Catalogue, Screening
from tirek.screening.rules import Dimension, ListKey, Strength


def catalogues_all() -> QuerySet[Catalogue]:
    """Every catalogue version, newest first (reference data: not personal, readable by all)."""
    return Catalogue.objects.all()


# Catalogue versions never change once created (a change is a new version), so each version is
# loaded once per process with its lists and indicators, and its definition built once: the live
# screening result asks for both at every change of the form.
CACHED_VERSIONS = 32


@lru_cache(maxsize=CACHED_VERSIONS)
def _catalogue_loaded(catalogue_id: UUID) -> Catalogue:
    return Catalogue.objects.prefetch_related("lists", "indicators").get(pk=catalogue_id)


def catalogue_current() -> Catalogue:
    """The newest catalogue version: the one new screenings use (one query to find which)."""
    newest = Catalogue.objects.order_by("-number").values_list("pk", flat=True).first()
    if newest is None:
        raise NotFound(_("No indicator catalogue is installed."))
    return _catalogue_loaded(newest)


def catalogue_get(*, catalogue_id: UUID | str) -> Catalogue:
    """A catalogue version with its lists and indicators (from the cache once loaded)."""
    try:
        return _catalogue_loaded(UUID(str(catalogue_id)))
    except (Catalogue.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def catalogue_definition(catalogue: Catalogue) -> CatalogueDefinition:
    """A catalogue version as plain data, ready for the decision rule (built once a version)."""
    return _definition(catalogue.pk)


@lru_cache(maxsize=CACHED_VERSIONS)
def _definition(catalogue_id: UUID) -> CatalogueDefinition:
    catalogue = _catalogue_loaded(catalogue_id)
    lists = tuple(
        ListDefinition(
            key=ListKey(item.key),
            titles={"en": item.title_en, "ru": item.title_ru, "kk": item.title_kk},
            source=item.source,
            is_verified=item.is_verified,
            verification_note=item.verification_note,
        )
        for item in catalogue.lists.all()
    )
    indicators = tuple(
        IndicatorDefinition(
            code=row.code,
            dimension=Dimension(row.dimension),
            labels={"en": row.label_en, "ru": row.label_ru, "kk": row.label_kk},
            strengths={key: Strength(value) for key in ListKey if (value := row.strength_on(key))},
        )
        for row in catalogue.indicators.all()  # ordered by position
    )
    return CatalogueDefinition(
        name=catalogue.name,
        version_label=str(catalogue.number),
        lists=lists,
        indicators=indicators,
    )


def screenings_visible_to(*, actor: Actor) -> QuerySet[Screening]:
    """Screenings the actor may list: those made by their agency and those on cases it owns."""
    if not policy.can_screen(actor):
        return Screening.objects.none()
    agency_id = actor.membership.agency_id
    return Screening.objects.filter(
        Q(agency_id=agency_id) | Q(case__owner_agency_id=agency_id)
    ).select_related("catalogue", "agency", "screened_by")


def screenings_for_case(*, actor: Actor, view: CaseView) -> QuerySet[Screening]:
    """The screenings of an open case, for those who see its trafficking details."""
    if not policy.can_see_case_screenings(actor, view):
        return Screening.objects.none()
    return view.case.screenings.select_related("catalogue", "agency", "screened_by")


def screening_get(*, actor: Actor, screening_id: UUID | str) -> Screening:
    """One screening, with its observations; ``NotFound`` outside the actor's circle."""
    not_found = NotFound(object_type="screening", object_id=screening_id)  # a refusal is recorded
    try:
        screening = Screening.objects.select_related("catalogue", "agency", "case").get(
            pk=screening_id
        )
    except (Screening.DoesNotExist, ValueError, TypeError):
        raise not_found from None
    if not policy.can_screen(actor):
        raise not_found
    if screening.case_id is None:
        if screening.agency_id != actor.membership.agency_id:
            raise not_found  # an anonymous screening stays with the agency that made it
        return screening
    try:
        view = case_view(actor=actor, case_id=screening.case_id)
    except NotFound:
        raise not_found from None
    if not policy.can_see_case_screenings(actor, view):
        raise not_found
    return screening
