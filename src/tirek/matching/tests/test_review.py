"""The coordinators' review of uncertain pairs: the queue (bounded), the page, the API and the
decisions, which write what a check request's answer writes."""

from __future__ import annotations

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse

from tirek.cases.models import Case, CaseEvent, Person
from tirek.core.models import AuditEvent
from tirek.matching.models import CandidateKey, PersonPair
from tirek.matching.selectors import review_queue
from tirek.matching.services import check_request_resolve, review_decide, review_scan_step
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build
from tirek.web.tests.support import SecureClient

BORN = datetime.date(1994, 3, 12)


def client_of(actor) -> SecureClient:
    client = SecureClient()
    client.force_login(actor.user)
    return client


def no_date(actor) -> Case:
    """Айгерим Жумабаева without a birth date: maybe the woman of the world (p ≈ 0.3)."""
    return case_build(
        actor, family_name="Жумабаева", first_name="Айгерим", patronymic="", birth_date=None,
        citizenship=[],
    )  # fmt: skip


def namesake_by_date(actor) -> Case:
    """Another given name, the same family name and birth date (p ≈ 0.3)."""
    return case_build(
        actor, family_name="Zhumabayeva", first_name="Dana", patronymic="", birth_date=BORN
    )


def stranger_by_date(actor) -> Case:
    """The same given name and birth date, another family name (p ≈ 0.03): not the same."""
    return case_build(
        actor, family_name="Серикова", first_name="Айгерим", patronymic="", birth_date=BORN
    )


def pair_cases(queue) -> set[frozenset[object]]:
    return {frozenset(c.pk for c in pair.cases_low + pair.cases_high) for pair in queue.pairs}


def pairs_between(queue, a: Case, b: Case) -> bool:
    return frozenset({a.pk, b.pk}) in pair_cases(queue)


@pytest.fixture
def uncertain(world) -> Case:
    """An uncertain pair with the police's record (and with the crisis centre's), found by the
    background review scan."""
    case = no_date(world.people.dana)
    review_scan_step()
    return case


# --- the queue -------------------------------------------------------------------------------


def test_queue_has_the_uncertain_pair(world, uncertain):
    assert pairs_between(review_queue(), world.police_case, uncertain)


def test_queue_leaves_out_the_certain_pair(world, uncertain):
    assert not pairs_between(review_queue(), world.police_case, world.crisis_case)


def test_queue_leaves_out_the_dissimilar_pair(world):
    stranger = stranger_by_date(world.people.dana)
    assert not pairs_between(review_queue(), world.police_case, stranger)


def test_dissimilar_pair_shares_a_key_all_the_same(world):
    """Else the test above would prove nothing: the pair was a candidate and scored out."""
    stranger = stranger_by_date(world.people.dana)
    police = set(world.police_case.person.candidate_keys.values_list("digest", flat=True))
    assert police & set(stranger.person.candidate_keys.values_list("digest", flat=True))


def test_queue_finds_a_namesake_born_the_same_day(world):
    namesake = namesake_by_date(world.people.dana)
    assert pairs_between(review_queue(), world.crisis_case, namesake)


def test_queue_explains_by_field(world, uncertain):
    pair = next(p for p in review_queue().pairs if uncertain in p.cases_low + p.cases_high)
    assert "birth date missing" in pair.explanation


def test_band_comes_from_the_settings(world, uncertain):
    with override_settings(TIREK_MATCH_REVIEW_BAND=(0.5, 0.9)):
        assert not pairs_between(review_queue(), world.police_case, uncertain)


def test_rejected_pair_leaves_the_queue(world, uncertain):
    review_decide(
        actor=world.coordinator,
        case_a_id=world.police_case.pk,
        case_b_id=uncertain.pk,
        decision="different",
    )
    assert not pairs_between(review_queue(), world.police_case, uncertain)


def test_pair_linked_through_others_leaves_the_queue(world, uncertain):
    """Police ~ crisis confirmed, crisis ~ new confirmed: police ~ new is already one person."""
    for case in (world.police_case, uncertain):
        PersonPair.objects.create(
            person_low_id=min(case.person_id, world.crisis_case.person_id),
            person_high_id=max(case.person_id, world.crisis_case.person_id),
            status=PersonPair.Status.CONFIRMED,
            decided_by=world.coordinator.user,
            decided_agency=world.coordinator.agency,
            decided_at=datetime.datetime.now(tz=datetime.UTC),
        )
    assert not pairs_between(review_queue(), world.police_case, uncertain)


