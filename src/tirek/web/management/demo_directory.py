"""The demo's service directory: Almaty and Shymkent providers, names in kk/ru/en.

Every organisation, address and phone number is invented.
Free places are illustrative. Written through the directory's own services, so every service has
its audit row; loading twice adds nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency
from tirek.directory.models import Location, Place, Service, ServiceType
from tirek.directory.services import LocationInput, ScheduleInput, ServiceInput, service_create

WEEKDAYS_MO_FR = ("MO", "TU", "WE", "TH", "FR")

# Russian and Kazakh names of the demo agencies (the mechanisms' demo too), by English name.
AGENCY_NAMES: dict[str, tuple[str, str]] = {
    "Crisis Centre «Umit-Demo»": ("Кризисный центр «Умит-Демо»", "«Үміт-Демо» дағдарыс орталығы"),
    "Demo Shelter «Baspana»": ("Демо-приют «Баспана»", "«Баспана» демо-баспанасы"),
    "Almaty City Police Department (demo)": (
        "Департамент полиции г. Алматы (демо)",
        "Алматы қаласы Полиция департаменті (демо)",
    ),
    "Migration Police (demo)": ("Миграционная полиция (демо)", "Көші-қон полициясы (демо)"),
    "Border Service Checkpoint (demo)": (
        "Пограничный пункт пропуска (демо)",
        "Шекаралық өткізу пункті (демо)",
    ),
    "Department of Employment (demo)": (
        "Управление занятости (демо)",
        "Жұмыспен қамту басқармасы (демо)",
    ),
    "Department of Health (demo)": (
        "Управление здравоохранения (демо)",
        "Денсаулық сақтау басқармасы (демо)",
    ),
    "Department of Education (demo)": ("Управление образования (демо)", "Білім басқармасы (демо)"),
    "Department of Social Programmes (demo)": (
        "Управление социальных программ (демо)",
        "Әлеуметтік бағдарламалар басқармасы (демо)",
    ),
    "Labour Inspection, Ministry of Labour (demo)": (
        "Инспекция труда, Министерство труда (демо)",
        "Еңбек инспекциясы, Еңбек министрлігі (демо)",
    ),
    "Prosecutor's Office (demo)": ("Прокуратура (демо)", "Прокуратура (демо)"),
    "Embassy of Demoland": ("Посольство Демоландии", "Демоландия елшілігі"),
    "International Organisation for Migration (demo office)": (
        "Международная организация по миграции (демо-офис)",
        "Халықаралық көші-қон ұйымы (демо кеңсе)",
    ),
    "Coordinating Commission (demo)": (
        "Координационная комиссия (демо)",
        "Үйлестіру комиссиясы (демо)",
    ),
    "Crisis Centre «Sana-Demo» (Shymkent)": (
        "Кризисный центр «Сана-Демо» (Шымкент)",
        "«Сана-Демо» дағдарыс орталығы (Шымкент)",
    ),
    "Shymkent City Police Department (demo)": (
        "Департамент полиции г. Шымкент (демо)",
        "Шымкент қаласы Полиция департаменті (демо)",
    ),
    "Shymkent Department of Health (demo)": (
        "Управление здравоохранения г. Шымкент (демо)",
        "Шымкент қаласы Денсаулық сақтау басқармасы (демо)",
    ),
    "Shymkent Department of Employment and Social Programmes (demo)": (
        "Управление занятости и социальных программ г. Шымкент (демо)",
        "Шымкент қаласы Жұмыспен қамту және әлеуметтік бағдарламалар басқармасы (демо)",
    ),
    "Shymkent Coordinating Commission (demo)": (
        "Координационная комиссия г. Шымкент (демо)",
        "Шымкент қаласының Үйлестіру комиссиясы (демо)",
    ),
}


def demo_directory_reset() -> None:
    """Delete the demo agencies' services and locations (``demo --reset``)."""
    agencies = Agency.objects.filter(name__in=list(AGENCY_NAMES))
    Service.objects.filter(agency__in=agencies).delete()
    Location.objects.filter(agency__in=agencies).delete()


def demo_agency_names_apply() -> None:
    """Give the demo agencies their Russian and Kazakh names."""
    for agency in Agency.objects.filter(name__in=list(AGENCY_NAMES)):
        agency.name_ru, agency.name_kk = AGENCY_NAMES[agency.name]
        agency.save(update_fields=["name_ru", "name_kk"])


