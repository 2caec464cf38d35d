"""Pair scoring: is this the same person?  Fellegi–Sunter weights with an explanation.

Each field of a pair of records is compared and falls into one *level* ("exact", "fuzzy",
"missing", ...).  Each level has a weight, log2(m/u): m is how often the level occurs among pairs
that are the same person, u among pairs that are not.  The weights add up to the pair's match
weight; with the prior odds of a match it becomes a probability.  Weights are trained from
labelled pairs (``ScoringModel.train``) and shipped as JSON (``data/default_weights.json``).

Every score comes with its evidence: one line per field with the level, its weight and a reason
code, which ``explain`` turns into words such as "same birth date, family name matches across
scripts, patronymic missing".
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Final

from rapidfuzz.distance import JaroWinkler

from tirek.matching.normalize import NameKeys, PartKeys, name_keys

__all__ = [
    "FIELDS",
    "LEVELS",
    "REASONS",
    "BirthDate",
    "Evidence",
    "PairScore",
    "PersonRecord",
    "PreparedPerson",
    "ScoringModel",
    "birth_date_level",
    "birth_date_parse",
    "categorical_level",
    "compare",
    "explain",
    "name_level",
    "person_prepare",
    "probability_of",
    "score_pair",
]

FIELDS: Final = ("given_name", "family_name", "patronymic", "birth_date", "sex", "citizenship")
NAME_FIELDS: Final = ("given_name", "family_name", "patronymic")

NAME_LEVELS: Final = (
    "exact",
    "close",
    "fuzzy",
    "swapped",
    "swapped_fuzzy",
    "different",
    "missing",
)
LEVELS: Final[dict[str, tuple[str, ...]]] = {
    "given_name": NAME_LEVELS,
    "family_name": NAME_LEVELS,
    "patronymic": ("exact", "close", "fuzzy", "different", "missing"),
    "birth_date": (
        "exact",
        "swapped_day_month",
        "same_month_year",
        "same_year",
        "partial_month",
        "partial_match",
        "year_typo",
        "partial_month_off_by_one_year",
        "same_month_off_by_one_year",
        "partial_off_by_one_year",
        "off_by_one_year",
        "conflict",
        "missing",
    ),
    "sex": ("same", "different", "missing"),
    "citizenship": ("same", "different", "missing"),
}

# Jaro-Winkler similarity of skeletons from which a name counts as close / fuzzy.
CLOSE_SIMILARITY: Final = 0.92
FUZZY_SIMILARITY: Final = 0.84
# Given and family name are read as swapped when they agree crosswise by this much more than in
# order (sum of two Jaro-Winkler similarities), and crosswise at least fuzzily on average.
SWAP_MARGIN: Final = 0.2

_FIELD_WORDS = {
    "given_name": "given name",
    "family_name": "family name",
    "patronymic": "patronymic",
    "birth_date": "birth date",
    "sex": "sex",
    "citizenship": "citizenship",
}

# Reason codes and their words, for a UI to show or translate.
REASONS: Final[dict[str, str]] = {
    "name.exact": "{field} matches",
    "name.exact_across_scripts": "{field} matches across scripts",
    "name.close": "{field} nearly matches",
    "name.fuzzy": "{field} is similar",
    "name.swapped": "given and family name swapped",
    "name.swapped_fuzzy": "given and family name swapped, {field} is similar",
    "name.different": "{field} differs",
    "name.missing": "{field} missing",
    "birth_date.exact": "same birth date",
    "birth_date.swapped_day_month": "same birth date with day and month swapped",
    "birth_date.same_month_year": "same birth month and year, day differs",
    "birth_date.same_year": "same birth year, month differs",
    "birth_date.partial_month": "same birth month and year, day not recorded",
    "birth_date.partial_match": "birth date agrees as far as recorded",
    "birth_date.year_typo": "same birth day and month, year off by one or two",
    "birth_date.partial_month_off_by_one_year": (
        "same birth month, year off by one, day not recorded"
    ),
    "birth_date.same_month_off_by_one_year": "same birth month, year off by one, day differs",
    "birth_date.partial_off_by_one_year": "birth year off by one, month not recorded",
    "birth_date.off_by_one_year": "birth year off by one",
    "birth_date.conflict": "birth dates differ",
    "birth_date.missing": "birth date missing",
    "sex.same": "same sex",
    "sex.different": "sex differs",
    "sex.missing": "sex missing",
    "citizenship.same": "same citizenship",
    "citizenship.different": "citizenship differs",
    "citizenship.missing": "citizenship missing",
}


# --- Records -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """A person as an agency wrote it down; every field may be empty."""

    given_name: str = ""
    family_name: str = ""
    patronymic: str = ""
    sex: str = ""
    birth_date: str = ""
    citizenship: str = ""


@dataclass(frozen=True, slots=True)
class BirthDate:
    """A possibly partial birth date: year, year and month, or a full date."""

    year: int
    month: int | None = None
    day: int | None = None


def birth_date_parse(text: str | None) -> BirthDate | None:
    """Parse ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; anything else (or empty) is no date."""
    if not text:
        return None
    parts = text.strip().split("-")
    try:
        numbers = [int(p) for p in parts]
    except ValueError:
        return None
    if not 1 <= len(numbers) <= 3 or not 1000 <= numbers[0] <= 2999:
        return None
    month = numbers[1] if len(numbers) > 1 and 1 <= numbers[1] <= 12 else None
    day = numbers[2] if len(numbers) > 2 and month and 1 <= numbers[2] <= 31 else None
    return BirthDate(numbers[0], month, day)


@dataclass(frozen=True, slots=True)
class PreparedPerson:
    """A record with its comparison keys computed once."""

    names: NameKeys
    birth_date: BirthDate | None
    sex: str
    citizenship: str
    scripts: tuple[str, str, str]


def _script(text: str) -> str:
    if any("\u0400" <= c <= "\u052f" for c in text):
        return "cyrillic"
    return "latin" if any(c.isalpha() for c in text) else ""


def person_prepare(record: PersonRecord) -> PreparedPerson:
    """Normalise a record's names and parse its birth date, ready for ``compare``."""
    sex = record.sex.strip().upper()[:1]
    return PreparedPerson(
        names=name_keys(record.given_name, record.family_name, record.patronymic),
        birth_date=birth_date_parse(record.birth_date),
        sex=sex if sex in {"F", "M"} else "",
        citizenship=record.citizenship.strip().upper(),
        scripts=(
            _script(record.given_name),
            _script(record.family_name),
            _script(record.patronymic),
        ),
    )


