"""Working calendars: the weekend and the public holidays that deadlines in working days skip.

A calendar belongs to a place (usually a country; a region or city may add holidays of its own).
A mechanism's deadlines count working days on the calendars of its territory and of every place
above it: the days off and moved working days of all of them, the weekend of the nearest one
that has a calendar (Saturday and Sunday when none has). Coordinators and reference-data
administrators keep calendars, by hand or from a CSV or JSON file; everyone reads them. Each
write is one transaction with one audit row.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.accounts.actor import Actor
from tirek.core.audit import audit_record
from tirek.core.errors import ConcurrentUpdate, NotFound
from tirek.directory.models import Place
from tirek.mechanisms import policy
from tirek.mechanisms.models import CalendarDay, WorkingCalendar
from tirek.mechanisms.rules import NAME_MAX, WorkingWeek

NOTE_MAX = 4000
MAX_DAYS = 2000
MAX_FILE_BYTES = 512 * 1024
DEFAULT_WEEKEND = (5, 6)
FILE_FORMAT = "tirek-working-calendar"
CSV_COLUMNS = ("date", "kind", "name_en", "name_ru", "name_kk")


# --- reading ---------------------------------------------------------------------------------


def _places_up(place: Place) -> list[Place]:
    """``place`` and the places above it, nearest first."""
    chain: list[Place] = []
    current: Place | None = place
    while current is not None and len(chain) < 10:
        chain.append(current)
        current = current.parent
    return chain


def working_week_for(place: Place | None, *, since: datetime.date | None = None) -> WorkingWeek:
    """The working week deadlines of ``place`` count on: the days off and moved working days of
    its calendar and of the calendars above it (a nearer calendar decides a date both name), the
    weekend of the nearest calendar."""
    if place is None:
        return WorkingWeek()
    chain = _places_up(place)
    calendars = {c.territory_id: c for c in WorkingCalendar.objects.filter(territory__in=chain)}
    ordered = [calendars[p.pk] for p in chain if p.pk in calendars]
    if not ordered:
        return WorkingWeek()
    days = CalendarDay.objects.filter(calendar__in=ordered)
    if since is not None:
        days = days.filter(date__gte=since - datetime.timedelta(days=1))
    nearness = {c.pk: i for i, c in enumerate(ordered)}
    decided: dict[datetime.date, tuple[int, str]] = {}
    for calendar_id, date, kind in days.values_list("calendar_id", "date", "kind"):
        rank = nearness[calendar_id]
        if date not in decided or rank < decided[date][0]:
            decided[date] = (rank, kind)
    return WorkingWeek(
        weekend=frozenset(ordered[0].weekend_days),
        days_off=frozenset(d for d, (_r, k) in decided.items() if k == CalendarDay.Kind.HOLIDAY),
        working=frozenset(d for d, (_r, k) in decided.items() if k == CalendarDay.Kind.WORKING),
    )


def calendars_list() -> QuerySet[WorkingCalendar]:
    return WorkingCalendar.objects.select_related("territory").order_by(
        "territory__kind", "territory__name_en"
    )


def calendar_get(territory_id: int) -> WorkingCalendar:
    calendar = (
        WorkingCalendar.objects.select_related("territory").filter(territory_id=territory_id)
    ).first()
    if calendar is None:
        raise NotFound()
    return calendar


def calendar_days(calendar: WorkingCalendar) -> list[CalendarDay]:
    return list(calendar.days.order_by("date"))


def calendar_export(calendar: WorkingCalendar) -> dict[str, Any]:
    """The calendar as the JSON file ``calendar_import`` reads."""
    return {
        "format": FILE_FORMAT,
        "territory": calendar.territory.code,
        "weekend_days": sorted(calendar.weekend_days),
        "note": calendar.note,
        "days": [
            {
                "date": day.date.isoformat(),
                "kind": day.kind,
                "name_en": day.name_en,
                "name_ru": day.name_ru,
                "name_kk": day.name_kk,
            }
            for day in calendar_days(calendar)
        ],
    }


# --- checking input --------------------------------------------------------------------------


@dataclass(frozen=True)
class DayInput:
    date: datetime.date | None
    kind: str = CalendarDay.Kind.HOLIDAY
    name_en: str = ""
    name_ru: str = ""
    name_kk: str = ""


def weekend_problems(weekend_days: list[int]) -> dict[str, list[str]]:
    if any(not isinstance(d, int) or isinstance(d, bool) or not 0 <= d <= 6 for d in weekend_days):
        return {"weekend_days": [_("Weekend days are 0 (Monday) to 6 (Sunday).")]}
    if len(set(weekend_days)) > 6:
        return {"weekend_days": [_("At least one day of the week must be a working day.")]}
    return {}


def day_problems(data: DayInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if data.date is None:
        errors["date"] = [_("Give the date as dd.mm.yyyy or yyyy-mm-dd.")]
    if data.kind not in CalendarDay.Kind.values:
        errors["kind"] = [_("Choose a day off or a working day.")]
    if not (data.name_en.strip() or data.name_ru.strip() or data.name_kk.strip()):
        errors["name_en"] = [_("Name the day in at least one language.")]
    for name in ("name_en", "name_ru", "name_kk"):
        if len(getattr(data, name)) > NAME_MAX:
            errors.setdefault(name, []).append(_("The name is too long (200 characters at most)."))
    return errors


def _date(value: object) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a date)
        except ValueError:
            continue
    return None


@dataclass(frozen=True)
class CalendarFile:
    weekend_days: list[int] | None
    note: str | None
    days: list[DayInput]


def _file_error(message: str) -> ValidationError:
    return ValidationError({"file": [message]})


def calendar_file_read(content: bytes, filename: str = "") -> CalendarFile:
    """Read a calendar file: JSON (``calendar_export``'s shape, or a bare list of days) or CSV with
    the header ``date,kind,name_en,name_ru,name_kk`` (``kind`` and the names but one may be left
    empty). Every problem is reported with its row; nothing is returned half-read."""
    if len(content) > MAX_FILE_BYTES:
        raise _file_error(_("The file is too large (512 KB at most)."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _file_error(_("The file is not UTF-8 text.")) from None
    weekend: list[int] | None = None
    note: str | None = None
    rows: list[dict[str, Any]]
    if filename.lower().endswith(".json") or text.lstrip().startswith(("{", "[")):
        try:
            document = json.loads(text)
        except ValueError:
            raise _file_error(_("The file is not valid JSON.")) from None
        if isinstance(document, dict):
            if document.get("format", FILE_FORMAT) != FILE_FORMAT:
                raise _file_error(_("This is not a working calendar file."))
            raw_weekend = document.get("weekend_days")
            if raw_weekend is not None:
                if not isinstance(raw_weekend, list) or weekend_problems(raw_weekend):
                    raise _file_error(_("Weekend days are 0 (Monday) to 6 (Sunday)."))
                weekend = raw_weekend
            raw_note = document.get("note")
            if raw_note is not None and (not isinstance(raw_note, str) or len(raw_note) > NOTE_MAX):
                raise _file_error(_("The note is too long (4000 characters at most)."))
            note = raw_note
            rows = document.get("days", [])
        else:
            rows = document
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise _file_error(_("The days must be a list of objects with a date and a name."))
    else:
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames or "date" not in reader.fieldnames:
            raise _file_error(
                _("The first line must name the columns: %(columns)s.")
                % {"columns": ",".join(CSV_COLUMNS)}
            )
        rows = list(reader)
    if len(rows) > MAX_DAYS:
        raise _file_error(_("The file has too many days (2000 at most)."))
    problems: list[str] = []
    days: list[DayInput] = []
    seen: set[datetime.date] = set()
    for number, row in enumerate(rows, start=1):
        data = DayInput(
            date=_date(row.get("date")),
            kind=str(row.get("kind") or CalendarDay.Kind.HOLIDAY).strip(),
            name_en=str(row.get("name_en") or ""),
            name_ru=str(row.get("name_ru") or ""),
            name_kk=str(row.get("name_kk") or ""),
        )
        errors = day_problems(data)
        if data.date is not None and data.date in seen:
            errors.setdefault("date", []).append(_("This date is listed twice."))
        for messages in errors.values():
            problems.extend(
                _("Day %(number)d: %(problem)s") % {"number": number, "problem": m}
                for m in messages
            )
        if data.date is not None:
            seen.add(data.date)
        days.append(data)
    if problems:
        raise ValidationError({"file": problems[:50]})
    return CalendarFile(weekend_days=weekend, note=note, days=days)


# --- writing ---------------------------------------------------------------------------------


def _audit(actor: Actor, action: str, calendar: WorkingCalendar, **data: Any) -> None:
    audit_record(
        action=f"working_calendar.{action}",
        user_id=actor.user.pk,
        agency_id=actor.agency.pk,
        object_type="working_calendar",
        object_id=calendar.pk,
        data={"territory": calendar.territory.code} | data,
    )


def _territory(territory_id: int | str | None) -> Place:
    place = Place.objects.filter(pk=territory_id).first() if territory_id else None
    if place is None:
        raise ValidationError({"territory": [_("Choose a territory from the list.")]})
    return place


def _calendar_locked(territory: Place) -> tuple[WorkingCalendar, bool]:
    """The territory's calendar, locked; made (Saturday and Sunday off) when it has none."""
    calendar = WorkingCalendar.objects.select_for_update().filter(territory=territory).first()
    if calendar is not None:
        return calendar, False
    calendar, created = WorkingCalendar.objects.get_or_create(
        territory=territory, defaults={"weekend_days": list(DEFAULT_WEEKEND)}
    )
    return calendar, created


def _touch(calendar: WorkingCalendar) -> None:
    WorkingCalendar.objects.filter(pk=calendar.pk).update(
        version=calendar.version + 1, updated_at=timezone.now()
    )
    calendar.version += 1


@transaction.atomic
def calendar_save(
    *,
    actor: Actor,
    territory_id: int | str | None,
    weekend_days: list[int],
    note: str = "",
    expected_version: int | None = None,
) -> WorkingCalendar:
    """Make a territory's calendar or change its weekend and note."""
    policy.require_calendar_edit(actor)
    territory = _territory(territory_id)
    errors = weekend_problems(weekend_days)
    if len(note) > NOTE_MAX:
        errors["note"] = [_("The note is too long (4000 characters at most).")]
    if errors:
        raise ValidationError(errors)
    calendar, created = _calendar_locked(territory)
    if not created and expected_version is not None and calendar.version != expected_version:
        raise ConcurrentUpdate(
            _("Someone changed this calendar while you were editing. Reload and try again.")
        )
    calendar.weekend_days = sorted(set(weekend_days))
    calendar.note = note.strip()
    calendar.save(update_fields=["weekend_days", "note", "updated_at"])
    if not created:
        _touch(calendar)
    _audit(
        actor,
        "created" if created else "updated",
        calendar,
        weekend_days=calendar.weekend_days,
    )
    return calendar


def _day_apply(calendar: WorkingCalendar, data: DayInput) -> CalendarDay:
    assert data.date is not None  # noqa: S101 (checked by day_problems)
    day, _created = CalendarDay.objects.update_or_create(
        calendar=calendar,
        date=data.date,
        defaults={
            "kind": data.kind,
            "name_en": data.name_en.strip(),
            "name_ru": data.name_ru.strip(),
            "name_kk": data.name_kk.strip(),
        },
    )
    return day


@transaction.atomic
def calendar_day_save(
    *, actor: Actor, territory_id: int | str | None, data: DayInput
) -> CalendarDay:
    """Add a day off or a moved working day to a territory's calendar, or change the entry of
    that date (making the calendar when the territory has none)."""
    policy.require_calendar_edit(actor)
    territory = _territory(territory_id)
    errors = day_problems(data)
    if errors:
        raise ValidationError(errors)
    calendar, _created = _calendar_locked(territory)
    day = _day_apply(calendar, data)
    _touch(calendar)
    assert data.date is not None  # noqa: S101
    _audit(actor, "day_saved", calendar, date=data.date.isoformat(), kind=data.kind)
    return day


@transaction.atomic
def calendar_day_delete(*, actor: Actor, day_id: UUID | str) -> None:
    policy.require_calendar_edit(actor)
    day = CalendarDay.objects.select_related("calendar__territory").filter(pk=day_id).first()
    if day is None:
        raise NotFound()
    calendar = WorkingCalendar.objects.select_for_update().get(pk=day.calendar_id)
    calendar.territory = day.calendar.territory
    day.delete()
    _touch(calendar)
    _audit(actor, "day_deleted", calendar, date=day.date.isoformat(), kind=day.kind)


@transaction.atomic
def calendar_import(
    *, actor: Actor, territory_id: int | str | None, content: bytes, filename: str = ""
) -> WorkingCalendar:
    """Load a file's days into a territory's calendar: a date already there takes the file's
    entry, other dates stay. The file's weekend and note, when given, replace the calendar's."""
    policy.require_calendar_edit(actor)
    territory = _territory(territory_id)
    document = calendar_file_read(content, filename)
    calendar, _created = _calendar_locked(territory)
    fields = []
    if document.weekend_days is not None:
        calendar.weekend_days = sorted(set(document.weekend_days))
        fields.append("weekend_days")
    if document.note is not None:
        calendar.note = document.note.strip()
        fields.append("note")
    if fields:
        calendar.save(update_fields=[*fields, "updated_at"])
    for data in document.days:
        _day_apply(calendar, data)
    _touch(calendar)
    _audit(actor, "imported", calendar, days=len(document.days))
    return calendar