@dataclass(frozen=True)
class DirectorySpec:
    agency: str  # AgencySpec.key
    service: str  # ServiceType.code
    name_en: str
    name_ru: str
    name_kk: str
    city: str = "almaty"
    address: str = ""
    address_private: bool = False
    sex: str = Service.Sex.ANY
    minimum_age: int | None = None
    maximum_age: int | None = None
    citizenship: str = Service.Citizenship.ANY
    languages: tuple[str, ...] = ("kk", "ru")
    places: tuple[int, int] | None = None  # (in all, free now)
    always_open: bool = False
    hours: tuple[tuple[tuple[str, ...], str, str], ...] = ((WEEKDAYS_MO_FR, "09:00", "18:00"),)
    areas: tuple[str, ...] = ()
    contact: tuple[str, str, str] = ("", "", "")  # name, position, phone
    description: str = ""
    how_to_refer: str = ""
    extra: dict[str, str] = field(default_factory=dict)


DIRECTORY: tuple[DirectorySpec, ...] = (
    DirectorySpec(
        "crisis_centre", "shelter", "Crisis shelter for women and children",
        "Кризисный приют для женщин и детей", "Әйелдер мен балаларға арналған дағдарыс баспанасы",
        address="(address given by phone)", address_private=True, sex=Service.Sex.FEMALE,
        languages=("kk", "ru", "en", "uz"), places=(24, 3), always_open=True, hours=(),
        contact=("Гульнара Демоева", "Координатор приёма", "+77272550101"),
        description="Safe accommodation, food, clothing; up to 6 months.",
        how_to_refer="Call the intake line at any hour; send the referral in Tirek after the call.",
    ),
    DirectorySpec(
        "crisis_centre", "crisis_psychological", "Crisis counselling",
        "Кризисная психологическая помощь", "Дағдарыстық психологиялық көмек",
        address="Demo street 12, office 4", languages=("kk", "ru", "en"),
        contact=("Айжан Демобаева", "Психолог", "+77272550102"),
    ),
    DirectorySpec(
        "crisis_centre", "legal_aid", "Free legal consultation",
        "Бесплатная юридическая консультация", "Тегін заң кеңесі",
        address="Demo street 12, office 6",
        hours=((("TU", "TH"), "10:00", "17:00"),),
        contact=("Ерлан Демоханов", "Юрист", "+77272550103"),
    ),
    DirectorySpec(
        "shelter", "shelter", "Shelter for men", "Приют для мужчин", "Ерлерге арналған баспана",
        address="(address given by phone)", address_private=True, sex=Service.Sex.MALE,
        minimum_age=18, languages=("kk", "ru", "ky", "tg"), places=(12, 0), always_open=True,
        hours=(), contact=("Бауыржан Демоұлы", "Кезекші", "+77272550111"),
    ),
    DirectorySpec(
        "shelter", "shelter", "Shelter for girls and boys under 18",
        "Приют для несовершеннолетних", "Кәмелетке толмағандарға арналған баспана",
        address="(address given by phone)", address_private=True, maximum_age=17,
        places=(10, 4), always_open=True, hours=(),
        contact=("Сәуле Демоқызы", "Әлеуметтік қызметкер", "+77272550112"),
    ),
    DirectorySpec(
        "health", "medical", "Medical examination and treatment",
        "Медицинское обследование и лечение", "Медициналық тексеру және емдеу",
        address="Demo avenue 45, polyclinic 3", languages=("kk", "ru"),
        hours=((WEEKDAYS_MO_FR, "08:00", "20:00"), (("SA",), "09:00", "14:00")),
        contact=("Олжас Демобеков", "Дәрігер", "+77272550121"),
    ),
    DirectorySpec(
        "employment", "employment", "Job placement and vocational training",
        "Трудоустройство и профессиональное обучение", "Жұмысқа орналастыру және кәсіптік оқыту",
        address="Demo square 1", citizenship=Service.Citizenship.CITIZENS,
        contact=("Дана Демоханова", "Маман", "+77272550131"),
    ),
    DirectorySpec(
        "social_programmes", "social_benefits", "Special social services and benefits",
        "Специальные социальные услуги и выплаты", "Арнаулы әлеуметтік қызметтер мен төлемдер",
        address="Demo square 1, floor 3", citizenship=Service.Citizenship.CITIZENS,
        contact=("", "", "+77272550132"),
    ),
    DirectorySpec(
        "social_programmes", "shelter", "Social adaptation centre for women",
        "Центр социальной адаптации для женщин", "Әйелдерге арналған әлеуметтік бейімдеу орталығы",
        address="(address given by phone)", address_private=True, sex=Service.Sex.FEMALE,
        minimum_age=18, languages=("kk", "ru"), places=(30, 7), always_open=True, hours=(),
        contact=("Жанар Демоқұлова", "Кезекші маман", "+77272550133"),
        how_to_refer="Call first; bring or send the referral and any documents the person has.",
    ),
    DirectorySpec(
        "embassy", "consular_assistance", "Consular assistance and travel documents",
        "Консульская помощь и проездные документы", "Консулдық көмек және жол құжаттары",
        address="Demo embassy lane 3", citizenship=Service.Citizenship.FOREIGNERS,
        languages=("en", "ru"), areas=("kaz",), hours=((WEEKDAYS_MO_FR, "09:30", "16:00"),),
        contact=("Erik Demolander", "Consul", "+77272550141"),
    ),
    DirectorySpec(
        "iom", "repatriation", "Assisted voluntary return", "Содействие добровольному возвращению",
        "Ерікті оралуға жәрдемдесу", address="Demo business centre, floor 8",
        citizenship=Service.Citizenship.FOREIGNERS, languages=("en", "ru", "uz", "ky", "tg"),
        areas=("kaz",), contact=("", "Return counsellor", "+77272550151"),
    ),
    DirectorySpec(
        "iom", "interpretation", "Interpretation for victims",
        "Услуги переводчика для пострадавших", "Зардап шеккендерге аударма қызметі",
        address="Demo business centre, floor 8",
        languages=("en", "ru", "uz", "ky", "tg", "zh"), areas=("kaz",),
        contact=("", "", "+77272550152"),
    ),
    # Shymkent
    DirectorySpec(
        "shymkent_crisis_centre", "shelter", "Crisis shelter (Shymkent)",
        "Кризисный приют (Шымкент)", "Дағдарыс баспанасы (Шымкент)", city="shymkent",
        address="(address given by phone)",
        address_private=True, languages=("kk", "ru", "uz"), places=(15, 6), always_open=True,
        hours=(), contact=("Мадина Сынақова", "Координатор", "+77252550201"),
    ),
    DirectorySpec(
        "shymkent_crisis_centre", "crisis_psychological", "Psychological support (Shymkent)",
        "Психологическая поддержка (Шымкент)", "Психологиялық қолдау (Шымкент)",
        city="shymkent", address="Demo street 7, Shymkent", languages=("kk", "ru", "uz"),
        contact=("", "Психолог", "+77252550202"),
    ),
    DirectorySpec(
        "shymkent_health", "medical", "Medical care (Shymkent)", "Медицинская помощь (Шымкент)",
        "Медициналық көмек (Шымкент)", city="shymkent", address="Demo avenue 2, Shymkent",
        hours=((WEEKDAYS_MO_FR, "08:00", "18:00"),), contact=("", "", "+77252550211"),
    ),
    DirectorySpec(
        "shymkent_social", "social_benefits", "Social benefits (Shymkent)",
        "Социальные выплаты (Шымкент)", "Әлеуметтік төлемдер (Шымкент)", city="shymkent",
        address="Demo square 5, Shymkent", citizenship=Service.Citizenship.CITIZENS,
        contact=("", "", "+77252550221"),
    ),
)  # fmt: skip


