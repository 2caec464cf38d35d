from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
import time_machine
from django.utils import timezone

from tirek.cases.models import CaseEvent
from tirek.core.errors import NotFound
from tirek.core.models import AuditEvent
from tirek.oversight.selectors import AuditFilter, audit_events, audit_rows, audit_scope
from tirek.oversight.services import Action, audit_export, break_glass_open
from tirek.testing.builders import case_build

REASON = "She called the hotline from a construction site and is in danger now."


def rows(actor, **filters):
    return audit_rows(audit_events(actor=actor, filters=AuditFilter(**filters)))


def test_commission_dpo_sees_every_agency(oversight):
    assert audit_scope(actor=oversight.commission_dpo).is_all


def test_agency_dpo_sees_only_their_agency(oversight):
    scope = audit_scope(actor=oversight.centre_dpo)
    assert scope.agency_id == oversight.people.crisis_centre.pk


@pytest.mark.parametrize("persona", ["aigul", "nurlan", "outsider", "agency_admin", "system_admin"])
def test_only_data_protection_officers_see_the_audit_log(oversight, persona):
    with pytest.raises(NotFound):
        audit_events(actor=getattr(oversight.people, persona), filters=AuditFilter())


def test_supervisor_does_not_see_the_audit_log(oversight):
    with pytest.raises(NotFound):
        audit_scope(actor=oversight.police_chief)


def test_filter_by_case_reference(oversight):
    other = case_build(oversight.people.aigul, first_name="Othergul")
    found = rows(oversight.commission_dpo, case_reference=oversight.case.reference)
    assert {r.case_reference for r in found} == {oversight.case.reference}
    assert other.reference not in {r.case_reference for r in found}


def test_filter_by_person_finds_all_their_cases(oversight):
    second = case_build(oversight.people.aigul)
    second.person = oversight.case.person
    second.save(update_fields=["person"])
    found = rows(oversight.commission_dpo, person_reference=oversight.case.reference)
    assert {r.case_reference for r in found} == {oversight.case.reference, second.reference}


def test_unknown_reference_finds_nothing(oversight):
    assert rows(oversight.commission_dpo, case_reference="TK-AAAAAAAA") == []


def test_filter_by_kind(oversight):
    found = rows(oversight.commission_dpo, kind=CaseEvent.Kind.CASE_REGISTERED)
    assert [r.what for r in found] == [CaseEvent.Kind.CASE_REGISTERED]


def test_filter_by_audit_action(oversight):
    with pytest.raises(NotFound):
        break_glass_open(actor=oversight.police_chief, case_reference="TK-AAAAAAAA", reason=REASON)
    found = rows(oversight.commission_dpo, kind=Action.REFUSED)
    assert [(r.source, r.user) for r in found] == [("audit", "bolat")]


def test_filter_by_user(oversight):
    case_build(oversight.people.nurlan)
    found = rows(oversight.commission_dpo, user_id=oversight.people.nurlan.user.pk)
    assert {r.user for r in found} == {"nurlan"}


def test_filter_by_agency(oversight):
    case_build(oversight.people.nurlan)
    found = rows(oversight.commission_dpo, agency_id=oversight.people.police.pk)
    assert {r.agency for r in found} == {oversight.people.police.name}


def test_filter_by_time_range(oversight):
    past = timezone.now() - datetime.timedelta(days=30)
    with time_machine.travel(past, tick=False):
        old = case_build(oversight.people.aigul)
    today = timezone.localdate()
    found = rows(oversight.commission_dpo, date_from=today, date_to=today)
    assert old.reference not in {r.case_reference for r in found}
    assert oversight.case.reference in {r.case_reference for r in found}


def test_agency_dpo_does_not_see_other_agencies_cases(oversight):
    police_case = case_build(oversight.people.nurlan)
    found = rows(oversight.centre_dpo)
    assert police_case.reference not in {r.case_reference for r in found}


def test_agency_dpo_sees_another_agencys_break_glass_into_their_case(oversight):
    break_glass_open(
        actor=oversight.police_chief, case_reference=oversight.case.reference, reason=REASON
    )
    found = rows(oversight.centre_dpo, kind=CaseEvent.Kind.BREAK_GLASS_OPENED)
    assert [(r.user, r.case_reference) for r in found] == [("bolat", oversight.case.reference)]


def test_rows_are_newest_first(oversight):
    later = timezone.now() + datetime.timedelta(minutes=5)
    with time_machine.travel(later, tick=False):
        newer = case_build(oversight.people.aigul)
    assert rows(oversight.commission_dpo)[0].case_reference == newer.reference


def test_audit_log_pages(oversight):
    events = audit_events(actor=oversight.commission_dpo, filters=AuditFilter())
    total = events.count()
    assert len(audit_rows(events[1 : total + 5])) == total - 1


def test_export_is_csv_with_references_and_user_names(oversight):
    text, count = audit_export(
        actor=oversight.commission_dpo,
        filters=AuditFilter(case_reference=oversight.case.reference),
    )
    table = list(csv.DictReader(io.StringIO(text)))
    assert (count, table[0]["case_reference"], table[0]["user"]) == (
        len(table),
        oversight.case.reference,
        "aigul",
    )


def test_export_holds_no_personal_data(oversight):
    text, _count = audit_export(actor=oversight.commission_dpo, filters=AuditFilter())
    for secret in ("Testgul", "Synthetova", "Fictionovna", "1999"):
        assert secret not in text


def test_export_is_recorded(oversight):
    audit_export(
        actor=oversight.centre_dpo, filters=AuditFilter(case_reference=oversight.case.reference)
    )
    event = AuditEvent.objects.get(action=Action.AUDIT_EXPORTED)
    assert (event.actor_user_id, event.data["filters"]) == (
        oversight.centre_dpo.user.pk,
        {"case_reference": oversight.case.reference},
    )


def test_export_refused_to_a_case_worker(oversight):
    with pytest.raises(NotFound):
        audit_export(actor=oversight.people.aigul, filters=AuditFilter())


def test_export_guards_against_spreadsheet_formulas(oversight):
    oversight.people.aigul.user.username = "=cmd"
    oversight.people.aigul.user.save()
    text, _count = audit_export(actor=oversight.commission_dpo, filters=AuditFilter())
    assert "'=cmd" in text


def test_export_writes_times_in_local_time_day_first(oversight, settings):
    settings.TIME_ZONE = "Asia/Almaty"
    text, _count = audit_export(actor=oversight.commission_dpo, filters=AuditFilter())
    table = list(csv.DictReader(io.StringIO(text)))
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4} \d\d:\d\d:\d\d", table[0]["at (Asia/Almaty)"])
