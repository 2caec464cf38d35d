"""Batch clustering of person records with Splink on embedded DuckDB.

The linkage engine is Splink (Fellegi–Sunter, blocking, connected-components clustering); this
module only feeds it with our normalised keys (``normalize``) and our comparison levels
(``scoring``), so that batch results and intake scores speak the same language.

    cluster_csv("records.csv", "clusters.csv")

reads ``record_id,given_name,family_name,patronymic,sex,birth_date,citizenship`` (names in any
script, ``birth_date`` as ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` or empty) and writes
``record_id,cluster_id``.
"""

from __future__ import annotations

import logging
import math
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import duckdb
import pyarrow as pa

from tirek.matching.csv_input import InputReport, records_normalize
from tirek.matching.normalize import PartKeys, coarse_key, family_root, name_tokens, part_keys
from tirek.matching.scoring import (
    CLOSE_SIMILARITY,
    FUZZY_SIMILARITY,
    SWAP_MARGIN,
    BirthDate,
    ScoringModel,
    birth_date_level,
    birth_date_parse,
    categorical_level,
    name_level,
)

__all__ = [
    "BLOCKING_RULES",
    "ClusterSummary",
    "GROUP_RECORD_LIMIT",
    "NAME_PAIR_RECORD_LIMIT",
    "RecordFacts",
    "blocking_rules",
    "cluster_csv",
    "clusters_link",
    "facts_conflict",
    "records_prepare",
    "splink_settings",
]

logger = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 0.4
# Field weights at or below this rule a link out (``facts_conflict``).
DEFAULT_CONFLICT_WEIGHT = -4.0
# Competing links within this many bits of the best make a record ambiguous (``clusters_link``).
DEFAULT_MARGIN = 1.0
# Two records whose own comparison weighs this little (about one chance in a million that they
# are one person) are never put into one cluster through others (``clusters_link``'s ``apart``).
DEFAULT_APART_WEIGHT = -20.0

# Candidate pairs: each rule is a conjunction of equalities on normalised columns.  Splink
# compares every pair that satisfies at least one rule, once.
BLOCKING_RULES: tuple[str, ...] = (
    # Same name roots (either order) and birth year.
    "l.name_pair = r.name_pair AND l.dob_y = r.dob_y",
    # Same name roots and patronymic root, whatever the dates say.
    "l.g_root = r.g_root AND l.f_root = r.f_root AND l.p_root = r.p_root",
    # One birth date missing: the names alone (either order), unless many records share them.
    "l.name_pair_few = r.name_pair_few AND (l.dob_y IS NULL OR r.dob_y IS NULL)",
    # A typo in the birth year: names, day and month.
    "l.name_pair = r.name_pair AND l.dob_m = r.dob_m AND l.dob_d = r.dob_d",
    # A typo in one name: the other name's coarse code and the full birth date.
    "l.f_coarse = r.f_coarse AND l.dob_y = r.dob_y AND l.dob_m = r.dob_m AND l.dob_d = r.dob_d",
    "l.g_coarse = r.g_coarse AND l.dob_y = r.dob_y AND l.dob_m = r.dob_m AND l.dob_d = r.dob_d",
    # A typo in one name with a partial birth date: the other name's root, the birth year and
    # the beginning of the name with the typo (typos rarely touch the first letters).
    "l.g_root = r.g_root AND l.dob_y = r.dob_y AND l.f_head = r.f_head",
    "l.f_root = r.f_root AND l.dob_y = r.dob_y AND l.g_head = r.g_head",
    # A typo in one name and the patronymic agrees, whatever the dates say: the other name's
    # root, the patronymic root and the first letter class of the name with the typo.
    "l.f_root_pg = r.f_root_pg AND l.p_root = r.p_root AND l.g_c1 = r.g_c1",
    "l.g_root_pf = r.g_root_pf AND l.p_root = r.p_root AND l.f_c1 = r.f_c1",
    # A typo in each name: the first two letters of both names (either order), day and month
    # in either order, the year off by at most one (few pairs: day and month are selective).
    "l.heads2 = r.heads2 AND l.dm = r.dm AND abs(l.dob_y - r.dob_y) <= 1",
    # A typo or another spelling in each name, early in the word: the first letter of both
    # names (either order) and the full birth date (few pairs: a full date is selective).
    "l.heads1 = r.heads1 AND l.dob_y = r.dob_y AND l.dob_m = r.dob_m AND l.dob_d = r.dob_d",
    # A typo in one name and the other name missing, replaced or written otherwise: the first
    # two letters of the name with the typo and the full birth date (few pairs: a full date
    # is selective; whether the other name's disagreement rules the link out is the weights').
    "l.f_c2 = r.f_c2 AND l.dob_y = r.dob_y AND l.dob_m = r.dob_m AND l.dob_d = r.dob_d",
    "l.g_c2 = r.g_c2 AND l.dob_y = r.dob_y AND l.dob_m = r.dob_m AND l.dob_d = r.dob_d",
)