# --- Comparison ----------------------------------------------------------------------------


def _name_similarity(a: PartKeys, b: PartKeys) -> float:
    if a.is_missing or b.is_missing:
        return 0.0
    if a.root == b.root:
        return 1.0
    return max(
        JaroWinkler.similarity(a.skeleton, b.skeleton), JaroWinkler.similarity(a.root, b.root)
    )


def _skeleton_similarity(a: PartKeys, b: PartKeys) -> float:
    if a.is_missing or b.is_missing:
        return 0.0
    return JaroWinkler.similarity(a.skeleton, b.skeleton)


def _name_level(a: PartKeys, b: PartKeys) -> str:
    if a.is_missing or b.is_missing:
        return "missing"
    similarity = _name_similarity(a, b)
    if similarity == 1.0:
        return "exact"
    if similarity >= CLOSE_SIMILARITY:
        return "close"
    if similarity >= FUZZY_SIMILARITY or (a.coarse == b.coarse and len(a.coarse) >= 3):
        return "fuzzy"
    return "different"


def _same_day_month(a: BirthDate, b: BirthDate) -> bool:
    """Day and month agree, in either order (one agency wrote 03.09, the other 09.03)."""
    if a.day is None or b.day is None:
        return False
    return (a.month, a.day) in {(b.month, b.day), (b.day, b.month)}


