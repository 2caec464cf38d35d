"""Demo mechanisms: Almaty's in force, two alternative drafts for Almaty (as two working groups
of a seminar might write them), and Shymkent's in force with agencies there.

Every deadline here is illustrative, and each mechanism says so. Loaded by ``tirek demo`` through
the import service, so the demo exercises the same file format users import.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency, Membership, User
from tirek.accounts.roles import Role
from tirek.directory.models import Place
from tirek.mechanisms.calendars import calendar_import
from tirek.mechanisms.format import FORMAT, FORMAT_VERSION
from tirek.mechanisms.models import Mechanism, WorkingCalendar
from tirek.mechanisms.services import mechanism_import, mechanism_put_in_force

LE, NGO, HEALTH, LOCAL, INTL, EMBASSY, PROSECUTOR, CENTRAL = (
    Agency.Type.LAW_ENFORCEMENT,
    Agency.Type.NGO,
    Agency.Type.HEALTH,
    Agency.Type.LOCAL_GOVERNMENT,
    Agency.Type.INTERNATIONAL,
    Agency.Type.EMBASSY,
    Agency.Type.PROSECUTOR,
    Agency.Type.CENTRAL_GOVERNMENT,
)


def _step(
    code: str,
    stage: str,
    title: tuple[str, str, str],
    action: str,
    who: str,
    service: str | None,
    deadline: tuple[int, str] | None,
    escalate: int | None = None,
    *,
    age: str = "any",
    citizenship: str = "any",
    exploitation: tuple[str, ...] = (),
    named: bool = False,
) -> dict[str, Any]:
    return {
        "code": code,
        "stage": stage,
        "title": dict(zip(("en", "ru", "kk"), title, strict=True)),
        "action": action,
        "responsible": {"agency": who} if named else {"agency_type": who},
        "service": service,
        "deadline": None
        if deadline is None
        else {
            "value": deadline[0],
            "unit": deadline[1],
            "from": "stage_entered",
            "escalate_after": escalate,
        },
        "applies_to": {"age": age, "citizenship": citizenship, "exploitation": list(exploitation)},
    }


def _almaty_steps(crisis_centre: str) -> list[dict[str, Any]]:
    return [
        _step(
            "police-informed",
            "identification",
            (
                "Police informed of a presumed victim",
                "Полиция уведомлена о предполагаемой жертве",
                "Полицияға болжамды жәбірленуші туралы хабарланды",
            ),
            "notify",
            LE,
            "criminal_investigation",
            (24, "hours"),
            24,
        ),
        _step(
            "prosecutor-informed",
            "identification",
            ("Prosecutor informed", "Прокуратура уведомлена", "Прокуратураға хабарланды"),
            "notify",
            PROSECUTOR,
            "prosecution_oversight",
            (3, "working_days"),
            2,
        ),
        _step(
            "guardianship-informed",
            "identification",
            (
                "Guardianship authority informed about a child",
                "Орган опеки уведомлён о ребёнке",
                "Қорғаншылық органына бала туралы хабарланды",
            ),
            "notify",
            LOCAL,
            "education",
            (24, "hours"),
            12,
            age="child",
        ),
        _step(
            "shelter-placement",
            "first_assistance",
            ("Shelter placement", "Размещение в приюте", "Баспанаға орналастыру"),
            "act",
            NGO,
            "shelter",
            (24, "hours"),
            12,
        ),
        _step(
            "medical-examination",
            "first_assistance",
            ("Medical examination", "Медицинский осмотр", "Медициналық тексеру"),
            "act",
            HEALTH,
            "medical",
            (3, "days"),
            2,
        ),
        _step(
            "crisis-counselling",
            "first_assistance",
            (
                "Crisis psychological support",
                "Кризисная психологическая помощь",
                "Дағдарыстық психологиялық көмек",
            ),
            "act",
            NGO,
            "crisis_psychological",
            (3, "days"),
            2,
        ),
        _step(
            "interpreter",
            "first_assistance",
            ("Interpreter arranged", "Обеспечен переводчик", "Аудармашы қамтамасыз етілді"),
            "act",
            INTL,
            "interpretation",
            (2, "days"),
            1,
            citizenship="foreigner",
        ),
        _step(
            "reflection-period",
            "reflection",
            (
                "Reflection and recovery period",
                "Период восстановления и размышления",
                "Қалпына келу және ойлану кезеңі",
            ),
            "act",
            crisis_centre,
            None,
            (30, "days"),
            5,
            named=True,
        ),
        _step(
            "legal-aid",
            "long_term",
            ("Legal aid", "Юридическая помощь", "Заң көмегі"),
            "act",
            NGO,
            "legal_aid",
            (10, "working_days"),
            5,
        ),
        _step(
            "employment-support",
            "long_term",
            ("Employment support", "Содействие занятости", "Жұмыспен қамтуға жәрдемдесу"),
            "act",
            LOCAL,
            "employment",
            (20, "working_days"),
            10,
            age="adult",
        ),
        _step(
            "schooling",
            "long_term",
            ("Return to school", "Возвращение к учёбе", "Оқуға қайта оралу"),
            "act",
            LOCAL,
            "education",
            (10, "working_days"),
            5,
            age="child",
        ),
        _step(
            "embassy-contacted",
            "return",
            ("Embassy contacted", "Связь с посольством", "Елшілікпен байланыс"),
            "notify",
            EMBASSY,
            "consular_assistance",
            (3, "working_days"),
            2,
            citizenship="foreigner",
        ),
        _step(
            "travel-documents",
            "return",
            ("Identity and travel documents", "Документы для выезда", "Жол құжаттары"),
            "act",
            EMBASSY,
            "documents",
            (10, "working_days"),
            5,
            citizenship="foreigner",
        ),
        _step(
            "voluntary-return",
            "return",
            (
                "Voluntary return organised",
                "Организовано добровольное возвращение",
                "Ерікті оралу ұйымдастырылды",
            ),
            "act",
            INTL,
            "repatriation",
            (30, "days"),
            10,
            citizenship="foreigner",
        ),
        _step(
            "proceedings-oversight",
            "proceedings",
            (
                "Prosecutorial oversight of the case",
                "Прокурорский надзор по делу",
                "Іс бойынша прокурорлық қадағалау",
            ),
            "notify",
            PROSECUTOR,
            "prosecution_oversight",
            (5, "working_days"),
            5,
        ),
    ]


def _replace(steps: list[dict[str, Any]], code: str, **changes: Any) -> None:
    for step in steps:
        if step["code"] == code:
            for key, value in changes.items():
                if key == "deadline":
                    step["deadline"] = {**step["deadline"], **value}
                else:
                    step[key] = value


def _document(territory: str, title: str, note: str, steps: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "territory": territory,
        "title": title,
        "note": note,
        "deadlines_illustrative": True,
        "steps": steps,
    }


ILLUSTRATIVE = (
    "Демо деректер: барлық мерзімдер үлгі ретінде берілген. "
    "Демо-данные: все сроки приведены для примера. "
    "Demo data: all deadlines are illustrative."
)

SHYMKENT_AGENCIES: tuple[tuple[str, str, str], ...] = (
    ("Crisis Centre «Sana-Demo» (Shymkent)", "Sana-Demo", Agency.Type.NGO),
    ("Shymkent City Police Department (demo)", "Police Shymkent (demo)", LE),
    ("Shymkent Department of Health (demo)", "Health Shymkent (demo)", HEALTH),
    (
        "Shymkent Coordinating Commission (demo)",
        "Commission Shymkent (demo)",
        Agency.Type.COMMISSION,
    ),
)
SHYMKENT_COORDINATOR = "shymkent.coordinator"


def _shymkent_ensure(shymkent: Place, password: str, email_domain: str) -> Actor:
    agencies = {}
    for name, short, type_ in SHYMKENT_AGENCIES:
        agencies[type_], _ = Agency.objects.update_or_create(
            name=name,
            defaults={"short_name": short, "type": type_, "place": shymkent, "is_active": True},
        )
    user, _ = User.objects.update_or_create(
        username=SHYMKENT_COORDINATOR,
        defaults={
            "first_name": "Гүлнар",
            "last_name": "Демобекова",
            "email": f"{SHYMKENT_COORDINATOR}@{email_domain}",
            "preferred_language": "kk",
        },
    )
    user.set_password(password)
    user.save(update_fields=["password"])
    membership, _ = Membership.objects.update_or_create(
        user=user,
        agency=agencies[Agency.Type.COMMISSION],
        defaults={"role": Role.COORDINATOR, "is_active": True},
    )
    return Actor(user=user, membership=membership)


def mechanisms_demo_load(
    *,
    places: dict[str, Place],
    coordinator: Actor,
    crisis_centre: Agency,
    password: str,
    email_domain: str,
) -> None:
    """Create the demo mechanisms unless the territory already has mechanisms (idempotent), and
    Kazakhstan's working calendar unless it has one."""
    almaty, shymkent = places["almaty"], places["shymkent"]
    calendar_demo_load(territory=places["kaz"], actor=coordinator)
    shymkent_coordinator = _shymkent_ensure(shymkent, password, email_domain)
    if not Mechanism.objects.filter(territory=almaty).exists():
        steps = _almaty_steps(crisis_centre.name)
        in_force = mechanism_import(
            actor=coordinator,
            document=_document("almaty", "Алматы қаласының жолдау механизмі", ILLUSTRATIVE, steps),
        )
        mechanism_put_in_force(actor=coordinator, mechanism_id=in_force.pk)
        group_one = _almaty_steps(crisis_centre.name)
        _replace(group_one, "shelter-placement", deadline={"value": 12})
        _replace(group_one, "medical-examination", deadline={"value": 24, "unit": "hours"})
        group_one.insert(
            8,
            _step(
                "labour-inspection",
                "long_term",
                (
                    "Labour inspection of the employer",
                    "Проверка работодателя трудовой инспекцией",
                    "Еңбек инспекциясының жұмыс берушіні тексеруі",
                ),
                "act",
                CENTRAL,
                "legal_aid",
                (5, "working_days"),
                5,
                exploitation=("ForcedLabour",),
            ),
        )
        mechanism_import(
            actor=coordinator,
            document=_document(
                "almaty",
                "Алматы: 1-жұмыс тобының жобасы (анықтау және қорғау)",
                ILLUSTRATIVE,
                group_one,
            ),
        )
        group_two = [
            s for s in _almaty_steps(crisis_centre.name) if s["code"] != "prosecutor-informed"
        ]
        _replace(group_two, "police-informed", deadline={"value": 12})
        _replace(group_two, "embassy-contacted", deadline={"value": 5})
        group_two.insert(
            10,
            _step(
                "social-benefits",
                "long_term",
                (
                    "Social benefits arranged",
                    "Оформлены социальные выплаты",
                    "Әлеуметтік төлемдер рәсімделді",
                ),
                "act",
                LOCAL,
                "social_benefits",
                (15, "working_days"),
                5,
            ),
        )
        mechanism_import(
            actor=coordinator,
            document=_document(
                "almaty", "Алматы: 2-жұмыс тобының жобасы (жолдау)", ILLUSTRATIVE, group_two
            ),
        )
    if not Mechanism.objects.filter(territory=shymkent).exists():
        steps = [
            s
            for s in _almaty_steps("Crisis Centre «Sana-Demo» (Shymkent)")
            if s["code"] not in {"schooling", "employment-support"}
        ]
        mechanism = mechanism_import(
            actor=shymkent_coordinator,
            document=_document(
                "shymkent", "Шымкент қаласының жолдау механизмі", ILLUSTRATIVE, steps
            ),
        )
        mechanism_put_in_force(actor=shymkent_coordinator, mechanism_id=mechanism.pk)


KAZ_CALENDAR = Path(__file__).parent / "data" / "calendar-kaz-2026-2027.json"


def calendar_demo_load(*, territory: Place, actor: Actor) -> None:
    """Kazakhstan's public holidays of 2026 and 2027 (public facts), through the import service."""
    if WorkingCalendar.objects.filter(territory=territory).exists():
        return
    calendar_import(
        actor=actor,
        territory_id=territory.pk,
        content=KAZ_CALENDAR.read_bytes(),
        filename=KAZ_CALENDAR.name,
    )


def mechanisms_demo_reset() -> None:
    """Delete the demo mechanisms and the Shymkent demo agencies and login (``demo --reset``)."""
    demo_agencies = Agency.objects.filter(name__in=[name for name, _s, _t in SHYMKENT_AGENCIES])
    Mechanism.objects.filter(territory__code__in=["almaty", "shymkent"]).delete()
    Membership.objects.filter(agency__in=demo_agencies).delete()
    User.objects.filter(username=SHYMKENT_COORDINATOR).delete()
    demo_agencies.delete()
