"""Every read of matching: candidates from the index, scored matches as one actor may see them.

Intake search (search before create) runs in three steps: look the typed names up in the
candidate index (keyed digests, at most ``CANDIDATE_LIMIT`` persons, those sharing most keys
first), decrypt and score those persons with the trained model, then split the matches into
those the actor may see (shown, with the explanation; each shown hit is a recorded read) and
those she may not (only "a possible match exists at another agency").
"""

from __future__ import annotations

import datetime
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from rapidfuzz.distance import JaroWinkler

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency
from tirek.cases.choices import BirthDatePrecision
from tirek.cases.models import Case, Person
from tirek.core.crypto import blind_index
from tirek.matching import policy
from tirek.matching.csv_input import InputError
from tirek.matching.keys import Key, probe_keys, search_keys
from tirek.matching.models import (
    CandidateKey,
    MatchCheckRequest,
    PersonPair,
    ReviewCandidate,
    ReviewScan,
)
from tirek.matching.normalize import NameKeys, family_root, name_keys, part_keys, words_skeleton
from tirek.matching.reasons import explain, reason_codes
from tirek.matching.scoring import (
    FUZZY_SIMILARITY,
    BirthDate,
    PairScore,
    PersonRecord,
    PreparedPerson,
    ScoringModel,
    birth_date_level,
    birth_date_parse,
    person_prepare,
    probability_of,
)
from tirek.matching.training import (
    DEFAULT_NON_MATCHES,
    DEFAULT_POPULATION,
    model_train_labelled,
)

CANDIDATE_LIMIT = 200
# Encrypted fields that a search neither scores nor shows.
SEARCH_UNUSED = ("closure_reason", "person__mobile_phone", "person__email", "person__contact_notes")
SHOWN_LIMIT = 20
# A key shared by more persons than this is *common* (a frequent given name alone, a birth year
# at national scale): it adds candidates only after the rarer keys, from a bounded sample, so one
# lookup reads a bounded number of index rows whatever the size of the register.
KEY_PERSON_LIMIT = 2_000
_PERSON_FIELDS = (
    "first_name",
    "family_name",
    "patronymic",
    "sex",
    "birth_date",
    "birth_date_precision",
    "citizenship",
)


@cache
def scoring_model() -> ScoringModel:
    """The weights of ``TIREK_MATCH_WEIGHTS`` (checked at start-up) or the shipped ones, loaded
    once per process."""
    path = settings.TIREK_MATCH_WEIGHTS
    return ScoringModel.load(Path(path) if path else None)


def key_digest(kind: str, value: str) -> str:
    """The stored form of one blocking key: 128 bits of its keyed digest."""
    return blind_index(f"match:{kind}", value)[:32]


def key_digests(keys: Iterable[Key]) -> list[str]:
    return sorted({key_digest(kind, value) for kind, value in keys})


# --- records ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Probe:
    """What a worker typed at intake; ``birth_date`` is ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``."""

    given_name: str = ""
    family_name: str = ""
    patronymic: str = ""
    birth_date: str = ""
    sex: str = ""
    citizenship: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.given_name.strip() or self.family_name.strip())

    def record(self) -> PersonRecord:
        return PersonRecord(
            given_name=self.given_name.strip(),
            family_name=self.family_name.strip(),
            patronymic=self.patronymic.strip(),
            sex=self.sex if self.sex in {"F", "M"} else "",
            birth_date=self.birth_date.strip(),
            citizenship=self.citizenship.strip().upper(),
        )

    def keys(self) -> set[Key]:
        return probe_keys(
            self.given_name,
            self.family_name,
            self.patronymic,
            birth_date_parse(self.birth_date),
        )


def probe_digest(probe: Probe) -> str:
    """A keyed digest of the person asked about (her names and birth date as the index keys
    them): the same person typed the same way gives the same digest; the name cannot be read
    back from it."""
    return blind_index("match:ask", "|".join(key_digests(probe.keys())))[:32]


def birth_text(born: datetime.date | None, precision: str) -> str:
    """A stored birth date as far as it is known: ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``."""
    if born is None:
        return ""
    if precision == BirthDatePrecision.YEAR:
        return f"{born.year:04d}"
    if precision == BirthDatePrecision.MONTH:
        return f"{born.year:04d}-{born.month:02d}"
    return born.isoformat()


def person_probe(person: Person) -> Probe:
    """A stored person (decrypted) as a probe, e.g. to find their other records."""
    citizenship = list(person.citizenship or [])
    return Probe(
        given_name=person.first_name or "",
        family_name=person.family_name or "",
        patronymic=person.patronymic or "",
        birth_date=birth_text(person.birth_date, person.birth_date_precision),
        sex=person.sex,
        citizenship=citizenship[0] if citizenship else "",
    )


def person_record(person: Person, *, citizenship_hint: str) -> PersonRecord:
    return _record(
        (person.first_name or "", person.family_name or "", person.patronymic or ""),
        sex=person.sex,
        born=person.birth_date,
        precision=person.birth_date_precision,
        citizenship=person.citizenship,
        citizenship_hint=citizenship_hint,
    )


