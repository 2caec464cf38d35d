"""Every write of matching: the candidate index, pair decisions and check requests.

Each decision is one transaction that checks who may make it, writes its history row, an
audit event and an event on the timelines of the cases concerned.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.accounts.actor import Actor
from tirek.cases.choices import Section
from tirek.cases.models import Case, CaseEvent, Person
from tirek.cases.reads import Via, case_identity_reads_record
from tirek.core.audit import audit_record
from tirek.core.errors import ConcurrentUpdate, DomainError, Forbidden, InvalidState, NotFound
from tirek.core.models import AuditEvent
from tirek.core.tasks import background_task
from tirek.matching import policy
from tirek.matching.keys import storage_keys
from tirek.matching.models import (
    CandidateKey,
    MatchCheckCandidate,
    MatchCheckRequest,
    PersonPair,
    PersonPairDecision,
    ReviewCandidate,
    ReviewScan,
)
from tirek.matching.reasons import reason_codes
from tirek.matching.scoring import birth_date_parse, person_prepare
from tirek.matching.selectors import (
    REVIEW_DIGEST_LIMIT,
    MatchResult,
    Probe,
    ReviewScorer,
    birth_text,
    candidate_pairs,
    check_request_get,
    key_digests,
    matches_find,
    pair_between,
    person_probe,
    person_record,
    probe_digest,
    review_band,
    scoring_model,
)

# --- the candidate index ---------------------------------------------------------------------


def person_key_digests(person: Any) -> list[str]:
    """The index digests of a (decrypted) person."""
    return key_digests(
        storage_keys(
            person.first_name or "",
            person.family_name or "",
            person.patronymic or "",
            birth_date_parse(birth_text(person.birth_date, person.birth_date_precision)),
        )
    )


def candidate_index_refresh(person: Person) -> None:
    """Re-index one person; called by ``cases`` (hook) in the transaction that changes them."""
    CandidateKey.objects.filter(person_id=person.pk).delete()
    CandidateKey.objects.bulk_create(
        CandidateKey(person_id=person.pk, digest=digest) for digest in person_key_digests(person)
    )


def _index_rows(batch_size: int, person_model: Any, key_model: Any) -> Iterator[list[Any]]:
    batch: list[Any] = []
    persons = person_model.objects.order_by("pk").only(
        "first_name", "family_name", "patronymic", "birth_date", "birth_date_precision"
    )
    for person in persons.iterator(chunk_size=batch_size):
        batch.extend(key_model(person_id=person.pk, digest=d) for d in person_key_digests(person))
        if len(batch) >= batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


def candidate_index_rebuild(
    *, batch_size: int = 5000, person_model: Any = None, key_model: Any = None
) -> int:
    """Rebuild the whole index from the persons (``tirek match reindex``); returns the rows.

    A data migration passes its historical ``Person`` and ``CandidateKey`` models: a change of
    the key rules or of the normalisation ships as a migration that calls this, so that
    persons registered before are found by the new keys.
    """
    person_model = person_model or Person
    key_model = key_model or CandidateKey
    rows = 0
    with transaction.atomic():
        key_model.objects.all().delete()
        for batch in _index_rows(batch_size, person_model, key_model):
            key_model.objects.bulk_create(batch, batch_size=batch_size)
            rows += len(batch)
    return rows


# --- pairs -----------------------------------------------------------------------------------


def _case_with_identity(actor: Actor, case_id: UUID | str) -> Case:
    """A case whose identity the actor may see; ``NotFound`` otherwise (existence not revealed)."""
    try:
        case = Case.objects.select_related("person", "owner_agency").get(pk=case_id)
    except (Case.DoesNotExist, ValueError, TypeError, ValidationError):
        case = None
    if case is None or not policy.identity_visible(
        actor, case_id=case.pk, owner_agency_id=case.owner_agency_id
    ):
        raise NotFound()
    return case


def _pair_event(*, actor: Actor, pair: PersonPair, cases: list[Case], what: str) -> None:
    from tirek.cases.services import case_event_record

    for case in cases:
        case_event_record(
            case=case,
            actor=actor,
            kind=CaseEvent.Kind.CASE_UPDATED,
            section=Section.IDENTITY,
            data={"match": what, "match_pair_id": str(pair.pk)},
        )
    audit_record(
        action=f"matching.pair_{what}",
        user_id=actor.user.pk,
        agency_id=actor.membership.agency_id,
        object_type="matching.personpair",
        object_id=pair.pk,
        data={"status": pair.status},
    )


def _pair_write(
    *,
    actor: Actor,
    person_a: Person,
    person_b: Person,
    status: str,
    check_request: MatchCheckRequest | None = None,
) -> PersonPair:
    low, high = sorted((person_a, person_b), key=lambda p: p.pk)
    score = scoring_model().score(
        person_prepare(person_record(low, citizenship_hint="")),
        person_prepare(person_record(high, citizenship_hint="")),
    )
    now = timezone.now()
    pair = (
        PersonPair.objects.select_for_update()
        .filter(person_low_id=low.pk, person_high_id=high.pk)
        .first()
    )
    if pair is not None:
        if pair.status == status:
            raise InvalidState(_("This decision has already been recorded."))
        if pair.status == PersonPair.Status.CONFIRMED:
            raise InvalidState(
                _("These records are confirmed as the same person; only a supervisor can undo it.")
            )
    fields = {
        "status": status,
        "probability": score.probability,
        "reasons": reason_codes(score.evidence),
        "decided_by": actor.user,
        "decided_agency": actor.agency,
        "decided_at": now,
        "check_request": check_request,
    }
    try:
        with transaction.atomic():
            if pair is None:
                pair = PersonPair.objects.create(person_low=low, person_high=high, **fields)
            else:
                for name, value in fields.items():
                    setattr(pair, name, value)
                pair.version += 1
                pair.save()
    except IntegrityError:
        raise ConcurrentUpdate(
            _("Someone else decided about these records meanwhile. Reload and try again.")
        ) from None
    PersonPairDecision.objects.create(
        pair=pair, status=status, actor_user=actor.user, actor_agency=actor.agency, at=now
    )
    return pair


@transaction.atomic
def pair_decide(
    *, actor: Actor, case_a_id: UUID | str, case_b_id: UUID | str, same: bool
) -> PersonPair:
    """Confirm (``same``) or reject that the persons of two cases are one person.

    The actor must be allowed to see the identity of both cases and to edit cases. Neither
    record changes: a confirmation links them; a rejection keeps the pair from being suggested
    again. Events go on the cases the actor's agency owns.
    """
    case_a = _case_with_identity(actor, case_a_id)
    case_b = _case_with_identity(actor, case_b_id)
    if not policy.may_decide_pairs(actor):
        raise Forbidden(_("Your role does not allow this action."))
    if case_a.person_id == case_b.person_id:
        raise ValidationError({"case_b": [_("Both cases are already of the same person record.")]})
    status = PersonPair.Status.CONFIRMED if same else PersonPair.Status.REJECTED
    pair = _pair_write(actor=actor, person_a=case_a.person, person_b=case_b.person, status=status)
    owned = Case.objects.filter(
        person_id__in=[case_a.person_id, case_b.person_id],
        owner_agency_id=actor.membership.agency_id,
    ).order_by("created_at")
    _pair_event(actor=actor, pair=pair, cases=list(owned), what=status)
    return pair


@transaction.atomic
def pair_undo(*, actor: Actor, pair_id: UUID | str) -> PersonPair:
    """Undo a confirmation (supervisors who see both records; coordinators for their own)."""
    try:
        pair = PersonPair.objects.select_for_update().get(pk=pair_id)
    except (PersonPair.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound() from None
    cases = list(
        Case.objects.filter(person_id__in=[pair.person_low_id, pair.person_high_id]).order_by(
            "created_at"
        )
    )
    via_check = pair.check_request_id is not None
    sees_both = all(
        any(
            policy.identity_visible(actor, case_id=c.pk, owner_agency_id=c.owner_agency_id)
            for c in cases
            if c.person_id == person_id
        )
        for person_id in (pair.person_low_id, pair.person_high_id)
    )
    if not (sees_both or (via_check and policy.is_coordinator(actor))):
        raise NotFound()
    if not policy.may_undo(actor, via_check_request=via_check):
        raise Forbidden(_("Only a supervisor can undo a confirmed match."))
    if pair.status != PersonPair.Status.CONFIRMED:
        raise InvalidState(_("Only a confirmed match can be undone."))
    now = timezone.now()
    pair.status = PersonPair.Status.UNDONE
    pair.version += 1
    pair.save(update_fields=["status", "version", "updated_at"])
    PersonPairDecision.objects.create(
        pair=pair, status=pair.status, actor_user=actor.user, actor_agency=actor.agency, at=now
    )
    affected = [c for c in cases if via_check or c.owner_agency_id == actor.membership.agency_id]
    _pair_event(actor=actor, pair=pair, cases=affected, what=PersonPair.Status.UNDONE)
    return pair


# --- check requests --------------------------------------------------------------------------


@transaction.atomic
def check_request_create(
    *, actor: Actor, probe: Probe | None = None, case_id: UUID | str | None = None
) -> MatchCheckRequest:
    """Ask the coordinator to check the possible matches the actor may not see.

    From intake (``probe``: the names typed, nothing stored of them) or from a case
    (``case_id``). The engine's hidden candidates are stored for the coordinator; the requester
    learns nothing more than the flag she has seen.
    """
    if not policy.may_search(actor):
        raise Forbidden(_("Your role does not allow this action."))
    case = None
    exclude = None
    if case_id is not None:
        case = _case_with_identity(actor, case_id)
        probe = person_probe(case.person)
        exclude = case.person_id
    if probe is None or probe.is_empty:
        raise ValidationError({"family_name": [_("Enter a given name or a family name.")]})
    found = matches_find(actor=actor, probe=probe, exclude_person_id=exclude)
    if not found.hidden:
        raise InvalidState(_("There is no possible match at another agency to check."))
    request = MatchCheckRequest.objects.create(
        requested_by=actor.user, requesting_agency=actor.agency, case=case
    )
    MatchCheckCandidate.objects.bulk_create(
        MatchCheckCandidate(
            request=request, case=m.case, probability=m.probability, reasons=m.reasons
        )
        for m in found.hidden
    )
    audit_record(
        action="matching.check_requested",
        user_id=actor.user.pk,
        agency_id=actor.membership.agency_id,
        object_type="matching.matchcheckrequest",
        object_id=request.pk,
        data={"candidates": len(found.hidden), "from_case": case is not None},
    )
    if case is not None:
        from tirek.cases.services import case_event_record

        case_event_record(
            case=case,
            actor=actor,
            kind=CaseEvent.Kind.CASE_UPDATED,
            section=Section.IDENTITY,
            data={"match": "check_requested", "match_check_request_id": str(request.pk)},
        )
    return request


RESOLUTIONS = {
    "same": MatchCheckRequest.Status.SAME,
    "different": MatchCheckRequest.Status.DIFFERENT,
    "closed": MatchCheckRequest.Status.CLOSED,
}


@transaction.atomic
def check_request_resolve(
    *,
    actor: Actor,
    request_id: UUID | str,
    decision: str,
    candidate_case_id: UUID | str | None = None,
) -> MatchCheckRequest:
    """A coordinator's answer: same person (links the records), not the same, or closed.

    "same" and "different" need the requester's case and one of the request's candidates.
    """
    if not policy.is_coordinator(actor):
        raise NotFound()
    request = check_request_get(actor=actor, request_id=request_id)
    request = MatchCheckRequest.objects.select_for_update().get(pk=request.pk)
    if decision not in RESOLUTIONS:
        raise ValidationError({"decision": [_("Choose same, different or closed.")]})
    if request.status != MatchCheckRequest.Status.OPEN:
        raise InvalidState(_("This request has already been answered."))
    if decision != "closed":
        if request.case_id is None:
            raise ValidationError(
                {"decision": [_("This request was made before a case existed; close it.")]}
            )
        chosen = None
        if candidate_case_id is not None:
            try:
                chosen = (
                    request.candidates.filter(case_id=candidate_case_id)
                    .select_related("case__person")
                    .first()
                )
            except ValidationError:
                chosen = None  # not a case id at all
        if chosen is None:
            raise ValidationError({"case_id": [_("Choose one of the cases found.")]})
        requester_case = Case.objects.select_related("person").get(pk=request.case_id)
        status = PersonPair.Status.CONFIRMED if decision == "same" else PersonPair.Status.REJECTED
        pair = _pair_write(
            actor=actor,
            person_a=requester_case.person,
            person_b=chosen.case.person,
            status=status,
            check_request=request,
        )
        _pair_event(actor=actor, pair=pair, cases=[requester_case, chosen.case], what=status)
    request.status = RESOLUTIONS[decision]
    request.resolved_by = actor.user
    request.resolved_at = timezone.now()
    request.version += 1
    request.save(update_fields=["status", "resolved_by", "resolved_at", "version", "updated_at"])
    audit_record(
        action="matching.check_resolved",
        user_id=actor.user.pk,
        agency_id=actor.membership.agency_id,
        object_type="matching.matchcheckrequest",
        object_id=request.pk,
        data={"status": request.status},
    )
    return request


# --- the coordinators' review of uncertain pairs ---------------------------------------------

REVIEW_DECISIONS = {"same": PersonPair.Status.CONFIRMED, "different": PersonPair.Status.REJECTED}


@transaction.atomic
def review_decide(
    *, actor: Actor, case_a_id: UUID | str, case_b_id: UUID | str, decision: str
) -> PersonPair:
    """A coordinator's answer about an uncertain pair: same person, or not the same.

    Only for a pair the review offers: the persons share an index key, no decision stands
    between them and the engine's probability lies in the review band (checked again now).
    Written as a check request's answer is: the pair and its history, an audit event and an
    event on both cases.
    """
    if not policy.may_review_pairs(actor):
        raise NotFound()
    if decision not in REVIEW_DECISIONS:
        raise ValidationError({"decision": [_("Choose whether the records are the same person.")]})
    cases = []
    for case_id in (case_a_id, case_b_id):
        try:
            cases.append(Case.objects.select_related("person", "owner_agency").get(pk=case_id))
        except (Case.DoesNotExist, ValueError, TypeError, ValidationError):
            raise NotFound() from None
    case_a, case_b = cases
    person_a, person_b = case_a.person, case_b.person
    shared = (
        person_a.pk != person_b.pk
        and CandidateKey.objects.filter(person_id=person_a.pk)
        .filter(digest__in=CandidateKey.objects.filter(person_id=person_b.pk).values("digest"))
        .exists()
    )
    if not shared:
        raise NotFound()
    standing = pair_between(person_a.pk, person_b.pk)
    if standing is not None and standing.status != PersonPair.Status.UNDONE:
        raise ConcurrentUpdate(
            _("Someone else decided about these records meanwhile. Reload and try again.")
        )
    low, high = sorted((person_a, person_b), key=lambda p: p.pk)
    score = scoring_model().score(
        person_prepare(person_record(low, citizenship_hint="")),
        person_prepare(person_record(high, citizenship_hint="")),
    )
    low_p, high_p = review_band()
    if not low_p <= score.probability < high_p:
        raise NotFound()
    status = REVIEW_DECISIONS[decision]
    pair = _pair_write(actor=actor, person_a=person_a, person_b=person_b, status=status)
    _pair_event(actor=actor, pair=pair, cases=[case_a, case_b], what=status)
    return pair


# --- asking whether a person is registered ----------------------------------------------------


class TooManyAsks(DomainError):
    status_code = 429
    code = "too_many_attempts"


def _asks_last_hour(actor: Actor) -> int:
    since = timezone.now() - datetime.timedelta(hours=1)
    return AuditEvent.objects.filter(
        actor_user_id=actor.user.pk, action=policy.ASKED, at__gte=since
    ).count()


def intake_ask(*, actor: Actor, probe: Probe, via: str) -> MatchResult:
    """Intake match as a person asks it (web and API): whether the person being registered is
    already in the actor's records, or possibly at another agency (``match_elsewhere``).

    The flag answers "is this person registered anywhere?", so every ask is recorded — who, when,
    a keyed digest of the person asked about (never the name), whether the flag was raised — and
    limited to ``policy.ASKS_PER_HOUR`` per user; coordinators see who asks about many people
    (``selectors.askers``). The matches shown are recorded as reads of their cases.
    """
    if _asks_last_hour(actor) >= policy.ASKS_PER_HOUR:
        audit_record(
            action=policy.ASK_LIMITED,
            user_id=actor.user.pk,
            agency_id=actor.membership.agency_id,
            data={"via": via},
        )
        raise TooManyAsks(
            _("Too many searches in one hour. Try again later, or ask the coordinator.")
        )
    with transaction.atomic():
        result = matches_find(actor=actor, probe=probe)
        audit_record(
            action=policy.ASKED,
            user_id=actor.user.pk,
            agency_id=actor.membership.agency_id,
            object_type="matching.person",
            object_id=probe_digest(probe),
            data={
                "via": via,
                "match_elsewhere": result.match_elsewhere,
                "shown": len(result.matches),
            },
        )
        case_identity_reads_record(
            actor=actor, cases=[m.case for m in result.matches], via=Via.MATCH
        )
    return result


# --- the review queue, built in the background ------------------------------------------------

# Pairs scored per run of the background scan: a run takes seconds, and the next run goes on
# from the saved position.
REVIEW_STEP_SCORES = 5_000


def review_scan_step(*, budget: int = REVIEW_STEP_SCORES) -> ReviewScan:
    """Score the next candidate pairs of the review scan, from its saved position, and keep the
    uncertain ones (``ReviewCandidate``): at least one chunk of the candidate index, then until
    ``budget`` pairs were scored. At the end of a pass, pairs that the pass no longer found in
    the band leave the queue and the next pass starts from the beginning. Runs in the
    background (``review_scan``), never in a request."""
    with transaction.atomic():
        scan, _created = ReviewScan.objects.select_for_update().get_or_create(pk=1)
        scorer = ReviewScorer()
        scored = 0
        for chunk, skipped, last in candidate_pairs(
            digest_limit=REVIEW_DIGEST_LIMIT, after=scan.after
        ):
            chunk_scored, found = scorer.score(chunk, limit=len(chunk))
            ReviewCandidate.objects.bulk_create(
                [
                    ReviewCandidate(
                        person_low_id=low,
                        person_high_id=high,
                        probability=score.probability,
                        reasons=reason_codes(score.evidence),
                        scan_pass=scan.scan_pass,
                    )
                    for low, high, score in found
                ],
                update_conflicts=True,
                unique_fields=["person_low", "person_high"],
                update_fields=["probability", "reasons", "scan_pass"],
            )
            scan.after = last
            scan.scored += chunk_scored
            scan.skipped_digests += skipped
            scored += chunk_scored
            if scored >= budget:
                scan.save()
                return scan
        ReviewCandidate.objects.filter(scan_pass__lt=scan.scan_pass).delete()
        scan.after = ""
        scan.scan_pass += 1
        scan.scored = scan.skipped_digests = 0
        scan.last_complete_at = timezone.now()
        scan.save()
    return scan


@background_task(retries=2)
def review_scan() -> dict[str, int]:
    """The periodic job that keeps the coordinators' review queue current."""
    scan = review_scan_step()
    return {"pass": scan.scan_pass, "scored": scan.scored}
