"""Transfers of case ownership through the HTTP API: propose, list, open, answer, conflicts."""

from __future__ import annotations

import pytest

from tirek.cases.choices import Section
from tirek.cases.models import CaseEvent
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build, consent_build, transfer_build


@pytest.fixture
def nurlan(people):
    return ApiClient(people.nurlan)


@pytest.fixture
def aigul(people):
    return ApiClient(people.aigul)


def test_the_owner_proposes_a_transfer(people, nurlan):
    case = case_build(people.nurlan)
    consent = consent_build(people.nurlan, case, sections=sorted(Section.values))
    response = nurlan.post(
        f"/cases/{case.pk}/transfers",
        {
            "to_agency_id": str(people.crisis_centre.pk),
            "consent_id": str(consent.pk),
            "kept_sections": ["proceedings"],
        },
    )
    assert (response.status_code, response.json()["status"]) == (201, "proposed")


def test_a_bad_proposal_names_every_field_in_a_400(people, nurlan):
    case = case_build(people.nurlan)
    partial = consent_build(people.nurlan, case)
    response = nurlan.post(
        f"/cases/{case.pk}/transfers",
        {
            "to_agency_id": str(people.police.pk),
            "consent_id": str(partial.pk),
            "kept_sections": ["nonsense"],
        },
    )
    fields = set(response.json()["errors"])
    assert (response.status_code, fields) == (400, {"to_agency_id", "consent_id", "kept_sections"})


def test_the_receiver_sees_a_summary_without_the_name(people, aigul):
    case = case_build(people.nurlan)
    transfer = transfer_build(people.nurlan, case, to=people.crisis_centre)
    response = aigul.get(f"/transfers/{transfer.pk}")
    assert response.status_code == 200 and "Synthetova" not in response.content.decode()


def test_opening_a_transfer_is_a_recorded_read(people, aigul):
    case = case_build(people.nurlan)
    transfer = transfer_build(people.nurlan, case, to=people.crisis_centre)
    aigul.get(f"/transfers/{transfer.pk}")
    assert case.events.filter(kind=CaseEvent.Kind.TRANSFER_VIEWED).count() == 1


def test_the_receivers_list_holds_the_waiting_transfer(people, aigul):
    case = case_build(people.nurlan)
    transfer = transfer_build(people.nurlan, case, to=people.crisis_centre)
    page = aigul.get("/transfers?status=proposed").json()
    assert [item["id"] for item in page["items"]] == [str(transfer.pk)]


def test_an_unknown_list_filter_is_a_400(people, aigul):
    assert aigul.get("/transfers?direction=sideways").status_code == 400


def test_accepting_gives_the_case_to_the_receiver(people, aigul):
    case = case_build(people.nurlan)
    transfer = transfer_build(people.nurlan, case, to=people.crisis_centre)
    aigul.post(f"/transfers/{transfer.pk}/accept")
    assert aigul.get(f"/cases/{case.pk}").status_code == 200


def test_the_loser_of_a_second_acceptance_gets_a_409(people, aigul):
    case = case_build(people.nurlan)
    transfer = transfer_build(people.nurlan, case, to=people.crisis_centre)
    aigul.post(f"/transfers/{transfer.pk}/accept")
    response = aigul.post(f"/transfers/{transfer.pk}/accept")
    assert (response.status_code, response.json()["code"]) == (409, "invalid_state")


def test_declining_without_a_reason_is_a_400(people, aigul):
    case = case_build(people.nurlan)
    transfer = transfer_build(people.nurlan, case, to=people.crisis_centre)
    assert aigul.post(f"/transfers/{transfer.pk}/decline", {"reason": ""}).status_code == 400


def test_the_proposer_withdraws(people, nurlan):
    case = case_build(people.nurlan)
    transfer = transfer_build(people.nurlan, case, to=people.crisis_centre)
    response = nurlan.post(f"/transfers/{transfer.pk}/withdraw")
    assert response.json()["status"] == "withdrawn"


def test_the_outsider_gets_a_404(people):
    case = case_build(people.nurlan)
    transfer = transfer_build(people.nurlan, case, to=people.crisis_centre)
    response = ApiClient(people.outsider).post(f"/transfers/{transfer.pk}/accept")
    assert response.status_code == 404


def test_the_previous_owner_reads_only_the_kept_sections(people, nurlan, aigul):
    case = case_build(people.nurlan)
    transfer = transfer_build(
        people.nurlan, case, to=people.crisis_centre, kept=[Section.PROCEEDINGS]
    )
    aigul.post(f"/transfers/{transfer.pk}/accept")
    body = nurlan.get(f"/cases/{case.pk}").content.decode()
    assert "Synthetova" not in body


@pytest.mark.parametrize(
    ("language", "proposed", "stopped"),
    [
        ("kk", "Ұсынылды, жауап күтілуде", None),
        ("ru", "Предложена, ожидает ответа", None),
        ("en", "Proposed, awaiting answer", "Stopped: the person withdrew consent"),
    ],
)
def test_reference_choices_list_the_transfer_statuses(aigul, language, proposed, stopped):
    """A client labels a transfer's ``status`` from the value set, in the caller's language."""
    response = aigul.get("/reference/choices", language=language)
    labels = {row["value"]: row["label"] for row in response.json()["transfer_status"]}
    assert list(labels) == ["proposed", "accepted", "declined", "withdrawn", "stopped"]
    assert labels["proposed"] == proposed
    if stopped:
        assert labels["stopped"] == stopped
    else:  # every status is translated
        english = ["Proposed", "Accepted", "Declined", "Withdrawn", "Stopped"]
        pairs = zip(labels.values(), english, strict=True)
        assert all(not label.startswith(word) for label, word in pairs)


def test_the_new_owner_reduces_what_the_previous_owner_keeps(people, aigul, nurlan):
    case = case_build(people.nurlan)
    kept = ["perpetrators", "proceedings"]
    transfer = transfer_build(people.nurlan, case, to=people.crisis_centre, kept=kept)
    accepted = aigul.post(f"/transfers/{transfer.pk}/accept").json()
    widen = {"version": accepted["version"], "kept_sections": [*kept, "identity"]}
    assert nurlan.post(f"/transfers/{transfer.pk}/kept", widen).status_code == 403
    refused = aigul.post(f"/transfers/{transfer.pk}/kept", widen)
    assert refused.status_code == 400 and "kept_sections" in refused.content.decode()
    body = {"version": accepted["version"], "kept_sections": ["proceedings"]}
    response = aigul.post(f"/transfers/{transfer.pk}/kept", body)
    assert (response.status_code, response.json()["kept_sections"]) == (200, ["proceedings"])
    stale = {"version": accepted["version"], "kept_sections": []}
    assert aigul.post(f"/transfers/{transfer.pk}/kept", stale).status_code == 409
