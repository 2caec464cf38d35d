"""The case list's filters and search, with a registry for the filters of higher apps.

Built in: the stage, the status and whose case it is (mine, my agency's, shared with us), a case
reference, and a name (the one search of ``matching``: any alphabet and order, never in clear,
and only where the identity is shared). Higher apps add a filter from ``AppConfig.ready()``
with ``list_filter_register``: ``protection`` the risk level, ``casework`` the overdue tasks,
``mechanisms`` the overdue steps.
A filter's values are codes, never personal data, so they may go into a URL.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from tirek.accounts.actor import Actor
from tirek.cases.choices import CaseStatus, NrmStage

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from tirek.cases.models import Case

Choices = list[tuple[str, "str | Promise"]]


@dataclass(frozen=True)
class ListFilter:
    """``apply(cases, value, actor)`` narrows a queryset of ``Case`` to one of ``choices``."""

    name: str
    label: str | Promise
    choices: Callable[[Actor], Choices]
    apply: Callable[[QuerySet[Case], str, Actor], QuerySet[Case]]
    order: int = 50


_filters: dict[str, ListFilter] = {}


def list_filter_register(list_filter: ListFilter) -> None:
    _filters[list_filter.name] = list_filter


def list_filters() -> list[ListFilter]:
    return sorted(_filters.values(), key=lambda f: (f.order, f.name))


def _stage(cases: QuerySet[Case], value: str, actor: Actor) -> QuerySet[Case]:
    return cases.filter(nrm_stage=value)


def _status(cases: QuerySet[Case], value: str, actor: Actor) -> QuerySet[Case]:
    if value == "open":
        return cases.filter(status=CaseStatus.ACTIVE)
    return cases.exclude(status=CaseStatus.ACTIVE)


def _owner(cases: QuerySet[Case], value: str, actor: Actor) -> QuerySet[Case]:
    agency_id = actor.membership.agency_id
    if value == "mine":
        return cases.filter(owner_agency_id=agency_id, case_worker_id=actor.user.pk)
    if value == "agency":
        return cases.filter(owner_agency_id=agency_id)
    return cases.exclude(owner_agency_id=agency_id)


list_filter_register(
    ListFilter("stage", _("Stage"), lambda actor: list(NrmStage.choices), _stage, order=10)
)
list_filter_register(
    ListFilter(
        "status",
        _("Status"),
        lambda actor: [("open", _("Open")), ("closed", _("Closed"))],
        _status,
        order=20,
    )
)
list_filter_register(
    ListFilter(
        "owner",
        _("Whose case"),
        lambda actor: [
            ("mine", _("Mine")),
            ("agency", _("My agency's")),
            ("shared", _("Shared with my agency")),
        ],
        _owner,
        order=30,
    )
)


def filters_chosen(actor: Actor, params: Mapping[str, Any]) -> dict[str, str]:
    """The valid filter values among ``params`` (unknown names and values are ignored)."""
    chosen = {}
    for list_filter in list_filters():
        value = str(params.get(list_filter.name, "") or "")
        if value and value in {code for code, _label in list_filter.choices(actor)}:
            chosen[list_filter.name] = value
    return chosen


def cases_filtered(
    cases: QuerySet[Case], actor: Actor, chosen: Mapping[str, str]
) -> QuerySet[Case]:
    for name, value in chosen.items():
        cases = _filters[name].apply(cases, value, actor)
    return cases


def cases_searched(actor: Actor, text: str) -> Q | None:
    """A ``Q`` over ``Case`` for the cases whose reference is ``text``, or whose person's names
    match the words of ``text`` (any order, any alphabet: the one search,
    ``matching.cases_search``), among the cases where the actor sees the identity (a search never
    reveals a name the actor could not read); None when there is nothing to search. The search
    runs once here, so the ``Q`` can narrow several queries."""
    from tirek.matching.selectors import cases_search

    text = text.strip()
    if not text:
        return None
    reference = Q(reference=text.upper())
    found = cases_search(actor=actor, name=text, limit=LIST_SEARCH_LIMIT)
    return reference | Q(pk__in=[case.pk for case in found.cases])


# The most cases a name search puts in the list (best matches first).
LIST_SEARCH_LIMIT = 200
