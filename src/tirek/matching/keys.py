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
td     a name token + day and month in either order + year     a typo or another spelling in
       (a search probes the year ±1)                           one name, and the day and month
                                                               swapped or the year off by one
th     a name token + both names' first letters + year (±1)    a typo in one name and a
                                                               partial date
t3     a name token + both names' first three letters          the same, from a search without
                                                               a date
tn     t3, stored only for persons without a birth date        them, from a search with a date
dh     both names' first two letters + day and month in either a typo in each name
       order + year (a search probes the year ±1)
hd     both names' first letters (either order) + full birth   a typo or another spelling in
       date                                                    each name, from the second letter
f2d    the family name's first two letters + full birth date   a typo in the family name and
                                                               the given name missing or other
g2d    the given name's first two letters + full birth date    the same with the names' roles
                                                               exchanged
====== ======================================================= ===============================

For the search box (``search_keys``), which takes words in any order and a date, every person
is also stored under:

====== ======================================================= ===============================
w      a name token alone                                      one word of a name
bd     the full birth date                                     a search by date alone
bm     year and month, for persons whose day is unknown
by     the year, for persons whose month is unknown
====== ======================================================= ===============================

A *name token* is the coarse code of a word of the given or family name (``name_tokens``), so
the token keys hold whichever name is intact, in either order.
"""

from __future__ import annotations

from tirek.matching.normalize import NameKeys, heads_key, name_keys, name_tokens
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
        if heads1 := heads_key(names, 1):
            keys.add(("hd", f"{heads1}|{date}"))
        if names.family.coarse:
            keys.add(("f2d", f"{names.family.coarse[:2]}|{date}"))
        if names.given.coarse:
            keys.add(("g2d", f"{names.given.coarse[:2]}|{date}"))
    return keys


def _day_month(birth: BirthDate) -> str:
    assert birth.month and birth.day  # noqa: S101 (callers check)
    low, high = sorted((birth.month, birth.day))
    return f"{low:02d}{high:02d}"


def _token_keys(
    names: NameKeys, tokens: list[str], birth: BirthDate | None, years: tuple[int, ...]
) -> set[Key]:
    keys: set[Key] = set()
    heads2, heads3 = heads_key(names, 2), heads_key(names, 3)
    for token in tokens:
        if birth is not None:
            for year in years:
                if birth.month and birth.day:
                    keys.add(("td", f"{token}|{_day_month(birth)}|{year}"))
                if heads2:
                    keys.add(("th", f"{token}|{heads2}|{year}"))
        if heads3:
            keys.add(("t3", f"{token}|{heads3}"))
    if birth is not None and birth.month and birth.day and heads2:
        keys |= {("dh", f"{heads2}|{_day_month(birth)}|{year}") for year in years}
    return keys


def _tokens(given: str, family: str) -> list[str]:
    return sorted(set(name_tokens(given)) | set(name_tokens(family)))


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
    tokens = _tokens(given, family)
    token_keys = _token_keys(names, tokens, birth, (birth.year,) if birth else ())
    if birth is None:
        token_keys |= {("tn", value) for kind, value in token_keys if kind == "t3"}
    return keys | token_keys | {("w", token) for token in tokens} | _birth_keys(birth)


def _birth_keys(birth: BirthDate | None) -> set[Key]:
    if birth is None:
        return set()
    if birth.month and birth.day:
        return {("bd", f"{birth.year:04d}-{birth.month:02d}-{birth.day:02d}")}
    if birth.month:
        return {("bm", f"{birth.year:04d}-{birth.month:02d}")}
    return {("by", f"{birth.year:04d}")}


def search_keys(words: list[str], birth: BirthDate | None) -> set[Key]:
    """The keys the search box looks up: each word alone, the words read as family name, given
    name and patronymic (in whichever order: the keys are order-free), and the birth date at
    each precision a stored person may have."""
    keys: set[Key] = {("w", token) for word in words for token in name_tokens(word)}
    if len(words) >= 2:
        keys |= probe_keys(words[1], words[0], " ".join(words[2:]), birth)
    if birth is not None and birth.month and birth.day:
        keys |= _birth_keys(birth)
        keys |= _birth_keys(BirthDate(birth.year, birth.month))
        keys |= _birth_keys(BirthDate(birth.year))
    elif birth is not None:
        keys |= _birth_keys(birth)
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
    years = (birth.year - 1, birth.year, birth.year + 1) if birth else ()
    token_keys = _token_keys(names, _tokens(given, family), birth, years)
    if birth is not None:
        # With a date: persons without one, by the tokens; the dated ones by td and th.
        token_keys = {("tn", v) if k == "t3" else (k, v) for k, v in token_keys}
    return keys | token_keys