def _record(
    names: tuple[str, str, str],
    *,
    sex: str,
    born: datetime.date | None,
    precision: str,
    citizenship: Iterable[str] | None,
    citizenship_hint: str,
) -> PersonRecord:
    countries = list(citizenship or [])
    chosen = citizenship_hint if citizenship_hint in countries else ""
    if not chosen and countries:
        chosen = countries[0]
    return PersonRecord(
        given_name=names[0],
        family_name=names[1],
        patronymic=names[2],
        sex=sex if sex in {"F", "M"} else "",
        birth_date=birth_text(born, precision),
        citizenship=chosen,
    )


# --- candidates and scores -------------------------------------------------------------------


def candidate_person_ids(
    keys: Iterable[Key], *, limit: int = CANDIDATE_LIMIT, exclude: Sequence[UUID] = ()
) -> list[UUID]:
    """Persons sharing at least one key, those sharing the most first (at most ``limit``).

    Keys shared by more than ``KEY_PERSON_LIMIT`` persons (common keys) add candidates only
    after the others, from a bounded sample; on a register where no key is common this is one
    query."""
    digests = key_digests(keys)
    if not digests:
        return []
    common, found = _rare_candidates(digests, limit=limit, exclude=exclude)
    if common and len(found) < limit:
        sample = (
            CandidateKey.objects.filter(digest__in=sorted(common))
            .exclude(person_id__in=[*exclude, *found])
            .order_by("digest", "person_id")
            .values_list("person_id", flat=True)[:KEY_PERSON_LIMIT]
        )
        shared = Counter(sample)
        found += sorted(shared, key=lambda person_id: (-shared[person_id], person_id))[
            : limit - len(found)
        ]
    return found


def _rare_candidates(
    digests: Sequence[str], *, limit: int, exclude: Sequence[UUID]
) -> tuple[set[str], list[UUID]]:
    """One query: which ``digests`` are common (reading at most ``KEY_PERSON_LIMIT + 1`` index
    entries of each, however common), and the persons sharing the most of the other digests
    (at most ``limit``, not those in ``exclude``), those sharing most first."""
    table = connection.ops.quote_name(CandidateKey._meta.db_table)
    person = CandidateKey._meta.get_field("person")
    values = ", ".join(["(%s)"] * len(digests))
    excluded = ", ".join(["%s"] * len(exclude))
    # The table name comes from the model; every value is a parameter.
    sql = f"""
        WITH v (digest) AS (VALUES {values}),
        common AS (
            SELECT v.digest FROM v WHERE EXISTS (
                SELECT 1 FROM {table} k WHERE k.digest = v.digest LIMIT 1 OFFSET %s
            )
        )
        SELECT NULL, digest, 0 FROM common
        UNION ALL
        SELECT * FROM (
            SELECT k.person_id, NULL, count(*) AS shared FROM {table} k
            WHERE k.digest IN (SELECT digest FROM v)
            AND k.digest NOT IN (SELECT digest FROM common)
            {f"AND k.person_id NOT IN ({excluded})" if exclude else ""}
            GROUP BY k.person_id ORDER BY shared DESC, k.person_id LIMIT %s
        ) rare
    """  # noqa: S608
    params = [
        *digests,
        KEY_PERSON_LIMIT,
        *(person.get_db_prep_value(person_id, connection) for person_id in exclude),
        limit,
    ]
    common: set[str] = set()
    found: list[UUID] = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for person_id, digest, _shared in cursor.fetchall():
            if digest is not None:
                common.add(digest)
            else:
                found.append(person_id if isinstance(person_id, UUID) else UUID(person_id))
    return common, found


def common_digests(digests: Sequence[str]) -> set[str]:
    """Those of ``digests`` that more than ``KEY_PERSON_LIMIT`` persons share."""
    return _rare_candidates(digests, limit=0, exclude=())[0]


@dataclass(frozen=True)
class ScoredPerson:
    person: Person
    score: PairScore


def persons_score(
    probe: Probe, person_ids: Sequence[UUID], *, minimum: float = policy.SHOW_PROBABILITY
) -> list[ScoredPerson]:
    """Decrypt and score the persons against the probe; best first, at least ``minimum``.

    Names are decrypted and normalised (the costly part) only for persons who can still reach
    ``minimum``: first on birth date, sex, citizenship and which names are blank, with each
    name that is there taking its best level (``ScoringModel.weight_bound``), then again with
    the given and family name read. One query, as before; the result is the same as scoring
    every person in full (a test compares both)."""
    if not person_ids:
        return []
    model = scoring_model()
    prepared: PreparedPerson = person_prepare(probe.record())
    hint = prepared.citizenship
    scored = []
    for pk, sex, born, precision, citizenship, *sealed in _persons_sealed(person_ids):
        stored = {"sex": sex, "born": born, "precision": precision, "citizenship": citizenship}
        unread = (bool(sealed[0]), bool(sealed[1]), bool(sealed[2]))
        unnamed = _prepare_unnamed(_record(("", "", ""), citizenship_hint=hint, **stored))
        if probability_of(model.weight_bound(prepared, unnamed, unread=unread)) < minimum:
            continue
        given, family = _unseal(sealed[0]), _unseal(sealed[1])
        named = replace(unnamed, names=NameKeys(
            part_keys(given, part="given"), part_keys(family, part="family"),
            part_keys("", part="patronymic"), pair="",  # not compared
        ))  # fmt: skip
        bound = model.weight_bound(prepared, named, unread=(False, False, unread[2]))
        if probability_of(bound) < minimum:
            continue
        names = (given, family, _unseal(sealed[2]))
        score = model.score(
            prepared, person_prepare(_record(names, citizenship_hint=hint, **stored))
        )
        if score.probability >= minimum:
            values = dict(zip(_NAME_FIELDS, names, strict=True)) | {
                "id": pk, "sex": sex, "birth_date": born, "birth_date_precision": precision,
                "citizenship": citizenship,
            }  # fmt: skip
            person = Person.from_db(
                connection.alias, _PERSON_COLUMNS, [values[name] for name in _PERSON_COLUMNS]
            )
            scored.append(ScoredPerson(person, score))
    scored.sort(key=lambda s: (-s.score.weight, str(s.person.pk)))
    return scored