def _birth_date_level(a: BirthDate | None, b: BirthDate | None) -> str:
    if a is None or b is None:
        return "missing"
    if a.year != b.year:
        # A typo in the year on one side, or on both (1969 and 1967 for 1968).
        if abs(a.year - b.year) <= 2 and _same_day_month(a, b):
            return "year_typo"
        if abs(a.year - b.year) != 1:
            return "conflict"
        # A year and month a year apart with the same month: a typo in the year of a partial
        # date, or of a full date with a typo in the day as well.
        if a.month is not None and a.month == b.month:
            if a.day is None or b.day is None:
                return "partial_month_off_by_one_year"
            return "same_month_off_by_one_year"
        # A year alone a year off: a typo in the year (or a year worked out from an age), no
        # month to compare.  Two recorded months that differ as well are two differences.
        if a.month is None or b.month is None:
            return "partial_off_by_one_year"
        return "off_by_one_year"
    if a.month is None or b.month is None:
        return "partial_match"
    if a.day is not None and b.day is not None and a.day != a.month:
        if (a.month, a.day) == (b.day, b.month):
            return "swapped_day_month"
    if a.month != b.month:
        # A year and month on one side may be a swapped full date cut short: "1982-10" for
        # 1982-11-10 written 10.11 (day first).
        if (a.day is None and a.month == b.day) or (b.day is None and b.month == a.day):
            return "partial_month"
        return "same_year"
    if a.day is None or b.day is None:
        return "partial_month"
    return "exact" if a.day == b.day else "same_month_year"


def _swapped_level(similarity: float) -> str:
    if similarity >= CLOSE_SIMILARITY:
        return "swapped"
    return "swapped_fuzzy" if similarity >= FUZZY_SIMILARITY else "different"


def _categorical_level(a: str, b: str) -> str:
    if not a or not b:
        return "missing"
    return "same" if a == b else "different"


def name_level(a: PartKeys, b: PartKeys) -> str:
    """Level of one name part in order: exact, close, fuzzy, different or missing."""
    return _name_level(a, b)


def birth_date_level(a: BirthDate | None, b: BirthDate | None) -> str:
    """Level of two possibly partial birth dates (see ``LEVELS["birth_date"]``)."""
    return _birth_date_level(a, b)


def categorical_level(a: str, b: str) -> str:
    """Level of a categorical field such as sex or citizenship: same, different or missing."""
    return _categorical_level(a, b)


def compare(a: PreparedPerson, b: PreparedPerson) -> dict[str, str]:
    """The comparison level of each field (see ``LEVELS``), given and family name swap-aware."""
    an, bn = a.names, b.names
    straight = _name_similarity(an.given, bn.given) + _name_similarity(an.family, bn.family)
    # Across parts only skeletons are compared: a Kazakh surname's root is a man's given name
    # ("Муратов" → "murat"), so "Кайрат Муратов" and "Мурат Кайратов" are not a swap.
    given_crossed = _skeleton_similarity(an.given, bn.family)
    family_crossed = _skeleton_similarity(an.family, bn.given)
    crossed = given_crossed + family_crossed
    if crossed > straight + SWAP_MARGIN and crossed >= 2 * FUZZY_SIMILARITY:
        # Which crosswise comparison counts for which field must not depend on the order of
        # the two records: the given name gets the better one, the family name the other.
        given = _swapped_level(max(given_crossed, family_crossed))
        family = _swapped_level(min(given_crossed, family_crossed))
    else:
        given = _name_level(an.given, bn.given)
        family = _name_level(an.family, bn.family)
    return {
        "given_name": given,
        "family_name": family,
        "patronymic": _name_level(an.patronymic, bn.patronymic),
        "birth_date": _birth_date_level(a.birth_date, b.birth_date),
        "sex": _categorical_level(a.sex, b.sex),
        "citizenship": _categorical_level(a.citizenship, b.citizenship),
    }


# --- Model ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Evidence:
    """One field's contribution to a pair's score."""

    field: str
    level: str
    weight: float
    reason: str

    @property
    def text(self) -> str:
        return REASONS[self.reason].format(field=_FIELD_WORDS[self.field])