# Rules over arrays (Splink explodes them: a pair is proposed when the records share any one
# element), so that two variations at once still leave one key in common: ``tokens`` holds the
# coarse code of every word of the given and family name, in either order, so a typo or a
# foreign spelling in one name leaves the other; ``dm`` is the birth day and month in either
# order (a swapped day and month, a year off by one).
EXPLODING_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    # One name intact, day and month in either order, the year off by at most one.
    ("l.tokens_dm = r.tokens_dm AND l.dm = r.dm AND abs(l.dob_y - r.dob_y) <= 1", ("tokens_dm",)),
    # One name intact, a birth year (±1) on both sides, the same beginnings of the two names in
    # either order (typos rarely touch a name's first letters).
    (
        "l.tokens_h2 = r.tokens_h2 AND l.heads2 = r.heads2 AND abs(l.dob_y - r.dob_y) <= 1",
        ("tokens_h2",),
    ),
    # A rare name intact, a birth year (±1) on both sides or on one side only, and the same
    # first letters of the two names, in either order.
    (
        "l.rare_tokens = r.rare_tokens AND l.heads1 = r.heads1 "
        "AND (abs(l.dob_y - r.dob_y) <= 1 OR l.dob_y IS NULL OR r.dob_y IS NULL)",
        ("rare_tokens",),
    ),
    # One name intact, a birth date on one side only.
    (
        "l.tokens_h3 = r.tokens_h3 AND l.heads3 = r.heads3 "
        "AND (l.dob_y IS NULL OR r.dob_y IS NULL)",
        ("tokens_h3",),
    ),
)


def blocking_rules() -> list[str]:
    """Every blocking rule, in the order Splink numbers them (its ``match_key``)."""
    return [*BLOCKING_RULES, *(rule for rule, _ in EXPLODING_RULES)]


# A name token shared by at most this many records is rare (see ``records_prepare``).
RARE_TOKEN_RECORDS = 100

# A key group of more records than this is not used by the rules whose pairs grow with the
# square of their groups (``records_prepare`` sets the key NULL, or leaves the token out, for
# its records).  Those rules are keyed on names alone, or on names with a year ±1: the number
# of distinct names does not grow with the register, so each name's group does, and a common
# name's group (hundreds of records at a million persons) proposes millions of pairs, nearly
# all of them namesakes that the model scores below the threshold anyway.  An absolute number,
# not a share of the records: it bounds the pairs each record brings (about this many per
# capped rule and name token, three times as many with a year ±1), so beyond the size where
# the common names' groups are full the pairs grow as the records do, not as their square.
# The records of an over-full group are still compared by the rules keyed on a date.  Chosen
# on the tuning set (seed 202; ``bench.blocking`` at 1M: 30 gives 36.6M blocked pairs, 100
# gives 61.5M; ``bench.evaluate`` at 2k, 20k and 100k: no F1 lost), docs/matching.md, fifth
# pass.
GROUP_RECORD_LIMIT = 30
# The same for the rule on the same two names with a birth date missing on one side: its pairs
# are far likelier to be one person (at 1M on the tuning set, 110k more true pairs compared for
# 4.8M more pairs between 30 and 100, against 2–9k for 2–10M pairs in each token rule).
NAME_PAIR_RECORD_LIMIT = 100

# Capped keys: (capped column, the column it caps, the columns whose values make a group,
# whether the group is capped at ``NAME_PAIR_RECORD_LIMIT`` rather than ``GROUP_RECORD_LIMIT``).
_CAPPED_KEYS: tuple[tuple[str, str, tuple[str, ...], bool], ...] = (
    ("name_pair_few", "name_pair", ("name_pair",), True),
    ("g_root_pf", "g_root", ("g_root", "p_root", "f_c1"), False),
    ("f_root_pg", "f_root", ("f_root", "p_root", "g_c1"), False),
)
# Capped token arrays: (capped column, the columns that make a group with the token).
_CAPPED_TOKENS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("tokens_dm", ("dm", "dob_y")),
    ("tokens_h2", ("heads2", "dob_y")),
    ("tokens_h3", ("heads3",)),
)


def _jw(column: str) -> str:
    return f"jaro_winkler_similarity({column}_l, {column}_r)"


def _pair_similarity(a: str, b: str) -> str:
    """SQL for the pure model's name similarity of column a (left) and b (right)."""
    return (
        f"CASE WHEN {a}_root_l IS NULL OR {b}_root_r IS NULL THEN 0.0 "
        f"WHEN {a}_root_l = {b}_root_r THEN 1.0 "
        f"ELSE greatest(jaro_winkler_similarity({a}_sk_l, {b}_sk_r), "
        f"jaro_winkler_similarity({a}_root_l, {b}_root_r)) END"
    )


# Given and family name swapped: the same rule as ``scoring.compare``.
_CROSSED = (
    "(coalesce(jaro_winkler_similarity(g_sk_l, f_sk_r), 0.0) + "
    "coalesce(jaro_winkler_similarity(f_sk_l, g_sk_r), 0.0))"
)
_STRAIGHT = f"({_pair_similarity('g', 'g')} + {_pair_similarity('f', 'f')})"
_SWAPPED = f"{_CROSSED} > {_STRAIGHT} + {SWAP_MARGIN} AND {_CROSSED} >= {2 * FUZZY_SIMILARITY}"


