"""Personal data held by cases: the person, the closure reason, places and dates (see
core.privacy). Erasure and retention blank every field listed in PERSONAL_DATA."""

from __future__ import annotations

from tirek.core.privacy import ClearText, PersonalFields

PERSONAL_DATA = [
    PersonalFields(
        "cases.Person",
        (
            "first_name",
            "patronymic",
            "family_name",
            "sex",
            "gender",
            "birth_date",
            "birth_date_precision",
            "approximate_age",
            "age_estimated_on",
            "citizenship",
            "primary_language",
            "secondary_language",
            "mobile_phone",
            "email",
            "contact_notes",
        ),
        person="pk",
    ),
    PersonalFields("cases.Case", ("closure_reason",), case="pk"),
    PersonalFields("cases.HistoricEvent", ("description", "city"), case="case"),
    # Old and new values of corrections to the person, reasons for moving a case back.
    PersonalFields("cases.CaseRevision", ("content",), case="case"),
]

CLEAR_TEXT = [
    ClearText(
        "cases.Person",
        ("citizenship", "primary_language", "secondary_language"),
        because="ISO country and language codes from fixed lists, needed for statistics; "
        "erased with the person (PERSONAL_DATA)",
    ),
    ClearText(
        "cases.Case",
        ("reference",),
        because="a random case reference (TK- and 8 letters); says nothing about the person",
    ),
    ClearText(
        "cases.Case",
        ("types_of_exploitation", "methods_of_control", "stats_citizenship"),
        because="HTCDS codes and ISO country codes from fixed lists, needed for statistics",
    ),
    ClearText(
        "cases.HistoricEvent",
        ("country",),
        because="an ISO country code from a fixed list, needed for statistics",
    ),
    ClearText(
        "cases.CaseEvent",
        ("prev_hash", "hash", "section", "data"),
        because="chain digests, section codes, and codes, ids and dates written by the "
        "services; never personal data",
    ),
    ClearText(
        "cases.CaseRevision",
        ("section", "part"),
        because="section and part codes (identity, contact) that decide who reads the revision",
    ),
]
