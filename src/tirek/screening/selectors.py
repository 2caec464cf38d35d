"""Every read of catalogues and screenings, scoped to the acting person."""

from __future__ import annotations

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


def catalogue_current() -> Catalogue:
    """The newest catalogue version: the one new screenings use."""
    catalogue = Catalogue.objects.order_by("-number").first()
    if catalogue is None:
        raise NotFound(_("No indicator catalogue is installed."))
    return catalogue


def catalogue_get(*, catalogue_id: UUID | str) -> Catalogue:
    try:
        return Catalogue.objects.get(pk=catalogue_id)
    except (Catalogue.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("No such indicator catalogue.")) from None


def catalogue_definition(catalogue: Catalogue) -> CatalogueDefinition:
    """A catalogue version as plain data, ready for the decision rule."""
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
        for row in catalogue.indicators.order_by("position")
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
    not_found = NotFound(_("No such screening, or you do not have access to it."))
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
    view = case_view(actor=actor, case_id=screening.case_id)
    if not policy.can_see_case_screenings(actor, view):
        raise not_found
    return screening