def test_digest_shared_by_too_many_persons_is_skipped(world, uncertain):
    queue = review_queue(digest_limit=1)  # every shared key is then shared by too many
    assert (queue.pairs, queue.skipped_digests > 0) == ([], True)


def test_heavily_shared_digest_makes_no_pairs(world):
    before = review_queue().scored  # the world's own pair
    persons = Person.objects.bulk_create(Person(first_name=f"Synth{i}") for i in range(60))
    CandidateKey.objects.bulk_create(CandidateKey(person=p, digest="f" * 32) for p in persons)
    queue = review_queue()
    assert (queue.scored, queue.skipped_digests) == (before, 1)


def test_scoring_stops_at_the_limit(world, uncertain):
    namesake_by_date(world.people.dana)
    queue = review_queue(score_limit=1)
    assert (queue.scored, queue.complete) == (1, False)


# --- deciding --------------------------------------------------------------------------------


def _events(case: Case) -> list[tuple[str, str, str]]:
    return [
        (e.kind, e.section, e.data.get("match", ""))
        for e in CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.CASE_UPDATED)
    ]


def test_confirming_links_the_pair(world, uncertain):
    pair = review_decide(
        actor=world.coordinator,
        case_a_id=world.police_case.pk,
        case_b_id=uncertain.pk,
        decision="same",
    )
    assert pair.status == PersonPair.Status.CONFIRMED


def test_confirming_writes_what_a_check_request_writes(world, uncertain):
    review_decide(
        actor=world.coordinator,
        case_a_id=world.police_case.pk,
        case_b_id=uncertain.pk,
        decision="same",
    )
    reviewed = (_events(world.police_case), _events(uncertain))
    # The same answer through a check request, on another uncertain pair.
    asked_case = no_date(world.people.erlan)
    from tirek.matching.models import MatchCheckCandidate, MatchCheckRequest

    request = MatchCheckRequest.objects.create(
        requested_by=world.people.aigul.user,
        requesting_agency=world.people.crisis_centre,
        case=world.crisis_case,
    )
    MatchCheckCandidate.objects.create(request=request, case=asked_case, probability=0.3)
    check_request_resolve(
        actor=world.coordinator,
        request_id=request.pk,
        decision="same",
        candidate_case_id=asked_case.pk,
    )
    asked = (_events(world.crisis_case), _events(asked_case))
    assert reviewed == asked == ([("case_updated", "identity", "confirmed")],) * 2


def test_confirming_is_audited(world, uncertain):
    pair = review_decide(
        actor=world.coordinator,
        case_a_id=world.police_case.pk,
        case_b_id=uncertain.pk,
        decision="same",
    )
    assert AuditEvent.objects.filter(
        action="matching.pair_confirmed", object_id=str(pair.pk)
    ).exists()


def test_a_pair_outside_the_band_cannot_be_decided(world):
    from tirek.core.errors import NotFound

    with pytest.raises(NotFound):
        review_decide(
            actor=world.coordinator,
            case_a_id=world.police_case.pk,
            case_b_id=world.crisis_case.pk,
            decision="same",
        )


def test_case_worker_cannot_decide(world, uncertain):
    from tirek.core.errors import NotFound

    with pytest.raises(NotFound):
        review_decide(
            actor=world.people.nurlan,
            case_a_id=world.police_case.pk,
            case_b_id=uncertain.pk,
            decision="same",
        )


# --- the page --------------------------------------------------------------------------------


def test_coordinator_page_lists_the_pair_by_reference(world, uncertain):
    html = client_of(world.coordinator).get(reverse("matching:review")).content.decode()
    assert world.police_case.reference in html and uncertain.reference in html


def test_coordinator_page_shows_agencies_and_reasons(world, uncertain):
    html = client_of(world.coordinator).get(reverse("matching:review")).content.decode()
    assert world.people.employment.name in html and "birth date missing" in html


def test_coordinator_page_shows_no_name_or_date(world, uncertain):
    html = client_of(world.coordinator).get(reverse("matching:review")).content.decode()
    secrets = ["ЖУМАБАЕВА", "Жумабаева", "Zhumabayeva", "Айгерим", "Aigerim", "Кайратовна"]
    secrets += ["1994", "12.03", "03-12"]
    assert [s for s in secrets if s in html] == []


