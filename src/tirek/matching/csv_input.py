"""Reading a CSV of person records for the batch: checks, encodings, date forms.

``records_normalize(source, target)`` reads what a worker exported from a spreadsheet and
writes the canonical file the batch engine loads (UTF-8, commas, every column, ISO dates):

- the encoding is UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark, or
  a Cyrillic single-byte encoding (Windows-1251, Kazakh KZ-1048, DOS 866, KOI8-R), recognised by
  how the names read in it; anything else is refused with "save the file as UTF-8";
- the delimiter is a comma, a semicolon (a spreadsheet in a Russian or Kazakh locale) or a tab;
- ``record_id``, ``given_name``, ``family_name`` and ``birth_date`` are required; ``patronymic``,
  ``sex`` and ``citizenship`` may be absent (they are then missing for every record);
- birth dates are read as ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``, ``DD.MM.YYYY``, ``MM.YYYY``
  (also with ``/``), sex as F/M in Latin, Russian or Kazakh letters and words, citizenship as a
  two- or three-letter code; any other value is counted per column with its line numbers and
  treated as missing (``strict`` makes it an error);
- an empty ``record_id`` or one used twice is an error.

Messages name columns and line numbers, never a value: the file is about persons.
"""

from __future__ import annotations

import calendar
import codecs
import csv
import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "COLUMNS",
    "InputError",
    "InputReport",
    "birth_date_read",
    "delimiter_guess",
    "encoding_detect",
    "lines_phrase",
    "records_normalize",
    "text_lines",
]

COLUMNS = (
    "record_id", "given_name", "family_name", "patronymic", "sex", "birth_date", "citizenship",
)  # fmt: skip
REQUIRED = ("record_id", "given_name", "family_name", "birth_date")
OPTIONAL = ("patronymic", "sex", "citizenship")
# Columns whose values are checked (names are taken as written).
CHECKED = ("birth_date", "sex", "citizenship")
# Line numbers listed in a message, per column.
LINES_SHOWN = 10

# Single-byte encodings tried when a file is not UTF-8, in order of preference on a tie.
SINGLE_BYTE = ("cp1251", "kz1048", "cp866", "koi8_r")
SAMPLE_BYTES = 1 << 20

SAVE_AS_UTF8 = (
    "The file's text encoding was not recognised. Save it as 'CSV UTF-8' "
    "(in a spreadsheet: Save as, CSV UTF-8) and try again."
)


class InputError(ValueError):
    """The input file cannot be used; the message names columns and lines, never values."""


@dataclass(frozen=True, slots=True)
class Unparsed:
    """Values of one column that were not understood (and are treated as missing)."""

    column: str
    count: int
    lines: tuple[int, ...]

    def describe(self) -> str:
        shown = ", ".join(str(n) for n in self.lines)
        more = ", …" if self.count > len(self.lines) else ""
        word = "value" if self.count == 1 else "values"
        return f"{self.column}: {self.count} {word} not understood (lines {shown}{more})"


@dataclass(frozen=True, slots=True)
class InputReport:
    """What reading the file found: its form and the values that were not understood."""

    records: int
    encoding: str
    delimiter: str
    absent_columns: tuple[str, ...] = ()
    unparsed: tuple[Unparsed, ...] = field(default=())

    def notes(self) -> list[str]:
        """Lines for the user: absent optional columns, values treated as missing."""
        notes = []
        if self.encoding not in {"utf-8", "utf-8-sig"}:
            notes.append(f"Read as {self.encoding} (the file is not UTF-8).")
        if self.absent_columns:
            notes.append(
                "No column " + ", ".join(self.absent_columns) + ": treated as missing for every "
                "record."
            )
        notes += [item.describe() + "; treated as missing." for item in self.unparsed]
        return notes


# --- Values ----------------------------------------------------------------------------------

_ISO = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ]00:00(?::00(?:\.0+)?)?)?")
_DAY_FIRST = re.compile(r"(?:(\d{1,2})[./])?(\d{1,2})[./](\d{4})")