_NAME_FIELDS = ("first_name", "family_name", "patronymic")
_SEALED_COLUMNS = ("id", "sex", "birth_date", "birth_date_precision", "citizenship", *_NAME_FIELDS)
# The columns of a scored person, in the model's order (``Model.from_db`` defers the others).
_PERSON_COLUMNS = [
    f.attname for f in Person._meta.concrete_fields if f.attname in {"id", *_PERSON_FIELDS}
]


_UNNAMED = name_keys("", "", "")


def _prepare_unnamed(record: PersonRecord) -> PreparedPerson:
    """``person_prepare`` of a record without names, without normalising three blank names."""
    return PreparedPerson(
        names=_UNNAMED,
        birth_date=birth_date_parse(record.birth_date),
        sex=record.sex,  # already F, M or blank (``_record``)
        citizenship=record.citizenship.strip().upper(),
        scripts=("", "", ""),
    )


def _persons_sealed(person_ids: Sequence[UUID]) -> Iterator[tuple[Any, ...]]:
    """Each person's id, sex, birth date, precision and citizenship as the model reads them,
    then her three names still encrypted (one query, not through the ORM: its converters would
    decrypt every name)."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(_person_field(name).column) for name in _SEALED_COLUMNS)
    marks = ", ".join(["%s"] * len(person_ids))
    key, born, citizenship = (_person_field(n) for n in ("id", "birth_date", "citizenship"))
    table = quote(Person._meta.db_table)
    # Table and column names come from the model; every value is a parameter.
    sql = f"SELECT {columns} FROM {table} WHERE {quote(key.column)} IN ({marks})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [key.get_db_prep_value(pk, connection) for pk in person_ids])
        rows = cursor.fetchall()
    for pk, sex, sealed_born, precision, countries, *names in rows:
        if isinstance(countries, str):
            countries = citizenship.from_db_value(countries, None, connection)
        yield (
            pk if isinstance(pk, UUID) else UUID(pk),
            sex,
            born.from_db_value(sealed_born, None, connection),
            precision,
            countries,
            *names,
        )


def _person_field(name: str) -> Any:
    return Person._meta.get_field(name)


def _unseal(sealed: str | None) -> str:
    """A name column as stored (ciphertext, or blank) decrypted, as the model field reads it."""
    return _person_field("first_name").from_db_value(sealed, None, connection) or ""


# --- what an actor may see -------------------------------------------------------------------


@dataclass
class Match:
    """A case whose person may be the one searched for, as the actor may see it."""

    case: Case
    probability: float
    reasons: list[dict[str, object]]
    pair: PersonPair | None = None

    @property
    def explanation(self) -> str:
        return explain(self.reasons)

    @property
    def is_likely(self) -> bool:
        return self.probability >= policy.LIKELY_PROBABILITY

    @property
    def percent(self) -> int:
        return min(99, round(self.probability * 100)) if self.probability < 1 else 99


@dataclass
class MatchResult:
    """Matches the actor may see, and whether a strong match exists that she may not see."""

    matches: list[Match] = field(default_factory=list)
    match_elsewhere: bool = False
    hidden: list[Match] = field(default_factory=list)  # never shown; for check requests only


def matches_find(
    *, actor: Actor, probe: Probe, exclude_person_id: UUID | None = None
) -> MatchResult:
    """Intake search: the actor's matches and the neutral flag for others. Records nothing: what
    shows the matches records them as reads (``cases.reads``)."""
    result = MatchResult()
    if probe.is_empty or not policy.may_search(actor):
        return result
    exclude = [exclude_person_id] if exclude_person_id else []
    scored = persons_score(probe, candidate_person_ids(probe.keys(), exclude=exclude))
    if not scored:
        return result
    by_person = {s.person.pk: s for s in scored}
    cases = list(
        Case.objects.filter(person_id__in=list(by_person)).select_related(
            "owner_agency", "case_worker"
        )
    )
    visible = policy.identity_visible_many(actor, cases)
    for case in cases:
        hit = by_person[case.person_id]
        case.person = hit.person
        match = Match(case, hit.score.probability, reason_codes(hit.score.evidence))
        if case.pk in visible:
            result.matches.append(match)
        elif match.probability >= policy.FLAG_PROBABILITY:
            result.hidden.append(match)
    result.match_elsewhere = bool(result.hidden)
    result.matches.sort(key=lambda m: (-m.probability, m.case.reference))
    del result.matches[SHOWN_LIMIT:]
    return result


# --- the search box ------------------------------------------------------------------------

# Birth date levels a search with a date accepts: the date as recorded may be partial, have
# day and month swapped, or a typo in the day or the year; a date-only search wants the date.
_SEARCH_DATE_LEVELS = frozenset(
    {
        "exact",
        "swapped_day_month",
        "same_month_year",
        "partial_month",
        "partial_match",
        "year_typo",
        "missing",
    }
)
_DATE_ONLY_LEVELS = frozenset({"exact", "partial_month", "partial_match"})


@dataclass
class SearchResult:
    """Cases among those the actor can see, best first, and the neutral flag for the others."""

    cases: list[Case] = field(default_factory=list)
    match_elsewhere: bool = False


def _word_found(word: str, person_words: list[str], roots: dict[str, str]) -> bool:
    root = _root(word, roots)
    return any(
        _root(other, roots) == root or JaroWinkler.similarity(word, other) >= FUZZY_SIMILARITY
        for other in person_words
    )


def _root(word: str, roots: dict[str, str]) -> str:
    """``family_root`` once per word of one search (candidates share names; kept for the
    search only, not in a process-wide cache of decrypted names)."""
    if word not in roots:
        roots[word] = family_root(word)
    return roots[word]


def _skeletons(name: str, skeletons: dict[str, list[str]]) -> list[str]:
    """``words_skeleton`` once per name of one search (the candidates share the typed names)."""
    if name not in skeletons:
        skeletons[name] = words_skeleton(name)
    return skeletons[name]


def _search_fits(
    words: list[str],
    birth: BirthDate | None,
    person: Person,
    cache: tuple[dict[str, str], dict[str, list[str]]],
) -> bool:
    """Every typed word matches one of the person's names, and her recorded birth date does not
    contradict the typed one; the names first, as most candidates fail there. ``cache`` holds
    the roots and skeletons computed so far in this search."""
    roots, skeletons = cache
    person_words = [
        *_skeletons(person.first_name or "", skeletons),
        *_skeletons(person.family_name or "", skeletons),
        *_skeletons(person.patronymic or "", skeletons),
    ]
    if not all(_word_found(word, person_words, roots) for word in words):
        return False
    if birth is None:
        return True
    recorded = birth_date_parse(birth_text(person.birth_date, person.birth_date_precision))
    level = birth_date_level(birth, recorded)
    return level in (_SEARCH_DATE_LEVELS if words else _DATE_ONLY_LEVELS)


def cases_search(
    *, actor: Actor, name: str = "", birth_date: datetime.date | None = None, limit: int = 20
) -> SearchResult:
    """The search box: one search across alphabets, spellings and name orders.

    ``name`` is any words of the person's names, in any order and script ("Obraztsova Olga"
    finds "Образцова Ольга"); every word must match one of the person's names (across scripts,
    or with a typo). With a birth date, persons whose recorded date contradicts it are left
    out. Returns the cases whose identity the actor may see, best match first (nothing is
    recorded here: what shows them records the reads), and whether a strong match exists
    among the cases she may not see (``policy.FLAG_PROBABILITY``), without saying which.
    """
    result = SearchResult()
    words = [w for w in words_skeleton(name) if len(w) >= 2][:6]
    birth = birth_date_parse(birth_date.isoformat()) if birth_date else None
    if (not words and birth is None) or not policy.may_search(actor):
        return result
    person_ids = candidate_person_ids(search_keys(words, birth))
    if not person_ids:
        return result
    model = scoring_model()
    probe = person_prepare(
        PersonRecord(
            given_name=words[1] if len(words) > 1 else "",
            family_name=words[0] if words else "",
            patronymic=" ".join(words[2:]),
            birth_date=birth_date.isoformat() if birth_date else "",
        )
    )
    # Up to 200 candidates, most sharing one common word: decrypt only their names and birth
    # dates (no case, agency or worker rows), check the words before normalising the rest, and
    # read the cases of those that fit alone.
    scores: dict[UUID, float] = {}
    cache: tuple[dict[str, str], dict[str, list[str]]] = ({}, {})
    for person in Person.objects.filter(pk__in=person_ids).only(*_PERSON_FIELDS):
        if _search_fits(words, birth, person, cache):
            prepared = person_prepare(person_record(person, citizenship_hint=""))
            scores[person.pk] = model.score(probe, prepared).weight
    if not scores:
        return result
    found = Case.objects.filter(person_id__in=list(scores)).select_related(
        "person", "owner_agency", "case_worker"
    )
    cases = list(found.defer(*SEARCH_UNUSED))
    visible = policy.identity_visible_many(actor, cases)
    shown = [case for case in cases if case.pk in visible]
    shown.sort(key=lambda case: (-scores[case.person_id], -case.created_at.timestamp()))
    result.cases = shown[:limit]
    flag_weight = _log_odds(policy.FLAG_PROBABILITY)
    result.match_elsewhere = any(
        case.pk not in visible and scores[case.person_id] >= flag_weight for case in cases
    )
    return result


def _log_odds(probability: float) -> float:
    return math.log2(probability / (1 - probability))


def pairs_of_person(person_id: UUID) -> QuerySet[PersonPair]:
    return PersonPair.objects.filter(Q(person_low_id=person_id) | Q(person_high_id=person_id))


def pair_between(person_a: UUID, person_b: UUID) -> PersonPair | None:
    low, high = sorted((person_a, person_b))
    return PersonPair.objects.filter(person_low_id=low, person_high_id=high).first()


def same_person_ids(person_id: UUID) -> set[UUID]:
    """Every person record confirmed (directly or through others) to be this person."""
    seen = {person_id}
    frontier = [person_id]
    while frontier:
        pairs = PersonPair.objects.filter(
            Q(person_low_id__in=frontier) | Q(person_high_id__in=frontier),
            status=PersonPair.Status.CONFIRMED,
        ).values_list("person_low_id", "person_high_id")
        frontier = []
        for low, high in pairs:
            for other in (low, high):
                if other not in seen:
                    seen.add(other)
                    frontier.append(other)
    return seen


@dataclass
class CaseMatches:
    """The case page's panel: links decided for this person and new suggestions."""

    case: Case
    confirmed: list[Match]
    suggestions: list[Match]
    match_elsewhere: bool
    linked_elsewhere: int

    @property
    def shown_cases(self) -> list[Case]:
        """The cases whose person's name is shown (their reads are recorded)."""
        return [m.case for m in self.suggestions + self.confirmed]


