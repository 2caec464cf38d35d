"""The review queue is built by a background job that goes on from a saved position; the page
and the API only read what it found."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tirek.core.tasks import periodic_jobs
from tirek.matching import selectors
from tirek.matching.models import ReviewCandidate, ReviewScan
from tirek.matching.services import review_scan, review_scan_step
from tirek.matching.tests.test_review import namesake_by_date, no_date, pair_cases
from tirek.testing.api import ApiClient
from tirek.testing.tasks import tasks_run_pending


def _stored_pairs() -> set[frozenset[object]]:
    return {frozenset({c.person_low_id, c.person_high_id}) for c in ReviewCandidate.objects.all()}


def _computed_pairs() -> set[frozenset[object]]:
    return {frozenset({p.person_low, p.person_high}) for p in selectors.review_queue().pairs}


def test_the_scan_goes_on_from_its_saved_position_and_finds_what_a_full_search_finds(
    world, monkeypatch
):
    no_date(world.people.dana)
    namesake_by_date(world.people.aigul)
    monkeypatch.setattr(selectors, "_REVIEW_DIGEST_CHUNK", 1)  # one index key per chunk
    first = review_scan_step(budget=1)
    assert (first.after != "", first.last_complete_at, first.scan_pass) == (True, None, 1)
    positions = [first.after]
    for _ in range(100):
        scan = review_scan_step(budget=1)
        if scan.last_complete_at is not None:
            break
        positions.append(scan.after)
    assert scan.last_complete_at is not None and scan.scan_pass == 2
    assert positions == sorted(positions)  # always forward, never from the start again
    assert _stored_pairs() == _computed_pairs() != set()


def test_a_pass_drops_pairs_it_no_longer_finds(world):
    no_date(world.people.dana)
    review_scan_step()
    stale = ReviewCandidate.objects.first()
    assert stale is not None
    ReviewCandidate.objects.filter(pk=stale.pk).update(scan_pass=0)  # as if an older pass
    outside = ReviewCandidate.objects.create(
        person_low_id=world.police_case.person_id,
        person_high_id=world.crisis_case.person_id,
        probability=0.5,
        scan_pass=0,
    )  # a pair no longer in the band
    review_scan_step()
    assert not ReviewCandidate.objects.filter(pk=outside.pk).exists()
    assert _stored_pairs() == _computed_pairs()


def test_the_scan_is_a_periodic_background_job(world):
    no_date(world.people.dana)
    assert "matching.review_scan" in {job.name for job in periodic_jobs()}
    review_scan.enqueue()
    assert tasks_run_pending() == 1
    assert ReviewScan.objects.get().last_complete_at is not None
    assert _stored_pairs() == _computed_pairs() != set()


def test_the_api_reads_the_queue_without_scoring_anything(world, monkeypatch):
    for _ in range(3):
        no_date(world.people.dana)
    review_scan_step()

    def no_scoring() -> None:
        raise AssertionError("scored in a request")

    monkeypatch.setattr(selectors, "scoring_model", no_scoring)
    client = ApiClient(world.coordinator)
    body = client.get("/matching/review?limit=2").json()
    assert (body["count"], len(body["items"]), body["complete"]) == (
        ReviewCandidate.objects.count(),
        2,
        True,
    )
    with CaptureQueriesContext(connection) as few:
        client.get("/matching/review?limit=1")
    with CaptureQueriesContext(connection) as many:
        client.get("/matching/review?limit=50")
    assert len(few.captured_queries) == len(many.captured_queries)


def test_the_page_lists_the_pairs_the_scan_found(world):
    no_date(world.people.dana)
    review_scan_step()
    queue = selectors.review_queue_for(actor=world.coordinator)
    shown = {
        frozenset(c.pk for c in p.cases_low + p.cases_high) for p in queue.pairs(queue.candidates)
    }
    assert shown == pair_cases(selectors.review_queue()) != set()