# Swapped names: the given name gets the better of the two crosswise similarities, the family
# name the other (as in ``scoring.compare``).
_CROSSED_EACH = "jaro_winkler_similarity(g_sk_l, f_sk_r), jaro_winkler_similarity(f_sk_l, g_sk_r)"
_CROSSED_BEST = {"g": f"greatest({_CROSSED_EACH})", "f": f"least({_CROSSED_EACH})"}


def _name_levels(prefix: str, *, swap: bool) -> list[tuple[str, str]]:
    sk, root, coarse = f"{prefix}_sk", f"{prefix}_root", f"{prefix}_coarse"
    similarity = f"greatest({_jw(sk)}, {_jw(root)})"
    levels = [
        ("missing", f"{root}_l IS NULL OR {root}_r IS NULL"),
        ("exact", f"{root}_l = {root}_r"),
    ]
    if swap:
        crossed = _CROSSED_BEST[prefix]
        levels += [
            ("swapped", f"{_SWAPPED} AND {crossed} >= {CLOSE_SIMILARITY}"),
            ("swapped_fuzzy", f"{_SWAPPED} AND {crossed} >= {FUZZY_SIMILARITY}"),
            ("different", _SWAPPED),
        ]
    levels += [
        ("close", f"{similarity} >= {CLOSE_SIMILARITY}"),
        (
            "fuzzy",
            f"{similarity} >= {FUZZY_SIMILARITY} "
            f"OR ({coarse}_l = {coarse}_r AND length({coarse}_l) >= 3)",
        ),
        ("different", "ELSE"),
    ]
    return levels


_BIRTH_DATE_LEVELS = [
    ("missing", "dob_y_l IS NULL OR dob_y_r IS NULL"),
    ("exact", "dob_y_l = dob_y_r AND dob_m_l = dob_m_r AND dob_d_l = dob_d_r"),
    (
        "swapped_day_month",
        "dob_y_l = dob_y_r AND dob_m_l = dob_d_r AND dob_d_l = dob_m_r AND dob_d_l <> dob_m_l",
    ),
    ("same_month_year", "dob_y_l = dob_y_r AND dob_m_l = dob_m_r AND dob_d_l <> dob_d_r"),
    (
        "same_year",
        "dob_y_l = dob_y_r AND dob_m_l <> dob_m_r "
        "AND NOT coalesce(dob_d_l IS NULL AND dob_m_l = dob_d_r, false) "
        "AND NOT coalesce(dob_d_r IS NULL AND dob_m_r = dob_d_l, false)",
    ),
    # Year and month agree (or a swapped full date cut short), a day missing on one side.
    ("partial_month", "dob_y_l = dob_y_r AND dob_m_l IS NOT NULL AND dob_m_r IS NOT NULL"),
    ("partial_match", "dob_y_l = dob_y_r"),
    (
        "year_typo",
        "abs(dob_y_l - dob_y_r) <= 2 AND ((dob_m_l = dob_m_r AND dob_d_l = dob_d_r) "
        "OR (dob_m_l = dob_d_r AND dob_d_l = dob_m_r))",
    ),
    (
        "partial_month_off_by_one_year",
        "abs(dob_y_l - dob_y_r) = 1 AND dob_m_l = dob_m_r AND (dob_d_l IS NULL OR dob_d_r IS NULL)",
    ),
    (
        "same_month_off_by_one_year",
        "abs(dob_y_l - dob_y_r) = 1 AND dob_m_l = dob_m_r AND dob_d_l <> dob_d_r",
    ),
    (
        "partial_off_by_one_year",
        "abs(dob_y_l - dob_y_r) = 1 AND (dob_m_l IS NULL OR dob_m_r IS NULL)",
    ),
    ("off_by_one_year", "abs(dob_y_l - dob_y_r) = 1"),
    ("conflict", "ELSE"),
]


def _categorical_levels(column: str) -> list[tuple[str, str]]:
    return [
        ("missing", f"{column}_l IS NULL OR {column}_r IS NULL"),
        ("same", f"{column}_l = {column}_r"),
        ("different", "ELSE"),
    ]


_COMPARISONS: dict[str, tuple[list[tuple[str, str]], str | None]] = {
    # field: (levels, column for term-frequency adjustment of the exact level)
    "given_name": (_name_levels("g", swap=True), "g_root"),
    "family_name": (_name_levels("f", swap=True), "f_root"),
    "patronymic": (_name_levels("p", swap=False), "p_root"),
    "birth_date": (_BIRTH_DATE_LEVELS, None),
    "sex": (_categorical_levels("sex"), None),
    "citizenship": (_categorical_levels("citizenship"), None),
}


