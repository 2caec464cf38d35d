"""Personal data held by statistics: none. Facts and cells are de-identified (core.privacy)."""

from __future__ import annotations

from tirek.core.privacy import ClearText, PersonalFields

PERSONAL_DATA: list[PersonalFields] = []

CLEAR_TEXT = [
    ClearText(
        "statistics.Fact",
        ("unit", "scope", "key", "territory", "series", "dims"),
        because="one person as counted, generalised: quarter, region, and codes (sex, age group, "
        "citizenship, forms of exploitation, means of control, stage, outcomes); the key is a "
        "keyed hash of the group of person records, not an id; no name, date or free text",
    ),
    ClearText(
        "statistics.Cell",
        ("unit", "scope", "territory", "dimension", "value", "series"),
        because="counts summed from the facts by quarter, region and code",
    ),
    ClearText("statistics.Watermark", ("name",), because="the refresh's bookkeeping"),
    ClearText(
        "statistics.StepFact",
        (
            "key",
            "step_code",
            "stage",
            "agency_type",
            "territory",
            "owner_agency_id",
            "acting_agency_id",
            "status",
        ),
        because="one checklist step as counted: the step's code, stage and agency type, the "
        "region and the agencies concerned, its status; the key is a keyed hash of the "
        "checklist item, not an id; no case id, name or free text",
    ),
    ClearText(
        "statistics.StepCell",
        ("scope", "stage", "step_code", "territory", "measure"),
        because="step facts summed by scope (national or an agency's id), quarter, stage, "
        "step code, region and measure; counts only, no case id, name or free text",
    ),
]
