"""The de-identified export in the shape of the CTDC global dataset: pure functions, no database.

A row is one person (``ctdc_row`` builds it from plain values). ``anonymise`` makes the rows
k-anonymous on the quasi-identifiers (``QUASI_IDENTIFIERS``): every combination of their values
that is released is shared by at least ``k`` rows (k = 11 by default, as CTDC uses). It first
*generalises* the whole column set step by step (``LADDER``: finer age bands to coarser ones,
countries to regions, then to "unknown") until at most ``max_suppressed`` of the rows fall in a
combination smaller than ``k``; those rows are then *suppressed* (left out). The means of control
and the recruiter's relation are released as attributes of a row, not as quasi-identifiers.

They are the *sensitive attributes* (``SENSITIVE``): what a person suffered, which someone who
knows a person's quasi-identifiers must not learn from the export. k-anonymity alone does not
stop that: if all eleven rows of a combination name debt bondage, knowing someone is among them
tells their means of control (the homogeneity attack). So the export is also *l-diverse*
(distinct l-diversity): within every released combination, each sensitive attribute takes at
least ``l`` distinct values (default 2). A combination that is not is treated like one smaller
than k: the generalisation climbs further, and the rows still in such combinations are suppressed.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

Row = dict[str, str]

# CTDC's own age bands (``ageBroad``) and the coarser ones of the first generalisation step.
AGE_BANDS = ((0, 8), (9, 17), (18, 20), (21, 23), (24, 26), (27, 29), (30, 38), (39, 47))
COARSE_AGE = {
    "0--8": "0--17",
    "9--17": "0--17",
    "18--20": "18--29",
    "21--23": "18--29",
    "24--26": "18--29",
    "27--29": "18--29",
    "30--38": "30--47",
    "39--47": "30--47",
    "48+": "48+",
}

# ISO 3166 alpha-3 (as Tirek stores it) to alpha-2 (as CTDC releases it).
ALPHA2 = {
    "KAZ": "KZ", "UZB": "UZ", "KGZ": "KG", "TJK": "TJ", "TKM": "TM", "RUS": "RU", "CHN": "CN",
    "TUR": "TR", "ARE": "AE", "KOR": "KR", "AZE": "AZ", "UKR": "UA", "BLR": "BY", "MNG": "MN",
    "AFG": "AF", "IND": "IN", "DEU": "DE", "POL": "PL", "GEO": "GE", "ARM": "AM", "MDA": "MD",
    "THA": "TH", "MYS": "MY", "ISR": "IL", "SAU": "SA", "QAT": "QA", "CYP": "CY", "GRC": "GR",
}  # fmt: skip
# The region a country is generalised to (UN M49 sub-regions, by their CTDC-style names).
REGIONS = {
    "KZ": "CentralAsia", "UZ": "CentralAsia", "KG": "CentralAsia", "TJ": "CentralAsia",
    "TM": "CentralAsia", "RU": "EasternEurope", "UA": "EasternEurope", "BY": "EasternEurope",
    "PL": "EasternEurope", "MD": "EasternEurope", "CN": "EasternAsia", "KR": "EasternAsia",
    "MN": "EasternAsia", "TR": "WesternAsia", "AE": "WesternAsia", "AZ": "WesternAsia",
    "GE": "WesternAsia", "AM": "WesternAsia", "IL": "WesternAsia", "SA": "WesternAsia",
    "QA": "WesternAsia", "CY": "WesternAsia", "AF": "SouthernAsia", "IN": "SouthernAsia",
    "TH": "SouthEasternAsia", "MY": "SouthEasternAsia", "DE": "WesternEurope",
    "GR": "SouthernEurope",
}  # fmt: skip
OTHER_REGION = "Other"

# HTCDS vic_MethodsOfControl values -> CTDC columns.
MEANS_OF_CONTROL = {
    "DebtBondage": "meansOfControlDebtBondage",
    "TakesEarnings": "meansOfControlTakesEarnings",
    "RestrictsFinancialAccess": "meansOfControlRestrictsFinancialAccess",
    "PhysicalThreats": "meansOfControlThreats",
    "ThreatensChildrenFamily": "meansOfControlThreats",
    "ThreatsLawEnforcement": "meansOfControlThreatOfLawEnforcement",
    "PsychologicalAbuse": "meansOfControlPsychologicalAbuse",
    "PhysicalAbuse": "meansOfControlPhysicalAbuse",
    "SexualAbuse": "meansOfControlSexualAbuse",
    "FalsePromises": "meansOfControlFalsePromises",
    "PsychoactiveSubstance": "meansOfControlPsychoactiveSubstances",
    "RestrictsMedicalCare": "meansOfControlRestrictsMedicalCare",
    "ExcessiveWorkingHours": "meansOfControlExcessiveWorkingHours",
    "WithholdsNecessities": "meansOfControlWithholdsNecessities",
    "WithholdsDocuments": "meansOfControlWithholdsDocuments",
    "Other": "meansOfControlOther",
}
MEANS_COLUMNS = sorted({*MEANS_OF_CONTROL.values(), "meansOfControlNotSpecified"})

# HTCDS vic_TypeOfExploitation values -> the CTDC broad flags.
FORCED_LABOUR = {"ForcedLabour", "ChildLabour", "ForcedBegging", "Servitude"}
SEXUAL = {"SexualExploitation"}
EXPLOIT_COLUMNS = ("isForcedLabour", "isSexualExploit", "isOtherExploit")

# vic_RelationshipToTrafficker of the recruiters -> CTDC columns.
RECRUITER_RELATION = {
    "Familial": "recruiterRelationFamily",
    "Acquainted": "recruiterRelationFriend",
    "Unaquainted": "recruiterRelationOther",
}
RELATION_COLUMNS = (
    "recruiterRelationIntimatePartner",
    "recruiterRelationFriend",
    "recruiterRelationFamily",
    "recruiterRelationOther",
    "recruiterRelationUnknown",
)

QUASI_IDENTIFIERS = (
    "yearOfRegistration",
    "gender",
    "ageBroad",
    "majorityStatus",
    "citizenship",
    "CountryOfExploitation",
    *EXPLOIT_COLUMNS,
)
COLUMNS = (
    "Datasource",
    "yearOfRegistration",
    "gender",
    "ageBroad",
    "majorityStatus",
    "majorityStatusAtExploit",
    "citizenship",
    "CountryOfExploitation",
    *EXPLOIT_COLUMNS,
    "typeOfExploitConcatenated",
    *MEANS_COLUMNS,
    "meansOfControlConcatenated",
    *RELATION_COLUMNS,
)
DATASOURCE = "Case Management"
UNKNOWN = ""  # CTDC leaves an unknown value empty


def age_broad(age: int | None) -> str:
    """CTDC's ``ageBroad`` band of an age in whole years ("" if unknown)."""
    if age is None or age < 0:
        return UNKNOWN
    for low, high in AGE_BANDS:
        if low <= age <= high:
            return f"{low}--{high}"
    return "48+"