def case_matches(*, actor: Actor, case: Case) -> CaseMatches:
    """Other records that may be this case's person, and those already confirmed to be."""
    person = case.person
    decided = {
        (p.person_high_id if p.person_low_id == person.pk else p.person_low_id): p
        for p in pairs_of_person(person.pk)
    }
    found = matches_find(actor=actor, probe=person_probe(person), exclude_person_id=person.pk)
    suggestions = []
    for match in found.matches:
        pair = decided.get(match.case.person_id)
        if pair is None or pair.status == PersonPair.Status.UNDONE:
            suggestions.append(match)
    confirmed = []
    linked_elsewhere = 0
    confirmed_ids = [
        other for other, pair in decided.items() if pair.status == PersonPair.Status.CONFIRMED
    ]
    others = list(
        Case.objects.filter(person_id__in=confirmed_ids).select_related("person", "owner_agency")
    )
    visible = policy.identity_visible_many(actor, others)
    for other_case in others:
        pair = decided[other_case.person_id]
        if other_case.pk in visible:
            confirmed.append(Match(other_case, pair.probability or 0.0, pair.reasons, pair))
        else:
            linked_elsewhere += 1
    hidden = [
        m
        for m in found.hidden
        if m.case.person_id not in decided
        or decided[m.case.person_id].status == PersonPair.Status.UNDONE
    ]
    return CaseMatches(
        case=case,
        confirmed=confirmed,
        suggestions=suggestions,
        match_elsewhere=bool(hidden),
        linked_elsewhere=linked_elsewhere,
    )


