"""The screening API (runs once the router is mounted under /api/v1/)."""

from __future__ import annotations

import pytest

from tirek.cases.models import CaseEvent  # noqa: E402
from tirek.testing.api import ApiClient  # noqa: E402
from tirek.testing.builders import case_build  # noqa: E402

EXAMPLE_1 = ["DR-01", "DR-02", "EX-01", "EX-02", "CD-01", "CD-02", "VD-02"]


@pytest.fixture
def aigul(people):
    return ApiClient(people.aigul)


def test_catalogues_list_four_lists_with_trilingual_labels(aigul):
    body = aigul.get("/screening/catalogues").json()
    first = body[0]["lists"][0]["indicators"][0]
    assert (len(body[0]["lists"]), set(first)) == (
        4,
        {"code", "dimension", "strength", "label_en", "label_ru", "label_kk"},
    )


@pytest.mark.parametrize(
    ("list_key", "codes", "outcome"),
    [
        ("adult_labour", EXAMPLE_1, "presumed_victim"),
        ("child_labour", ["DR-10", "DR-02", "EX-01", "EX-09"], "presumed_victim"),
        ("adult_sexual", EXAMPLE_1, "presumed_victim"),
        ("child_sexual", ["DR-01", "DR-02", "EX-01", "EX-06"], "presumed_victim"),
        ("adult_labour", ["DR-10", "DR-02", "EX-01", "EX-09"], "not_enough_indicators"),
    ],
)
def test_assess_answers_for_each_list(aigul, list_key, codes, outcome):
    body = aigul.post("/screening/assess", {"lists": [list_key], "indicators": codes}).json()
    assert body["outcome"] == outcome


def test_assess_explains_in_the_request_language(aigul):
    body = aigul.post("/screening/assess", {"indicators": ["CD-01", "CD-02"]}, language="en").json()
    assert any("Coercion at destination is met" in line for line in body["explanation"])


def test_assess_stores_nothing(aigul, people):
    from tirek.screening.models import Screening

    aigul.post("/screening/assess", {"indicators": EXAMPLE_1})
    assert not Screening.objects.exists()


def test_save_on_a_case_and_read_back(aigul, people):
    case = case_build(people.aigul)
    created = aigul.post(
        "/screenings",
        {
            "case_id": str(case.pk),
            "scope": "labour",
            "observations": [{"code": c, "source": "self_report"} for c in EXAMPLE_1],
        },
    )
    assert created.status_code == 201, created.json()
    listed = aigul.get(f"/cases/{case.pk}/screenings").json()
    assert [s["id"] for s in listed] == [created.json()["id"]]
    assert case.events.filter(kind=CaseEvent.Kind.SCREENING_SAVED).count() == 1


def test_outsider_cannot_read_a_screening(aigul, people):
    created = aigul.post(
        "/screenings", {"scope": "labour", "observations": [{"code": "DR-01"}]}
    ).json()
    response = ApiClient(people.outsider).get(f"/screenings/{created['id']}")
    assert response.status_code == 404


def test_unknown_list_is_a_readable_error(aigul):
    response = aigul.post("/screening/assess", {"lists": ["adult_organs"], "indicators": []})
    assert response.status_code == 400