def splink_settings(model: ScoringModel, *, prior: float | None = None) -> dict[str, Any]:
    """Splink settings with our comparison levels and m/u taken from ``model``.

    Exact name levels get term-frequency adjustments: sharing a rare family name is stronger
    evidence than sharing a common one.
    """
    comparisons = []
    for field_name, (levels, tf_column) in _COMPARISONS.items():
        comparison_levels: list[dict[str, Any]] = []
        for level, condition in levels:
            entry: dict[str, Any] = {
                "sql_condition": condition,
                "label_for_charts": level,
            }
            if level == "missing":
                entry["is_null_level"] = True
            else:
                entry["m_probability"] = model.m[field_name][level]
                entry["u_probability"] = model.u[field_name][level]
            if level == "exact" and tf_column:
                entry["tf_adjustment_column"] = tf_column
                entry["tf_adjustment_weight"] = 1.0
            comparison_levels.append(entry)
        comparisons.append(
            {
                "output_column_name": field_name,
                "comparison_description": field_name.replace("_", " "),
                "comparison_levels": comparison_levels,
            }
        )
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "record_id",
        "probability_two_random_records_match": prior or model.prior,
        "blocking_rules_to_generate_predictions": [
            *({"blocking_rule": rule, "sql_dialect": "duckdb"} for rule in BLOCKING_RULES),
            *(
                {"blocking_rule": rule, "sql_dialect": "duckdb", "arrays_to_explode": list(arrays)}
                for rule, arrays in EXPLODING_RULES
            ),
        ],
        "comparisons": comparisons,
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": False,
        "additional_columns_to_retain": ["idx"],
    }


# --- Preparing records ---------------------------------------------------------------------


def _keys_table(values: list[str], part: str) -> pa.Table:
    sk, root, coarse, pair_code, tokens = [], [], [], [], []
    for value in values:
        keys = part_keys(value, part=part)
        sk.append(keys.skeleton or None)
        root.append(keys.root or None)
        coarse.append(keys.coarse or None)
        pair_code.append(coarse_key(family_root(value)) if value else "")
        tokens.append(name_tokens(value))
    return pa.table(
        {
            "value": values,
            "sk": sk,
            "root": root,
            "coarse": coarse,
            "pair_code": pair_code,
            "tokens": pa.array(tokens, pa.list_(pa.string())),
        }
    )


def _dates_table(values: list[str]) -> pa.Table:
    parsed = [birth_date_parse(v) for v in values]
    return pa.table(
        {
            "value": values,
            "y": pa.array([p.year if p else None for p in parsed], pa.int32()),
            "m": pa.array([p.month if p else None for p in parsed], pa.int32()),
            "d": pa.array([p.day if p else None for p in parsed], pa.int32()),
        }
    )


def _distinct(con: duckdb.DuckDBPyConnection, column: str) -> list[str]:
    rows = con.execute(f"SELECT DISTINCT coalesce({column}, '') FROM raw_records").fetchall()  # noqa: S608
    return [r[0] for r in rows]


def records_prepare(
    con: duckdb.DuckDBPyConnection,
    input_path: Path,
    *,
    group_limit: int | None = GROUP_RECORD_LIMIT,
    name_pair_limit: int | None = NAME_PAIR_RECORD_LIMIT,
) -> int:
    """Load the CSV into ``raw_records`` and build ``records`` with normalised columns.

    Names are normalised once per distinct value, in Python, then joined back in DuckDB.
    Key groups of more than ``group_limit`` records (``name_pair_limit`` for the same two
    names) are capped (``GROUP_RECORD_LIMIT``; ``None``: no cap).  Returns the number of
    records.
    """
    con.execute(
        "CREATE OR REPLACE TABLE raw_records AS SELECT * FROM read_csv(?, header = true, "
        "all_varchar = true)",
        [str(input_path)],
    )
    parts = (("given_name", "given"), ("family_name", "family"), ("patronymic", "patronymic"))
    for column, part in parts:
        con.register("keys_view", _keys_table(_distinct(con, column), part))
        con.execute(f"CREATE OR REPLACE TABLE keys_{part} AS SELECT * FROM keys_view")  # noqa: S608
        con.unregister("keys_view")
    con.register("keys_view", _dates_table(_distinct(con, "birth_date")))
    con.execute("CREATE OR REPLACE TABLE keys_dates AS SELECT * FROM keys_view")
    con.unregister("keys_view")
    con.execute(
        """
        CREATE OR REPLACE TABLE records AS
        SELECT
            r.record_id,
            (row_number() OVER (ORDER BY r.record_id) - 1)::INTEGER AS idx,
            g.sk AS g_sk, g.root AS g_root, g.coarse AS g_coarse,
            f.sk AS f_sk, f.root AS f_root, f.coarse AS f_coarse,
            substr(g.sk, 1, 3) AS g_head, substr(f.sk, 1, 4) AS f_head,
            substr(g.coarse, 1, 1) AS g_c1, substr(f.coarse, 1, 1) AS f_c1,
            substr(g.coarse, 1, 2) AS g_c2, substr(f.coarse, 1, 2) AS f_c2,
            p.sk AS p_sk, p.root AS p_root, p.coarse AS p_coarse,
            CASE WHEN g.pair_code < f.pair_code THEN g.pair_code || '|' || f.pair_code
                 ELSE f.pair_code || '|' || g.pair_code END AS name_pair,
            d.y AS dob_y, d.m AS dob_m, d.d AS dob_d,
            CASE WHEN d.d IS NOT NULL THEN least(d.m, d.d) * 100 + greatest(d.m, d.d) END AS dm,
            list_distinct(list_concat(g.tokens, f.tokens)) AS tokens,
            CASE WHEN substr(g.coarse, 1, 1) < substr(f.coarse, 1, 1)
                 THEN substr(g.coarse, 1, 1) || substr(f.coarse, 1, 1)
                 ELSE substr(f.coarse, 1, 1) || substr(g.coarse, 1, 1) END AS heads1,
            CASE WHEN substr(g.coarse, 1, 2) < substr(f.coarse, 1, 2)
                 THEN substr(g.coarse, 1, 2) || '|' || substr(f.coarse, 1, 2)
                 ELSE substr(f.coarse, 1, 2) || '|' || substr(g.coarse, 1, 2) END AS heads2,
            CASE WHEN substr(g.coarse, 1, 3) < substr(f.coarse, 1, 3)
                 THEN substr(g.coarse, 1, 3) || '|' || substr(f.coarse, 1, 3)
                 ELSE substr(f.coarse, 1, 3) || '|' || substr(g.coarse, 1, 3) END AS heads3,
            CASE WHEN upper(trim(r.sex)) IN ('F', 'M') THEN upper(trim(r.sex)) END AS sex,
            nullif(upper(trim(coalesce(r.citizenship, ''))), '') AS citizenship
        FROM raw_records r
        JOIN keys_given g ON g.value = coalesce(r.given_name, '')
        JOIN keys_family f ON f.value = coalesce(r.family_name, '')
        JOIN keys_patronymic p ON p.value = coalesce(r.patronymic, '')
        JOIN keys_dates d ON d.value = coalesce(r.birth_date, '')
        """
    )
    con.execute("DROP TABLE raw_records")
    # Tokens few records share: blocking on them with only the first letters of the names and
    # the year costs few pairs; on common ones (a common given name) it would cost millions.
    con.execute(
        f"""
        CREATE OR REPLACE TABLE rare AS
        SELECT token FROM (SELECT unnest(tokens) AS token FROM records)
        GROUP BY token HAVING count(*) <= {RARE_TOKEN_RECORDS}
        """  # noqa: S608
    )
    con.execute(
        """
        CREATE OR REPLACE TABLE records AS
        SELECT r.*, coalesce(t.rare_tokens, []) AS rare_tokens
        FROM records r LEFT JOIN (
            SELECT idx, list(token) AS rare_tokens
            FROM (SELECT idx, unnest(tokens) AS token FROM records) JOIN rare USING (token)
            GROUP BY idx
        ) t USING (idx)
        """
    )
    con.execute("DROP TABLE rare")
    _groups_cap(con, group_limit, name_pair_limit)
    count = con.execute("SELECT count(*) FROM records").fetchall()[0]
    return int(count[0]) if count else 0


