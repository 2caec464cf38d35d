"""Train the shipped match weights on generated records with known truth.

    .venv/bin/python -m bench.train --rows 60000 --seed 11 \
        --out src/tirek/matching/data/default_weights.json

m-probabilities come from all pairs of records of the same person, u-probabilities from
random pairs of records of different persons.  The prior is set for intake search (one true
match among ``--population`` persons); batch clustering re-estimates it on its data.
Uses a seed different from the benchmark's, so the benchmark is not scored on training data.
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

if __package__ in {None, ""}:  # run as `python bench/train.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import Surnames, records_generate
from tirek.matching.scoring import PersonRecord, PreparedPerson, ScoringModel, compare
from tirek.matching.scoring import person_prepare as prepare


def labelled_pairs(
    rows: int, seed: int, non_matches: int, surnames: Surnames = "realistic"
) -> list[tuple[dict[str, str], bool]]:
    rng = random.Random(seed)
    by_person: dict[int, list[PreparedPerson]] = defaultdict(list)
    everyone: list[tuple[int, PreparedPerson]] = []
    for _, person_id, row in records_generate(rows, seed, surnames):
        prepared = prepare(PersonRecord(*row))
        by_person[person_id].append(prepared)
        everyone.append((person_id, prepared))
    pairs = [
        (compare(a, b), True)
        for records in by_person.values()
        for a, b in itertools.combinations(records, 2)
    ]
    while non_matches:
        (pa, a), (pb, b) = rng.choice(everyone), rng.choice(everyone)
        if pa != pb:
            pairs.append((compare(a, b), False))
            non_matches -= 1
    return pairs


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=60_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--non-matches", type=int, default=300_000)
    parser.add_argument("--population", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--surnames", choices=("realistic", "legacy"), default="realistic")
    args = parser.parse_args(argv)
    pairs = labelled_pairs(args.rows, args.seed, args.non_matches, args.surnames)
    model = ScoringModel.train(pairs, smoothing=1.0, prior=1 / args.population)
    text = model.to_json() + "\n"
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {args.out} from {len(pairs):,} labelled pairs")
    else:
        print(text)


if __name__ == "__main__":
    main()
