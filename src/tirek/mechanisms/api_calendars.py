"""API of working calendars: read by every member; kept by coordinators and reference-data
administrators (weekend, days off, moved working days, a CSV or JSON file)."""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Status

from tirek.core.api_support import InSchema, OutSchema, actor_of
from tirek.core.errors import NotFound
from tirek.mechanisms.calendars import (
    DayInput,
    calendar_day_delete,
    calendar_day_save,
    calendar_days,
    calendar_export,
    calendar_get,
    calendar_import,
    calendar_save,
    calendars_list,
)
from tirek.mechanisms.models import WorkingCalendar
from tirek.mechanisms.schemas import PlaceRef

router = Router(tags=["working calendars"])


class CalendarDayOut(OutSchema):
    id: UUID
    date: datetime.date
    kind: str
    kind_label: str
    title: str
    name_en: str
    name_ru: str
    name_kk: str


class CalendarOut(OutSchema):
    territory: PlaceRef
    weekend_days: list[int]
    note: str
    version: int
    days: list[CalendarDayOut] | None = None


class CalendarIn(InSchema):
    weekend_days: list[int] = Field(..., max_length=7, description="0 is Monday, 6 is Sunday.")
    note: str = Field("", max_length=4000)
    version: int | None = Field(None, description="The version read; a stale one is refused.")


class CalendarDayIn(InSchema):
    date: datetime.date
    kind: str = Field("holiday", max_length=16, description="holiday (a day off) or working")
    name_en: str = Field("", max_length=200)
    name_ru: str = Field("", max_length=200)
    name_kk: str = Field("", max_length=200)


def _out(calendar: WorkingCalendar, *, with_days: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "territory": calendar.territory,
        "weekend_days": sorted(calendar.weekend_days),
        "note": calendar.note,
        "version": calendar.version,
    }
    if with_days:
        out["days"] = [
            {
                "id": day.pk,
                "date": day.date,
                "kind": day.kind,
                "kind_label": day.get_kind_display(),
                "title": day.label,
                "name_en": day.name_en,
                "name_ru": day.name_ru,
                "name_kk": day.name_kk,
            }
            for day in calendar_days(calendar)
        ]
    return out


@router.get("/calendars", response=list[CalendarOut], summary="Working calendars")
def calendars(request: HttpRequest) -> list[dict[str, Any]]:
    actor_of(request)
    return [_out(c) for c in calendars_list()]


@router.get(
    "/calendars/{territory_id}",
    response=CalendarOut,
    summary="A territory's calendar: weekend, days off and moved working days",
)
def calendar(request: HttpRequest, territory_id: int) -> dict[str, Any]:
    actor_of(request)
    return _out(calendar_get(territory_id), with_days=True)


@router.get(
    "/calendars/{territory_id}/export",
    response=dict[str, Any],
    summary="A territory's calendar as the file the import reads",
)
def calendar_file(request: HttpRequest, territory_id: int) -> dict[str, Any]:
    actor_of(request)
    return calendar_export(calendar_get(territory_id))


@router.put(
    "/calendars/{territory_id}",
    response=CalendarOut,
    summary="Make a territory's calendar or change its weekend and note",
)
def calendar_put(request: HttpRequest, territory_id: int, payload: CalendarIn) -> dict[str, Any]:
    saved = calendar_save(
        actor=actor_of(request),
        territory_id=territory_id,
        weekend_days=payload.weekend_days,
        note=payload.note,
        expected_version=payload.version,
    )
    return _out(saved, with_days=True)


@router.post(
    "/calendars/{territory_id}/days",
    response={201: CalendarOut},
    summary="Add a day off or a moved working day (a date already there is changed)",
)
def calendar_day_post(
    request: HttpRequest, territory_id: int, payload: CalendarDayIn
) -> Status[dict[str, Any]]:
    day = calendar_day_save(
        actor=actor_of(request),
        territory_id=territory_id,
        data=DayInput(**payload.model_dump()),
    )
    return Status(201, _out(calendar_get(day.calendar.territory_id), with_days=True))


@router.delete(
    "/calendars/{territory_id}/days/{day_id}",
    response={204: None},
    summary="Remove a day from a calendar",
)
def calendar_day_remove(request: HttpRequest, territory_id: int, day_id: UUID) -> Status[None]:
    actor = actor_of(request)
    calendar = calendar_get(territory_id)
    if not calendar.days.filter(pk=day_id).exists():
        raise NotFound()
    calendar_day_delete(actor=actor, day_id=day_id)
    return Status(204, None)


@router.post(
    "/calendars/{territory_id}/import",
    response=CalendarOut,
    summary="Load days from a file: the body is JSON (the export's shape) or CSV "
    "(date,kind,name_en,name_ru,name_kk)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"type": "object"}},
                "text/csv": {"schema": {"type": "string"}},
            },
        }
    },
)
def calendar_import_post(request: HttpRequest, territory_id: int) -> dict[str, Any]:
    content_type = request.headers.get("Content-Type", "")
    name = "calendar.csv" if "csv" in content_type else ""
    saved = calendar_import(
        actor=actor_of(request), territory_id=territory_id, content=request.body, filename=name
    )
    return _out(saved, with_days=True)