def _groups_cap(
    con: duckdb.DuckDBPyConnection, limit: int | None, name_pair_limit: int | None
) -> None:
    """Add the capped key columns (``_CAPPED_KEYS``, ``_CAPPED_TOKENS``) to ``records``."""

    def capped(column: str, source: str, group: tuple[str, ...], cap: int | None) -> str:
        if cap is None:
            return f"{source} AS {column}"
        return (
            f"CASE WHEN count(*) OVER (PARTITION BY {', '.join(group)}) <= {int(cap)} "
            f"THEN {source} END AS {column}"
        )

    keys = ", ".join(
        capped(column, source, group, name_pair_limit if by_name_pair else limit)
        for column, source, group, by_name_pair in _CAPPED_KEYS
    )
    con.execute(f"CREATE OR REPLACE TABLE records AS SELECT *, {keys} FROM records")  # noqa: S608
    few = "TRUE" if limit is None else f"n <= {int(limit)}"
    for column, group in _CAPPED_TOKENS:
        con.execute(
            f"""
            CREATE OR REPLACE TABLE records AS
            SELECT r.*, coalesce(t.{column}, []) AS {column}
            FROM records r LEFT JOIN (
                SELECT idx, list(token) AS {column} FROM (
                    SELECT idx, token,
                        count(*) OVER (PARTITION BY token, {", ".join(group)}) AS n
                    FROM (SELECT idx, {", ".join(group)}, unnest(tokens) AS token FROM records)
                ) WHERE {few} GROUP BY idx
            ) t USING (idx)
            """  # noqa: S608
        )


# --- Clustering ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RecordFacts:
    """The fields of a record that can rule a link out: one person has one of each.

    Names are not among them: spellings of one person's name differ too much across agencies.
    """

    birth_date: BirthDate | None
    sex: str
    citizenship: str
    patronymic: PartKeys


def facts_conflict(a: RecordFacts, b: RecordFacts, model: ScoringModel, limit: float) -> bool:
    """Whether two records cannot be one person: some field's weight is at or below ``limit``.

    With the shipped weights and ``limit`` −4 these are: birth years more than one apart, the
    same year with another month, a year apart with two recorded months that differ, another
    sex, another citizenship, another patronymic.  A day off in the same month, a year off by
    one with the same month (and any day), a year alone a year off, and missing fields are not
    conflicts (typos happen).  The rules come from the model's weights, so a model
    retrained on real reviewed pairs (where citizenship is sometimes recorded wrongly)
    relaxes them by itself.
    """
    weights = model.weights
    return (
        _full_dates_disagree(a.birth_date, b.birth_date)
        or weights["birth_date"][birth_date_level(a.birth_date, b.birth_date)] <= limit
        or weights["sex"][categorical_level(a.sex, b.sex)] <= limit
        or weights["patronymic"][name_level(a.patronymic, b.patronymic)] <= limit
        or weights["citizenship"][categorical_level(a.citizenship, b.citizenship)] <= limit
    )


