"""Intake scoring reads and normalises names only for persons who can still be shown, and shows
exactly what scoring everyone in full shows."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import TextField
from django.db.models.functions import Cast
from hypothesis import example, given
from hypothesis import strategies as st

from tirek.cases.models import Person
from tirek.matching import selectors
from tirek.matching.scoring import PersonRecord, ScoringModel, person_prepare, probability_of
from tirek.matching.selectors import Probe, persons_score, scoring_model
from tirek.testing.builders import case_build

# Names that agree, differ, swap, change script or carry a typo, and blanks.
NAMES = st.sampled_from([
    "", "Айгерим", "Aigerim", "Айгрим", "Жумабаева", "Zhumabayeva", "Jumabaeva", "Динара",
    "Кайратовна", "Kairat kizi", "Ерлан", "-",
])  # fmt: skip
DATES = st.sampled_from(["", "1994", "1995", "1994-03", "1994-03-12", "1994-12-03", "1995-03-12",
                         "1999-07-01", "1994-03-21"])  # fmt: skip
RECORDS = st.builds(
    PersonRecord, NAMES, NAMES, NAMES, st.sampled_from(["", "F", "M"]), DATES,
    st.sampled_from(["", "KAZ", "UZB"]),
)  # fmt: skip


@given(RECORDS, RECORDS, st.tuples(st.booleans(), st.booleans(), st.booleans()))
@example(  # only the given name unread: it decides whether the known family name is swapped
    PersonRecord("Айгерим", "Жумабаева", "", "F", "1994-03-12"),
    PersonRecord("Zhumabayeva", "Aigerim", "", "F", "1994-03-12"),
    (True, False, False),
)
def test_weight_bound_is_never_below_the_score(a, b, unread):
    model = ScoringModel.load()
    blanked = PersonRecord(
        "" if unread[0] else b.given_name, "" if unread[1] else b.family_name,
        "" if unread[2] else b.patronymic, b.sex, b.birth_date, b.citizenship,
    )  # fmt: skip
    bound = model.weight_bound(person_prepare(a), person_prepare(blanked), unread=unread)
    assert bound >= model.score(person_prepare(a), person_prepare(b)).weight - 1e-9


def test_weight_bound_with_every_name_read_is_the_score():
    model = ScoringModel.load()
    a = person_prepare(PersonRecord("Айгерим", "Жумабаева", "", "F", "1994-03-12", "KAZ"))
    b = person_prepare(PersonRecord("Jumabaeva", "Aigerim", "Kairat kizi", "F", "1994", ""))
    bound = model.weight_bound(a, b, unread=(False, False, False))
    assert bound == pytest.approx(model.score(a, b).weight)


PROBE = Probe(given_name="Aigerim", family_name="Zhumabayeva", patronymic="Kairatovna",
              birth_date="1994-03-12", sex="F", citizenship="KAZ")  # fmt: skip


def _register(people, first, family, patronymic="", born=None, sex="F"):
    return case_build(
        people.aigul, first_name=first, family_name=family, patronymic=patronymic,
        birth_date=born, sex=sex, citizenship=["KAZ"],
    ).person_id  # fmt: skip


@pytest.fixture
def register(people):
    """Persons around the probe: the same woman in two scripts and with swapped names, a
    namesake born years apart, a sister, a brother, a stranger on the same day, a record
    without a given name, one without a date."""
    day = datetime.date(1994, 3, 12)
    return {
        "same": _register(people, "Айгерим", "ЖУМАБАЕВА", "Кайратовна", day),
        "swapped": _register(people, "Zhumabayeva", "Aigerim", "", datetime.date(1994, 12, 3)),
        "namesake": _register(
            people, "Айгерим", "Жумабаева", "Кайратовна", datetime.date(1971, 8, 30)
        ),  # fmt: skip
        "sister": _register(people, "Динара", "Жумабаева", "Кайратовна", day),
        "brother": _register(people, "Ерлан", "Жумабаев", "Кайратович", day, sex="M"),
        "stranger": _register(people, "Ерлан", "Сейткали", "Болатович", day, sex="M"),
        "no given name": _register(people, "", "Zhumabayeva", "", day),
        "no date": _register(people, "Айгерим", "Жумабаева", "", None),
    }


def _scored_in_full(probe, person_ids):
    """What the search showed before the bound: every person decrypted and scored."""
    model = scoring_model()
    prepared = person_prepare(probe.record())
    scored = []
    for person in Person.objects.filter(pk__in=person_ids):
        record = selectors.person_record(person, citizenship_hint=prepared.citizenship)
        score = model.score(prepared, person_prepare(record))
        if score.probability >= 0.05:
            scored.append((person.pk, score.weight, person.first_name, person.birth_date))
    return sorted(scored, key=lambda s: (-s[1], str(s[0])))


@pytest.mark.parametrize("minimum", [0.05, 0.5, 0.9])
def test_bounded_scoring_keeps_everyone_full_scoring_keeps(register, minimum):
    ids = list(register.values())
    full = [s for s in _scored_in_full(PROBE, ids) if probability_of(s[1]) >= minimum]
    bounded = [
        (s.person.pk, s.score.weight, s.person.first_name, s.person.birth_date)
        for s in persons_score(PROBE, ids, minimum=minimum)
    ]
    assert bounded == full


def test_names_of_a_person_born_years_apart_are_not_decrypted(register, monkeypatch):
    opened = []
    unseal = selectors._unseal

    def unseal_recorded(sealed):
        opened.append(sealed)
        return unseal(sealed)

    monkeypatch.setattr(selectors, "_unseal", unseal_recorded)
    namesake = (
        Person.objects.filter(pk=register["namesake"])
        .values_list(Cast("first_name", TextField()), flat=True)
        .get()
    )
    persons_score(PROBE, list(register.values()))
    assert (namesake not in opened, len(opened) > 0) == (True, True)


def test_a_shown_person_reads_her_other_fields_from_the_database(register):
    shown = persons_score(PROBE, [register["same"]])[0].person
    assert (shown.family_name, shown.primary_language, shown.cases.count()) == (
        "ЖУМАБАЕВА",
        "kk",
        1,
    )