def birth_date_read(text: str, *, today: dt.date | None = None) -> str | None:
    """A birth date in canonical form (``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` or ``""``).

    Accepts ISO (also with a zero time, as spreadsheets export it), ``DD.MM.YYYY`` and
    ``MM.YYYY`` (``.`` or ``/``: day first, as written in Kazakhstan).  ``None`` when the text
    is not a date: an unknown form, a day or month that does not exist, a year before 1900 or
    a date in the future.
    """
    text = text.strip()
    if not text:
        return ""
    iso = _ISO.fullmatch(text)
    if iso:
        year, month, day = iso.group(1), iso.group(2), iso.group(3)
    else:
        dotted = _DAY_FIRST.fullmatch(text)
        if not dotted:
            return None
        day, month, year = dotted.group(1), dotted.group(2), dotted.group(3)
    today = today or dt.datetime.now(dt.UTC).date()
    y = int(year)
    if not 1900 <= y <= today.year:
        return None
    if month is None:
        return f"{y:04d}"
    m = int(month)
    if not 1 <= m <= 12 or (y, m) > (today.year, today.month):
        return None
    if day is None:
        return f"{y:04d}-{m:02d}"
    d = int(day)
    if not 1 <= d <= calendar.monthrange(y, m)[1] or dt.date(y, m, d) > today:
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


_SEX = {
    "f": "F", "female": "F", "w": "F", "woman": "F",
    "ж": "F", "жен": "F", "женский": "F", "женщина": "F", "ә": "F", "әйел": "F", "әйел жынысы": "F",
    "m": "M", "male": "M", "man": "M",
    "м": "M", "муж": "M", "мужской": "M", "мужчина": "M", "е": "M", "ер": "M", "ер жынысы": "M",
}  # fmt: skip
_CITIZENSHIP = re.compile(r"[A-Za-z]{2,3}")


def sex_read(text: str) -> str | None:
    """``F``, ``M`` or ``""`` (missing); ``None`` when not understood."""
    text = text.strip().rstrip(".").lower()
    if not text:
        return ""
    return _SEX.get(text)


def citizenship_read(text: str) -> str | None:
    """An ISO 3166 letter code in capitals, or ``""``; ``None`` when not such a code."""
    text = text.strip()
    if not text:
        return ""
    return text.upper() if _CITIZENSHIP.fullmatch(text) else None


_READERS: dict[str, Callable[[str], str | None]] = {
    "birth_date": birth_date_read,
    "sex": sex_read,
    "citizenship": citizenship_read,
}


# --- Encodings -------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+")
# A word as names are written: capitalised, all capitals or all small letters.
_WELL_CASED = re.compile(r"[^\W\d_][^\W\d_A-ZА-ЯЁ]*|[^\W\d_a-zа-яё]+|[^\W\d_A-ZА-ЯЁ]+")
# Letters of Russian, Kazakh, Kyrgyz and Uzbek Cyrillic names.
_NAME_LETTERS = frozenset(
    "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюяӘәҒғҚқҢңӨөҰұҮүҺһІіЎў"
)
# Other non-ASCII characters that are at home in a list of names.
_PUNCTUATION = frozenset("«»–—№\u00a0’‘“”…")


def _reads_well(text: str) -> float:
    """How much of ``text`` reads like names: the share of its non-ASCII words that are made of
    Cyrillic name letters and cased like names, among those words and stray symbols."""
    words = [w for w in _WORD.findall(text) if not w.isascii()]
    stray = sum(1 for c in text if not c.isascii() and not c.isalpha() and c not in _PUNCTUATION)
    good = sum(
        1
        for w in words
        if all(c in _NAME_LETTERS or c.isascii() for c in w) and _WELL_CASED.fullmatch(w)
    )
    return good / (len(words) + stray) if words else 0.0


def encoding_detect(sample: bytes) -> str:
    """The text encoding of a file that starts with ``sample``; ``InputError`` if unknown."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in sample:
        raise InputError(SAVE_AS_UTF8)
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as error:
        # A letter cut in two at the end of a full sample is still UTF-8.
        if len(sample) == SAMPLE_BYTES and error.start >= len(sample) - 3:
            return "utf-8"
    else:
        return "utf-8"
    scored = []
    for encoding in SINGLE_BYTE:
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        scored.append((_reads_well(text), -SINGLE_BYTE.index(encoding), encoding))
    best = max(scored, default=None)
    if best is None or best[0] < 0.9:
        raise InputError(SAVE_AS_UTF8)
    return best[2]


# --- The file --------------------------------------------------------------------------------


def text_lines(path: Path, encoding: str) -> Iterator[str]:
    """The file's lines in ``encoding``; an undecodable byte is "save the file as UTF-8"."""
    with path.open(encoding=encoding, newline="") as handle:
        try:
            yield from handle
        except UnicodeDecodeError:
            raise InputError(SAVE_AS_UTF8) from None