def _full_dates_disagree(a: BirthDate | None, b: BirthDate | None) -> bool:
    """Two full dates in different years and different months (not a day/month swap).

    A year typo, a swapped day and month and another day occur together in one person's
    records; another year *and* another month are two people.  (With the shipped weights the
    model's ``off_by_one_year`` is a conflict by weight as well; this rule keeps it so for a
    model retrained on data where that level weighs more.)
    """
    if a is None or b is None or a.day is None or b.day is None or a.year == b.year:
        return False
    return a.month != b.month and (a.month, a.day) != (b.day, b.month)


def clusters_link(
    count: int,
    edges: Iterable[tuple[int, int, float]],
    facts: Sequence[RecordFacts],
    model: ScoringModel,
    *,
    min_weight: float,
    conflict_weight: float = DEFAULT_CONFLICT_WEIGHT,
    margin: float = 0.0,
    apart: Iterable[tuple[int, int]] = (),
) -> list[int]:
    """Cluster records ``0 .. count-1`` from scored pairs; returns a cluster label per record.

    ``edges`` are ``(a, b, match_weight)`` sorted by weight, strongest first.  Links are made
    greedily from the strongest down to ``min_weight``; a link that would put two records
    which conflict (``facts_conflict``) into one cluster is not made.  So a record with only a
    name and a birth year joins the cluster it matches best, and does not chain two namesakes
    with different full birth dates into one person, as connected components do.

    With ``margin`` > 0 a link is also not made when one of its records has another link,
    weaker by less than ``margin``, to a third cluster that conflicts with the other side: the
    record could be either person.

    ``apart`` are pairs of records whose own comparison speaks strongly against one person
    (``DEFAULT_APART_WEIGHT``): two clusters are not joined when they would put such a pair
    together, so a record close to two different people does not chain them into one.
    """
    parent = list(range(count))
    against: dict[int, set[int]] = {}
    for a, b in apart:
        against.setdefault(a, set()).add(b)
        against.setdefault(b, set()).add(a)
    members: dict[int, list[int]] = {}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def cluster(root: int) -> list[int]:
        return members.get(root) or [root]

    def compatible(ra: int, rb: int) -> bool:
        if against:
            big, small = (ra, rb) if len(cluster(ra)) >= len(cluster(rb)) else (rb, ra)
            bigger = set(cluster(big))
            if any(i in against and not against[i].isdisjoint(bigger) for i in cluster(small)):
                return False
        return not any(
            facts_conflict(facts[i], facts[j], model, conflict_weight)
            for i in cluster(ra)
            for j in cluster(rb)
        )

    ordered = list(edges)
    neighbours: dict[int, list[tuple[float, int]]] = {}
    if margin > 0:
        for a, b, weight in ordered:
            neighbours.setdefault(a, []).append((weight, b))
            neighbours.setdefault(b, []).append((weight, a))

    def ambiguous(a: int, b: int, ra: int, rb: int, weight: float) -> bool:
        for record, own, other in ((a, ra, rb), (b, rb, ra)):
            for rival_weight, rival in neighbours.get(record, ()):
                if rival_weight < weight - margin:
                    continue
                rr = find(rival)
                # A rival counts only if the record's cluster could still join it.
                if rr not in (ra, rb) and not compatible(rr, other) and compatible(rr, own):
                    return True
        return False

    for a, b, weight in ordered:
        if weight < min_weight:
            break
        ra, rb = find(a), find(b)
        if ra == rb or not compatible(ra, rb):
            continue
        if margin > 0 and ambiguous(a, b, ra, rb, weight):
            continue
        if len(cluster(ra)) < len(cluster(rb)):
            ra, rb = rb, ra
        parent[rb] = ra
        merged = cluster(ra) + cluster(rb)
        members.pop(rb, None)
        members[ra] = merged
    return [find(x) for x in range(count)]


def _facts_load(con: duckdb.DuckDBPyConnection) -> list[RecordFacts]:
    """Facts of every record, indexed by ``idx``; equal values share one object."""
    rows = con.execute(
        "SELECT dob_y, dob_m, dob_d, coalesce(sex, ''), coalesce(citizenship, ''), "
        "coalesce(p_sk, ''), coalesce(p_root, ''), coalesce(p_coarse, '') "
        "FROM records ORDER BY idx"
    ).fetchall()
    interned: dict[tuple[Any, ...], RecordFacts] = {}
    facts = []
    for row in rows:
        item = interned.get(row)
        if item is None:
            year, month, day, sex, citizenship, p_sk, p_root, p_coarse = row
            item = RecordFacts(
                birth_date=BirthDate(year, month, day) if year is not None else None,
                sex=sex,
                citizenship=citizenship,
                patronymic=PartKeys(p_sk, p_root, p_coarse),
            )
            interned[row] = item
        facts.append(item)
    return facts


