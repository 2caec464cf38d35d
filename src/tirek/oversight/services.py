"""Break-glass: open a case outside one's circle in an emergency, and review it afterwards.

Every attempt, granted or not, leaves an audit event (``break_glass.*``); a granted one also
leaves a ``break_glass_opened`` event on the case, and its review a ``break_glass_reviewed`` one.
A reference that does not exist gets the same answer as one that cannot be opened, so the form is
no oracle for which references exist; attempts are limited per person and hour.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.accounts.actor import Actor
from tirek.accounts.roles import Capability
from tirek.cases import policy
from tirek.cases.choices import ALL_SECTIONS
from tirek.cases.models import Case, CaseEvent
from tirek.cases.services import case_event_record
from tirek.core.audit import audit_record
from tirek.core.errors import DomainError, Forbidden, InvalidState, NotFound
from tirek.core.formats import export_datetime
from tirek.core.models import AuditEvent
from tirek.core.tasks import task_enqueue_on_commit
from tirek.oversight.models import BreakGlassAccess
from tirek.oversight.notifications import break_glass_notify
from tirek.oversight.references import REFERENCE_PATTERN, reference_normalise
from tirek.oversight.selectors import AuditFilter, audit_events, audit_rows, audit_scope

REASON_MIN = 20
REASON_MAX = 2000
COMMENT_MAX = 2000
ATTEMPTS_PER_HOUR = 5


class Action:
    """Audit actions written by this module (``AuditEvent.action``)."""

    GRANTED = "break_glass.granted"
    REFUSED = "break_glass.refused"  # unknown reference, or a case that cannot be opened
    ALREADY_OPEN = "break_glass.already_open"
    INVALID = "break_glass.invalid"  # no reason, or a reference in the wrong form
    NOT_ALLOWED = "break_glass.not_allowed"  # the role does not hold break_glass
    RATE_LIMITED = "break_glass.rate_limited"
    REVIEWED = "break_glass.reviewed"
    AUDIT_EXPORTED = "audit.exported"


# Attempts that looked a reference up count towards the hourly limit.
COUNTED = (Action.GRANTED, Action.REFUSED, Action.ALREADY_OPEN)


class TooManyAttempts(DomainError):
    status_code = 429
    code = "too_many_attempts"


def neutral_refusal() -> NotFound:
    """The one answer for an unknown reference and for a case that cannot be opened."""
    return NotFound(
        _(
            "This case cannot be opened in an emergency. Check the reference, or ask the agency "
            "that works with the person."
        )
    )


def break_glass_hours() -> int:
    return int(getattr(settings, "TIREK_BREAK_GLASS_HOURS", 4))


@dataclass(frozen=True)
class _Attempt:
    """What an attempt came to: the audit action, the case found, and the error to raise."""

    action: str
    case: Case | None = None
    error: Exception | None = None
    data: dict[str, Any] | None = None


def _attempts_last_hour(actor: Actor) -> int:
    since = timezone.now() - datetime.timedelta(hours=1)
    return AuditEvent.objects.filter(
        actor_user_id=actor.user.pk, action__in=COUNTED, at__gte=since
    ).count()


def _decide(actor: Actor, reference: str, reason: str) -> _Attempt:
    if not actor.can(Capability.BREAK_GLASS):
        return _Attempt(
            Action.NOT_ALLOWED, error=Forbidden(_("Your role does not allow this action."))
        )
    if _attempts_last_hour(actor) >= ATTEMPTS_PER_HOUR:
        return _Attempt(
            Action.RATE_LIMITED,
            error=TooManyAttempts(
                _("Too many emergency access attempts. Try again in an hour, or call a colleague.")
            ),
        )
    errors: dict[str, list[str]] = {}
    if not REFERENCE_PATTERN.match(reference):
        errors["case_reference"] = [_("Enter a case reference such as TK-ACDE3479.")]
    if len(reason) < REASON_MIN:
        errors["reason"] = [
            _("Explain the emergency in at least %(count)d characters.") % {"count": REASON_MIN}
        ]
    elif len(reason) > REASON_MAX:
        errors["reason"] = [
            _("The reason is too long (%(count)d characters at most).") % {"count": REASON_MAX}
        ]
    if errors:
        return _Attempt(
            Action.INVALID, error=ValidationError(errors), data={"fields": sorted(errors)}
        )
    case = Case.objects.filter(reference=reference).first()
    if case is None:
        return _Attempt(Action.REFUSED, error=neutral_refusal())
    sections = policy.case_sections(actor, case_id=case.pk, owner_agency_id=case.owner_agency_id)
    if sections == ALL_SECTIONS:
        return _Attempt(
            Action.ALREADY_OPEN,
            case=case,
            error=InvalidState(_("You can already open this case."), code="already_open"),
        )
    return _Attempt(Action.GRANTED, case=case)


def break_glass_open(*, actor: Actor, case_reference: str, reason: str) -> BreakGlassAccess:
    """Open a case outside the actor's circle for a limited time; alert the owning agency.

    Raises ``Forbidden`` for a role without ``break_glass``, ``TooManyAttempts``, a
    ``ValidationError`` for a short reason, and the neutral ``NotFound`` for an unknown
    reference. The attempt is recorded before any error is raised.
    """
    reference = reference_normalise(case_reference)
    reason = (reason or "").strip()
    with transaction.atomic():
        attempt = _decide(actor, reference, reason)
        case = attempt.case
        data: dict[str, Any] = dict(attempt.data or {})
        # Only a well-formed reference is kept: whatever else was typed could be a name.
        data["reference"] = reference if REFERENCE_PATTERN.match(reference) else ""
        access = None
        if attempt.error is None and case is not None:
            now = timezone.now()
            hours = break_glass_hours()
            access = BreakGlassAccess.objects.create(
                case=case,
                owner_agency_id=case.owner_agency_id,
                user=actor.user,
                agency_id=actor.membership.agency_id,
                reason=reason,
                opened_at=now,
                expires_at=now + datetime.timedelta(hours=hours),
            )
            data |= {"access_id": str(access.pk), "hours": hours}
            case_event_record(
                case=case,
                actor=actor,
                kind=CaseEvent.Kind.BREAK_GLASS_OPENED,
                data={"access_id": str(access.pk), "hours": hours},
            )
            task_enqueue_on_commit(break_glass_notify, access_id=str(access.pk))
        audit_record(
            action=attempt.action,
            user_id=actor.user.pk,
            agency_id=actor.membership.agency_id,
            object_type="case" if case is not None else "",
            object_id=case.pk if case is not None else "",
            data=data,
        )
    if attempt.error is not None:
        raise attempt.error
    assert access is not None  # noqa: S101 - no error means the access was created
    return access


@transaction.atomic
def break_glass_review(
    *, actor: Actor, access_id: UUID | str, justified: bool, comment: str = ""
) -> BreakGlassAccess:
    """The owning agency's supervisor judges an emergency access; 'not justified' ends it now.

    Only a holder of ``break_glass`` in the agency that owns the case may review, and never their
    own access; anyone else gets ``NotFound``.
    """
    if not actor.can(Capability.BREAK_GLASS):
        raise Forbidden(_("Your role does not allow this action."))
    try:
        access = (
            BreakGlassAccess.objects.select_for_update()
            .select_related("case")
            .get(pk=access_id, owner_agency_id=actor.membership.agency_id)
        )
    except (BreakGlassAccess.DoesNotExist, ValueError, ValidationError):
        raise NotFound() from None
    if access.user_id == actor.user.pk:
        raise Forbidden(_("Someone else must review your own emergency access."))
    if access.review != BreakGlassAccess.Review.WAITING:
        raise InvalidState(_("This emergency access has already been reviewed."))
    comment = (comment or "").strip()
    if not justified and not comment:
        raise ValidationError({"comment": [_("Say why the access was not justified.")]})
    if len(comment) > COMMENT_MAX:
        raise ValidationError(
            {
                "comment": [
                    _("The comment is too long (%(count)d characters at most).")
                    % {"count": COMMENT_MAX}
                ]
            }
        )
    now = timezone.now()
    review = (
        BreakGlassAccess.Review.JUSTIFIED if justified else BreakGlassAccess.Review.NOT_JUSTIFIED
    )
    updated = BreakGlassAccess.objects.filter(
        pk=access.pk, review=BreakGlassAccess.Review.WAITING
    ).update(
        review=review,
        reviewed_by=actor.user,
        reviewed_at=now,
        review_comment=comment,
        expires_at=access.expires_at if justified else min(access.expires_at, now),
        version=access.version + 1,
        updated_at=now,
    )
    if not updated:
        raise InvalidState(_("This emergency access has already been reviewed."))
    data = {"access_id": str(access.pk), "review": str(review)}
    case_event_record(
        case=access.case, actor=actor, kind=CaseEvent.Kind.BREAK_GLASS_REVIEWED, data=data
    )
    audit_record(
        action=Action.REVIEWED,
        user_id=actor.user.pk,
        agency_id=actor.membership.agency_id,
        object_type="case",
        object_id=access.case_id,
        data=data,
    )
    access.refresh_from_db()
    return access


# --- audit export ---------------------------------------------------------------------------

EXPORT_MAX_ROWS = 50_000
EXPORT_COLUMNS = ("at", "source", "what", "user", "agency", "case_reference", "section")


def _cell(value: str) -> str:
    """Keep a spreadsheet from reading a cell as a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def audit_export(*, actor: Actor, filters: AuditFilter) -> tuple[str, int]:
    """The filtered audit log as CSV (references, user names and agencies only); recorded.

    Returns the CSV text and the number of rows (at most ``EXPORT_MAX_ROWS``, newest first).
    """
    scope = audit_scope(actor=actor)
    rows = audit_rows(audit_events(actor=actor, filters=filters)[:EXPORT_MAX_ROWS])
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    # Times as people read them (docs/architecture.md, "Dates and times"): local, day first.
    writer.writerow([f"at ({settings.TIME_ZONE})", *EXPORT_COLUMNS[1:]])
    for row in rows:
        writer.writerow(
            [
                export_datetime(row.at),
                row.source,
                _cell(row.what),
                _cell(row.user),
                _cell(row.agency),
                row.case_reference,
                _cell(row.section),
            ]
        )
    with transaction.atomic():
        audit_record(
            action=Action.AUDIT_EXPORTED,
            user_id=actor.user.pk,
            agency_id=actor.membership.agency_id,
            object_type="audit",
            data={
                "filters": filters.as_data(),
                "rows": len(rows),
                "scope": "all" if scope.is_all else "agency",
            },
        )
    return buffer.getvalue(), len(rows)