def delimiter_guess(header: str) -> str:
    """Comma, semicolon or tab: whichever the header line holds most of (comma on a tie of 0)."""
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def lines_phrase(lines: list[int]) -> str:
    """Line numbers for a message: the first ``LINES_SHOWN``, then an ellipsis."""
    shown = ", ".join(str(n) for n in lines[:LINES_SHOWN])
    return shown + (", …" if len(lines) > LINES_SHOWN else "")


def records_normalize(
    source: str | Path, target: str | Path, *, strict: bool = False
) -> InputReport:
    """Check ``source`` and write it to ``target`` in canonical form; what was found.

    Raises ``InputError`` (a message for the user, without personal data) for an empty file,
    a header without records, missing required columns, an unknown encoding, empty or repeated
    record ids, and, with ``strict``, any value that was not understood.
    """
    source, target = Path(source), Path(target)
    try:
        with source.open("rb") as handle:
            sample = handle.read(SAMPLE_BYTES)
    except OSError:
        raise InputError("The file cannot be opened for reading.") from None
    if not sample.strip():
        raise InputError("The file is empty: expected a header line and one record per line.")
    encoding = encoding_detect(sample)
    lines = text_lines(source, encoding)
    first = next(lines, "")
    delimiter = delimiter_guess(first)
    reader = csv.reader(_chain(first, lines), delimiter=delimiter, strict=True)
    try:
        header = [h.strip().lstrip("\ufeff").lower() for h in next(reader)]
    except csv.Error:
        raise InputError("The header line could not be read as CSV.") from None
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputError(
            "Missing column(s): " + ", ".join(missing) + ". The header must name "
            + ", ".join(REQUIRED) + " (and may name " + ", ".join(OPTIONAL) + ")."
        )  # fmt: skip
    repeated = sorted({h for h in header if h in COLUMNS and header.count(h) > 1})
    if repeated:
        raise InputError("Column(s) named twice in the header: " + ", ".join(repeated) + ".")
    positions = [(c, header.index(c)) for c in COLUMNS if c in header]
    seen: dict[str, int] = {}
    duplicates: list[int] = []
    no_id: list[int] = []
    short: list[int] = []
    bad: dict[str, list[int]] = {c: [] for c in CHECKED}
    records = 0
    readings: dict[str, dict[str, str | None]] = {c: {} for c in CHECKED}
    with target.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        try:
            for row in reader:
                line = reader.line_num
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) < len(header):
                    short.append(line)
                    row = row + [""] * (len(header) - len(row))
                values = {c: row[i].strip() for c, i in positions}
                record_id = values["record_id"]
                if not record_id:
                    no_id.append(line)
                    continue
                if record_id in seen:
                    duplicates.append(line)
                    continue
                seen[record_id] = line
                for column in CHECKED:
                    if column not in values:
                        continue
                    # Values repeat (dates, codes): each distinct one is read once.
                    seen_values = readings[column]
                    text = values[column]
                    if text in seen_values:
                        value = seen_values[text]
                    else:
                        value = seen_values[text] = _READERS[column](text)
                    if value is None:
                        bad[column].append(line)
                        value = ""
                    values[column] = value
                writer.writerow([values.get(c, "") for c in COLUMNS])
                records += 1
        except csv.Error:
            raise InputError(
                f"Line {reader.line_num} could not be read as CSV (an unclosed quote?)."
            ) from None
    if duplicates:
        raise InputError(
            f"{len(duplicates)} record(s) repeat a record_id used on an earlier line "
            f"(lines {lines_phrase(duplicates)}): every record needs its own id."
        )
    if no_id:
        raise InputError(f"Records without a record_id on lines {lines_phrase(no_id)}.")
    if records == 0:
        raise InputError("The file has a header but no records.")
    unparsed = tuple(
        Unparsed(column, len(lines_), tuple(lines_[:LINES_SHOWN]))
        for column, lines_ in bad.items()
        if lines_
    )
    if short:
        unparsed += (
            Unparsed("(fewer cells than the header)", len(short), tuple(short[:LINES_SHOWN])),
        )
    report = InputReport(
        records=records,
        encoding=encoding,
        delimiter=delimiter,
        absent_columns=tuple(c for c in OPTIONAL if c not in header),
        unparsed=unparsed,
    )
    if strict and unparsed:
        raise InputError(
            "Values not understood (--strict): "
            + "; ".join(item.describe() for item in unparsed)
            + "."
        )
    return report


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest
