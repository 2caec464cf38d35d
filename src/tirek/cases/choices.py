"""HTCDS 2.0 value sets used by cases, with translatable labels."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    UNKNOWN = "U", _("Unknown")


class Gender(models.TextChoices):  # prs_Gender
    FEMININE = "Feminine", _("Feminine")
    MASCULINE = "Masculine", _("Masculine")
    TRANSGENDER_FEMININE = "TransgenderFeminine", _("Transgender feminine")
    TRANSGENDER_MASCULINE = "TransgenderMasculine", _("Transgender masculine")
    NON_CONFORMING = "NonConforming", _("Non-conforming")
    UNKNOWN = "NonSpecifiedUnknown", _("Not specified / unknown")


class BirthDatePrecision(models.TextChoices):
    DAY = "day", _("Exact date")
    MONTH = "month", _("Month and year")
    YEAR = "year", _("Year only")


class TraffickingStatus(models.TextChoices):  # vic_TraffickingStatus
    POSSIBLE = "PossibleVictimOfTrafficking", _("Possible victim of trafficking")
    ACTUAL = "ActualVictimOfTrafficking", _("Actual victim of trafficking")
    NOT_A_VICTIM = "NotAVictimOfTrafficking", _("Not a victim of trafficking")


class DecisionMakingOrg(models.TextChoices):  # vic_TraffickingStatusDecisionMakingOrg
    POLICE = "Police", _("Police")
    NGO = "NGO", _("NGO")
    COURT_OR_PROSECUTION = "CourtOrProsecution", _("Court or prosecution")
    NON_POLICE_GOVERNMENT = (
        "NonPoliceGovernmentalOrganization",
        _("Non-police governmental organisation"),
    )
    OTHER = "Other", _("Other")


class TypeOfExploitation(models.TextChoices):  # vic_TypeOfExploitation
    FORCED_LABOUR = "ForcedLabour", _("Forced labour")
    SEXUAL_EXPLOITATION = "SexualExploitation", _("Sexual exploitation")
    CHILD_LABOUR = "ChildLabour", _("Child labour")
    FORCED_MARRIAGE = "ForcedMarriage", _("Forced marriage")
    SERVITUDE = "Servitude", _("Servitude")
    FORCED_MILITARY = "ForcedMilitaryByNonStateActors", _("Forced military by non-state actors")
    ORGAN_REMOVAL = "OrganRemoval", _("Organ removal")
    FORCED_BEGGING = "ForcedBegging", _("Forced begging")
    FORCED_ADOPTION = "ForcedAdoption", _("Forced adoption")
    SURROGACY = "Surrogacy", _("Surrogacy")
    OTHER = "Other", _("Other")


class MethodOfControl(models.TextChoices):  # vic_MethodsOfControl
    PHYSICAL_THREATS = "PhysicalThreats", _("Physical threats")
    THREATS_LAW_ENFORCEMENT = "ThreatsLawEnforcement", _("Threats of law enforcement")
    THREATENS_CHILDREN_FAMILY = "ThreatensChildrenFamily", _("Threatens children or family")
    DEBT_BONDAGE = "DebtBondage", _("Debt bondage")
    FALSE_PROMISES = "FalsePromises", _("False promises")
    PHYSICAL_ABUSE = "PhysicalAbuse", _("Physical abuse")
    SEXUAL_ABUSE = "SexualAbuse", _("Sexual abuse")
    TAKES_EARNINGS = "TakesEarnings", _("Takes earnings")
    RESTRICTS_FINANCIAL_ACCESS = "RestrictsFinancialAccess", _("Restricts financial access")
    RESTRICTS_MEDICAL_CARE = "RestrictsMedicalCare", _("Restricts medical care")
    WITHHOLDS_NECESSITIES = "WithholdsNecessities", _("Withholds necessities")
    PSYCHOLOGICAL_ABUSE = "PsychologicalAbuse", _("Psychological abuse")
    PSYCHOACTIVE_SUBSTANCE = "PsychoactiveSubstance", _("Psychoactive substances")
    EXCESSIVE_WORKING_HOURS = "ExcessiveWorkingHours", _("Excessive working hours")
    WITHHOLDS_DOCUMENTS = "WithholdsDocuments", _("Withholds documents")
    OTHER = "Other", _("Other")


class CaseStatus(models.TextChoices):  # cas_Status
    ACTIVE = "Active", _("Active")
    FOLLOW_UP = "FollowUp", _("Follow-up")
    CLOSED = "Closed", _("Closed")
    CLOSED_REFERRED = "ClosedReferred", _("Closed (referred)")


class AgeGroup(models.TextChoices):
    """Age bands kept as de-identified statistics when a case is anonymised."""

    CHILD_0_11 = "0-11", _("0-11 years")
    CHILD_12_17 = "12-17", _("12-17 years")
    ADULT_18_24 = "18-24", _("18-24 years")
    ADULT_25_34 = "25-34", _("25-34 years")
    ADULT_35_44 = "35-44", _("35-44 years")
    ADULT_45_59 = "45-59", _("45-59 years")
    ADULT_60_PLUS = "60+", _("60 years or older")
    UNKNOWN = "unknown", _("Unknown")


class NrmStage(models.TextChoices):
    """The stages of a national referral mechanism (OSCE/ODIHR)."""

    IDENTIFICATION = "identification", _("Identification")
    FIRST_ASSISTANCE = "first_assistance", _("First assistance and protection")
    LONG_TERM = "long_term", _("Long-term assistance and social inclusion")
    RETURN = "return", _("Return and reintegration")
    PROCEEDINGS = "proceedings", _("Criminal and civil proceedings")


class RiskLevel(models.TextChoices):
    """The level of the latest risk assessment, flagged on the case and in lists."""

    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class HistoricEventType(models.TextChoices):  # hte_Type
    RECRUITMENT = "Recruitment", _("Recruitment")
    TRANSIT = "Transit", _("Transit")
    EXPLOITATION = "Exploitation", _("Exploitation")


# ISO 639 codes of the languages offered in forms; others may be typed through the API.
LANGUAGE_CHOICES = [
    ("kk", _("Kazakh")),
    ("ru", _("Russian")),
    ("en", _("English")),
    ("uz", _("Uzbek")),
    ("ky", _("Kyrgyz")),
    ("tg", _("Tajik")),
    ("tk", _("Turkmen")),
    ("uk", _("Ukrainian")),
    ("zh", _("Chinese")),
    ("tr", _("Turkish")),
    ("ko", _("Korean")),
    ("ar", _("Arabic")),
]


def is_country_code(code: str) -> bool:
    """The shape of an ISO 3166 alpha-3 code: three capital Latin letters, e.g. KAZ."""
    return len(code) == 3 and code.isascii() and code.isalpha() and code.isupper()


# ISO 3166 alpha-3 codes of the countries most often met in the region's cases.
COUNTRY_CHOICES = [
    ("KAZ", _("Kazakhstan")),
    ("UZB", _("Uzbekistan")),
    ("KGZ", _("Kyrgyzstan")),
    ("TJK", _("Tajikistan")),
    ("TKM", _("Turkmenistan")),
    ("RUS", _("Russia")),
    ("CHN", _("China")),
    ("TUR", _("Turkey")),
    ("ARE", _("United Arab Emirates")),
    ("KOR", _("Republic of Korea")),
    ("AZE", _("Azerbaijan")),
    ("UKR", _("Ukraine")),
    ("BLR", _("Belarus")),
    ("MNG", _("Mongolia")),
    ("AFG", _("Afghanistan")),
    ("IND", _("India")),
    ("DEU", _("Germany")),
    ("POL", _("Poland")),
    ("ZZZ", _("Stateless / unknown")),
]


class Section(models.TextChoices):
    """Parts of a case that a referral may grant to the receiving agency (need-to-know)."""

    IDENTITY = "identity", _("Identity (names, birth date, citizenship, languages)")
    CONTACT = "contact", _("Contact details")
    VICTIM = "victim", _("Trafficking details")
    EVENTS = "events", _("Places and dates (recruitment, transit, exploitation)")
    REFERRALS = "referrals", _("Other referrals")
    SUPPORT = "support", _("Reflection period, needs and support plan")
    RISK = "risk", _("Risk assessment and safety plan")
    CHILD = "child", _("Child safeguards (guardian, best interests)")
    PERPETRATORS = "perpetrators", _("Perpetrators")
    RETURN = "return", _("Return and reintegration")
    PROCEEDINGS = "proceedings", _("Criminal and civil proceedings")


ALL_SECTIONS: frozenset[str] = frozenset(Section.values)