def check_requests_for(*, actor: Actor) -> QuerySet[MatchCheckRequest]:
    """Coordinators see every request; others only their agency's own (never the candidates)."""
    requests = MatchCheckRequest.objects.select_related("requesting_agency", "case")
    if policy.is_coordinator(actor):
        return requests.prefetch_related("candidates__case__owner_agency")
    return requests.filter(requesting_agency_id=actor.membership.agency_id)


def check_request_get(*, actor: Actor, request_id: UUID | str) -> MatchCheckRequest:

    from tirek.core.errors import NotFound

    try:
        return check_requests_for(actor=actor).get(pk=request_id)
    except (MatchCheckRequest.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


# --- the coordinators' review of uncertain pairs ---------------------------------------------

# Digests shared by more persons than this (a very common name with no other key) are skipped:
# they would give thousands of pairs, each weakly identified.
REVIEW_DIGEST_LIMIT = 50
# At most this many candidate pairs are scored per request, and the queue stops at
# ``REVIEW_PAIR_LIMIT`` uncertain pairs; decided pairs leave it and the next ones come in.
REVIEW_SCORE_LIMIT = 10_000
REVIEW_PAIR_LIMIT = 200
_REVIEW_DIGEST_CHUNK = 500


def review_band() -> tuple[float, float]:
    """``TIREK_MATCH_REVIEW_BAND``: probabilities from ``low`` (inclusive) up to ``high``."""
    from django.conf import settings

    band = tuple(getattr(settings, "TIREK_MATCH_REVIEW_BAND", ()) or ())
    if len(band) == 2 and 0.0 <= band[0] < band[1] <= 1.0:
        return float(band[0]), float(band[1])
    return 0.2, policy.LIKELY_PROBABILITY


@dataclass
class ReviewPair:
    """Two person records the engine is unsure about: their cases, score and reason codes."""

    person_low: UUID
    person_high: UUID
    cases_low: list[Case]
    cases_high: list[Case]
    probability: float
    reasons: list[dict[str, object]]

    @property
    def case_a(self) -> Case:
        return self.cases_low[0]

    @property
    def case_b(self) -> Case:
        return self.cases_high[0]

    @property
    def explanation(self) -> str:
        return explain(self.reasons)

    @property
    def percent(self) -> int:
        return min(99, round(self.probability * 100))


@dataclass
class ReviewQueue:
    """The uncertain pairs (best first) and how the bounded search went."""

    pairs: list[ReviewPair]
    scored: int  # candidate pairs scored
    skipped_digests: int  # index keys shared by too many persons, not paired
    complete: bool  # False: a limit was reached, more pairs may come after these are decided


def _confirmed_components() -> dict[UUID, UUID]:
    """Person id -> a representative of its confirmed "same person" component."""
    parent: dict[UUID, UUID] = {}

    def find(item: UUID) -> UUID:
        while parent.setdefault(item, item) != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    confirmed = PersonPair.objects.filter(status=PersonPair.Status.CONFIRMED)
    for low, high in confirmed.values_list("person_low_id", "person_high_id").iterator():
        a, b = find(low), find(high)
        if a != b:
            parent[max(a, b)] = min(a, b)
    return {item: find(item) for item in list(parent)}


def candidate_pairs(
    *, digest_limit: int, after: str = ""
) -> Iterator[tuple[list[tuple[UUID, UUID]], int, str]]:
    """Chunks of person pairs sharing an index digest, in digest order (keyed, so arbitrary),
    from the digest after ``after`` on (a saved position).

    Yields ``(pairs, skipped, last)``: new pairs (low, high) of the chunk, the digests of the
    chunk shared by more than ``digest_limit`` persons, and the chunk's last digest. Each chunk
    is one grouped query on the ``(digest, person)`` index (counting persons, so the index covers
    it), in index order with a limit, so the caller can stop early without the whole table being
    grouped.
    """
    seen: set[tuple[UUID, UUID]] = set()
    while True:
        shared = list(
            CandidateKey.objects.filter(digest__gt=after)
            .values("digest")
            .annotate(n=Count("person_id"))
            .filter(n__gte=2)
            .order_by("digest")
            .values_list("digest", "n")[:_REVIEW_DIGEST_CHUNK]
        )
        if not shared:
            return
        after = shared[-1][0]
        wanted = [digest for digest, n in shared if n <= digest_limit]
        skipped = len(shared) - len(wanted)
        members: dict[str, list[UUID]] = {}
        rows = CandidateKey.objects.filter(digest__in=wanted).values_list("digest", "person_id")
        for digest, person_id in rows:
            members.setdefault(digest, []).append(person_id)
        chunk: list[tuple[UUID, UUID]] = []
        for digest in wanted:
            persons = sorted(members.get(digest, []))
            for i, low in enumerate(persons):
                for high in persons[i + 1 :]:
                    if (low, high) not in seen:
                        seen.add((low, high))
                        chunk.append((low, high))
        yield chunk, skipped, after


class ReviewScorer:
    """Scores candidate pairs for the review: leaves out decided pairs and pairs already linked
    through confirmations, decrypts each person once, keeps the pairs in ``review_band()``."""

    def __init__(self) -> None:
        self.band = review_band()
        self.decided = set(
            PersonPair.objects.filter(
                status__in=[PersonPair.Status.CONFIRMED, PersonPair.Status.REJECTED]
            ).values_list("person_low_id", "person_high_id")
        )
        self.component = _confirmed_components()
        self.model = scoring_model()
        self.prepared: dict[UUID, PreparedPerson | None] = {}

    def score(
        self, pairs: Sequence[tuple[UUID, UUID]], *, limit: int
    ) -> tuple[int, list[tuple[UUID, UUID, PairScore]]]:
        """How many of ``pairs`` were scored (at most ``limit``), and those in the band."""
        component = self.component
        todo = [
            (a, b)
            for a, b in pairs
            if (a, b) not in self.decided
            and (a not in component or component.get(a) != component.get(b))
        ][:limit]
        missing = {p for pair in todo for p in pair} - set(self.prepared)
        for person in Person.objects.filter(pk__in=list(missing)).only(*_PERSON_FIELDS):
            record = person_record(person, citizenship_hint="")
            named = record.given_name or record.family_name
            self.prepared[person.pk] = person_prepare(record) if named else None
        low_p, high_p = self.band
        scored = 0
        found = []
        for a, b in todo:
            left, right = self.prepared.get(a), self.prepared.get(b)
            if left is None or right is None:
                continue
            scored += 1
            score = self.model.score(left, right)
            if low_p <= score.probability < high_p:
                found.append((a, b, score))
        return scored, found


def review_queue(
    *,
    digest_limit: int = REVIEW_DIGEST_LIMIT,
    score_limit: int = REVIEW_SCORE_LIMIT,
    pair_limit: int = REVIEW_PAIR_LIMIT,
) -> ReviewQueue:
    """Pairs of person records the engine is unsure about, across the whole database.

    Candidates are persons sharing a digest of the candidate index (never a digest shared by
    more than ``digest_limit`` persons); pairs already confirmed or rejected, or linked through
    other confirmations, are left out. The rest are decrypted in memory, scored with the trained
    model and kept if the probability lies in ``review_band()``. Computed on each request and
    bounded: at most ``score_limit`` pairs scored, at most ``pair_limit`` pairs kept. Holds no
    names: only ids, cases, probabilities and reason codes.
    """
    scorer = ReviewScorer()
    found: list[tuple[UUID, UUID, PairScore]] = []
    scored = skipped = 0
    complete = True
    for chunk, chunk_skipped, _last in candidate_pairs(digest_limit=digest_limit):
        skipped += chunk_skipped
        chunk_scored, chunk_found = scorer.score(chunk, limit=max(0, score_limit - scored))
        scored += chunk_scored
        found += chunk_found
        if scored >= score_limit or len(found) >= pair_limit:
            complete = False
            break
    found.sort(key=lambda item: (-item[2].probability, str(item[0]), str(item[1])))
    del found[pair_limit:]
    pairs = _review_pairs(
        [(a, b, score.probability, reason_codes(score.evidence)) for a, b, score in found]
    )
    return ReviewQueue(pairs=pairs, scored=scored, skipped_digests=skipped, complete=complete)


def _review_pairs(
    found: Sequence[tuple[UUID, UUID, float, list[dict[str, object]]]],
) -> list[ReviewPair]:
    """The pairs with their cases (one query), leaving out a person without a case."""
    cases: dict[UUID, list[Case]] = {}
    persons = {p for a, b, _p, _r in found for p in (a, b)}
    for case in (
        Case.objects.filter(person_id__in=list(persons))
        .select_related("owner_agency")
        .only("pk", "reference", "person_id", "owner_agency__name", "created_at")
        .order_by("created_at", "pk")
    ):
        cases.setdefault(case.person_id, []).append(case)
    return [
        ReviewPair(a, b, cases[a], cases[b], probability, reasons)
        for a, b, probability, reasons in found
        if cases.get(a) and cases.get(b)
    ]


@dataclass(frozen=True)
class StoredReview:
    """The review queue as the background scan (``services.review_scan``) keeps it."""

    candidates: QuerySet[ReviewCandidate]  # best first, decided pairs left out
    scan: ReviewScan | None

    @property
    def complete(self) -> bool:
        """Whether a whole pass over the candidate index has finished."""
        return self.scan is not None and self.scan.last_complete_at is not None

    @property
    def skipped_digests(self) -> int:
        return self.scan.skipped_digests if self.scan else 0

    def pairs(self, rows: Iterable[ReviewCandidate]) -> list[ReviewPair]:
        """A page of candidates as review pairs with their cases."""
        return _review_pairs(
            [(r.person_low_id, r.person_high_id, r.probability, r.reasons) for r in rows]
        )


def review_queue_for(*, actor: Actor) -> StoredReview:
    """The review queue for a coordinator, as the background scan keeps it (nothing is scored in
    the request); ``NotFound`` for anyone else (the page is hidden)."""

    from tirek.core.errors import NotFound

    if not policy.may_review_pairs(actor):
        raise NotFound()
    decided = PersonPair.objects.filter(
        person_low_id=OuterRef("person_low_id"),
        person_high_id=OuterRef("person_high_id"),
        status__in=[PersonPair.Status.CONFIRMED, PersonPair.Status.REJECTED],
    )
    candidates = ReviewCandidate.objects.exclude(Exists(decided)).order_by(
        "-probability", "person_low_id", "person_high_id"
    )
    return StoredReview(candidates=candidates, scan=ReviewScan.objects.filter(pk=1).first())


# --- statistics ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonsCount:
    records: int
    unique_persons: int


def _memory_dir() -> str | None:
    """A RAM-backed directory for the decrypted records, where the system has one."""
    import os

    shm = "/dev/shm"  # noqa: S108 - memory-backed, private subdirectory made below
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK) else None


