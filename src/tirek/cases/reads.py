"""Recording reads of case data: the one service that web pages and API endpoints both call.

Selectors decide what an actor may see and have no side effects; the page or endpoint that shows
the data calls this module, so a web page and the API endpoint showing the same data record the
same reads (``tests/test_read_parity.py`` holds them to it). A page of rows is recorded with one
append to the timeline, whatever its length.

Each read is a ``case_viewed`` event whose data says how it was shown (``via``) and which
sections were shown. A refused attempt to open a case (the 404 that probing sees) is recorded in
the audit log by the error handlers (``core.audit.refusal_record``), the same way whether the
case exists or not.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from uuid import UUID

from django.db.models import TextChoices

from tirek.accounts.actor import Actor
from tirek.cases.choices import Section
from tirek.cases.models import Case, CaseEvent
from tirek.cases.selectors import CaseView, case_view
from tirek.cases.services import case_event_build, case_events_record


class Via(TextChoices):
    """Where the data was shown (codes, stored in the read record)."""

    CASE = "case"  # the case page / GET /cases/{id}
    LIST = "list"  # a row of the case list with the person's name
    SEARCH = "search"  # search before create
    MATCH = "match"  # intake match, or the matches of a case
    TIMELINE = "timeline"  # the case's events
    CONSENTS = "consents"
    REFERRALS = "referrals"
    REFERRAL_FORM = "referral_form"  # the printable form of a referral outside Tirek (PDF)
    SCREENING = "screening"
    PROTECTION = "protection"  # reflection period, risk, support plan, child safeguards


# What a row of a list shows (where granted): the name and the trafficking status; a row of
# search results shows the name and birth date.
LIST_SHOWS = frozenset({Section.IDENTITY, Section.VICTIM, Section.RISK})  # risk: the flag
SEARCH_SHOWS = frozenset({Section.IDENTITY})
# A screening shows the indicators: trafficking details.
SCREENING_SHOWS = frozenset({Section.VICTIM})


def case_reads_record(
    *, actor: Actor, reads: Iterable[tuple[Case, Collection[str]]], via: str
) -> None:
    """Record that ``actor`` was shown these sections of these cases (one append for all).

    A case shown with no section (a list row without the name) is no read of personal data and
    is not recorded.
    """
    rows = []
    for case, sections in reads:
        if not sections:
            continue
        shown = sorted(sections)
        rows.append(
            case_event_build(
                case=case,
                actor=actor,
                kind=CaseEvent.Kind.CASE_VIEWED,
                section=shown[0] if len(shown) == 1 else "",
                data={"via": via, "sections": shown},
            )
        )
    case_events_record(rows)


def case_read_record(
    *, actor: Actor, view: CaseView, via: str, shows: Collection[str] | None = None
) -> None:
    """Record that ``actor`` was shown the case as ``view`` allows (only the sections in
    ``shows``, where the page shows only some)."""
    sections = view.sections if shows is None else view.sections & set(shows)
    case_reads_record(actor=actor, reads=[(view.case, sections)], via=via)


def case_identity_reads_record(*, actor: Actor, cases: Iterable[Case], via: str) -> None:
    """Record that the person's name (the identity section) of each case was shown."""
    case_reads_record(actor=actor, reads=[(case, {Section.IDENTITY}) for case in cases], via=via)


def case_open(
    *,
    actor: Actor,
    case_id: UUID | str,
    via: str = Via.CASE,
    shows: Collection[str] | None = None,
) -> CaseView:
    """Open a case to show it: ``NotFound`` outside the actor's circle (recorded as a refusal by
    the error handlers), otherwise the read is recorded (of the sections in ``shows``, if given)."""
    view = case_view(actor=actor, case_id=case_id)
    case_read_record(actor=actor, view=view, via=via, shows=shows)
    return view
