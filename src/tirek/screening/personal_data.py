"""Personal data held by screening: evidence notes and status decision reasons (see
core.privacy). Indicator codes and results stay in clear for statistics."""

from __future__ import annotations

from tirek.core.privacy import ClearText, PersonalFields

PERSONAL_DATA = [
    PersonalFields("screening.ObservedIndicator", ("note",), case="screening__case"),
    PersonalFields("screening.StatusDecision", ("reasons",), case="case"),
]

CLEAR_TEXT = [
    ClearText(
        "screening.Catalogue",
        ("name", "change_note"),
        because="reference data: the indicator catalogue's versions and what changed",
    ),
    ClearText(
        "screening.IndicatorList",
        ("title_en", "title_ru", "title_kk", "source", "verification_note"),
        because="reference data: the ILO lists' titles, sources and how they were checked",
    ),
    ClearText(
        "screening.Indicator",
        ("code", "label_en", "label_ru", "label_kk"),
        because="reference data: the indicators' codes and wording",
    ),
    ClearText(
        "screening.Screening",
        ("agency_type", "presumed_exploitation", "result"),
        because="codes: the agency's type, exploitation types and the decision rule's result, "
        "for statistics",
    ),
    ClearText(
        "screening.ObservedIndicator", ("code",), because="the indicator's code, for statistics"
    ),
]
