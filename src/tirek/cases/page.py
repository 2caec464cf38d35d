"""The case page's registry: tabs, panels, flags, what is due, and the actions at the top.

The case page (``cases/views.py``, ``cases/case_detail.html``) is built from this registry, so
that higher apps (consents, referrals, screening, matching, protection, mechanisms) plug their
parts in from their ``AppConfig.ready()`` without editing the case page's template:

- ``tab_register(Tab(...))``: a part of the case, opened with ``?tab=<name>``. A tab is shown when
  at least one of its panels is visible to the actor.
- ``panel_register(tab, name, template, context, visible_for=..., order=..., forms=...)``: a block
  inside a tab. ``visible_for(actor, view)`` is a cheap check (no queries where possible) used to
  decide which tabs exist; ``context(request, actor, view, bound)`` is only called for the panels
  of the open tab and returns the template's context (``panel`` in the template), or None to hide
  the panel after all. ``forms`` names the keys of ``bound`` (the forms of a failed submission)
  the panel shows, so that a failed form opens its tab.
- ``flag_register(name, fn)``: ``fn(actor, view)`` returns ``Flag``s shown in the header (e.g.
  high risk).
- ``due_register(name, fn)``: ``fn(actor, view)`` returns ``Due`` items (a task, a deadline of
  the mechanism, the end of the reflection period); the header lists them, overdue first.
- ``action_register(name, fn)``: ``fn(actor, view)`` returns ``Action``s that fit the case's stage
  (screen, record consent, refer, ...); the header shows them within reach.

Every function receives the ``CaseView`` (the case and the sections the actor may see) and must
respect it: a panel of a section the actor was not granted returns None.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.utils import timezone

from tirek.accounts.actor import Actor

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from tirek.cases.selectors import CaseView

PanelContext = Callable[
    [HttpRequest, Actor, "CaseView", Mapping[str, Any]], "dict[str, Any] | None"
]
Visibility = Callable[[Actor, "CaseView"], bool]


def always(actor: Actor, view: CaseView) -> bool:
    return True


def owner_only(actor: Actor, view: CaseView) -> bool:
    return view.is_owner


@dataclass(frozen=True)
class Tab:
    """A part of the case page. ``anchor`` ids of the panels inside lead to it (see
    ``anchor_tab``)."""

    name: str
    label: str | Promise
    order: int


@dataclass(frozen=True)
class Panel:
    name: str
    tab: str
    template: str
    context: PanelContext
    order: int = 50
    visible_for: Visibility = always
    forms: tuple[str, ...] = ()
    anchors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Flag:
    """A warning in the case header, e.g. high risk. ``level``: danger, warning or info."""

    label: str | Promise
    level: str = "warning"
    tab: str = ""


@dataclass(frozen=True)
class Due:
    """Something due on the case, e.g. a task or the end of the reflection period."""

    label: str | Promise
    due_on: datetime.date
    tab: str = ""
    detail: str = ""

    @property
    def overdue(self) -> bool:
        return self.due_on < timezone.localdate()

    @property
    def today(self) -> bool:
        return self.due_on == timezone.localdate()


@dataclass(frozen=True)
class Action:
    """A next step that fits the case's stage, shown at the top of the page.

    ``url`` is a page of its own (e.g. a new screening) or a tab of the case page
    (``tab_url(case, "consents", "consent-form")``).
    """

    label: str | Promise
    url: str
    order: int = 50
    primary: bool = False


ViewFunction = Callable[[Actor, "CaseView"], "list[Any]"]

_tabs: dict[str, Tab] = {}
_panels: dict[str, Panel] = {}
_flags: dict[str, ViewFunction] = {}
_dues: dict[str, ViewFunction] = {}
_actions: dict[str, ViewFunction] = {}


def tab_register(tab: Tab) -> None:
    _tabs[tab.name] = tab


def panel_register(
    tab: str,
    name: str,
    template: str,
    context: PanelContext,
    *,
    visible_for: Visibility = always,
    order: int = 50,
    forms: tuple[str, ...] = (),
    anchors: tuple[str, ...] = (),
) -> None:
    """Add a panel to ``tab``; ``anchors`` are the ids inside it that a redirect may name
    (``case_detail_url(case_id, anchor)``); the panel's name always is one."""
    _panels[name] = Panel(
        name=name,
        tab=tab,
        template=template,
        context=context,
        order=order,
        visible_for=visible_for,
        forms=forms,
        anchors=anchors,
    )


def flag_register(name: str, flags: Callable[[Actor, CaseView], list[Flag]]) -> None:
    _flags[name] = flags


def due_register(name: str, dues: Callable[[Actor, CaseView], list[Due]]) -> None:
    _dues[name] = dues


def action_register(name: str, actions: Callable[[Actor, CaseView], list[Action]]) -> None:
    _actions[name] = actions


def tab_url(case_id: object, tab: str, anchor: str = "") -> str:
    """The case page opened on ``tab`` (and scrolled to ``anchor``)."""
    from django.urls import reverse

    url = f"{reverse('cases:detail', args=[case_id])}?tab={tab}"
    return f"{url}#{anchor}" if anchor else url


def case_is_open(view: CaseView) -> bool:
    """Whether new work may be done on the case (active, not anonymised)."""
    from tirek.cases.choices import CaseStatus

    return view.case.status == CaseStatus.ACTIVE and view.case.anonymised_at is None


# --- reading the registry (the case page) ---------------------------------------------------


def tabs() -> list[Tab]:
    return sorted(_tabs.values(), key=lambda t: (t.order, t.name))


def panels_of(tab: str) -> list[Panel]:
    return sorted((p for p in _panels.values() if p.tab == tab), key=lambda p: (p.order, p.name))


def visible_tabs(actor: Actor, view: CaseView) -> list[Tab]:
    """The tabs with at least one panel the actor may see."""
    return [t for t in tabs() if any(p.visible_for(actor, view) for p in panels_of(t.name))]


def anchor_tab(anchor: str) -> str:
    """The tab holding the element ``anchor`` (a panel's name or one of its anchors), or ''."""
    for panel in _panels.values():
        if anchor == panel.name or anchor in panel.anchors:
            return panel.tab
    return ""


def bound_tab(bound: Mapping[str, Any]) -> str:
    """The tab of the first panel that shows one of the forms in ``bound``, or ''."""
    for panel in _panels.values():
        if any(bound.get(key) is not None for key in panel.forms):
            return panel.tab
    return ""


@dataclass
class Header:
    flags: list[Flag] = field(default_factory=list)
    dues: list[Due] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)

    @property
    def overdue(self) -> list[Due]:
        return [d for d in self.dues if d.overdue]


def header_build(actor: Actor, view: CaseView) -> Header:
    header = Header()
    for flags in _flags.values():
        header.flags += flags(actor, view)
    for dues in _dues.values():
        header.dues += dues(actor, view)
    header.dues.sort(key=lambda d: d.due_on)
    for actions in _actions.values():
        header.actions += actions(actor, view)
    header.actions.sort(key=lambda a: (not a.primary, a.order))
    return header
