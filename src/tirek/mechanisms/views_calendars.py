"""Web pages of working calendars: the list, one territory's weekend and days, adding and
removing a day, importing a CSV or JSON file, exporting the calendar as JSON."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tirek.accounts.actor import Actor
from tirek.accounts.views import actor_view
from tirek.core.errors import ConcurrentUpdate, NotFound
from tirek.core.forms import service_errors_apply
from tirek.core.views import FORM_INVALID, is_htmx
from tirek.mechanisms import policy
from tirek.mechanisms.calendars import (
    DEFAULT_WEEKEND,
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
from tirek.mechanisms.forms import CalendarDayForm, CalendarForm, CalendarImportForm
from tirek.mechanisms.models import WEEKDAYS, WorkingCalendar


def _require_editor(actor: Actor) -> None:
    if not policy.can_edit_calendars(actor):
        raise PermissionDenied(_("Only coordinators and administrators change working calendars."))


def weekend_label(calendar: WorkingCalendar) -> str:
    names = dict(WEEKDAYS)
    return ", ".join(str(names[d]) for d in sorted(calendar.weekend_days)) or _("none")


def _years(calendar: WorkingCalendar) -> list[dict[str, Any]]:
    years: dict[int, list[Any]] = {}
    for day in calendar_days(calendar):
        years.setdefault(day.date.year, []).append(day)
    return [{"year": y, "days": days} for y, days in sorted(years.items())]


def _context(
    actor: Actor,
    calendar: WorkingCalendar,
    *,
    calendar_form: CalendarForm | None = None,
    day_form: CalendarDayForm | None = None,
    import_form: CalendarImportForm | None = None,
) -> dict[str, Any]:
    editable = policy.can_edit_calendars(actor)
    return {
        "calendar": calendar,
        "weekend": weekend_label(calendar),
        "years": _years(calendar),
        "editable": editable,
        "calendar_form": calendar_form
        or CalendarForm(
            initial={
                "weekend_days": calendar.weekend_days,
                "note": calendar.note,
                "version": calendar.version,
            }
        ),
        "day_form": day_form or CalendarDayForm(),
        "import_form": import_form or CalendarImportForm(),
    }


def _respond(
    request: HttpRequest, actor: Actor, territory_id: int, status: int = 200, **forms: Any
) -> HttpResponse:
    context = _context(actor, calendar_get(territory_id), **forms)
    template = "mechanisms/_calendar.html" if is_htmx(request) else "mechanisms/calendar.html"
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
@actor_view()
def calendar_list_view(request: HttpRequest, actor: Actor) -> HttpResponse:
    form = CalendarForm(request.POST or None, initial={"weekend_days": list(DEFAULT_WEEKEND)})
    status = 200
    if request.method == "POST":
        _require_editor(actor)
        if form.is_valid():
            data = form.cleaned_data
            try:
                calendar = calendar_save(
                    actor=actor,
                    territory_id=data["territory"].pk if data["territory"] else None,
                    weekend_days=data["weekend_days"],
                    note=data["note"],
                )
            except ValidationError as error:
                service_errors_apply(error, form)
            else:
                messages.success(request, _("The calendar is saved. Add its days off."))
                return redirect("mechanisms:calendar", calendar.territory_id)
        status = FORM_INVALID
    rows = [{"calendar": c, "weekend": weekend_label(c)} for c in calendars_list()]
    return render(
        request,
        "mechanisms/calendars.html",
        {"rows": rows, "form": form, "editable": policy.can_edit_calendars(actor)},
        status=status,
    )


@require_GET
@actor_view()
def calendar_view(request: HttpRequest, actor: Actor, territory_id: int) -> HttpResponse:
    return _respond(request, actor, territory_id)


@require_POST
@actor_view()
def calendar_update_view(request: HttpRequest, actor: Actor, territory_id: int) -> HttpResponse:
    _require_editor(actor)
    calendar = calendar_get(territory_id)
    form = CalendarForm(request.POST)
    if form.is_valid():
        try:
            calendar_save(
                actor=actor,
                territory_id=calendar.territory_id,
                weekend_days=form.cleaned_data["weekend_days"],
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            service_errors_apply(error, form)
        except ConcurrentUpdate as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Saved."))
            return _after_change(request, actor, territory_id)
    return _respond(request, actor, territory_id, FORM_INVALID, calendar_form=form)


def _after_change(request: HttpRequest, actor: Actor, territory_id: int) -> HttpResponse:
    if is_htmx(request):
        return _respond(request, actor, territory_id)
    return redirect("mechanisms:calendar", territory_id)


@require_POST
@actor_view()
def calendar_day_add_view(request: HttpRequest, actor: Actor, territory_id: int) -> HttpResponse:
    _require_editor(actor)
    calendar = calendar_get(territory_id)
    form = CalendarDayForm(request.POST)
    if form.is_valid():
        try:
            calendar_day_save(
                actor=actor,
                territory_id=calendar.territory_id,
                data=DayInput(**form.cleaned_data),
            )
        except ValidationError as error:
            service_errors_apply(error, form)
        else:
            messages.success(request, _("The day is saved."))
            return _after_change(request, actor, territory_id)
    return _respond(request, actor, territory_id, FORM_INVALID, day_form=form)


@require_POST
@actor_view()
def calendar_day_delete_view(
    request: HttpRequest, actor: Actor, territory_id: int, day_id: str
) -> HttpResponse:
    _require_editor(actor)
    calendar = calendar_get(territory_id)
    if not calendar.days.filter(pk=day_id).exists():
        raise NotFound()
    calendar_day_delete(actor=actor, day_id=day_id)
    messages.success(request, _("The day is removed."))
    return _after_change(request, actor, territory_id)


@require_POST
@actor_view()
def calendar_import_view(request: HttpRequest, actor: Actor, territory_id: int) -> HttpResponse:
    _require_editor(actor)
    calendar = calendar_get(territory_id)
    form = CalendarImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            calendar_import(
                actor=actor,
                territory_id=calendar.territory_id,
                content=upload.read(),
                filename=upload.name or "",
            )
        except ValidationError as error:
            for message in error.message_dict.get("file", error.messages):
                form.add_error("file", message)
        else:
            messages.success(request, _("The file is imported."))
            return _after_change(request, actor, territory_id)
    return _respond(request, actor, territory_id, FORM_INVALID, import_form=form)


@require_GET
@actor_view()
def calendar_export_view(request: HttpRequest, actor: Actor, territory_id: int) -> HttpResponse:
    calendar = calendar_get(territory_id)
    response = HttpResponse(
        json.dumps(calendar_export(calendar), ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="calendar-{calendar.territory.code}.json"'
    )
    return response
