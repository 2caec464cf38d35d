"""Reading the batch's CSV: encodings, delimiters, date forms, values not understood."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from tirek.matching.csv_input import (
    COLUMNS,
    SAVE_AS_UTF8,
    InputError,
    birth_date_read,
    records_normalize,
)

TODAY = dt.date(2026, 11, 30)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1994-03-12", "1994-03-12"),
        ("1994-3-2", "1994-03-02"),
        ("1994-03-12T00:00:00", "1994-03-12"),
        ("1994-03-12 00:00:00", "1994-03-12"),
        ("12.03.1994", "1994-03-12"),
        ("2.3.1994", "1994-03-02"),
        ("12/03/1994", "1994-03-12"),
        ("1994-03", "1994-03"),
        ("03.1994", "1994-03"),
        ("1994", "1994"),
        ("", ""),
        ("  ", ""),
    ],
)
def test_birth_dates_in_iso_day_first_year_month_and_year_forms_are_read(text, expected):
    assert birth_date_read(text, today=TODAY) == expected


@pytest.mark.parametrize(
    "text",
    ["1994-13-01", "31.02.1994", "1994-02-30", "1850", "2027", "2026-12-01", "12 марта 1994",
     "94", "1994/03/12", "unknown", "12.03.94"],
)  # fmt: skip
def test_dates_that_do_not_exist_or_are_in_an_unknown_form_are_not_read(text):
    assert birth_date_read(text, today=TODAY) is None


def _write(path, header, rows, *, encoding="utf-8", delimiter=","):
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _read(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


HEADER = ("record_id", "given_name", "family_name", "birth_date")
ROWS = [
    ("1", "Айгерим", "Жумабаева", "12.03.1994"),
    ("2", "Ерлан", "Сейткали", "1980-01"),
    ("3", "Динара", "Әбілқасымова", "1997"),
]


def test_absent_optional_columns_are_written_empty_and_reported(tmp_path):
    report = records_normalize(_write(tmp_path / "in.csv", HEADER, ROWS), tmp_path / "out.csv")
    rows = _read(tmp_path / "out.csv")
    assert tuple(rows[0]) == COLUMNS
    assert [(r["record_id"], r["birth_date"], r["patronymic"], r["sex"]) for r in rows] == [
        ("1", "1994-03-12", "", ""),
        ("2", "1980-01", "", ""),
        ("3", "1997", "", ""),
    ]
    assert report.records == 3
    assert report.absent_columns == ("patronymic", "sex", "citizenship")
    assert report.unparsed == ()


@pytest.mark.parametrize("encoding", ["cp1251", "utf-8-sig", "utf-16", "cp866", "koi8_r"])
def test_cyrillic_files_in_other_encodings_are_read_as_in_utf8(tmp_path, encoding):
    rows = [r for r in ROWS if r[0] != "3"]  # Kazakh letters do not exist in these encodings
    source = _write(tmp_path / "in.csv", HEADER, rows, encoding=encoding)
    report = records_normalize(source, tmp_path / "out.csv")
    assert [r["family_name"] for r in _read(tmp_path / "out.csv")] == ["Жумабаева", "Сейткали"]
    assert report.encoding == encoding


def test_kazakh_letters_in_the_kazakh_windows_encoding_are_read(tmp_path):
    source = _write(tmp_path / "in.csv", HEADER, ROWS, encoding="kz1048")
    report = records_normalize(source, tmp_path / "out.csv")
    assert report.encoding == "kz1048"
    assert _read(tmp_path / "out.csv")[2]["family_name"] == "Әбілқасымова"


def test_a_file_in_an_unknown_encoding_asks_to_save_it_as_utf8(tmp_path):
    source = tmp_path / "in.csv"
    source.write_bytes(b"record_id,given_name,family_name,birth_date\n" + bytes(range(128, 256)))
    with pytest.raises(InputError) as raised:
        records_normalize(source, tmp_path / "out.csv")
    assert str(raised.value) == SAVE_AS_UTF8


def test_semicolon_separated_files_from_a_russian_locale_spreadsheet_are_read(tmp_path):
    source = _write(tmp_path / "in.csv", HEADER, ROWS, delimiter=";")
    report = records_normalize(source, tmp_path / "out.csv")
    assert report.delimiter == ";"
    assert [r["given_name"] for r in _read(tmp_path / "out.csv")] == ["Айгерим", "Ерлан", "Динара"]


def test_values_not_understood_are_counted_per_column_with_their_lines(tmp_path):
    header = (*HEADER, "sex", "citizenship")
    rows = [
        ("1", "Айгерим", "Жумабаева", "1994-13-12", "Ж", "kaz"),
        ("2", "Ерлан", "Сейткали", "1980-01-20", "муж", "Казахстан"),
        ("3", "Динара", "Касымова", "вчера", "?", "KZ"),
        ("4", "Dmitry", "Ivanov", "", "male", ""),
    ]
    report = records_normalize(_write(tmp_path / "in.csv", header, rows), tmp_path / "out.csv")
    assert {(u.column, u.count, u.lines) for u in report.unparsed} == {
        ("birth_date", 2, (2, 4)),
        ("sex", 1, (4,)),
        ("citizenship", 1, (3,)),
    }
    written = _read(tmp_path / "out.csv")
    assert [(r["birth_date"], r["sex"], r["citizenship"]) for r in written] == [
        ("", "F", "KAZ"),
        ("1980-01-20", "M", ""),
        ("", "", "KZ"),
        ("", "M", ""),
    ]
    notes = report.notes()
    assert "birth_date: 2 values not understood (lines 2, 4); treated as missing." in notes
    assert not any("вчера" in n or "Казахстан" in n or "Айгерим" in n for n in notes)


def test_strict_makes_values_not_understood_an_error_naming_lines_not_values(tmp_path):
    rows = [("1", "Айгерим", "Жумабаева", "12 марта 1994")]
    with pytest.raises(InputError) as raised:
        records_normalize(_write(tmp_path / "in.csv", HEADER, rows), tmp_path / "o", strict=True)
    message = str(raised.value)
    assert "birth_date: 1 value not understood (lines 2)" in message
    assert "марта" not in message and "Айгерим" not in message


@pytest.mark.parametrize(
    ("header", "rows", "words"),
    [
        (HEADER, [("1", "Айгерим", "Жумабаева", ""), ("1", "Ерлан", "Сейткали", "")],
         "repeat a record_id used on an earlier line (lines 3)"),
        (HEADER, [("", "Айгерим", "Жумабаева", "")], "without a record_id on lines 2"),
        (HEADER, [], "header but no records"),
        (("record_id", "given_name", "surname", "birth_date"), [("1", "Айгерим", "Ж", "")],
         "Missing column(s): family_name"),
        (("record_id", "given_name", "family_name", "birth_date", "birth_date"),
         [("1", "Айгерим", "Жумабаева", "", "")], "named twice in the header: birth_date"),
    ],
)  # fmt: skip
def test_files_that_cannot_be_used_are_refused_with_the_reason(tmp_path, header, rows, words):
    with pytest.raises(InputError) as raised:
        records_normalize(_write(tmp_path / "in.csv", header, rows), tmp_path / "out.csv")
    assert words in str(raised.value)
    assert "Айгерим" not in str(raised.value)


def test_an_empty_file_is_refused(tmp_path):
    (tmp_path / "in.csv").write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        records_normalize(tmp_path / "in.csv", tmp_path / "out.csv")


def test_an_unclosed_quote_is_refused_with_its_line(tmp_path):
    (tmp_path / "in.csv").write_text(
        'record_id,given_name,family_name,birth_date\n1,"Айгерим,Ж,1994\n', encoding="utf-8"
    )
    with pytest.raises(InputError, match="Line 2 could not be read"):
        records_normalize(tmp_path / "in.csv", tmp_path / "out.csv")
