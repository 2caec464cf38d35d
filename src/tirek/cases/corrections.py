"""Correcting the person after registration: identity and contact, each part on its own.

Keyword-only, one transaction, one timeline event per save (``person_updated``), validation
before the first write. The old and new values are kept encrypted beside the event
(``CaseRevision``), readable by those who may see that section. Each part has its own version:
two people correcting the same part at once never overwrite each other (the second save is
refused, naming what the first changed); correcting the contact never refuses an identity fix.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tirek.accounts.actor import Actor
from tirek.cases.choices import Section
from tirek.cases.hooks import person_changed
from tirek.cases.models import Case, CaseEvent, CaseRevision, Person
from tirek.cases.policy import case_require_open
from tirek.cases.services import (
    PersonInput,
    case_event_record,
    person_validate,
)
from tirek.core.errors import ConcurrentUpdate
from tirek.core.phones import phone_normalize

if TYPE_CHECKING:
    from tirek.cases.selectors import CaseView

IDENTITY = "identity"
CONTACT = "contact"
PART_FIELDS: dict[str, tuple[str, ...]] = {
    IDENTITY: (
        "family_name",
        "first_name",
        "patronymic",
        "sex",
        "gender",
        "birth_date",
        "birth_date_precision",
        "approximate_age",
        "citizenship",
        "primary_language",
        "secondary_language",
    ),
    CONTACT: ("mobile_phone", "email", "contact_notes"),
}
PART_SECTIONS = {IDENTITY: Section.IDENTITY, CONTACT: Section.CONTACT}
FIELD_LABELS = {
    "family_name": gettext_lazy("Family name"),
    "first_name": gettext_lazy("Given name"),
    "patronymic": gettext_lazy("Patronymic"),
    "sex": gettext_lazy("Sex"),
    "gender": gettext_lazy("Gender"),
    "birth_date": gettext_lazy("Birth date"),
    "birth_date_precision": gettext_lazy("Birth date precision"),
    "approximate_age": gettext_lazy("Approximate age"),
    "citizenship": gettext_lazy("Citizenship"),
    "primary_language": gettext_lazy("Primary language"),
    "secondary_language": gettext_lazy("Secondary language"),
    "mobile_phone": gettext_lazy("Mobile phone"),
    "email": gettext_lazy("E-mail"),
    "contact_notes": gettext_lazy("Safe way to contact"),
}


class PartChanged(ConcurrentUpdate):
    """Someone saved the same part of the person since it was read; ``fields`` names what they
    changed (field codes), so the message and the API can show it."""

    def __init__(self, message: str, *, fields: list[str]) -> None:
        super().__init__(message)
        self.fields = fields


def person_input_of(person: Person) -> PersonInput:
    """The person as it is now, as the input of a correction (fields left out keep their value)."""
    return PersonInput(**{f.name: getattr(person, f.name) for f in dataclasses.fields(PersonInput)})


def part_version(person: Person, part: str) -> int:
    return int(getattr(person, f"{part}_version"))


def _normalised(part: str, data: PersonInput, person: Person) -> dict[str, Any]:
    if part == CONTACT:
        return {
            "mobile_phone": phone_normalize(data.mobile_phone),
            "email": data.email.strip(),
            "contact_notes": data.contact_notes.strip(),
        }
    return {
        "family_name": data.family_name.strip(),
        "first_name": data.first_name.strip(),
        "patronymic": data.patronymic.strip(),
        "sex": data.sex,
        "gender": data.gender,
        "birth_date": data.birth_date,
        "birth_date_precision": data.birth_date_precision,
        "approximate_age": None if data.birth_date else data.approximate_age,
        "citizenship": sorted(set(data.citizenship)),
        "primary_language": data.primary_language,
        "secondary_language": data.secondary_language,
    }


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _changed_since(person: Person, part: str, version: int) -> list[str]:
    """The fields of ``part`` that saves after ``version`` changed (codes, in field order)."""
    changed: set[str] = set()
    revisions = CaseRevision.objects.filter(
        case__person=person, part=part, part_version__gt=version
    )
    for revision in revisions:
        content = json.loads(revision.content or "{}")
        changed |= {change["field"] for change in content.get("changes", [])}
    return [name for name in PART_FIELDS[part] if name in changed]


def part_changed_message(fields: list[str]) -> str:
    if not fields:
        return _("Someone else saved these details while you were editing. Check and save again.")
    return _(
        "Someone else saved these details while you were editing; they changed: %(fields)s. "
        "The current values are shown; your changes are kept in the form: check them and save "
        "again."
    ) % {"fields": ", ".join(str(FIELD_LABELS[f]) for f in fields)}


@transaction.atomic
def person_part_update(
    *, actor: Actor, case_id: UUID | str, part: str, expected_version: int, data: PersonInput
) -> Person:
    """Correct the identity or the contact details of the person of a case (owner agency).

    ``data`` holds the whole person (``person_input_of`` for the current values); only the
    fields of ``part`` are saved. Refused with ``PartChanged`` (409) when someone saved the same
    part since ``expected_version``. The blind search index and the matching index follow.
    """
    from tirek.cases.selectors import case_for_change

    if part not in PART_FIELDS:
        raise ValidationError({"part": [_("Choose identity or contact.")]})
    case = case_for_change(actor=actor, case_id=case_id)
    case_require_open(case)
    person = Person.objects.select_for_update().get(pk=case.person_id)
    if part_version(person, part) != expected_version:
        fields = _changed_since(person, part, expected_version)
        raise PartChanged(part_changed_message(fields), fields=fields)
    merged = dataclasses.replace(
        person_input_of(person), **{name: getattr(data, name) for name in PART_FIELDS[part]}
    )
    errors = {
        name: messages
        for name, messages in person_validate(merged, today=timezone.localdate()).items()
        if name in PART_FIELDS[part]
    }
    if errors:
        raise ValidationError(errors)
    new = _normalised(part, merged, person)
    changes = [
        {"field": name, "old": _json_value(getattr(person, name)), "new": _json_value(value)}
        for name, value in new.items()
        if getattr(person, name) != value
    ]
    if not changes:
        return person
    for name, value in new.items():
        setattr(person, name, value)
    if part == IDENTITY:
        person.age_estimated_on = (
            timezone.localdate()
            if person.approximate_age is not None and person.birth_date is None
            else None
        )
    version = expected_version + 1
    setattr(person, f"{part}_version", version)
    person.version += 1
    person.save()
    person_changed(person)
    event = case_event_record(
        case=case,
        actor=actor,
        kind=CaseEvent.Kind.PERSON_UPDATED,
        section=PART_SECTIONS[part],
        data={"part": part, "fields": [c["field"] for c in changes], "version": version},
    )
    CaseRevision.objects.create(
        case=case,
        event=event,
        section=PART_SECTIONS[part],
        part=part,
        part_version=version,
        content=json.dumps({"changes": changes}, ensure_ascii=False),
    )
    return person


def revision_record(*, case: Case, event: CaseEvent, section: str, content: dict[str, Any]) -> None:
    """Keep the personal part of an event (e.g. a reason) encrypted beside it."""
    CaseRevision.objects.create(
        case=case, event=event, section=section, content=json.dumps(content, ensure_ascii=False)
    )


# --- reading revisions on the timeline ------------------------------------------------------


def revision_details(view: CaseView, event: CaseEvent) -> dict[str, Any] | None:
    """The personal part of an event, if the actor may read it: the owning agency always, others
    when they see the revision's section. ``event.revision`` should be prefetched."""
    try:
        revision = event.revision
    except CaseRevision.DoesNotExist:
        return None
    allowed = view.is_owner if not revision.section else view.has(revision.section)
    if not allowed:
        return None
    content: dict[str, Any] = json.loads(revision.content or "{}")
    return content


def _shown(name: str, value: Any) -> str:
    if value in (None, "", []):
        return "—"
    if name in ("sex", "gender", "birth_date_precision"):
        from tirek.cases.choices import BirthDatePrecision, Gender, Sex

        choices = {"sex": Sex, "gender": Gender, "birth_date_precision": BirthDatePrecision}
        return str(dict(choices[name].choices).get(value, value))
    if name == "citizenship":
        from tirek.cases.choices import COUNTRY_CHOICES

        names = dict(COUNTRY_CHOICES)
        return ", ".join(str(names.get(code, code)) for code in value)
    if name in ("primary_language", "secondary_language"):
        from tirek.cases.choices import LANGUAGE_CHOICES

        return str(dict(LANGUAGE_CHOICES).get(value, value))
    if name == "birth_date":
        from django.utils import formats

        return str(formats.date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT"))
    return str(value)


def revision_lines(details: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(label, old, new) for each change of a correction, for the timeline."""
    return [
        (
            str(FIELD_LABELS.get(change["field"], change["field"])),
            _shown(change["field"], change["old"]),
            _shown(change["field"], change["new"]),
        )
        for change in details.get("changes", [])
    ]