def _pairwise_clusters(threshold: float) -> dict[str, str]:
    """Record id -> smallest linked record id, from scored index candidates (small data)."""
    parent: dict[str, str] = {}

    def find(item: str) -> str:
        while parent.setdefault(item, item) != item:
            item = parent[item]
        return item

    for person in Person.objects.only(*_PERSON_FIELDS).iterator(chunk_size=500):
        if not (person.first_name or person.family_name):
            continue
        probe = person_probe(person)
        find(person.pk.hex)
        candidates = candidate_person_ids(probe.keys(), exclude=[person.pk])
        for hit in persons_score(probe, candidates, minimum=threshold):
            a, b = find(person.pk.hex), find(hit.person.pk.hex)
            if a != b:
                parent[max(a, b)] = min(a, b)
    return {item: find(item) for item in list(parent)}


# Confirmed "same person" links below this are too few to learn weights from.
REGISTER_MINIMUM_PAIRS = 30
# Other person records drawn at random for the non-matches when learning from the register.
REGISTER_SAMPLE = 20_000


@dataclass(frozen=True, slots=True)
class RegisterTraining:
    """Weights learnt from the register's confirmed links, and from how many (counts only)."""

    model: ScoringModel
    persons: int  # person records read (linked ones and the random sample)
    match_pairs: int
    non_match_pairs: int


