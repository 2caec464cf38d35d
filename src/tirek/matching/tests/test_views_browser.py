"""Intake matching in a real browser: typing a Latin name on the registration page shows the
Cyrillic record of the worker's agency, and only the neutral flag for another agency's."""

from __future__ import annotations

import datetime

from tirek.testing.builders import case_build
from tirek.testing.personas import personas_create
from tirek.web.tests.test_browser import browser_page, http_live_server, pytestmark, sign_in

__all__ = ["browser_page", "http_live_server", "pytestmark"]


def test_typing_a_latin_name_shows_the_cyrillic_record(browser_page, http_live_server):
    people = personas_create()
    own = case_build(people.aigul, family_name="ЖУМАБАЕВА", first_name="Айгерим",
                     patronymic="Кайратовна", birth_date=datetime.date(1994, 3, 12))  # fmt: skip
    case_build(people.nurlan, family_name="Жумабаева", first_name="Айгерим",
               patronymic="", birth_date=datetime.date(1994, 3, 12))  # fmt: skip
    page, base = browser_page, http_live_server.url
    sign_in(page, base, "aigul")
    page.goto(f"{base}/cases/new/")
    page.get_by_label("Family name").fill("Zhumabayeva")
    page.get_by_label("Given name").fill("Aigerim")
    page.locator("#id_birth_date").fill("1994-03-12")
    results = page.locator("#match-results")
    # Results refresh while typing (debounced): wait for the answer to the full entry, which has
    # the birth date and so makes the other agency's record a strong (flagged) match.
    results.get_by_text("A possible match exists at another agency").wait_for()
    assert own.reference in results.inner_text()


def test_search_first_finds_the_person_in_another_alphabet(browser_page, http_live_server):
    people = personas_create()
    own = case_build(people.aigul, family_name="Образцова", first_name="Ольга",
                     patronymic="", birth_date=datetime.date(1990, 6, 2))  # fmt: skip
    mixed = case_build(people.aigul, family_name="Тоқтарова", first_name="Айгүл",
                       patronymic="", birth_date=datetime.date(1993, 1, 5))  # fmt: skip
    page, base = browser_page, http_live_server.url
    sign_in(page, base, "aigul")
    page.goto(f"{base}/cases/new/")
    results = page.locator("#search-results")
    page.get_by_label("Name", exact=True).fill("Obraztsova Olga")
    results.get_by_text(own.reference).wait_for()
    assert "among the cases you can see" in results.inner_text()
    # A Latin "A" typed among Cyrillic letters.
    page.get_by_label("Name", exact=True).fill("Aйгүл")
    results.get_by_text(mixed.reference).wait_for()
    assert own.reference not in results.inner_text()
