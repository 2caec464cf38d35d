"""Personal data held by mechanisms: none, they are agreements between agencies (core.privacy)."""

from __future__ import annotations

from tirek.core.privacy import ClearText, PersonalFields

PERSONAL_DATA: list[PersonalFields] = []

CLEAR_TEXT = [
    ClearText(
        "mechanisms.Mechanism",
        ("title", "note"),
        because="an agreement between agencies, published to all of them; never about a person",
    ),
    ClearText(
        "mechanisms.Step",
        ("name_en", "name_ru", "name_kk", "code", "exploitation"),
        because="the steps of the agreement: what an agency does, never about a person",
    ),
]
CLEAR_TEXT += [
    ClearText(
        "mechanisms.WorkingCalendar",
        ("weekend_days", "note"),
        because="the working week and public holidays of a territory: public facts",
    ),
    ClearText(
        "mechanisms.CalendarDay",
        ("name_en", "name_ru", "name_kk"),
        because="the names of public holidays: public facts",
    ),
]
