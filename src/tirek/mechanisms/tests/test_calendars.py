"""Working calendars: deadlines in working days skip weekends and public holidays."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from tirek.accounts.actor import Actor
from tirek.core.errors import Forbidden
from tirek.core.models import AuditEvent
from tirek.directory.models import Place
from tirek.mechanisms.calendars import (
    DayInput,
    calendar_day_delete,
    calendar_day_save,
    calendar_export,
    calendar_file_read,
    calendar_import,
    calendar_save,
    working_week_for,
)
from tirek.mechanisms.demo import KAZ_CALENDAR
from tirek.mechanisms.models import CalendarDay, ChecklistItem, WorkingCalendar
from tirek.mechanisms.rules import WorkingWeek, deadline_add
from tirek.mechanisms.tests.support import _step, mechanism_in_force, to_first_assistance
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build
from tirek.testing.personas import Personas
from tirek.web.tests.support import SecureClient

WORKING = "working_days"
ALMATY = datetime.timezone(datetime.timedelta(hours=5))


def at(day: str, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.fromisoformat(day).replace(hour=hour, tzinfo=ALMATY)


# --- the rule --------------------------------------------------------------------------------


def test_working_days_skip_the_weekend_and_days_off() -> None:
    week = WorkingWeek(days_off=frozenset({datetime.date(2026, 3, 23), datetime.date(2026, 3, 24)}))
    # Friday 20 March + 1 working day: Saturday, Sunday, two days off -> Wednesday 25 March.
    assert deadline_add(at("2026-03-20"), 1, WORKING, week) == at("2026-03-25")
    assert deadline_add(at("2026-03-20"), 1, WORKING) == at("2026-03-23")


def test_a_moved_working_day_counts_and_the_weekend_is_configurable() -> None:
    saturday = datetime.date(2026, 1, 3)
    week = WorkingWeek(working=frozenset({saturday}))
    assert deadline_add(at("2026-01-02"), 1, WORKING, week) == at("2026-01-03")
    friday_saturday = WorkingWeek(weekend=frozenset({4, 5}))
    # Thursday + 1 working day when Friday and Saturday are the weekend: Sunday.
    assert deadline_add(at("2026-01-08"), 1, WORKING, friday_saturday) == at("2026-01-11")


def test_hours_and_calendar_days_ignore_the_calendar() -> None:
    week = WorkingWeek(days_off=frozenset({datetime.date(2026, 3, 21)}))
    assert deadline_add(at("2026-03-20"), 24, "hours", week) == at("2026-03-21")
    assert deadline_add(at("2026-03-20"), 1, "days", week) == at("2026-03-21")


def test_the_day_is_the_local_day() -> None:
    # 20:00 UTC on Friday is already Saturday 01:00 in Almaty: one working day is Monday.
    start = datetime.datetime(2026, 3, 6, 20, 0, tzinfo=datetime.UTC)
    assert deadline_add(start, 1, WORKING).astimezone(ALMATY).date() == datetime.date(2026, 3, 9)


# --- the calendars of a place ----------------------------------------------------------------


@pytest.fixture
def kaz(people: Personas) -> Place:
    country = Place.objects.create(
        kind=Place.Kind.COUNTRY, code="test-kaz", name_en="Kazakhstan", country_code="KAZ"
    )
    people.almaty.parent = country
    people.almaty.save(update_fields=["parent"])
    return country


@pytest.mark.django_db
def test_a_city_adds_to_its_country_and_decides_its_own_dates(
    kaz: Place, people: Personas, coordinator: Actor
) -> None:
    calendar_import(actor=coordinator, territory_id=kaz.pk, content=KAZ_CALENDAR.read_bytes())
    city_day = datetime.date(2026, 9, 15)
    calendar_day_save(
        actor=coordinator,
        territory_id=people.almaty.pk,
        data=DayInput(date=city_day, name_en="City day"),
    )
    # The city works on New Year's Day 2026 (as an example of a nearer calendar deciding).
    calendar_day_save(
        actor=coordinator,
        territory_id=people.almaty.pk,
        data=DayInput(date=datetime.date(2026, 1, 1), kind="working", name_en="Worked"),
    )
    week = working_week_for(people.almaty)
    assert city_day in week.days_off
    assert datetime.date(2026, 3, 23) in week.days_off  # Nauryz, from the country
    assert not week.is_working(datetime.date(2026, 3, 23))
    assert week.is_working(datetime.date(2026, 1, 1))
    assert week.weekend == frozenset({5, 6})
    assert not working_week_for(kaz).is_working(datetime.date(2026, 1, 1))


@pytest.mark.django_db
def test_checklist_due_times_skip_nauryz(kaz: Place, people: Personas, coordinator: Actor) -> None:
    calendar_import(actor=coordinator, territory_id=kaz.pk, content=KAZ_CALENDAR.read_bytes())
    mechanism_in_force(
        coordinator,
        people,
        [
            _step(
                "embassy",
                "first_assistance",
                deadline_value=3,
                deadline_unit=WORKING,
                escalate_after=1,
            )
        ],
    )
    with time_machine.travel(at("2026-03-20"), tick=False):  # Friday before Nauryz
        case = case_build(people.aigul)
        to_first_assistance(people.aigul, case)
    item = ChecklistItem.objects.get(case=case, step__code="embassy")
    # 21-22 weekend, 23 Nauryz, 24-25 carried over; 26, 27, 30 March are the working days.
    assert item.due_at == at("2026-03-30")
    assert item.escalate_at == at("2026-03-31")


def test_the_demo_file_lists_kazakhstan_holidays() -> None:
    document = calendar_file_read(KAZ_CALENDAR.read_bytes(), KAZ_CALENDAR.name)
    dates = {d.date for d in document.days}
    for day in ("2026-01-01", "2026-03-23", "2026-12-16", "2027-01-07", "2027-10-25"):
        assert datetime.date.fromisoformat(day) in dates
    assert all(d.name_kk and d.name_ru and d.name_en for d in document.days)
    assert document.weekend_days == [5, 6]
    assert "working" in (document.note or "")


# --- keeping a calendar ----------------------------------------------------------------------


@pytest.mark.django_db
def test_only_coordinators_and_administrators_keep_calendars(
    people: Personas, coordinator: Actor
) -> None:
    with pytest.raises(Forbidden):
        calendar_save(actor=people.aigul, territory_id=people.almaty.pk, weekend_days=[5, 6])
    with pytest.raises(Forbidden):
        calendar_save(actor=people.agency_admin, territory_id=people.almaty.pk, weekend_days=[5, 6])
    calendar = calendar_save(
        actor=people.system_admin, territory_id=people.almaty.pk, weekend_days=[6]
    )
    assert calendar.weekend_days == [6]
    before = AuditEvent.objects.count()
    calendar_save(
        actor=coordinator,
        territory_id=people.almaty.pk,
        weekend_days=[4, 5],
        expected_version=calendar.version,
    )
    event = AuditEvent.objects.order_by("-seq").first()
    assert AuditEvent.objects.count() == before + 1
    assert event is not None and event.action == "working_calendar.updated"


@pytest.mark.django_db
def test_bad_input_is_refused_with_reasons(people: Personas, coordinator: Actor) -> None:
    with pytest.raises(ValidationError) as refused:
        calendar_save(actor=coordinator, territory_id=people.almaty.pk, weekend_days=[7])
    assert "weekend_days" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        calendar_day_save(
            actor=coordinator, territory_id=people.almaty.pk, data=DayInput(date=None)
        )
    assert set(refused.value.message_dict) == {"date", "name_en"}
    assert not WorkingCalendar.objects.exists()


@pytest.mark.django_db
def test_a_bad_file_names_its_rows_and_writes_nothing(people: Personas, coordinator: Actor) -> None:
    content = (
        b"date,kind,name_en,name_ru,name_kk\n"
        b"2026-05-01,holiday,Unity Day,,\n"
        b"31.02.2026,holiday,Nonsense,,\n"
        b"2026-05-07,vacation,,,\n"
    )
    with pytest.raises(ValidationError) as refused:
        calendar_import(actor=coordinator, territory_id=people.almaty.pk, content=content)
    problems = " ".join(refused.value.message_dict["file"])
    assert "Day 2:" in problems and "Day 3:" in problems and "Day 1:" not in problems
    assert not CalendarDay.objects.exists()
    for bad in (b"\xff\xfe", b"{not json", b'{"format": "other"}', b"when,what\n1,2\n"):
        with pytest.raises(ValidationError):
            calendar_import(actor=coordinator, territory_id=people.almaty.pk, content=bad)


@pytest.mark.django_db
def test_export_and_import_round_trip(people: Personas, coordinator: Actor) -> None:
    calendar = calendar_import(
        actor=coordinator,
        territory_id=people.almaty.pk,
        content="date,name_ru\n16.12.2026,День Независимости\n".encode(),
        filename="days.csv",
    )
    exported = calendar_export(calendar)
    assert exported["days"][0]["date"] == "2026-12-16"
    day = CalendarDay.objects.get()
    calendar_day_delete(actor=coordinator, day_id=day.pk)
    assert not CalendarDay.objects.exists()
    calendar_import(
        actor=coordinator,
        territory_id=people.almaty.pk,
        content=json.dumps(exported).encode(),
    )
    assert CalendarDay.objects.get().name_ru == "День Независимости"


# --- web and API -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_coordinator_adds_a_day_in_the_page(people: Personas, coordinator: Actor) -> None:
    client = SecureClient()
    client.force_login(coordinator.user)
    response = client.post(
        reverse("mechanisms:calendars"), {"territory": people.almaty.pk, "weekend_days": [5, 6]}
    )
    assert response.status_code == 302
    url = reverse("mechanisms:calendar_day_add", args=[people.almaty.pk])
    bad = client.post(url, {"date": "04/12/2026", "kind": "holiday"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 422
    assert 'id="calendar"' in bad.content.decode()
    good = client.post(
        url,
        {"date": "25.12.2026", "kind": "holiday", "name_kk": "Қала күні"},
        HTTP_HX_REQUEST="true",
    )
    assert good.status_code == 200
    assert "25.12.2026" in good.content.decode()
    reader = SecureClient()
    reader.force_login(people.aigul.user)
    page = reader.get(reverse("mechanisms:calendar", args=[people.almaty.pk])).content.decode()
    assert "25.12.2026" in page and "Save the day" not in page
    refused = reader.post(url, {"date": "26.12.2026", "name_en": "x"})
    assert refused.status_code == 403
    assert CalendarDay.objects.count() == 1


def csv_post(api: ApiClient, path: str, body: bytes) -> Any:
    return api.client.post(
        "/api/v1" + path,
        data=body,
        content_type="text/csv",
        secure=True,
        HTTP_AUTHORIZATION=f"Bearer {api.secret}",
        HTTP_ACCEPT_LANGUAGE="en",
    )


@pytest.mark.django_db
def test_the_api_keeps_a_calendar(people: Personas, coordinator: Actor) -> None:
    api = ApiClient(coordinator)
    territory = people.almaty.pk
    assert api.put(f"/calendars/{territory}", {"weekend_days": [5, 6]}).status_code == 200
    created = api.post(
        f"/calendars/{territory}/days", {"date": "2026-07-06", "name_en": "Capital Day"}
    )
    assert created.status_code == 201
    day_id = created.json()["days"][0]["id"]
    imported = csv_post(api, f"/calendars/{territory}/import", b"date,name_en\n2026-12-16,Ind\n")
    assert imported.status_code == 200
    assert len(imported.json()["days"]) == 2
    bad = csv_post(api, f"/calendars/{territory}/import", b"date\nyesterday\n")
    assert bad.status_code == 400 and "Day 1" in bad.content.decode()
    assert (
        ApiClient(people.aigul).delete(f"/calendars/{territory}/days/{day_id}").status_code == 403
    )
    assert api.delete(f"/calendars/{territory}/days/{day_id}").status_code == 204
    read = ApiClient(people.aigul).get(f"/calendars/{territory}").json()
    assert [d["date"] for d in read["days"]] == ["2026-12-16"]
    assert ApiClient(people.aigul).get("/calendars/999999").status_code == 404
