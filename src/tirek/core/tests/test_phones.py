"""Phone numbers as E.164 with a Kazakhstan default (issue 9 item 4)."""

from __future__ import annotations

import pytest

from tirek.core.phones import NotAPhoneNumber, phone_normalize


@pytest.mark.parametrize(
    "typed",
    ["+77012345678", "+7 (701) 234-56-78", "8 701 234 56 78", "87012345678", " 7012345678 "],
)
def test_kazakh_mobile_numbers_written_any_usual_way_are_one_number(typed):
    assert phone_normalize(typed) == "+77012345678"


def test_a_number_from_abroad_keeps_its_country_code():
    assert phone_normalize("+998 90 123 45 67") == "+998901234567"


def test_an_empty_number_stays_empty():
    assert phone_normalize("  ") == ""


@pytest.mark.parametrize("typed", ["12", "abc", "+7 701", "8 000 000 00 00 00 00"])
def test_what_cannot_be_dialled_is_refused(typed):
    with pytest.raises(NotAPhoneNumber):
        phone_normalize(typed)


def test_normalising_twice_changes_nothing():
    once = phone_normalize("8 (727) 250-00-00")
    assert phone_normalize(once) == once