def majority(age: int | None) -> str:
    if age is None or age < 0:
        return UNKNOWN
    return "Minor" if age < 18 else "Adult"


def country_code(alpha3: str) -> str:
    """The alpha-2 code CTDC uses; "" for stateless/unknown; an unlisted code is kept."""
    if not alpha3 or alpha3 == "ZZZ":
        return UNKNOWN
    return ALPHA2.get(alpha3, alpha3)


def gender_of(sex: str, gender: str) -> str:
    if gender in {"TransgenderFeminine", "TransgenderMasculine", "NonConforming"}:
        return "Transgender/NonConforming"
    return {"F": "Female", "M": "Male"}.get(sex, UNKNOWN)


def _flag(value: bool) -> str:
    return "1" if value else "0"


@dataclass(frozen=True)
class Person:
    """What the export needs of one person, as plain values (the selector fills it)."""

    registered_on: datetime.date
    sex: str
    gender: str
    age: int | None
    minor: bool | None  # when the age is unknown but the age group was kept (anonymised cases)
    age_when_trafficked: int | None
    citizenship: str  # alpha-3, first recorded
    country_of_exploitation: str  # alpha-3
    types_of_exploitation: Sequence[str]
    methods_of_control: Sequence[str]
    recruiter_relations: Sequence[str]