def weights_learn_from_register(
    *,
    sample: int = REGISTER_SAMPLE,
    non_matches: int = DEFAULT_NON_MATCHES,
    population: int = DEFAULT_POPULATION,
    seed: int = 7,
    minimum_pairs: int = REGISTER_MINIMUM_PAIRS,
) -> RegisterTraining:
    """Match weights learnt from this register: m from the person records coordinators
    confirmed as one person (every pair within a confirmed group), u from random pairs of up
    to ``sample`` other person records. Rejected pairs are not used: they are the hard cases
    the model already proposed, not a sample of different persons. Names are decrypted in
    memory only; nothing but the weights leaves. ``InputError`` when too few are confirmed."""
    components = _confirmed_components()
    groups: dict[UUID, list[UUID]] = defaultdict(list)
    for person_id, root in components.items():
        groups[root].append(person_id)
    linked_pairs = sum(len(ids) * (len(ids) - 1) // 2 for ids in groups.values())
    if linked_pairs < minimum_pairs:
        raise InputError(
            f"{linked_pairs} pairs of person records are confirmed as one person; at least "
            f"{minimum_pairs} are needed to learn weights from (coordinators confirm pairs in "
            "the review of possible duplicates)."
        )
    others = list(
        Person.objects.exclude(pk__in=list(components))
        .order_by("?")
        .values_list("pk", flat=True)[:sample]
    )
    prepared: list[PreparedPerson] = []
    owners: list[str] = []
    wanted = [*components, *others]
    for start in range(0, len(wanted), 2000):
        chunk = wanted[start : start + 2000]
        for person in Person.objects.filter(pk__in=chunk).only(*_PERSON_FIELDS):
            if not (person.first_name or person.family_name):
                continue  # erased or anonymised: nothing to learn from
            prepared.append(person_prepare(person_record(person, citizenship_hint="")))
            owners.append(str(components.get(person.pk, person.pk)))
    model, matches, drawn = model_train_labelled(
        prepared, owners, non_matches=non_matches, population=population, seed=seed
    )
    return RegisterTraining(
        model=model, persons=len(prepared), match_pairs=matches, non_match_pairs=drawn
    )


def persons_count(*, threshold: float = 0.9) -> PersonsCount:
    """How many unique persons the database holds: the batch engine's clusters of the
    decrypted person records, joined by the confirmed links. Names stay in memory (a private
    temporary directory on ``/dev/shm`` where available) and are removed at the end."""
    import csv
    import tempfile

    from tirek.matching.batch import cluster_csv

    with tempfile.TemporaryDirectory(dir=_memory_dir(), prefix="tirek-count-") as tmp:
        records_path, clusters_path = Path(tmp) / "records.csv", Path(tmp) / "clusters.csv"
        records = 0
        with records_path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(
                ("record_id", "given_name", "family_name", "patronymic", "sex", "birth_date",
                 "citizenship")
            )  # fmt: skip
            for person in Person.objects.only(*_PERSON_FIELDS).iterator(chunk_size=2000):
                if not (person.first_name or person.family_name):
                    continue  # erased or anonymised: not countable by name
                record = person_record(person, citizenship_hint="")
                writer.writerow(
                    (person.pk.hex, record.given_name, record.family_name, record.patronymic,
                     record.sex, record.birth_date, record.citizenship)
                )  # fmt: skip
                records += 1
        if not records:
            return PersonsCount(0, 0)
        parent: dict[str, str] = {}
        try:
            cluster_csv(
                records_path,
                clusters_path,
                threshold=threshold,
                model=scoring_model(),
                work_dir=tmp,
            )
        except ValueError:
            # Splink cannot estimate its prior on very few records: score the index's
            # candidate pairs with the same model instead.
            parent = _pairwise_clusters(threshold)
        else:
            with clusters_path.open(encoding="utf-8") as handle:
                for row in csv.DictReader(handle):
                    parent[row["record_id"]] = row["cluster_id"]

    def find(item: str) -> str:
        while parent.get(item, item) != item:
            item = parent[item]
        return item

    for low, high in PersonPair.objects.filter(status=PersonPair.Status.CONFIRMED).values_list(
        "person_low_id", "person_high_id"
    ):
        a, b = find(low.hex), find(high.hex)
        if a != b and low.hex in parent and high.hex in parent:
            parent[max(a, b)] = min(a, b)
    return PersonsCount(records, len({find(item) for item in parent}))


# --- who asks about many people ---------------------------------------------------------------


@dataclass(frozen=True)
class Asker:
    """One member's intake searches over a period: how many, about how many different people,
    how often a match elsewhere was flagged, and how many case openings were refused."""

    user_name: str
    agency: Agency | None
    asks: int
    persons: int
    flagged: int
    limited: int
    refused: int


def askers(*, actor: Actor, days: int = policy.ASKERS_DAYS) -> list[Asker]:
    """Coordinators: every member who searched or was refused a case in the last ``days`` days,
    those who asked about the most different people first. A fixed number of queries."""
    from django.utils import timezone

    from tirek.accounts.models import User
    from tirek.core.audit import REFUSED
    from tirek.core.errors import NotFound
    from tirek.core.models import AuditEvent

    if not policy.is_coordinator(actor):
        raise NotFound()
    since = timezone.now() - datetime.timedelta(days=days)
    recent = AuditEvent.objects.filter(at__gte=since, actor_user_id__isnull=False)
    totals: dict[UUID, Counter[str]] = defaultdict(Counter)
    agency_of: dict[UUID, UUID] = {}
    asked = (
        recent.filter(action=policy.ASKED)
        .values("actor_user_id", "actor_agency_id")
        .annotate(
            asks=Count("id"),
            persons=Count("object_id", distinct=True),
            flagged=Count("id", filter=Q(data__match_elsewhere=True)),
        )
    )
    for row in asked:
        agency_of[row["actor_user_id"]] = row["actor_agency_id"]
        totals[row["actor_user_id"]].update(
            asks=row["asks"], persons=row["persons"], flagged=row["flagged"]
        )
    for action, name in ((policy.ASK_LIMITED, "limited"), (REFUSED, "refused")):
        rows = recent.filter(action=action).values("actor_user_id", "actor_agency_id")
        for row in rows.annotate(total=Count("id")):
            agency_of.setdefault(row["actor_user_id"], row["actor_agency_id"])
            totals[row["actor_user_id"]][name] += row["total"]
    users = User.objects.in_bulk(list(totals))
    agencies = Agency.objects.in_bulk(list(agency_of.values()))
    result = [
        Asker(
            user_name=users[user_id].display_name if user_id in users else "—",
            agency=agencies.get(agency_of[user_id]),
            asks=total["asks"],
            persons=total["persons"],
            flagged=total["flagged"],
            limited=total["limited"],
            refused=total["refused"],
        )
        for user_id, total in totals.items()
    ]
    result.sort(key=lambda a: (-a.persons, -a.refused, -a.asks, a.user_name))
    return result
