"""A person's age on a day: from the birth date, or from an estimate that grows with time."""

from __future__ import annotations

import datetime

from hypothesis import given
from hypothesis import strategies as st

from tirek.cases.models import Person

ESTIMATED_ON = datetime.date(2026, 12, 31)


def test_an_estimated_age_does_not_grow_at_the_new_year() -> None:
    person = Person(approximate_age=17, age_estimated_on=ESTIMATED_ON)
    assert person.age_on(datetime.date(2027, 1, 1)) == 17  # a child the day after, still


def test_an_estimated_age_grows_a_year_after_the_estimate() -> None:
    person = Person(approximate_age=17, age_estimated_on=ESTIMATED_ON)
    ages = [person.age_on(datetime.date(2027, 12, day)) for day in (30, 31)]
    assert ages == [17, 18]


@given(
    estimated_on=st.dates(datetime.date(2000, 1, 1), datetime.date(2040, 12, 31)),
    age=st.integers(0, 120),
    days=st.integers(0, 40000),
)
def test_an_estimated_age_grows_as_a_birth_date_would(
    estimated_on: datetime.date, age: int, days: int
) -> None:
    """The estimate ages like a person born on the estimate's day ``age`` years earlier."""
    day = estimated_on + datetime.timedelta(days=days)
    estimated = Person(approximate_age=age, age_estimated_on=estimated_on)
    born = Person(birth_date=estimated_on)
    assert estimated.age_on(day) == age + born.age_on(day)  # type: ignore[operator]
