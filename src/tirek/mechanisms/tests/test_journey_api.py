"""Issue 11's "Done when", through the API only: the coordinator imports Almaty's mechanism and
puts it in force; a case goes identification → crisis centre → medical and legal referrals →
embassy for the return, with due times; a declined referral is re-sent elsewhere; an overdue one
escalates to the coordinator; every agency sees only what it was granted. The file round-trips
through export and import, and two drafts are compared side by side."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine

from tirek.mechanisms.deadlines import deadlines_sweep
from tirek.mechanisms.tests.journey import PERSON, VICTIM, journey_build, mechanism_file
from tirek.testing.api import ApiClient
from tirek.testing.personas import Personas
from tirek.testing.tasks import tasks_run_pending

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 11, 30, 9, 0, tzinfo=datetime.UTC)  # a Monday


def _ok(answer: Any, status: int = 200) -> Any:
    assert answer.status_code == status, answer.content
    return answer.json()


def _checklist(client: ApiClient, case_id: str) -> dict[str, dict[str, Any]]:
    items = _ok(client.get(f"/cases/{case_id}/checklist"))["items"]
    return {item["step_code"]: item for item in items}


def _refer(
    client: ApiClient, case_id: str, to: object, service: int, sections: list[str]
) -> dict[str, Any]:
    consent = _ok(
        client.post(
            f"/cases/{case_id}/consents",
            {"method": "written", "sections": sections, "recipient_agency_id": None},
        ),
        201,
    )
    payload = {
        "cas_ReferredOrganisation": str(to),
        "service_type_id": service,
        "consent_id": consent["id"],
        "sections": sections,
    }
    referral: dict[str, Any] = _ok(client.post(f"/cases/{case_id}/referrals", payload), 201)
    return referral


def _stage(client: ApiClient, case_id: str, stage: str) -> None:
    case = _ok(client.get(f"/cases/{case_id}"))
    _ok(client.post(f"/cases/{case_id}/stage", {"version": case["version"], "nrm_stage": stage}))


def test_the_journey_through_the_api(people: Personas, mailoutbox: list[Any]) -> None:
    journey = journey_build(people)
    coordinator = ApiClient(journey.coordinator)
    police, centre = ApiClient(people.nurlan), ApiClient(people.aigul)
    hospital, clinic = ApiClient(journey.hospital), ApiClient(journey.clinic)
    lawyer, embassy = ApiClient(journey.lawyer), ApiClient(people.erlan)
    employment = ApiClient(people.dana)  # takes no part in the journey

    # The coordinator imports the mechanism and puts it in force.
    document = mechanism_file(journey)
    mechanism = _ok(coordinator.post("/mechanisms/import", document), 201)
    assert mechanism["status"] == "draft" and len(mechanism["steps"]) == 4
    _ok(coordinator.post(f"/mechanisms/{mechanism['id']}/in-force"))
    assert police.post(f"/mechanisms/{mechanism['id']}/in-force").status_code == 403

    # Export, import again: the same mechanism; a working group changes its copy; compared.
    exported = _ok(coordinator.get(f"/mechanisms/{mechanism['id']}/export"))
    copy = _ok(coordinator.post("/mechanisms/import", exported), 201)
    assert _ok(coordinator.get(f"/mechanisms/{copy['id']}/export"))["steps"] == exported["steps"]
    medical_step = next(s for s in copy["steps"] if s["code"] == "medical-care")
    fields = ["code", "stage", "name_en", "action", "agency_type", "deadline_unit"]
    fields += ["counted_from", "escalate_after", "age_group", "citizenship", "exploitation"]
    changed = {name: medical_step[name] for name in fields} | {
        "service_type_id": medical_step["service_type"]["id"],
        "deadline_value": 2,
        "version": copy["version"],
    }
    _ok(coordinator.put(f"/mechanisms/{copy['id']}/steps/{medical_step['id']}", changed))
    compared = _ok(
        coordinator.get(f"/mechanisms/compare?left={mechanism['id']}&right={copy['id']}")
    )
    kinds = {row["code"]: (row["kind"], row["differences"]) for row in compared["steps"]}
    assert kinds["medical-care"] == ("changed", ["deadline_value"])
    assert kinds["legal-aid"] == ("same", [])

    with time_machine.travel(T0, tick=False):
        # Identification: the police register the case; the crisis centre step is due in 24 h.
        case = _ok(police.post("/cases", {"person": PERSON, "victim": VICTIM}), 201)
        case_id = case["id"]
        steps = _checklist(police, case_id)
        assert set(steps) == {"crisis-centre"}
        due = datetime.datetime.fromisoformat(steps["crisis-centre"]["due_at"])
        assert due == T0 + datetime.timedelta(hours=24)
        shelter = _refer(
            police,
            case_id,
            people.crisis_centre.pk,
            people.shelter_service.pk,
            ["identity", "victim"],
        )
        assert datetime.datetime.fromisoformat(shelter["due_at"]) == due
        _ok(centre.post(f"/referrals/{shelter['id']}/accept"))
        _ok(centre.post(f"/referrals/{shelter['id']}/outcome", {"delivered": True}))
        assert _checklist(police, case_id)["crisis-centre"]["status"] == "done"

        # First assistance: medical care and legal aid, each with its due time.
        _stage(police, case_id, "first_assistance")
        steps = _checklist(police, case_id)
        assert {"medical-care", "legal-aid"} <= set(steps)
        assert steps["medical-care"]["due_at"] and steps["legal-aid"]["due_at"]
        medical = _refer(
            police, case_id, journey.hospital.agency.pk, journey.medical.pk, ["identity"]
        )
        legal = _refer(police, case_id, journey.lawyer.agency.pk, journey.legal.pk, ["identity"])
        # The hospital declines; the police re-send the referral to the clinic in one step.
        _ok(hospital.post(f"/referrals/{medical['id']}/decline", {"reason": "No free beds"}))
        resent = _ok(
            police.post(
                f"/referrals/{medical['id']}/resend",
                {"cas_ReferredOrganisation": str(journey.clinic.agency.pk)},
            ),
            201,
        )
        assert resent["cas_ReferredOrganisation"]["id"] == str(journey.clinic.agency.pk)
        _ok(clinic.post(f"/referrals/{resent['id']}/accept"))
        _ok(clinic.post(f"/referrals/{resent['id']}/outcome", {"delivered": True}))
        assert _checklist(police, case_id)["medical-care"]["status"] == "done"
        _ok(lawyer.post(f"/referrals/{legal['id']}/accept"))

        # Return: the embassy is to be contacted within 3 days; nobody answers.
        _stage(police, case_id, "return")
        embassy_step = _checklist(police, case_id)["embassy-contacted"]
        assert embassy_step["due_at"]
        repatriation = _refer(
            police, case_id, people.embassy.pk, journey.repatriation.pk, ["identity"]
        )
        tasks_run_pending()

    # Six days later both deadlines of the embassy step have passed: the sweep escalates it.
    with time_machine.travel(T0 + datetime.timedelta(days=6), tick=False):
        mailoutbox.clear()
        assert deadlines_sweep.call()["escalated"] == 1
        tasks_run_pending()
        assert journey.coordinator.user.email in {to for m in mailoutbox for to in m.to}
        late = [r for r in _ok(coordinator.get("/mechanisms/open-steps")) if r["escalated"]]
        embassy_row = next(r for r in late if r["step_code"] == "embassy-contacted")
        assert embassy_row["overdue"] and embassy_row["late_agency"]["id"] == str(people.embassy.pk)
        assert case["reference"] not in str(late)  # the coordinator sees steps, not the person
        assert _ok(police.get(f"/referrals/{repatriation['id']}"))["overdue"]
        _ok(embassy.post(f"/referrals/{repatriation['id']}/accept"))

    # Each agency sees only what it was granted.
    assert employment.get(f"/cases/{case_id}").status_code == 404
    assert _ok(employment.get("/referrals/inbox"))["items"] == []
    assert hospital.get(f"/cases/{case_id}").status_code == 404  # it declined
    assert coordinator.get(f"/cases/{case_id}").status_code == 404  # configures, reads no case
    seen_by_lawyer = _ok(lawyer.get(f"/cases/{case_id}"))
    assert seen_by_lawyer["person"]["prs_SecondName"] == "Synthetova"  # identity: granted
    assert not seen_by_lawyer.get("victim")  # the victim section was not granted to it
    assert _ok(centre.get(f"/cases/{case_id}"))["victim"]  # the crisis centre was granted it
    assert _ok(lawyer.get(f"/cases/{case_id}/checklist"))["items"] == []  # the owner's work
    assert len(_checklist(police, case_id)) == 4
