"""Personal data held by protection (see core.privacy)."""

from __future__ import annotations

from tirek.core.privacy import ClearText, PersonalFields

PERSONAL_DATA = [
    PersonalFields("protection.Consent", ("withdrawal_reason",), case="case"),
    PersonalFields("protection.ReflectionPeriod", ("outcome_note",), case="case"),
    PersonalFields("protection.ReflectionExtension", ("reason",), case="period__case"),
    PersonalFields("protection.RiskAssessment", ("notes",), case="case"),
    PersonalFields(
        "protection.SafetyPlan", ("measures", "emergency_contacts", "safe_place"), case="case"
    ),
    PersonalFields(
        "protection.SupportPlan", ("objectives", "action_plan", "delivery_notes"), case="case"
    ),
    PersonalFields("protection.Perpetrator", ("name", "role_details"), case="case"),
    PersonalFields(
        "protection.ReturnPlan",
        (
            "destination_place",
            "travel_documents",
            "return_risk_notes",
            "reintegration_plan",
            "follow_up_contacts",
        ),
        case="case",
    ),
    PersonalFields(
        "protection.Proceeding",
        (
            "police_reference",
            "court_reference",
            "protection_measures",
            "hearings",
            "legal_aid",
            "compensation",
            "non_punishment",
        ),
        case="case",
    ),
    PersonalFields("protection.ChildGuardian", ("name", "organisation", "contact"), case="case"),
    PersonalFields(
        "protection.BestInterestsAssessment",
        ("assessment", "childs_views", "decision_note"),
        case="case",
    ),
]

CLEAR_TEXT = [
    ClearText(
        "protection.Consent",
        ("sections",),
        because="section codes (cases.choices.Section) the person agreed to share",
    ),
    ClearText(
        "protection.RiskAssessment",
        ("factors",),
        because="risk factor codes (protection.choices.RiskFactor); the notes are encrypted",
    ),
    ClearText(
        "protection.Perpetrator",
        ("citizenship", "roles"),
        because="ISO 3166 country codes and HTCDS per_RoleInProcess codes; the name and the "
        "details are encrypted",
    ),
    ClearText(
        "protection.ReturnPlan",
        ("destination_country",),
        because="an ISO 3166 country code; the place and the plan are encrypted",
    ),
]
