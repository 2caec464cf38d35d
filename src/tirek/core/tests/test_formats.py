"""Dates day first and a 24-hour clock in Kazakh, Russian and English (issue 9 item 2)."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from tirek.core.formats import export_date, export_datetime
from tirek.core.forms import DateInput

LANGUAGES = ["kk", "ru", "en"]
BIRTH = datetime.date(1998, 4, 12)
ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
AFTERNOON = datetime.datetime(2026, 3, 5, 9, 20, tzinfo=datetime.UTC)  # 14:20 in Almaty


def render(template: str, **context: object) -> str:
    return Template(template).render(Context(context))


@pytest.mark.parametrize("language", LANGUAGES)
def test_short_date_is_day_month_year(language):
    with translation.override(language):
        assert render('{{ d|date:"SHORT_DATE_FORMAT" }}', d=BIRTH) == "12.04.1998"


@pytest.mark.parametrize("language", LANGUAGES)
def test_short_datetime_is_local_and_on_a_24_hour_clock(language, settings):
    settings.TIME_ZONE = "Asia/Almaty"
    with translation.override(language):
        shown = render('{{ t|date:"SHORT_DATETIME_FORMAT" }}', t=AFTERNOON)
    assert shown == "05.03.2026 14:20"


@pytest.mark.parametrize("language", LANGUAGES)
def test_time_has_no_am_or_pm(language):
    with translation.override(language):
        assert render('{{ t|time:"TIME_FORMAT" }}', t=datetime.time(23, 5)) == "23:05"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("kk", "12.04.1998"), ("ru", "12 апреля 1998 г."), ("en", "12 April 1998")],
)
def test_long_date_keeps_the_day_first(language, expected):
    with translation.override(language):
        assert render("{{ d|date }}", d=BIRTH) == expected


class BirthForm(forms.Form):
    born = forms.DateField(widget=DateInput())


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("typed", ["12.04.1998", "1998-04-12", "12,04,1998", "12-04-1998"])
def test_date_fields_read_day_first_and_iso(language, typed):
    with translation.override(language):
        form = BirthForm({"born": typed})
        assert form.is_valid() and form.cleaned_data["born"] == BIRTH


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_us_order_date_is_refused_rather_than_misread(language):
    with translation.override(language):
        assert not BirthForm({"born": "04/12/1998"}).is_valid()


@pytest.mark.parametrize("language", LANGUAGES)
def test_date_input_shows_the_date_day_first_with_a_hint(language):
    with translation.override(language):
        html = str(BirthForm(initial={"born": BIRTH})["born"])
    assert 'value="12.04.1998"' in html and 'type="text"' in html and "placeholder=" in html


@pytest.mark.parametrize(
    ("language", "hint"), [("kk", "кк.аа.жжжж"), ("ru", "дд.мм.гггг"), ("en", "dd.mm.yyyy")]
)
def test_date_input_hint_is_in_the_language_of_the_page(language, hint):
    with translation.override(language):
        assert f'placeholder="{hint}"' in str(BirthForm()["born"])


def test_exports_write_dates_day_first():
    assert export_date(BIRTH) == "12.04.1998" and export_date(None) == ""


def test_exports_write_moments_in_local_time_on_a_24_hour_clock(settings):
    settings.TIME_ZONE = "Asia/Almaty"
    assert export_datetime(AFTERNOON) == "05.03.2026 14:20:00"