@pytest.mark.parametrize("who", ["aigul", "nurlan", "outsider", "agency_admin", "system_admin"])
def test_page_is_404_for_everyone_else(world, uncertain, who):
    response = client_of(getattr(world.people, who)).get(reverse("matching:review"))
    assert response.status_code == 404


def test_page_is_404_for_a_supervisor(world, uncertain):
    assert client_of(world.supervisor).get(reverse("matching:review")).status_code == 404


def test_coordinator_confirms_from_the_page(world, uncertain):
    client_of(world.coordinator).post(
        reverse("matching:review_decide"),
        {"case_a": world.police_case.pk, "case_b": uncertain.pk, "decision": "same"},
    )
    assert PersonPair.objects.get().status == PersonPair.Status.CONFIRMED


def test_rejected_pair_disappears_from_the_page(world, uncertain):
    client = client_of(world.coordinator)
    client.post(
        reverse("matching:review_decide"),
        {"case_a": world.police_case.pk, "case_b": uncertain.pk, "decision": "different"},
    )
    html = client.get(reverse("matching:review")).content.decode()
    assert world.police_case.reference not in html


def test_case_worker_post_is_404_and_writes_nothing(world, uncertain):
    response = client_of(world.people.nurlan).post(
        reverse("matching:review_decide"),
        {"case_a": world.police_case.pk, "case_b": uncertain.pk, "decision": "same"},
    )
    assert (response.status_code, PersonPair.objects.count()) == (404, 0)


def test_coordinators_find_the_review_in_the_navigation(world):
    page = client_of(world.coordinator).get(reverse("web:home")).content.decode()
    assert reverse("matching:review") in page


def test_check_requests_page_links_the_review(world):
    page = client_of(world.coordinator).get(reverse("matching:checks")).content.decode()
    assert reverse("matching:review") in page


def test_case_workers_have_no_review_link(world):
    page = client_of(world.people.aigul).get(reverse("web:home")).content.decode()
    assert reverse("matching:review") not in page


# --- the API ---------------------------------------------------------------------------------


def test_api_lists_the_pair_with_references_and_reasons(world, uncertain):
    body = ApiClient(world.coordinator).get("/matching/review").json()
    references = {(i["case_a"]["reference"], i["case_b"]["reference"]) for i in body["items"]}
    pair = tuple(sorted((world.police_case, uncertain), key=lambda c: c.person_id))
    assert (pair[0].reference, pair[1].reference) in references


def test_api_list_has_no_name_or_date(world, uncertain):
    text = ApiClient(world.coordinator).get("/matching/review").content.decode()
    secrets = ["ЖУМАБАЕВА", "Жумабаева", "Zhumabayeva", "Айгерим", "Aigerim", "1994"]
    assert [s for s in secrets if s in text] == []


def test_api_list_is_paginated(world, uncertain):
    body = ApiClient(world.coordinator).get("/matching/review?limit=1&offset=1").json()
    assert (body["count"], body["limit"], len(body["items"])) == (2, 1, 1)


def test_api_list_is_404_for_a_case_worker(world, uncertain):
    assert ApiClient(world.people.nurlan).get("/matching/review").status_code == 404


def test_api_decision_links_the_pair(world, uncertain):
    response = ApiClient(world.coordinator).post(
        "/matching/review/decide",
        {"case_a": str(world.police_case.pk), "case_b": str(uncertain.pk), "decision": "same"},
    )
    assert (response.status_code, response.json()["status"]) == (201, "confirmed")


def test_api_decision_is_404_for_the_outsider(world, uncertain):
    response = ApiClient(world.people.outsider).post(
        "/matching/review/decide",
        {"case_a": str(world.police_case.pk), "case_b": str(uncertain.pk), "decision": "same"},
    )
    assert (response.status_code, PersonPair.objects.count()) == (404, 0)


# --- the command -----------------------------------------------------------------------------


def test_command_counts_the_review_queue(world, uncertain):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("match", "--review-queue", stdout=out)
    assert out.getvalue().startswith("2 uncertain pairs to review;")


def test_command_prints_no_reference(world, uncertain):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("match", "--review-queue", stdout=out)
    assert uncertain.reference not in out.getvalue()


def test_a_rejected_pair_cannot_be_decided_again(world, uncertain):
    from tirek.core.errors import ConcurrentUpdate

    decide = {"case_a_id": world.police_case.pk, "case_b_id": uncertain.pk}
    review_decide(actor=world.coordinator, decision="different", **decide)
    with pytest.raises(ConcurrentUpdate):
        review_decide(actor=world.coordinator, decision="same", **decide)
