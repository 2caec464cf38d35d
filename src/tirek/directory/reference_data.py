"""Reference data every Kazakh deployment starts from: places and the services of the mechanism.

Loaded by ``tirek demo`` and usable on its own (``reference_data_load()``); loading twice changes
nothing but names that were edited in code. Codes are stable keys: never rename one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from tirek.directory.models import Place, ServiceType


@dataclass(frozen=True)
class PlaceRow:
    code: str
    kind: str
    name_en: str
    name_ru: str
    name_kk: str
    parent: str = ""  # code of the parent place


@dataclass(frozen=True)
class ServiceRow:
    code: str
    name_en: str
    name_ru: str
    name_kk: str
    htcds_support_plan_type: str = ""  # HTCDS 2.0 spl_Type, where one fits


# HTCDS 2.0 spl_Type values: the kinds of support plan a service can belong to.
SUPPORT_PLAN_TYPES: tuple[str, ...] = (
    "Education",
    "Financial",
    "Health",
    "LabourExploitationRehabilitation",
    "Legal",
    "Livelihood",
    "RightsBasedTraining",
    "SexualExploitationRehabilitation",
    "SocialCare",
)

# Parents come before their children.
PLACES: tuple[PlaceRow, ...] = (
    PlaceRow("kaz", Place.Kind.COUNTRY, "Kazakhstan", "Казахстан", "Қазақстан"),
    PlaceRow(
        "kaz-akmola", Place.Kind.REGION, "Akmola Region", "Акмолинская область",
        "Ақмола облысы", parent="kaz",
    ),
    PlaceRow(
        "kaz-north-kazakhstan", Place.Kind.REGION, "North Kazakhstan Region",
        "Северо-Казахстанская область", "Солтүстік Қазақстан облысы", parent="kaz",
    ),
    PlaceRow(
        "kaz-karaganda-region", Place.Kind.REGION, "Karaganda Region", "Карагандинская область",
        "Қарағанды облысы", parent="kaz",
    ),
    # The other regions, as in force since 2022 (Abai, Jetisu and Ulytau formed that year).
    PlaceRow(
        "kaz-abai", Place.Kind.REGION, "Abai Region", "область Абай", "Абай облысы", parent="kaz"
    ),
    PlaceRow(
        "kaz-aktobe", Place.Kind.REGION, "Aktobe Region", "Актюбинская область", "Ақтөбе облысы",
        parent="kaz",
    ),
    PlaceRow(
        "kaz-almaty-region", Place.Kind.REGION, "Almaty Region", "Алматинская область",
        "Алматы облысы", parent="kaz",
    ),
    PlaceRow(
        "kaz-atyrau", Place.Kind.REGION, "Atyrau Region", "Атырауская область", "Атырау облысы",
        parent="kaz",
    ),
    PlaceRow(
        "kaz-east-kazakhstan", Place.Kind.REGION, "East Kazakhstan Region",
        "Восточно-Казахстанская область", "Шығыс Қазақстан облысы", parent="kaz",
    ),
    PlaceRow(
        "kaz-jambyl", Place.Kind.REGION, "Jambyl Region", "Жамбылская область", "Жамбыл облысы",
        parent="kaz",
    ),
    PlaceRow(
        "kaz-jetisu", Place.Kind.REGION, "Jetisu Region", "область Жетісу", "Жетісу облысы",
        parent="kaz",
    ),
    PlaceRow(
        "kaz-kostanay", Place.Kind.REGION, "Kostanay Region", "Костанайская область",
        "Қостанай облысы", parent="kaz",
    ),
    PlaceRow(
        "kaz-kyzylorda", Place.Kind.REGION, "Kyzylorda Region", "Кызылординская область",
        "Қызылорда облысы", parent="kaz",
    ),
    PlaceRow(
        "kaz-mangystau", Place.Kind.REGION, "Mangystau Region", "Мангистауская область",
        "Маңғыстау облысы", parent="kaz",
    ),
    PlaceRow(
        "kaz-pavlodar", Place.Kind.REGION, "Pavlodar Region", "Павлодарская область",
        "Павлодар облысы", parent="kaz",
    ),
    PlaceRow(
        "kaz-turkistan", Place.Kind.REGION, "Turkistan Region", "Туркестанская область",
        "Түркістан облысы", parent="kaz",
    ),
    PlaceRow(
        "kaz-ulytau", Place.Kind.REGION, "Ulytau Region", "область Улытау", "Ұлытау облысы",
        parent="kaz",
    ),
    PlaceRow(
        "kaz-west-kazakhstan", Place.Kind.REGION, "West Kazakhstan Region",
        "Западно-Казахстанская область", "Батыс Қазақстан облысы", parent="kaz",
    ),
    # Cities of republican significance belong to the country directly.
    PlaceRow("almaty", Place.Kind.CITY, "Almaty", "Алматы", "Алматы", parent="kaz"),
    PlaceRow("astana", Place.Kind.CITY, "Astana", "Астана", "Астана", parent="kaz"),
    PlaceRow("shymkent", Place.Kind.CITY, "Shymkent", "Шымкент", "Шымкент", parent="kaz"),
    PlaceRow(
        "kokshetau", Place.Kind.CITY, "Kokshetau", "Кокшетау", "Көкшетау", parent="kaz-akmola"
    ),
    PlaceRow(
        "petropavlovsk", Place.Kind.CITY, "Petropavlovsk", "Петропавловск", "Петропавл",
        parent="kaz-north-kazakhstan",
    ),
    PlaceRow(
        "karaganda", Place.Kind.CITY, "Karaganda", "Караганда", "Қарағанды",
        parent="kaz-karaganda-region",
    ),
)  # fmt: skip

SERVICE_TYPES: tuple[ServiceRow, ...] = (
    ServiceRow("shelter", "Shelter", "Приют", "Уақытша баспана", "SocialCare"),
    ServiceRow(
        "crisis_psychological", "Crisis psychological support",
        "Кризисная психологическая помощь", "Дағдарыстық психологиялық көмек", "Health",
    ),
    ServiceRow("medical", "Medical care", "Медицинская помощь", "Медициналық көмек", "Health"),
    ServiceRow("legal_aid", "Legal aid", "Юридическая помощь", "Заң көмегі", "Legal"),
    ServiceRow(
        "social_benefits", "Social benefits", "Социальные выплаты", "Әлеуметтік төлемдер",
        "Financial",
    ),
    ServiceRow(
        "employment", "Employment support", "Содействие занятости",
        "Жұмыспен қамтуға жәрдемдесу", "Livelihood",
    ),
    ServiceRow("education", "Education", "Образование", "Білім беру", "Education"),
    ServiceRow(
        "documents", "Restoring identity documents", "Восстановление документов",
        "Құжаттарды қалпына келтіру", "Legal",
    ),
    ServiceRow("interpretation", "Interpretation", "Услуги переводчика", "Аударма қызметі"),
    ServiceRow(
        "repatriation", "Voluntary return (repatriation)",
        "Добровольное возвращение (репатриация)", "Ерікті оралу (репатриация)",
    ),
    ServiceRow(
        "criminal_investigation", "Criminal investigation", "Уголовное расследование",
        "Қылмыстық тергеу",
    ),
    ServiceRow(
        "prosecution_oversight", "Prosecutorial oversight", "Прокурорский надзор",
        "Прокурорлық қадағалау",
    ),
    ServiceRow(
        "consular_assistance", "Consular assistance", "Консульская помощь", "Консулдық көмек"
    ),
    ServiceRow(
        "reintegration", "Reintegration support", "Содействие реинтеграции",
        "Реинтеграцияға жәрдемдесу", "SocialCare",
    ),
)  # fmt: skip


@transaction.atomic
def reference_data_load() -> tuple[dict[str, Place], dict[str, ServiceType]]:
    """Create or update the reference places and service types; return them by code."""
    places: dict[str, Place] = {}
    for row in PLACES:
        places[row.code], _ = Place.objects.update_or_create(
            code=row.code,
            defaults={
                "kind": row.kind,
                "name_en": row.name_en,
                "name_ru": row.name_ru,
                "name_kk": row.name_kk,
                "parent": places[row.parent] if row.parent else None,
                "country_code": "KAZ",
            },
        )
    services: dict[str, ServiceType] = {}
    for service in SERVICE_TYPES:
        services[service.code], _ = ServiceType.objects.update_or_create(
            code=service.code,
            defaults={
                "name_en": service.name_en,
                "name_ru": service.name_ru,
                "name_kk": service.name_kk,
                "htcds_support_plan_type": service.htcds_support_plan_type,
            },
        )
    return places, services