def prior_estimate(
    histogram: Iterable[tuple[float, int]], records: int, prior: float, *, rounds: int = 50
) -> float:
    """The probability that two records are one person, estimated from the blocked pairs.

    ``histogram`` counts the blocked pairs by match weight (rounded), the weights computed with
    ``prior``.  Expectation maximisation on the prior alone: the expected number of matches is
    the sum of the pairs' match probabilities under the current prior; divided by all possible
    pairs it gives the next prior.  Pairs the blocking never proposes count as non-matches.
    """
    possible = records * (records - 1) / 2
    bins = [(float(w), int(n)) for w, n in histogram]
    if possible <= 0 or not bins:
        return prior
    base = _weight(prior)
    current = prior
    for _ in range(rounds):
        shift = _weight(current) - base
        expected = sum(n / (1 + 2 ** min(-(w + shift), 1000.0)) for w, n in bins)
        estimate = min(max(expected / possible, 1e-12), 0.5)
        if abs(_weight(estimate) - _weight(current)) < 0.01:
            return estimate
        current = estimate
    return current


def weight_histogram(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[float, int]]:
    """Blocked pairs counted by match weight rounded to 0.01 (for ``prior_estimate``)."""
    return [
        (float(w), int(n))
        for w, n in con.execute(
            f"SELECT round(match_weight, 2), count(*) FROM {table} GROUP BY 1"  # noqa: S608
        ).fetchall()
    ]


def _weight(probability: float) -> float:
    return math.log2(probability / (1 - probability))


@dataclass(frozen=True, slots=True)
class ClusterSummary:
    """What a batch run did and how long each step took (seconds)."""

    records: int
    clusters: int
    pairs_scored: int
    prepare_seconds: float
    predict_seconds: float
    cluster_seconds: float
    # Every pair the blocking rules proposed (known only when the pairs were kept).
    pairs_blocked: int | None = None
    # The blocked pairs by the first rule that proposed them, in ``blocking_rules()`` order.
    pairs_by_rule: tuple[int, ...] = ()
    # The estimated probability that two records of this data are one person.
    prior: float | None = None
    # What reading the file found (encoding, absent columns, values not understood).
    input: InputReport | None = None

    @property
    def total_seconds(self) -> float:
        return self.prepare_seconds + self.predict_seconds + self.cluster_seconds


Clustering = Literal["constrained", "components"]


def labels_constrained(
    con: duckdb.DuckDBPyConnection,
    records: int,
    edges: Sequence[tuple[int, int, float]],
    model: ScoringModel,
    *,
    min_weight: float,
    conflict_weight: float,
    margin: float,
    apart: Sequence[tuple[int, int]] = (),
) -> None:
    """Cluster strongest-first (``clusters_link``) into the table ``labels(record_id, label)``."""
    labels = clusters_link(
        records,
        edges,
        _facts_load(con),
        model,
        min_weight=min_weight,
        conflict_weight=conflict_weight,
        margin=margin,
        apart=apart,
    )
    con.register(
        "labels_view",
        pa.table(
            {
                "idx": pa.array(range(records), pa.int32()),
                "label": pa.array(labels, pa.int32()),
            }
        ),
    )
    con.execute(
        "CREATE TABLE labels AS SELECT r.record_id, l.label "
        "FROM records r JOIN labels_view l USING (idx)"
    )
    con.unregister("labels_view")


def clusters_write(con: duckdb.DuckDBPyConnection, output_path: Path) -> int:
    """Write ``record_id,cluster_id`` (the smallest record id of each cluster); the count."""
    con.execute(
        f"""
        COPY (
            SELECT record_id, min(record_id) OVER (PARTITION BY label) AS cluster_id
            FROM labels ORDER BY record_id
        ) TO '{output_path}' (HEADER, DELIMITER ',')
        """  # noqa: S608
    )
    count_row = con.execute("SELECT count(DISTINCT label) FROM labels").fetchall()[0]
    return int(count_row[0]) if count_row else 0


