"""Timeline event data respects the sections granted: a receiver granted identity only never
reads trafficking details through an event (issue 8 item 8)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tirek.cases.choices import ALL_SECTIONS, Section
from tirek.cases.policy import EVENT_DATA_SECTIONS, event_data_visible
from tirek.referrals.services import referral_accept
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build, referral_build


def _identity_only_receiver_case(people):
    case = case_build(people.aigul)
    referral = referral_build(
        people.aigul,
        case,
        to=people.employment,
        service=people.employment_service,
        sections=[Section.IDENTITY],
    )
    referral_accept(actor=people.dana, referral_id=referral.pk)
    return case


def _registered(client, case) -> dict[str, object]:
    events = client.get(f"/cases/{case.pk}/events").json()
    return next(e for e in events if e["kind"] == "case_registered")["data"]


def test_a_receiver_granted_identity_only_does_not_see_the_trafficking_status(people):
    case = _identity_only_receiver_case(people)
    assert "trafficking_status" not in _registered(ApiClient(people.dana), case)


def test_a_receiver_granted_identity_only_still_sees_the_case_registered(people):
    case = _identity_only_receiver_case(people)
    assert _registered(ApiClient(people.dana), case) == {"reference": case.reference}


def test_the_owner_sees_the_trafficking_status_in_the_registration(people):
    case = _identity_only_receiver_case(people)
    assert "trafficking_status" in _registered(ApiClient(people.aigul), case)


def test_a_receiver_granted_victim_sees_the_trafficking_status(people):
    case = case_build(people.aigul)
    referral = referral_build(
        people.aigul, case, to=people.employment, service=people.employment_service
    )  # identity and victim
    referral_accept(actor=people.dana, referral_id=referral.pk)
    assert "trafficking_status" in _registered(ApiClient(people.dana), case)


KEYS = st.sampled_from(sorted(EVENT_DATA_SECTIONS) + ["reference", "status", "outcome"])
DATA = st.dictionaries(KEYS, st.text(max_size=5))


@given(data=DATA)
def test_every_section_granted_shows_the_whole_data(data):
    assert event_data_visible(data, sections=ALL_SECTIONS) == data


@given(data=DATA, sections=st.frozensets(st.sampled_from(sorted(ALL_SECTIONS - {"victim"}))))
def test_without_victim_no_trafficking_detail_passes(data, sections):
    visible = event_data_visible(data, sections=sections)
    assert [k for k in visible if EVENT_DATA_SECTIONS.get(k) == Section.VICTIM] == []


def test_an_event_of_a_section_keeps_its_data_for_the_holders_of_that_section():
    data = {"period_id": "1", "outcome": "recovered"}  # reflection period: section support
    assert (
        event_data_visible(data, sections=frozenset({"support"}), event_section="support") == data
    )