def ctdc_row(person: Person) -> Row:
    """One row of the CTDC dataset, before anonymisation."""
    types = set(person.types_of_exploitation)
    labour, sexual = bool(types & FORCED_LABOUR), bool(types & SEXUAL)
    other = bool(types - FORCED_LABOUR - SEXUAL)
    exploit = [
        name
        for name, present in (("ForcedLabour", labour), ("SexualExploit", sexual), ("Other", other))
        if present
    ]
    means = {MEANS_OF_CONTROL[m] for m in person.methods_of_control if m in MEANS_OF_CONTROL}
    if not means:
        means = {"meansOfControlNotSpecified"}
    relations = {
        RECRUITER_RELATION[r] for r in person.recruiter_relations if r in RECRUITER_RELATION
    }
    if not relations:
        relations = {"recruiterRelationUnknown"}
    row: Row = {
        "Datasource": DATASOURCE,
        "yearOfRegistration": str(person.registered_on.year),
        "gender": gender_of(person.sex, person.gender),
        "ageBroad": age_broad(person.age),
        "majorityStatus": (
            majority(person.age)
            if person.age is not None or person.minor is None
            else ("Minor" if person.minor else "Adult")
        ),
        "majorityStatusAtExploit": majority(person.age_when_trafficked),
        "citizenship": country_code(person.citizenship),
        "CountryOfExploitation": country_code(person.country_of_exploitation),
        "isForcedLabour": _flag(labour),
        "isSexualExploit": _flag(sexual),
        "isOtherExploit": _flag(other),
        "typeOfExploitConcatenated": ";".join(exploit),
        "meansOfControlConcatenated": ";".join(
            sorted(c.removeprefix("meansOfControl") for c in means)
        ),
    }
    row |= {column: _flag(column in means) for column in MEANS_COLUMNS}
    row |= {column: _flag(column in relations) for column in RELATION_COLUMNS}
    return row


# --- Generalisation ---------------------------------------------------------------------------


def _region(code: str) -> str:
    if code == UNKNOWN:
        return UNKNOWN
    return REGIONS.get(code, code if code in REGIONS.values() else OTHER_REGION)


def _exploit_any(row: Row) -> Row:
    """Types of exploitation reduced to 'sexual exploitation or not'."""
    labour = row["isForcedLabour"] == "1" or row["isOtherExploit"] == "1"
    sexual = row["isSexualExploit"] == "1"
    row["isForcedLabour"] = _flag(labour)
    row["isOtherExploit"] = "0"
    names = [("ForcedLabour", labour), ("SexualExploit", sexual)]
    row["typeOfExploitConcatenated"] = ";".join(name for name, present in names if present)
    return row


def _set(column: str, recode: Callable[[str], str]) -> Callable[[Row], Row]:
    def step(row: Row) -> Row:
        row[column] = recode(row[column])
        return row

    return step


def _unknown(_value: str) -> str:
    return UNKNOWN


def _coarse_age(value: str) -> str:
    return COARSE_AGE.get(value, value)


def _period(value: str) -> str:
    """A year generalised to its three-year period (2023 -> 2022--2024)."""
    if not value.isdigit():
        return value
    start = int(value) - (int(value) - 1) % 3
    return f"{start}--{start + 2}"


# The global recoding steps, applied cumulatively until few enough rows must be suppressed.
LADDER: tuple[tuple[str, Callable[[Row], Row]], ...] = (
    ("ageBroad: coarser bands", _set("ageBroad", _coarse_age)),
    ("CountryOfExploitation: region", _set("CountryOfExploitation", _region)),
    ("citizenship: region", _set("citizenship", _region)),
    ("yearOfRegistration: three-year period", _set("yearOfRegistration", _period)),
    ("ageBroad: withheld (majorityStatus kept)", _set("ageBroad", _unknown)),
    ("types of exploitation: sexual or other", _exploit_any),
    ("CountryOfExploitation: withheld", _set("CountryOfExploitation", _unknown)),
    ("citizenship: withheld", _set("citizenship", _unknown)),
    ("yearOfRegistration: withheld", _set("yearOfRegistration", _unknown)),
)


# The sensitive attributes: each must take at least l distinct values within every combination,
# unless every row of it has the attribute unrecorded (then the export tells nothing about it).
SENSITIVE: dict[str, tuple[str, ...]] = {
    "meansOfControl": ("meansOfControlConcatenated",),
    "recruiterRelation": RELATION_COLUMNS,
}
NOT_RECORDED = {
    "meansOfControl": ("NotSpecified",),
    "recruiterRelation": tuple(
        "1" if column == "recruiterRelationUnknown" else "0" for column in RELATION_COLUMNS
    ),
}


def _diverse(values: set[tuple[str, ...]], attribute: str, l_div: int) -> bool:
    return len(values) >= l_div or values == {NOT_RECORDED[attribute]}


def _key(row: Mapping[str, str]) -> tuple[str, ...]:
    return tuple(row[column] for column in QUASI_IDENTIFIERS)


def sensitive_value(row: Mapping[str, str], attribute: str) -> tuple[str, ...]:
    """The value of one sensitive attribute of a row (all of its columns together)."""
    return tuple(row[column] for column in SENSITIVE[attribute])


def _unsafe_keys(rows: Iterable[Mapping[str, str]], k: int, l_div: int) -> set[tuple[str, ...]]:
    """The combinations shared by fewer than ``k`` rows, or in which a sensitive attribute takes
    fewer than ``l_div`` distinct values."""
    sizes: Counter[tuple[str, ...]] = Counter()
    values: dict[tuple[str, ...], dict[str, set[tuple[str, ...]]]] = {}
    for row in rows:
        key = _key(row)
        sizes[key] += 1
        if l_div > 1:
            seen = values.setdefault(key, {attribute: set() for attribute in SENSITIVE})
            for attribute in SENSITIVE:
                seen[attribute].add(sensitive_value(row, attribute))
    return {
        key
        for key, size in sizes.items()
        if size < k
        or (l_div > 1 and not all(_diverse(v, a, l_div) for a, v in values[key].items()))
    }


def small_classes(rows: Iterable[Mapping[str, str]], k: int, l_div: int = 1) -> int:
    """How many rows lie in a quasi-identifier combination shared by fewer than ``k`` rows (or,
    with ``l_div`` > 1, one that is not l-diverse)."""
    rows = list(rows)
    unsafe = _unsafe_keys(rows, k, l_div)
    return sum(1 for row in rows if _key(row) in unsafe)


def l_diverse(rows: Iterable[Mapping[str, str]], l_div: int) -> bool:
    """Whether every combination of ``rows`` is l-diverse on every sensitive attribute."""
    return not _unsafe_keys(rows, 1, l_div)


@dataclass(frozen=True)
class Anonymised:
    rows: list[Row]
    steps: tuple[str, ...]  # the generalisation steps applied
    suppressed: int  # rows left out
    k: int
    l_div: int = 1  # every released combination is l-diverse on the sensitive attributes


def anonymise(
    rows: Sequence[Mapping[str, str]],
    *,
    k: int,
    l_div: int = 1,
    max_suppressed: float = 0.05,
) -> Anonymised:
    """``rows`` generalised and suppressed so that every released combination counts >= k and,
    with ``l_div`` > 1, each sensitive attribute takes >= ``l_div`` distinct values in it."""
    if k < 2:
        raise ValueError("k must be at least 2")
    if l_div < 1:
        raise ValueError("l must be at least 1")
    current = [dict(row) for row in rows]
    applied: list[str] = []
    allowed = int(len(current) * max_suppressed)
    for name, step in LADDER:
        if small_classes(current, k, l_div) <= allowed:
            break
        current = [step(row) for row in current]
        applied.append(name)
    unsafe = _unsafe_keys(current, k, l_div)
    kept = [row for row in current if _key(row) not in unsafe]
    if kept:
        kept.sort(key=lambda row: tuple(row[c] for c in COLUMNS))
    return Anonymised(
        rows=kept,
        steps=tuple(applied),
        suppressed=len(current) - len(kept),
        k=k,
        l_div=l_div,
    )
