"""The mechanism file: JSON, format ``tirek-mechanism`` version 1 (docs/mechanisms.md).

``mechanism_export`` writes it, ``document_read`` reads and checks it, ``JSON_SCHEMA`` describes
it for other tools (served at /api/v1/mechanisms/schema). Agencies are named by their exact name,
places and services by their codes, so a file moves between installations that share reference
data; a name that is not found is reported, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tirek.accounts.models import Agency
from tirek.cases.choices import TypeOfExploitation
from tirek.directory.models import Place, ServiceType
from tirek.mechanisms.models import Mechanism, MechanismStage, Step
from tirek.mechanisms.rules import (
    CODE_MAX,
    DEADLINE_MAX,
    NAME_MAX,
    REFLECTION_DAYS_MAX,
    REFLECTION_DAYS_MIN,
    StepInput,
    reflection_days_problems,
    step_problems,
)

FORMAT = "tirek-mechanism"
FORMAT_VERSION = 1
MAX_STEPS = 500


def _step_out(step: Step) -> dict[str, Any]:
    responsible: dict[str, str] = (
        {"agency": step.agency.name} if step.agency else {"agency_type": step.agency_type}
    )
    out: dict[str, Any] = {
        "code": step.code,
        "stage": step.stage,
        "title": {k: getattr(step, f"name_{k}") for k in ("en", "ru", "kk")},
        "action": step.action,
        "responsible": responsible,
        "service": step.service_type.code if step.service_type else None,
        "deadline": None,
        "applies_to": {
            "age": step.age_group,
            "citizenship": step.citizenship,
            "exploitation": list(step.exploitation),
        },
    }
    if step.deadline_value is not None:
        out["deadline"] = {
            "value": step.deadline_value,
            "unit": step.deadline_unit,
            "from": step.counted_from,
            "escalate_after": step.escalate_after,
        }
    return out


def mechanism_export(mechanism: Mechanism, steps: list[Step]) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "territory": mechanism.territory.code,
        "title": mechanism.title,
        "note": mechanism.note,
        "deadlines_illustrative": mechanism.deadlines_illustrative,
        "reflection_days": mechanism.reflection_days,
        "exported_from": {"version": mechanism.number, "status": mechanism.status},
        "steps": [_step_out(step) for step in steps],
    }


def _enum(values: list[str]) -> dict[str, Any]:
    return {"type": "string", "enum": values}


_TITLE = {"type": "string", "maxLength": NAME_MAX}
JSON_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://tirek.example/schemas/mechanism-1.json",
    "title": "Tirek referral mechanism",
    "type": "object",
    "required": ["format", "format_version", "territory", "title", "steps"],
    "properties": {
        "format": {"const": FORMAT},
        "format_version": {"const": FORMAT_VERSION},
        "territory": {"type": "string", "description": "Code of a place (directory)"},
        "title": {"type": "string", "minLength": 1, "maxLength": NAME_MAX},
        "note": {"type": "string", "maxLength": 4000},
        "deadlines_illustrative": {"type": "boolean"},
        "reflection_days": {
            "type": ["integer", "null"],
            "minimum": REFLECTION_DAYS_MIN,
            "maximum": REFLECTION_DAYS_MAX,
            "description": "Length of a case's reflection and recovery period; null: 30 days",
        },
        "exported_from": {"type": "object"},
        "steps": {
            "type": "array",
            "maxItems": MAX_STEPS,
            "items": {
                "type": "object",
                "required": ["code", "stage", "title", "action", "responsible"],
                "additionalProperties": False,
                "properties": {
                    "code": {
                        "type": "string",
                        "pattern": "^[A-Za-z0-9_-]+$",
                        "maxLength": CODE_MAX,
                    },
                    "stage": _enum(list(MechanismStage.values)),
                    "title": {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {"en": _TITLE, "ru": _TITLE, "kk": _TITLE},
                    },
                    "action": _enum(list(Step.Action.values)),
                    "responsible": {
                        "oneOf": [
                            {
                                "type": "object",
                                "required": ["agency_type"],
                                "additionalProperties": False,
                                "properties": {"agency_type": _enum(list(Agency.Type.values))},
                            },
                            {
                                "type": "object",
                                "required": ["agency"],
                                "additionalProperties": False,
                                "properties": {"agency": {"type": "string"}},
                            },
                        ]
                    },
                    "service": {"type": ["string", "null"], "description": "Service type code"},
                    "deadline": {
                        "type": ["object", "null"],
                        "required": ["value", "unit"],
                        "additionalProperties": False,
                        "properties": {
                            "value": {"type": "integer", "minimum": 1, "maximum": DEADLINE_MAX},
                            "unit": _enum(list(Step.Unit.values)),
                            "from": _enum(list(Step.CountedFrom.values)),
                            "escalate_after": {
                                "type": ["integer", "null"],
                                "minimum": 1,
                                "maximum": DEADLINE_MAX,
                            },
                        },
                    },
                    "applies_to": {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {
                            "age": _enum(list(Step.AgeGroup.values)),
                            "citizenship": _enum(list(Step.Citizenship.values)),
                            "exploitation": {
                                "type": "array",
                                "items": _enum(list(TypeOfExploitation.values)),
                            },
                        },
                    },
                },
            },
        },
    },
}


@dataclass
class ParsedMechanism:
    territory: Place
    title: str
    note: str
    deadlines_illustrative: bool
    reflection_days: int | None
    steps: list[tuple[StepInput, Agency | None, ServiceType | None]]


class _Problems:
    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.messages.append(f"{where}: {message}" if where else message)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _int_or_none(value: Any, where: str, problems: _Problems) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        problems.add(where, _("a whole number is expected."))
        return None
    return int(value)


def _step_read(
    raw: Any,
    where: str,
    problems: _Problems,
    agencies: dict[str, Agency],
    services: dict[str, ServiceType],
) -> tuple[StepInput, Agency | None, ServiceType | None] | None:
    if not isinstance(raw, dict):
        problems.add(where, _("a step is an object with named fields."))
        return None
    unknown = set(raw) - set(JSON_SCHEMA["properties"]["steps"]["items"]["properties"])
    if unknown:
        problems.add(where, _("unknown fields: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    title = _object(raw.get("title"))
    responsible = _object(raw.get("responsible"))
    agency = None
    agency_name = _text(responsible.get("agency"))
    if agency_name:
        agency = agencies.get(agency_name)
        if agency is None:
            problems.add(
                f"{where}.responsible.agency",
                _("no agency named “%(name)s” here.") % {"name": agency_name[:100]},
            )
    service = None
    service_code = raw.get("service")
    if service_code is not None:
        service = services.get(_text(service_code))
        if service is None:
            problems.add(
                f"{where}.service",
                _("no service with the code “%(code)s”.") % {"code": str(service_code)[:64]},
            )
    deadline = raw.get("deadline")
    if deadline is not None and not isinstance(deadline, dict):
        problems.add(f"{where}.deadline", _("an object with value and unit is expected."))
        deadline = None
    deadline = _object(deadline)
    applies = _object(raw.get("applies_to"))
    exploitation = applies.get("exploitation", [])
    if not isinstance(exploitation, list) or not all(isinstance(e, str) for e in exploitation):
        problems.add(f"{where}.applies_to.exploitation", _("a list of codes is expected."))
        exploitation = []
    data = StepInput(
        code=_text(raw.get("code")),
        stage=_text(raw.get("stage")),
        name_en=_text(title.get("en")),
        name_ru=_text(title.get("ru")),
        name_kk=_text(title.get("kk")),
        action=_text(raw.get("action")),
        agency_type="" if agency_name else _text(responsible.get("agency_type")),
        agency_id=agency.pk if agency else None,
        deadline_value=_int_or_none(deadline.get("value"), f"{where}.deadline.value", problems),
        deadline_unit=_text(deadline.get("unit", Step.Unit.HOURS)),
        counted_from=_text(deadline.get("from", Step.CountedFrom.STAGE_ENTERED)),
        escalate_after=_int_or_none(
            deadline.get("escalate_after"), f"{where}.deadline.escalate_after", problems
        ),
        age_group=_text(applies.get("age", Step.AgeGroup.ANY)),
        citizenship=_text(applies.get("citizenship", Step.Citizenship.ANY)),
        exploitation=tuple(exploitation),
    )
    errors = step_problems(data)
    if agency_name:
        errors.pop("agency_type", None)  # the named agency was reported above if unknown
    for name, messages in errors.items():
        for message in messages:
            problems.add(f"{where} ({name})", message)
    return data, agency, service


def document_read(document: Any) -> ParsedMechanism:
    """Check a decoded mechanism file; raise ValidationError({"file": [...]}) listing every
    problem with where it is (``steps[3].deadline.unit: ...``)."""
    problems = _Problems()
    if not isinstance(document, dict):
        raise ValidationError({"file": [_("The file must hold one JSON object.")]})
    if document.get("format") != FORMAT or document.get("format_version") != FORMAT_VERSION:
        raise ValidationError(
            {"file": [_("This is not a Tirek mechanism file (format tirek-mechanism, version 1).")]}
        )
    territory = Place.objects.filter(code=_text(document.get("territory"))).first()
    if territory is None:
        problems.add("territory", _("no place with this code."))
    title = _text(document.get("title")).strip()
    if not title or len(title) > NAME_MAX:
        problems.add("title", _("a title of 1-200 characters is required."))
    note = _text(document.get("note"))
    reflection_days = document.get("reflection_days")
    if reflection_days is not None and (
        not isinstance(reflection_days, int)
        or isinstance(reflection_days, bool)
        or reflection_days_problems(reflection_days)
    ):
        problems.add("reflection_days", _("a whole number of days from 30 to 365, or null."))
        reflection_days = None
    raw_steps = document.get("steps")
    if not isinstance(raw_steps, list):
        problems.add("steps", _("a list of steps is required."))
        raw_steps = []
    if len(raw_steps) > MAX_STEPS:
        problems.add("steps", _("at most 500 steps."))
        raw_steps = []
    agencies = {a.name: a for a in Agency.objects.filter(is_active=True)}
    services = {s.code: s for s in ServiceType.objects.all()}
    steps = []
    codes: set[str] = set()
    for index, raw in enumerate(raw_steps, start=1):
        read = _step_read(raw, f"steps[{index}]", problems, agencies, services)
        if read is None:
            continue
        if read[0].code in codes:
            problems.add(f"steps[{index}]", _("the code is used by an earlier step."))
        codes.add(read[0].code)
        steps.append(read)
    if problems.messages:
        raise ValidationError({"file": problems.messages})
    assert territory is not None  # noqa: S101
    return ParsedMechanism(
        territory=territory,
        title=title,
        note=note[:4000],
        deadlines_illustrative=document.get("deadlines_illustrative") is True,
        reflection_days=reflection_days,
        steps=steps,
    )
