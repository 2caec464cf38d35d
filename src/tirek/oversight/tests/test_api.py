from __future__ import annotations

import pytest

from tirek.core.models import AuditEvent
from tirek.oversight.models import BreakGlassAccess
from tirek.oversight.services import Action
from tirek.testing.api import ApiClient

REASON = "Police found her at the station at night and she needs shelter now."


def test_supervisor_breaks_glass_through_the_api(oversight):
    response = ApiClient(oversight.police_chief).post(
        "/break-glass", {"case_reference": oversight.case.reference, "reason": REASON}
    )
    assert (response.status_code, response.json()["case_id"]) == (201, str(oversight.case.pk))


def test_api_break_glass_opens_the_case(oversight):
    api = ApiClient(oversight.police_chief)
    api.post("/break-glass", {"case_reference": oversight.case.reference, "reason": REASON})
    assert api.get(f"/cases/{oversight.case.pk}").status_code == 200


def test_api_unknown_reference_is_404(oversight):
    response = ApiClient(oversight.police_chief).post(
        "/break-glass", {"case_reference": "TK-AAAAAAAA", "reason": REASON}
    )
    assert response.status_code == 404


def test_api_case_worker_cannot_break_glass(oversight):
    response = ApiClient(oversight.people.nurlan).post(
        "/break-glass", {"case_reference": oversight.case.reference, "reason": REASON}
    )
    assert (response.status_code, BreakGlassAccess.objects.count()) == (403, 0)


def test_api_review(oversight):
    access_id = (
        ApiClient(oversight.police_chief)
        .post("/break-glass", {"case_reference": oversight.case.reference, "reason": REASON})
        .json()["id"]
    )
    response = ApiClient(oversight.centre_chief).post(
        f"/break-glass/{access_id}/review", {"justified": False, "comment": "No emergency."}
    )
    assert response.json()["review"] == "not_justified"


def test_api_review_list_for_the_owning_agency(oversight):
    ApiClient(oversight.police_chief).post(
        "/break-glass", {"case_reference": oversight.case.reference, "reason": REASON}
    )
    assert ApiClient(oversight.centre_chief).get("/break-glass/review").json()["count"] == 1


def test_api_dpo_queries_the_audit_log(oversight):
    response = ApiClient(oversight.commission_dpo).get(
        f"/audit/events?case_reference={oversight.case.reference}&kind=case_registered"
    )
    assert [i["case_reference"] for i in response.json()["items"]] == [oversight.case.reference]


@pytest.mark.parametrize("persona", ["aigul", "outsider", "system_admin"])
def test_api_audit_log_is_404_for_others(oversight, persona):
    assert ApiClient(getattr(oversight.people, persona)).get("/audit/events").status_code == 404


def test_api_dpo_exports_csv_and_it_is_recorded(oversight):
    response = ApiClient(oversight.centre_dpo).post("/audit/export", {})
    assert response["Content-Type"].startswith("text/csv")
    assert AuditEvent.objects.filter(action=Action.AUDIT_EXPORTED).count() == 1
