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
    ClearText(
        "directory.Service",
        (
            "name_en",
            "name_ru",
            "name_kk",
            "description",
            "alert",
            "eligibility_description",
            "languages",
            "interpretation_services",
            "application_process",
        ),
        because="the public service directory (HSDS): what a provider offers, to whom, how to "
        "refer; about services, never about the people referred",
    ),
    ClearText(
        "directory.Service",
        ("contact_name", "contact_title", "contact_phone", "contact_email"),
        because="the provider's published contact point for referrals (a staff member or desk), "
        "not data about survivors",
    ),
    ClearText(
        "directory.Location",
        ("name", "address", "postal_code", "url"),
        because="addresses of service points; a shelter's marked private (is_address_private) is "
        "shown only as its city, but stored in clear (docs/security.md, data at rest, limits)",
    ),
    ClearText(
        "directory.Schedule",
        ("byday", "description"),
        because="opening hours of a service (HSDS schedule)",
    ),
    ClearText(
        "directory.ServiceCapacity",
        ("description",),
        because="what a capacity figure counts (beds, places), never who occupies them",
    ),
]