@dataclass(frozen=True, slots=True)
class PairScore:
    """Match weight (log2 odds), probability and the evidence behind them."""

    weight: float
    probability: float
    evidence: tuple[Evidence, ...]

    def explain(self) -> str:
        return explain(self.evidence)


def _reason(field_name: str, level: str, a: PreparedPerson, b: PreparedPerson) -> str:
    if field_name in {"given_name", "family_name", "patronymic"}:
        index = ("given_name", "family_name", "patronymic").index(field_name)
        scripts = {a.scripts[index], b.scripts[index]}
        if level == "exact" and scripts == {"cyrillic", "latin"}:
            return "name.exact_across_scripts"
        return f"name.{level}"
    return f"{field_name}.{level}"


@dataclass(slots=True)
class ScoringModel:
    """Match weights per field and level, and the prior probability that a pair matches.

    ``m`` and ``u`` are the probabilities of each level among matching and non-matching pairs;
    weights are log2(m/u).
    """

    m: dict[str, dict[str, float]]
    u: dict[str, dict[str, float]]
    prior: float = 1e-4
    weights: dict[str, dict[str, float]] = field(init=False)

    def __post_init__(self) -> None:
        self.weights = {
            f: {level: math.log2(self.m[f][level] / self.u[f][level]) for level in LEVELS[f]}
            for f in FIELDS
        }

    @classmethod
    def train(
        cls,
        pairs: Iterable[tuple[Mapping[str, str], bool]],
        *,
        smoothing: float = 1.0,
        prior: float | None = None,
    ) -> ScoringModel:
        """Estimate m and u from labelled pairs given as (``compare`` levels, is_match).

        Counts are smoothed by adding ``smoothing`` to every level (Laplace), so a level never
        seen among matches still gets a finite, strongly negative weight.  The prior defaults to
        the share of matches among the pairs.
        """
        counts = {
            True: {f: Counter[str]() for f in FIELDS},
            False: {f: Counter[str]() for f in FIELDS},
        }
        totals = Counter[bool]()
        for levels, is_match in pairs:
            totals[is_match] += 1
            for f in FIELDS:
                counts[is_match][f][levels[f]] += 1

        def probabilities(is_match: bool) -> dict[str, dict[str, float]]:
            result = {}
            for f in FIELDS:
                denominator = totals[is_match] + smoothing * len(LEVELS[f])
                result[f] = {
                    level: (counts[is_match][f][level] + smoothing) / denominator
                    for level in LEVELS[f]
                }
            return result

        if prior is None:
            prior = (totals[True] + 1) / (totals[True] + totals[False] + 2)
        m, u = probabilities(True), probabilities(False)
        for f in FIELDS:
            for level in LEVELS[f]:
                if not counts[True][f][level] and not counts[False][f][level]:
                    u[f][level] = m[f][level]  # never seen: no evidence either way
        # Names that agree in swapped order are at most as telling as names that agree in
        # order; chance swaps are so rare in training that u alone would say otherwise.
        for f in ("given_name", "family_name"):
            for swapped, inorder in (("swapped", "exact"), ("swapped_fuzzy", "fuzzy")):
                ratio = m[f][inorder] / u[f][inorder]
                u[f][swapped] = max(u[f][swapped], m[f][swapped] / ratio)
        return cls(m=m, u=u, prior=prior)

    @classmethod
    def from_json(cls, text: str) -> ScoringModel:
        """A model from ``to_json``'s text; ``ValueError`` saying what is wrong with it."""
        try:
            data = json.loads(text)
        except ValueError:
            raise ValueError("The weights file is not JSON.") from None
        if not isinstance(data, dict):
            raise ValueError("The weights file does not hold a weights object.")
        tables: dict[str, dict[str, dict[str, float]]] = {}
        for name in ("m", "u"):
            table = data.get(name)
            if not isinstance(table, dict):
                raise ValueError(f"The weights file has no {name}-probabilities.")
            tables[name] = {}
            for f in FIELDS:
                levels = table.get(f)
                if not isinstance(levels, dict):
                    raise ValueError(f"The weights file has no {name}-probabilities for {f}.")
                tables[name][f] = {}
                for level in LEVELS[f]:
                    value = levels.get(level)
                    if (
                        isinstance(value, bool)
                        or not isinstance(value, int | float)
                        or not 0 < value <= 1
                    ):
                        raise ValueError(
                            f"The weights file's {name}-probability of {f} level {level} is "
                            "missing or not a probability above 0: train the weights again "
                            "(tirek match train)."
                        )
                    tables[name][f][level] = float(value)
        prior = data.get("prior")
        if isinstance(prior, bool) or not isinstance(prior, int | float) or not 0 < prior < 1:
            raise ValueError("The weights file's prior is missing or not between 0 and 1.")
        return cls(m=tables["m"], u=tables["u"], prior=float(prior))

    @classmethod
    def load(cls, path: Path | None = None) -> ScoringModel:
        """The model in ``path``, or the default weights shipped with the package."""
        if path is None:
            text = (
                resources.files("tirek.matching")
                .joinpath("data", "default_weights.json")
                .read_text()
            )
        else:
            text = path.read_text(encoding="utf-8")
        return cls.from_json(text)

    def to_json(self) -> str:
        return json.dumps(
            {"prior": self.prior, "m": self.m, "u": self.u, "weights": self.weights},
            indent=2,
            sort_keys=True,
        )

    def score(self, a: PreparedPerson, b: PreparedPerson) -> PairScore:
        """Score two prepared records."""
        levels = compare(a, b)
        evidence = tuple(
            Evidence(f, levels[f], self.weights[f][levels[f]], _reason(f, levels[f], a, b))
            for f in FIELDS
        )
        total = math.log2(self.prior / (1 - self.prior)) + sum(e.weight for e in evidence)
        return PairScore(weight=total, probability=probability_of(total), evidence=evidence)

    def weight_bound(
        self, a: PreparedPerson, b: PreparedPerson, *, unread: tuple[bool, bool, bool]
    ) -> float:
        """The highest weight ``score(a, ·)`` can give a record that is ``b`` once its name parts
        marked ``unread`` (given, family, patronymic; blank in ``b``) are filled in.

        A name part blank on either side compares as missing whatever the other parts hold (no
        swap can involve it); any other part that is unread, or whose level an unread given or
        family name could change through a swap, takes its best level. A search uses it to skip
        decrypting and normalising names that cannot reach what it shows
        (``selectors.persons_score``)."""
        levels = compare(a, b)
        present = (a.names.given, a.names.family, a.names.patronymic)
        swap_unknown = unread[0] or unread[1]
        total = math.log2(self.prior / (1 - self.prior))
        for f in FIELDS:
            if f in NAME_FIELDS:
                index = NAME_FIELDS.index(f)
                open_level = unread[index] or (swap_unknown and index < 2)
                if open_level and not present[index].is_missing:
                    total += max(self.weights[f].values())
                    continue
            total += self.weights[f][levels[f]]
        return total


def probability_of(weight: float) -> float:
    """A match weight (log2 odds, prior included) as a probability; never decreasing."""
    return 1 / (1 + 2 ** (-weight)) if weight > -1000 else 0.0


_default_model: ScoringModel | None = None


def score_pair(a: PersonRecord, b: PersonRecord, model: ScoringModel | None = None) -> PairScore:
    """Score two records with ``model`` (default: the shipped weights)."""
    global _default_model
    if model is None:
        if _default_model is None:
            _default_model = ScoringModel.load()
        model = _default_model
    return model.score(person_prepare(a), person_prepare(b))


def explain(evidence: Iterable[Evidence]) -> str:
    """Words for the evidence, strongest first ("same birth date, family name matches ...")."""
    ordered = sorted(evidence, key=lambda e: -abs(e.weight))
    texts: list[str] = []
    for item in ordered:
        if item.text not in texts:
            texts.append(item.text)
    return ", ".join(texts)