def _time(text: str) -> datetime.time:
    hours, minutes = text.split(":")
    return datetime.time(int(hours), int(minutes))


def demo_directory_load(
    *, actor: Actor, agencies: dict[str, Agency], services: dict[str, ServiceType]
) -> int:
    """Add the demo services that are missing; return how many were added."""
    places = {place.code: place for place in Place.objects.all()}
    added = 0
    for spec in DIRECTORY:
        agency = agencies[spec.agency]
        if Service.objects.filter(agency=agency, name_en=spec.name_en).exists():
            continue
        data = ServiceInput(
            service_type_id=services[spec.service].pk,
            name_en=spec.name_en,
            name_ru=spec.name_ru,
            name_kk=spec.name_kk,
            description=spec.description,
            sex=spec.sex,
            minimum_age=spec.minimum_age,
            maximum_age=spec.maximum_age,
            citizenship=spec.citizenship,
            languages=spec.languages,
            application_process=spec.how_to_refer,
            contact_name=spec.contact[0],
            contact_title=spec.contact[1],
            contact_phone=spec.contact[2],
            is_always_open=spec.always_open,
            area_ids=tuple(places[code].pk for code in spec.areas),
            location=LocationInput(
                address="" if spec.address_private else spec.address,
                city_id=places[spec.city].pk,
                is_address_private=spec.address_private,
            ),
            schedules=tuple(
                ScheduleInput(byday=days, opens_at=_time(opens), closes_at=_time(closes))
                for days, opens, closes in spec.hours
            ),
            capacity_unit="bed" if spec.places else "",
            capacity_maximum=spec.places[0] if spec.places else None,
            capacity_available=spec.places[1] if spec.places else None,
        )
        service_create(actor=actor, agency_id=agency.pk, data=data)
        added += 1
    return added
