"""Blocking keys of a person for the candidate index: pure functions over plain data.

Each key is a (kind, value) pair built from ``normalize`` keys and the birth date. A stored
person gets *storage* keys; a search gets *probe* keys; two records are candidates if they
share one. The kinds mirror the batch blocking rules (``batch.BLOCKING_RULES``):

====== ======================================================= ===============================
kind   value                                                   finds
====== ======================================================= ===============================
p      order-free coarse code of given + family name           name-only searches
py     p + birth year                                          the usual case (any script,
                                                               swapped names, partial dates)
pn     p, stored only for persons without a birth date         them, from a search with a date
pmd    p + birth month and day                                 a typo in the birth year
gfp    given root, family root (order-free), patronymic root   the same names, dates disagree
fd     family coarse code + full birth date                    a typo in the given name
gd     given coarse code + full birth date                     a typo in the family name
====== ======================================================= ===============================
"""

from __future__ import annotations

from tirek.matching.normalize import NameKeys, name_keys
from tirek.matching.scoring import BirthDate

Key = tuple[str, str]


def _date_keys(names: NameKeys, birth: BirthDate | None) -> set[Key]:
    keys: set[Key] = set()
    if birth is None:
        return keys
    if names.pair.strip("|"):
        keys.add(("py", f"{names.pair}|{birth.year}"))
        if birth.month and birth.day:
            keys.add(("pmd", f"{names.pair}|{birth.month:02d}-{birth.day:02d}"))
    if birth.month and birth.day:
        date = f"{birth.year:04d}-{birth.month:02d}-{birth.day:02d}"
        if names.family.coarse:
            keys.add(("fd", f"{names.family.coarse}|{date}"))
        if names.given.coarse:
            keys.add(("gd", f"{names.given.coarse}|{date}"))
    return keys


def _roots_key(names: NameKeys) -> set[Key]:
    if not (names.given.root and names.family.root):
        return set()
    given, family = sorted((names.given.root, names.family.root))
    return {("gfp", f"{given}|{family}|{names.patronymic.root}")}


def storage_keys(
    given: str, family: str, patronymic: str = "", birth: BirthDate | None = None
) -> set[Key]:
    """The keys a stored person is indexed under."""
    names = name_keys(given, family, patronymic)
    keys = _date_keys(names, birth) | _roots_key(names)
    if names.pair.strip("|"):
        keys.add(("p", names.pair))
        if birth is None:
            keys.add(("pn", names.pair))
    return keys


def probe_keys(
    given: str, family: str, patronymic: str = "", birth: BirthDate | None = None
) -> set[Key]:
    """The keys a search looks up: with a date, the dated keys and persons without a date;
    without a date, every person with the same name code."""
    names = name_keys(given, family, patronymic)
    keys = _date_keys(names, birth) | _roots_key(names)
    if names.pair.strip("|"):
        keys.add(("pn", names.pair) if birth is not None else ("p", names.pair))
    return keys
