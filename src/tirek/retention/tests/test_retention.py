"""Retention: cases closed longer than the period are anonymised, keeping statistics only."""

from __future__ import annotations

import datetime
import io
import re

import pytest
import time_machine
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from tirek.cases.choices import AgeGroup, CaseStatus, Sex
from tirek.cases.models import Case, CaseEvent, Person
from tirek.cases.selectors import person_search
from tirek.cases.services import case_close
from tirek.core import crypto
from tirek.core.models import AuditEvent
from tirek.core.tests.test_encryption_at_rest import _dump
from tirek.matching.models import CandidateKey
from tirek.referrals.services import referral_decline
from tirek.retention.services import age_group, retention_apply
from tirek.testing.builders import case_build, referral_build
from tirek.testing.personas import personas_create

CLOSED_ON = datetime.datetime(2020, 3, 2, 10, 0, tzinfo=datetime.UTC)
DAYS = 1826
SECRETS = ["Zhyldyzbekova", "Qundyzaigul", "Temirbolatovna", "+77015550123", "hidden.dove@"]


def _closed_case(actor, **person):
    """A case registered and closed on CLOSED_ON (time-machine)."""
    with time_machine.travel(CLOSED_ON, tick=False):
        case = case_build(actor, **person)
        return case_close(
            actor=actor,
            case=case,
            expected_version=case.version,
            status=CaseStatus.CLOSED,
            reason="Closed after return to Qundyzaigul's family",
        )


def _closed_case_with_declined_referral(people, *, reason: str, **person):
    """A case referred (and declined with ``reason``), then closed, all on CLOSED_ON."""
    with time_machine.travel(CLOSED_ON, tick=False):
        case = case_build(people.aigul, **person)
        referral = referral_build(
            people.aigul, case, to=people.employment, service=people.employment_service
        )
        referral_decline(actor=people.dana, referral_id=referral.pk, reason=reason)
        case.refresh_from_db()
        case = case_close(
            actor=people.aigul,
            case=case,
            expected_version=case.version,
            status=CaseStatus.CLOSED,
            reason="Closed after return to Qundyzaigul's family",
        )
    return case, referral


def _run(day: datetime.date, *args: str) -> str:
    out = io.StringIO()
    moment = datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        call_command("retention", "apply", *args, stdout=out)
    return out.getvalue()


def _anonymised(case: Case) -> bool:
    return Case.objects.get(pk=case.pk).anonymised_at is not None


def test_a_case_closed_within_the_period_is_kept(people, settings):
    settings.TIREK_RETENTION_DAYS = DAYS
    case = _closed_case(people.aigul)
    _run(CLOSED_ON.date() + datetime.timedelta(days=DAYS - 1))
    assert not _anonymised(case)


def test_a_case_closed_longer_than_the_period_is_anonymised(people, settings):
    settings.TIREK_RETENTION_DAYS = DAYS
    case = _closed_case(people.aigul)
    _run(CLOSED_ON.date() + datetime.timedelta(days=DAYS))
    assert _anonymised(case)


def test_an_open_case_is_never_anonymised(people, settings):
    settings.TIREK_RETENTION_DAYS = DAYS
    with time_machine.travel(CLOSED_ON, tick=False):
        case = case_build(people.aigul)
    _run(CLOSED_ON.date() + datetime.timedelta(days=DAYS * 3))
    assert not _anonymised(case)


def test_the_period_is_configurable(people, settings):
    settings.TIREK_RETENTION_DAYS = 30
    case = _closed_case(people.aigul)
    _run(CLOSED_ON.date() + datetime.timedelta(days=30))
    assert _anonymised(case)


def test_anonymisation_erases_the_person(people):
    case = _closed_case(people.aigul, mobile_phone="+77015550123", email="a@example.org")
    retention_apply(today=CLOSED_ON.date(), days=0)
    person = Person.objects.get(pk=case.person_id)
    assert (
        person.full_name,
        person.birth_date,
        person.mobile_phone,
        person.email,
        person.citizenship,
    ) == ("", None, "", "", [])


def test_anonymisation_deletes_the_search_index(people):
    case = _closed_case(people.aigul)
    assert CandidateKey.objects.filter(person_id=case.person_id).exists()
    retention_apply(today=CLOSED_ON.date(), days=0)
    assert not CandidateKey.objects.filter(person_id=case.person_id).exists()


def test_person_search_no_longer_finds_an_anonymised_person(people):
    _closed_case(people.aigul, family_name="Qundyzaigul")
    retention_apply(today=CLOSED_ON.date(), days=0)
    assert person_search(actor=people.aigul, name="Qundyzaigul") == []


def test_anonymisation_keeps_statistics(people):
    case = _closed_case(
        people.aigul, sex=Sex.FEMALE, birth_date=datetime.date(2004, 6, 1), citizenship=["UZB"]
    )
    retention_apply(today=CLOSED_ON.date(), days=0)
    case.refresh_from_db()
    assert (case.stats_age_group, case.stats_sex, case.stats_citizenship) == (
        AgeGroup.CHILD_12_17,
        Sex.FEMALE,
        ["UZB"],
    )


def test_anonymisation_keeps_the_trafficking_details(people):
    case = _closed_case(people.aigul)
    retention_apply(today=CLOSED_ON.date(), days=0)
    case.refresh_from_db()
    assert case.types_of_exploitation == ["ForcedLabour"]


def test_anonymisation_blanks_free_text(people):
    case, referral = _closed_case_with_declined_referral(people, reason="Asked her brother")
    retention_apply(today=CLOSED_ON.date(), days=0)
    referral.refresh_from_db()
    case.refresh_from_db()
    texts = [referral.message, referral.decision_reason, case.closure_reason]
    texts += [e.description + e.city for e in case.historic_events.all()]
    assert [t for t in texts if t] == []


def test_anonymisation_records_an_event_and_an_audit_entry(people):
    case = _closed_case(people.aigul)
    retention_apply(today=CLOSED_ON.date(), days=0)
    assert (
        CaseEvent.objects.filter(case=case).values_list("kind", flat=True).last(),
        AuditEvent.objects.filter(action="retention.applied").count(),
    ) == (CaseEvent.Kind.CASE_ANONYMISED, 1)


def test_a_second_run_changes_nothing(people, settings):
    settings.TIREK_RETENTION_DAYS = DAYS
    _closed_case(people.aigul)
    day = CLOSED_ON.date() + datetime.timedelta(days=DAYS + 10)
    _run(day)
    events = CaseEvent.objects.count(), AuditEvent.objects.count()
    output = _run(day)
    assert (
        "Cases anonymised: 0" in output,
        (CaseEvent.objects.count(), AuditEvent.objects.count()),
    ) == (
        True,
        events,
    )


def test_dry_run_changes_nothing(people, settings):
    settings.TIREK_RETENTION_DAYS = DAYS
    case = _closed_case(people.aigul)
    output = _run(CLOSED_ON.date() + datetime.timedelta(days=DAYS + 1), "--dry-run")
    assert ("Cases would be anonymised: 1" in output, _anonymised(case)) == (True, False)


def test_the_command_reports_counts_without_names(people, settings):
    settings.TIREK_RETENTION_DAYS = DAYS
    _closed_case(people.aigul)
    output = _run(CLOSED_ON.date() + datetime.timedelta(days=DAYS + 1))
    assert ("Cases anonymised: 1" in output, "Synthetova" in output) == (True, False)


def test_a_person_with_another_open_case_is_kept(people):
    case = _closed_case(people.aigul)
    Case.objects.create(
        person_id=case.person_id, owner_agency=people.police, case_worker=people.nurlan.user
    )
    report = retention_apply(today=CLOSED_ON.date(), days=0)
    assert (report.cases_kept_for_open_cases, _anonymised(case)) == (1, False)


def test_an_anonymised_case_cannot_be_reopened(people):
    from tirek.cases.services import case_reopen
    from tirek.core.errors import InvalidState

    case = _closed_case(people.aigul)
    retention_apply(today=CLOSED_ON.date(), days=0)
    case.refresh_from_db()
    with pytest.raises(InvalidState):
        case_reopen(actor=people.aigul, case=case, expected_version=case.version)


@given(st.integers(min_value=0, max_value=130))
def test_every_age_has_exactly_one_known_group(age):
    assert age_group(age) in set(AgeGroup.values) - {AgeGroup.UNKNOWN}


def test_a_child_of_17_is_in_the_12_17_group():
    assert (age_group(17), age_group(18)) == (AgeGroup.CHILD_12_17, AgeGroup.ADULT_18_24)


def test_an_unknown_age_is_unknown():
    assert age_group(None) == AgeGroup.UNKNOWN


@pytest.mark.django_db(transaction=True)
def test_nothing_identifying_remains_in_the_database_dump():
    """Dump the database, decrypt every encrypted value in it: no name, contact or note left."""
    people = personas_create()
    _closed_case_with_declined_referral(
        people,
        reason=f"Asked {SECRETS[1]}",
        family_name=SECRETS[0],
        first_name=SECRETS[1],
        patronymic=SECRETS[2],
        mobile_phone=SECRETS[3],
        email=SECRETS[4] + "example.org",
        birth_date=datetime.date(1987, 11, 23),
    )
    retention_apply(today=CLOSED_ON.date(), days=0)
    dump = _dump()
    decrypted = [crypto.decrypt(t) for t in re.findall(r"enc1:[A-Za-z0-9_\-=]+", dump)]
    everything = (dump + "\n" + "\n".join(decrypted)).casefold()
    assert [s for s in SECRETS + ["1987-11-23"] if s.casefold() in everything] == []
