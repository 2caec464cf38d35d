"""Personal data held by the directory: none, it is reference data (see core.privacy)."""

from __future__ import annotations

from tirek.core.privacy import ClearText, PersonalFields

PERSONAL_DATA: list[PersonalFields] = []

CLEAR_TEXT = [
    ClearText(
        "directory.Place",
        ("name_en", "name_ru", "name_kk", "country_code", "code"),
        because="reference data: names and codes of countries, regions and cities",
    ),
    ClearText(
        "directory.ServiceType",
        ("name_en", "name_ru", "name_kk", "code", "htcds_support_plan_type"),
        because="reference data: names and codes of the services agencies offer",
    ),
]