def cluster_csv(
    input_path: str | Path,
    output_path: str | Path,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    model: ScoringModel | None = None,
    memory_limit: str = "6GB",
    threads: int = 2,
    work_dir: str | Path | None = None,
    seed: int = 7,
    estimate_u: bool = False,
    clustering: Clustering = "constrained",
    conflict_weight: float = DEFAULT_CONFLICT_WEIGHT,
    margin: float = DEFAULT_MARGIN,
    apart_weight: float | None = DEFAULT_APART_WEIGHT,
    pairs_path: str | Path | None = None,
    strict: bool = False,
    group_limit: int | None = GROUP_RECORD_LIMIT,
    name_pair_limit: int | None = NAME_PAIR_RECORD_LIMIT,
) -> ClusterSummary:
    """Cluster the person records in ``input_path`` and write ``record_id,cluster_id``.

    Pairs with a match probability at or above ``threshold`` are linked, strongest first,
    unless the link would join records that conflict (``clusters_link``); with
    ``clustering="components"`` every such pair is linked and clusters are Splink's connected
    components.  ``cluster_id`` is the smallest ``record_id`` of the cluster.
    m- and u-probabilities come from ``model`` (default: the shipped weights; with
    ``estimate_u`` Splink re-estimates u by random sampling of this data).  The prior is
    estimated on the data itself, so that thresholds mean the same on ten thousand and on a
    million records; exact name levels are adjusted for how common the name is in this data.
    With ``pairs_path`` every pair the blocking rules proposed is scored and written there as
    Parquet (``record_id_l, record_id_r, match_weight``), for evaluation; slower.
    The file is checked and read by ``csv_input.records_normalize`` first (``InputError`` for
    a file that cannot be used; with ``strict`` also for values that were not understood).
    Two records whose own pair weighs ``apart_weight`` or less are never clustered together
    through other records (``None``: no such guard).  Key groups of more than ``group_limit``
    records (``name_pair_limit`` for the same two names) are not used by the rules that grow
    with their square (``GROUP_RECORD_LIMIT``; ``None``: no cap).
    """
    from splink import DuckDBAPI, Linker

    model = model or ScoringModel.load()
    input_path, output_path = Path(input_path), Path(output_path)
    with tempfile.TemporaryDirectory(dir=work_dir, prefix="tirek-match-") as tmp:
        con = duckdb.connect(str(Path(tmp) / "match.duckdb"))
        con.execute(f"SET memory_limit = '{memory_limit}'")
        con.execute(f"SET threads = {int(threads)}")
        con.execute(f"SET temp_directory = '{Path(tmp) / 'spill'}'")
        con.execute("SET preserve_insertion_order = false")

        started = time.perf_counter()
        canonical = Path(tmp) / "records.csv"
        report = records_normalize(input_path, canonical, strict=strict)
        records = records_prepare(
            con, canonical, group_limit=group_limit, name_pair_limit=name_pair_limit
        )
        canonical.unlink()
        prepared = time.perf_counter()

        db_api = DuckDBAPI(con)
        linker = Linker(
            db_api.register("records"),
            splink_settings(model),
            log_level=logging.WARNING,
        )
        if estimate_u:
            linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=seed)
        min_weight = _weight(threshold)
        floor = 2 ** (min_weight - margin) / (1 + 2 ** (min_weight - margin))
        # Every blocked pair is scored with the model's prior, then the prior of this data is
        # estimated from the scores themselves (``prior_estimate``) and the weights shifted.
        predictions = linker.inference.predict()
        table = predictions.physical_name
        by_rule = dict(
            con.execute(
                f"SELECT CAST(match_key AS INTEGER), count(*) FROM {table} GROUP BY 1"  # noqa: S608
            ).fetchall()
        )
        pairs_by_rule = tuple(int(by_rule.get(i, 0)) for i in range(len(blocking_rules())))
        blocked = sum(pairs_by_rule)
        prior = prior_estimate(weight_histogram(con, table), records, model.prior)
        shift = _weight(prior) - _weight(model.prior)
        con.execute(
            f"UPDATE {table} SET match_weight = match_weight + {shift!r}, "  # noqa: S608
            f"match_probability = 1 / (1 + pow(2, -(match_weight + {shift!r})))"
        )
        if pairs_path is not None:
            con.execute(
                f"COPY (SELECT record_id_l, record_id_r, match_weight FROM {table}) "  # noqa: S608
                f"TO '{Path(pairs_path)}' (FORMAT PARQUET)"
            )
        apart: list[tuple[int, int]] = []
        if clustering == "constrained" and apart_weight is not None:
            # Only records with a link that may be made can be chained.
            apart = con.execute(
                f"""
                WITH linked AS (
                    SELECT idx_l AS idx FROM {table} WHERE match_probability >= {floor!r}
                    UNION SELECT idx_r FROM {table} WHERE match_probability >= {floor!r}
                )
                SELECT idx_l, idx_r FROM {table}
                WHERE match_weight <= {float(apart_weight)!r}
                AND idx_l IN (SELECT idx FROM linked) AND idx_r IN (SELECT idx FROM linked)
                """  # noqa: S608
            ).fetchall()
        con.execute(f"DELETE FROM {table} WHERE match_probability < {floor!r}")  # noqa: S608
        pairs_row = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0]  # noqa: S608
        predicted = time.perf_counter()

        if clustering == "components":
            clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
                predictions, threshold_match_probability=threshold
            )
            con.execute(
                f"CREATE TABLE labels AS SELECT record_id, cluster_id AS label "  # noqa: S608
                f"FROM {clusters.physical_name}"
            )
        else:
            edges = con.execute(
                f"SELECT idx_l, idx_r, match_weight FROM {predictions.physical_name} "  # noqa: S608
                "ORDER BY match_weight DESC, idx_l, idx_r"
            ).fetchall()
            labels_constrained(
                con,
                records,
                edges,
                model,
                min_weight=min_weight,
                conflict_weight=conflict_weight,
                margin=margin,
                apart=apart,
            )
            del edges, apart
        cluster_count = clusters_write(con, output_path)
        finished = time.perf_counter()
        con.close()
    return ClusterSummary(
        records=records,
        clusters=cluster_count,
        pairs_scored=int(pairs_row[0]) if pairs_row else 0,
        prepare_seconds=prepared - started,
        predict_seconds=predicted - prepared,
        cluster_seconds=finished - predicted,
        pairs_blocked=blocked,
        pairs_by_rule=pairs_by_rule,
        prior=prior,
        input=report,
    )
