"""The fictional Almaty mechanism that ``tirek demo`` builds: agencies, logins and cases.

Every organisation, person and story here is invented. Surnames carry "Demo" or a word for
"sample" (Kazakh «үлгі», «сынақ»; Kyrgyz «мисал»; Uzbek «misol», «namuna»; Russian «образец»)
so that nobody mistakes them for real people.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from tirek.accounts.models import Agency
from tirek.accounts.roles import Role
from tirek.cases.choices import (
    BirthDatePrecision,
    DecisionMakingOrg,
    HistoricEventType,
    MethodOfControl,
    Section,
    Sex,
    TraffickingStatus,
    TypeOfExploitation,
)
from tirek.protection.models import Consent

DEMO_PASSWORD = "tirek-demo-2026"  # noqa: S105 - documented demo password, demo mode only
DEMO_EMAIL_DOMAIN = "example.org"


@dataclass(frozen=True)
class AgencySpec:
    key: str
    name: str
    short_name: str
    type: str
    services: tuple[str, ...] = ()
    place: str = "almaty"  # Place.code of the agency's city


@dataclass(frozen=True)
class UserSpec:
    username: str
    agency: str  # AgencySpec.key
    role: str
    first_name: str
    last_name: str
    language: str = "ru"
    is_staff: bool = False


@dataclass(frozen=True)
class ReferralSpec:
    to: str  # AgencySpec.key
    service: str  # ServiceType.code
    outcome: str  # a Referral.Status value
    sections: tuple[str, ...] = (Section.IDENTITY, Section.VICTIM)
    message: str = ""
    answer: str = ""  # reason for a decline or a withdrawal
    consent_method: str = Consent.Method.WRITTEN


@dataclass(frozen=True)
class CaseSpec:
    owner: str  # UserSpec.username of the case worker who registers it
    person: dict[str, Any]
    victim: dict[str, Any]
    place: dict[str, Any] | None = None  # PlaceInput fields; "place" names a Place code
    update: dict[str, Any] | None = None  # VictimInput fields applied after registration
    referrals: tuple[ReferralSpec, ...] = field(default_factory=tuple)
    # An ILO/EC screening saved on the case: (scope "labour"/"sexual"/"both", indicator codes).
    screening: tuple[str, tuple[str, ...]] | None = None


AGENCIES: tuple[AgencySpec, ...] = (
    AgencySpec(
        "crisis_centre", "Crisis Centre «Umit-Demo»", "Umit-Demo", Agency.Type.NGO,
        ("shelter", "crisis_psychological", "legal_aid", "interpretation", "reintegration"),
    ),
    AgencySpec(
        "shelter", "Demo Shelter «Baspana»", "Baspana", Agency.Type.NGO,
        ("shelter", "crisis_psychological", "reintegration"),
    ),
    AgencySpec(
        "police", "Almaty City Police Department (demo)", "Police (demo)",
        Agency.Type.LAW_ENFORCEMENT, ("criminal_investigation",),
    ),
    AgencySpec(
        "migration_police", "Migration Police (demo)", "Migration Police (demo)",
        Agency.Type.IMMIGRATION, ("documents",),
    ),
    AgencySpec(
        "border_service", "Border Service Checkpoint (demo)", "Border (demo)",
        Agency.Type.LAW_ENFORCEMENT,
    ),
    AgencySpec(
        "employment", "Department of Employment (demo)", "Employment (demo)",
        Agency.Type.LOCAL_GOVERNMENT, ("employment", "social_benefits"),
    ),
    AgencySpec(
        "health", "Department of Health (demo)", "Health (demo)", Agency.Type.HEALTH,
        ("medical", "crisis_psychological"),
    ),
    AgencySpec(
        "education", "Department of Education (demo)", "Education (demo)",
        Agency.Type.LOCAL_GOVERNMENT, ("education",),
    ),
    AgencySpec(
        "social_programmes", "Department of Social Programmes (demo)", "Social (demo)",
        Agency.Type.LOCAL_GOVERNMENT, ("social_benefits", "reintegration"),
    ),
    AgencySpec(
        "labour_inspection", "Labour Inspection, Ministry of Labour (demo)", "Labour (demo)",
        Agency.Type.CENTRAL_GOVERNMENT, ("legal_aid",),
    ),
    AgencySpec(
        "prosecutor", "Prosecutor's Office (demo)", "Prosecutor (demo)", Agency.Type.PROSECUTOR,
        ("prosecution_oversight",),
    ),
    AgencySpec(
        "embassy", "Embassy of Demoland", "Demoland", Agency.Type.EMBASSY,
        ("consular_assistance", "documents", "repatriation"),
    ),
    AgencySpec(
        "iom", "International Organisation for Migration (demo office)", "IOM (demo)",
        Agency.Type.INTERNATIONAL, ("repatriation", "reintegration", "interpretation"),
    ),
    AgencySpec(
        "commission", "Coordinating Commission (demo)", "Commission (demo)",
        Agency.Type.COMMISSION,
    ),
    # Shymkent: a second city's providers for the service directory.
    AgencySpec(
        "shymkent_crisis_centre", "Crisis Centre «Sana-Demo» (Shymkent)", "Sana-Demo",
        Agency.Type.NGO, ("shelter", "crisis_psychological"), place="shymkent",
    ),
    AgencySpec(
        "shymkent_police", "Shymkent City Police Department (demo)", "Police Shymkent (demo)",
        Agency.Type.LAW_ENFORCEMENT, ("criminal_investigation",), place="shymkent",
    ),
    AgencySpec(
        "shymkent_health", "Shymkent Department of Health (demo)", "Health Shymkent (demo)",
        Agency.Type.HEALTH, ("medical",), place="shymkent",
    ),
    AgencySpec(
        "shymkent_social", "Shymkent Department of Employment and Social Programmes (demo)",
        "Shymkent Social (demo)", Agency.Type.LOCAL_GOVERNMENT, ("social_benefits",),
        place="shymkent",
    ),
)  # fmt: skip

USERS: tuple[UserSpec, ...] = (
    UserSpec("ngo.worker", "crisis_centre", Role.CASE_WORKER, "Айгерим", "Демоева"),
    UserSpec("ngo.supervisor", "crisis_centre", Role.SUPERVISOR, "Гульмира", "Демобаева"),
    UserSpec("ngo.child", "crisis_centre", Role.CHILD_PROTECTION, "Әсел", "Демобекова", "kk"),
    UserSpec(
        "ngo.admin", "crisis_centre", Role.AGENCY_ADMIN, "Тимур", "Демоханов", is_staff=True
    ),
    UserSpec("shelter.worker", "shelter", Role.CASE_WORKER, "Сәуле", "Демоқызы", "kk"),
    UserSpec("police.officer", "police", Role.CASE_WORKER, "Нурлан", "Демоев"),
    UserSpec("employment.worker", "employment", Role.CASE_WORKER, "Дана", "Демоханова", "kk"),
    UserSpec("health.worker", "health", Role.CASE_WORKER, "Олжас", "Демобеков"),
    UserSpec("embassy.officer", "embassy", Role.CASE_WORKER, "Erik", "Demolander", "en"),
    UserSpec(
        "commission.coordinator", "commission", Role.COORDINATOR, "Жанар", "Демоқұлова", "kk"
    ),
    UserSpec(
        "commission.dpo", "commission", Role.DATA_PROTECTION_OFFICER, "Мадина", "Демоқызы", "ru"
    ),
    UserSpec(
        "sysadmin", "commission", Role.SYSTEM_ADMIN, "System", "Administrator", "en",
        is_staff=True,
    ),
)  # fmt: skip

# The health department's worker is the "outsider": no demo case is ever referred to health.
OUTSIDER = "health.worker"

# Django admin permissions of the two administrator roles (codename "app_label.codename").
ADMIN_GROUPS: dict[str, tuple[str, ...]] = {
    Role.AGENCY_ADMIN: (
        "accounts.add_user", "accounts.change_user", "accounts.view_user",
        "accounts.add_membership", "accounts.change_membership", "accounts.delete_membership",
        "accounts.view_membership",
    ),
    Role.SYSTEM_ADMIN: (
        "accounts.add_user", "accounts.change_user", "accounts.view_user",
        "accounts.add_membership", "accounts.change_membership", "accounts.delete_membership",
        "accounts.view_membership",
        "accounts.add_agency", "accounts.change_agency", "accounts.view_agency",
        "accounts.change_apitoken", "accounts.view_apitoken",
        "directory.add_place", "directory.change_place", "directory.view_place",
        "directory.add_servicetype", "directory.change_servicetype",
        "directory.view_servicetype",
        "core.view_auditevent",
        # Unlock a login locked after repeated failures (django-axes).
        "axes.view_accessattempt", "axes.delete_accessattempt",
    ),
}  # fmt: skip
ADMIN_GROUP_NAMES: dict[str, str] = {
    Role.AGENCY_ADMIN: "Agency administrators",
    Role.SYSTEM_ADMIN: "System administrators",
}

F, M = Sex.FEMALE, Sex.MALE
LABOUR, SEXUAL = TypeOfExploitation.FORCED_LABOUR, TypeOfExploitation.SEXUAL_EXPLOITATION
RECRUITMENT, EXPLOITATION = HistoricEventType.RECRUITMENT, HistoricEventType.EXPLOITATION
C = MethodOfControl
ALL_BUT_REFERRALS = (Section.IDENTITY, Section.CONTACT, Section.VICTIM, Section.EVENTS)


def _day(year: int, month: int, day: int) -> datetime.date:
    return datetime.date(year, month, day)


CASES: tuple[CaseSpec, ...] = (
    # 1. A new possible victim, not referred yet.
    CaseSpec(
        owner="ngo.worker",
        person={
            "first_name": "Әсем", "patronymic": "Нұрланқызы", "family_name": "Үлгібаева",
            "sex": F, "birth_date": _day(2001, 3, 14), "citizenship": ["KAZ"],
            "primary_language": "kk", "secondary_language": "ru",
            "contact_notes": "Only through the crisis centre.",
        },
        victim={"types_of_exploitation": [SEXUAL],
                "methods_of_control": [C.FALSE_PROMISES, C.PSYCHOLOGICAL_ABUSE]},
        place={"type": RECRUITMENT, "country": "KAZ", "place": "shymkent",
               "date": _day(2025, 9, 1), "description": "Job advert for a café (synthetic)."},
    ),
    # 2. Referred to the shelter and accepted.
    CaseSpec(
        owner="ngo.worker",
        person={
            "first_name": "Dilnoza", "patronymic": "Rustamovna", "family_name": "Namunova",
            "sex": F, "birth_date": _day(2003, 7, 2), "citizenship": ["UZB"],
            "primary_language": "uz", "secondary_language": "ru",
        },
        victim={"types_of_exploitation": [SEXUAL],
                "methods_of_control": [C.WITHHOLDS_DOCUMENTS, C.DEBT_BONDAGE, C.SEXUAL_ABUSE]},
        place={"type": EXPLOITATION, "country": "KAZ", "place": "almaty",
               "date": _day(2025, 10, 15)},
        referrals=(
            ReferralSpec("shelter", "shelter", "accepted", ALL_BUT_REFERRALS,
                         "Needs a safe place tonight; speaks Uzbek and some Russian."),
        ),
        screening=("sexual", ("DR-01", "DR-02", "CD-01", "CD-02", "EX-01", "EX-02", "VD-02")),
    ),
    # 3. Referred to the employment department, waiting for an answer.
    CaseSpec(
        owner="ngo.worker",
        person={
            "first_name": "Бакыт", "patronymic": "Асанович", "family_name": "Мисалов",
            "sex": M, "birth_date": _day(1993, 11, 20), "citizenship": ["KGZ"],
            "primary_language": "ky", "secondary_language": "ru",
        },
        victim={"types_of_exploitation": [LABOUR],
                "methods_of_control": [C.EXCESSIVE_WORKING_HOURS, C.TAKES_EARNINGS,
                                       C.WITHHOLDS_DOCUMENTS]},
        place={"type": EXPLOITATION, "country": "KAZ", "place": "almaty",
               "date": _day(2025, 8, 1), "description": "Construction site (synthetic)."},
        referrals=(
            ReferralSpec("employment", "employment", "sent",
                         message="Wants legal work in Almaty; has a building trade."),
        ),
        screening=("labour", ("DR-01", "DR-02", "CD-01", "CD-02", "EX-01", "EX-02", "VD-02")),
    ),
    # 4. Referred to the police, declined with a reason.
    CaseSpec(
        owner="ngo.worker",
        person={
            "first_name": "Farrukh", "family_name": "Namunaev", "sex": M,
            "birth_date": _day(1990, 5, 9), "citizenship": ["TJK"],
            "primary_language": "tg", "secondary_language": "ru",
        },
        victim={"types_of_exploitation": [LABOUR],
                "methods_of_control": [C.DEBT_BONDAGE, C.PHYSICAL_THREATS]},
        place={"type": EXPLOITATION, "country": "KAZ", "place": "karaganda",
               "date": _day(2025, 6, 1)},
        referrals=(
            ReferralSpec("police", "criminal_investigation", "declined",
                         (Section.IDENTITY, Section.VICTIM, Section.EVENTS),
                         "Reports a debt he was forced to work off.",
                         answer="The exploitation happened in Karaganda: please refer the case "
                                "to the Karaganda police, who can investigate there."),
        ),
    ),
    # 5. A child with an approximate age, referred to the police with the guardian's consent.
    # A child's case is handled by a supervisor (or a child protection specialist).
    CaseSpec(
        owner="ngo.supervisor",
        person={
            "first_name": "Ақерке", "family_name": "Сынақова", "sex": F,
            "approximate_age": 15, "citizenship": ["KAZ"], "primary_language": "kk",
        },
        victim={"types_of_exploitation": [SEXUAL],
                "methods_of_control": [C.SEXUAL_ABUSE, C.PSYCHOACTIVE_SUBSTANCE],
                "age_when_trafficked": 14},
        place={"type": RECRUITMENT, "country": "KAZ", "place": "almaty",
               "date": _day(2025, 11, 3), "description": "Contacted through a messenger."},
        referrals=(
            ReferralSpec("police", "criminal_investigation", "accepted",
                         (Section.IDENTITY, Section.VICTIM, Section.EVENTS),
                         "A child: the guardian from the guardianship authority consented.",
                         consent_method=Consent.Method.GUARDIAN),
        ),
    ),
    # 6. Identified (actual victim, decided by the police), two accepted referrals.
    CaseSpec(
        owner="ngo.worker",
        person={
            "first_name": "Ольга", "patronymic": "Петровна", "family_name": "Образцова",
            "sex": F, "birth_date": _day(1988, 1, 25), "citizenship": ["KAZ"],
            "primary_language": "ru",
        },
        victim={"types_of_exploitation": [SEXUAL],
                "methods_of_control": [C.WITHHOLDS_DOCUMENTS, C.FALSE_PROMISES]},
        place={"type": EXPLOITATION, "country": "ARE", "date": _day(2025, 2, 1),
               "description": "Abroad, after a promised job as a waitress (synthetic)."},
        update={"trafficking_status": TraffickingStatus.ACTUAL,
                "trafficking_status_decision_org": DecisionMakingOrg.POLICE,
                "types_of_exploitation": [SEXUAL],
                "methods_of_control": [C.WITHHOLDS_DOCUMENTS, C.FALSE_PROMISES, C.DEBT_BONDAGE],
                "agreement_to_manage_personal_data": True},
        referrals=(
            ReferralSpec("police", "criminal_investigation", "accepted",
                         (Section.IDENTITY, Section.VICTIM, Section.EVENTS),
                         "Ready to give evidence."),
            ReferralSpec("employment", "employment", "accepted",
                         message="Looking for work as a cook."),
        ),
    ),
    # 7. Citizenship not yet confirmed; the embassy helps with documents.
    CaseSpec(
        owner="ngo.worker",
        person={
            "first_name": "Leyla", "family_name": "Exemplova", "sex": F,
            "birth_date": _day(1996, 1, 1), "birth_date_precision": BirthDatePrecision.YEAR,
            "citizenship": ["ZZZ"], "primary_language": "en",
        },
        victim={"types_of_exploitation": [TypeOfExploitation.SERVITUDE],
                "methods_of_control": [C.WITHHOLDS_DOCUMENTS, C.RESTRICTS_FINANCIAL_ACCESS]},
        place={"type": EXPLOITATION, "country": "KAZ", "place": "astana",
               "description": "Domestic work in a private house (synthetic)."},
        referrals=(
            ReferralSpec("embassy", "consular_assistance", "accepted",
                         message="Says she is a citizen of Demoland; her passport is held by "
                                 "the employer."),
        ),
    ),
    # 8. Referred to the employment department, then withdrawn by the sender.
    CaseSpec(
        owner="ngo.worker",
        person={
            "first_name": "Sherzod", "family_name": "Misolov", "sex": M,
            "birth_date": _day(1998, 1, 1), "birth_date_precision": BirthDatePrecision.YEAR,
            "citizenship": ["UZB"], "primary_language": "uz",
        },
        victim={"types_of_exploitation": [LABOUR],
                "methods_of_control": [C.TAKES_EARNINGS, C.WITHHOLDS_NECESSITIES]},
        place={"type": EXPLOITATION, "country": "KAZ", "place": "shymkent",
               "description": "Farm work (synthetic)."},
        referrals=(
            ReferralSpec("employment", "employment", "withdrawn",
                         answer="He chose to return home; the return is being arranged."),
        ),
    ),
    # 9. Registered by the police, referred to the crisis centre, waiting in its inbox.
    CaseSpec(
        owner="police.officer",
        person={
            "first_name": "Айпери", "family_name": "Мисалова", "sex": F,
            "birth_date": _day(2000, 12, 5), "citizenship": ["KGZ"],
            "primary_language": "ky", "secondary_language": "ru",
        },
        victim={"types_of_exploitation": [SEXUAL],
                "methods_of_control": [C.PHYSICAL_ABUSE, C.THREATENS_CHILDREN_FAMILY]},
        place={"type": EXPLOITATION, "country": "KAZ", "place": "almaty",
               "date": _day(2025, 12, 1)},
        referrals=(
            ReferralSpec("crisis_centre", "shelter", "sent", ALL_BUT_REFERRALS,
                         "Found during a check of a sauna; needs shelter and a psychologist."),
        ),
    ),
    # 10. Registered by the police; screening did not confirm trafficking.
    CaseSpec(
        owner="police.officer",
        person={
            "first_name": "Ержан", "patronymic": "Болатұлы", "family_name": "Сынақов",
            "sex": M, "birth_date": _day(1985, 6, 17), "citizenship": ["KAZ"],
            "primary_language": "kk", "secondary_language": "ru",
        },
        victim={"types_of_exploitation": [LABOUR]},
        update={"trafficking_status": TraffickingStatus.NOT_A_VICTIM,
                "trafficking_status_decision_org": DecisionMakingOrg.POLICE,
                "types_of_exploitation": []},
    ),
    # 11. Registered by the employment department, referred to the crisis centre, accepted.
    CaseSpec(
        owner="employment.worker",
        person={
            "first_name": "Jamshed", "family_name": "Namunazoda", "sex": M,
            "birth_date": _day(1995, 4, 1), "birth_date_precision": BirthDatePrecision.MONTH,
            "citizenship": ["TJK"], "primary_language": "tg", "secondary_language": "ru",
        },
        victim={"types_of_exploitation": [LABOUR],
                "methods_of_control": [C.EXCESSIVE_WORKING_HOURS, C.DEBT_BONDAGE]},
        place={"type": RECRUITMENT, "country": "TJK", "city": "Demo village",
               "description": "Recruited by an acquaintance (synthetic)."},
        referrals=(
            ReferralSpec("crisis_centre", "crisis_psychological", "accepted",
                         message="Came to us for work; shows signs of distress."),
        ),
    ),
    # 12. Dual citizenship, forced marriage, referred to the shelter, waiting.
    CaseSpec(
        owner="ngo.worker",
        person={
            "first_name": "Мадина", "patronymic": "Серікқызы", "family_name": "Үлгібекова",
            "sex": F, "birth_date": _day(2006, 2, 11), "citizenship": ["KAZ", "KGZ"],
            "primary_language": "kk", "secondary_language": "ky",
        },
        victim={"types_of_exploitation": [TypeOfExploitation.FORCED_MARRIAGE],
                "methods_of_control": [C.THREATENS_CHILDREN_FAMILY, C.PSYCHOLOGICAL_ABUSE]},
        referrals=(
            ReferralSpec("shelter", "shelter", "sent", ALL_BUT_REFERRALS,
                         "Afraid to go home; needs a place to stay."),
        ),
    ),
)  # fmt: skip
