"""bench.ceiling: the best pairwise figures any classifier on the comparison fields can reach."""

from pathlib import Path

import pytest
from bench import ceiling

from tirek.matching.batch import cluster_csv


def test_cells_are_accepted_purest_first_and_the_f1_best_cut_is_kept() -> None:
    # 10 true pairs in all, 2 of them never compared.
    cells = [(5, 0), (2, 2), (1, 9), (0, 4)]
    cut, accepted = ceiling.best_cut(cells, 10)
    # Purest first: (5, 0) alone gives F1 2*1*0.5/1.5 = 0.667; with (2, 2) P 7/9, R 0.7, F1
    # 0.737; with (1, 9) as well P 8/19, R 0.8, F1 0.552.
    assert (cut.correct_pairs, cut.predicted_pairs, accepted) == (7, 9, 2)
    assert cut.precision == pytest.approx(7 / 9)
    assert cut.recall == pytest.approx(0.7)


def test_cells_of_equal_purity_are_taken_together() -> None:
    # Taking one of two equally pure cells could look better than taking both, but no
    # classifier could tell their pairs apart.
    cut, accepted = ceiling.best_cut([(4, 0), (1, 1), (1, 1)], 6)
    assert (cut.correct_pairs, cut.predicted_pairs, accepted) == (6, 8, 3)


def test_no_pairs_accepted_is_the_empty_cut() -> None:
    cut, accepted = ceiling.best_cut([(0, 3)], 2)
    assert (cut.correct_pairs, cut.predicted_pairs, accepted, cut.f1) == (0, 0, 0, 0.0)


def test_the_models_best_threshold_is_the_f1_best_prefix_by_weight() -> None:
    bins = [(-3.0, 1, 20), (5.0, 4, 0), (1.0, 2, 1)]
    cut, weight = ceiling.best_threshold(bins, 8)
    # From 5 down: (4, 0) F1 0.667; with 1 (6, 1) P 6/7, R 0.75, F1 0.8; with -3 F1 0.41.
    assert (cut.correct_pairs, cut.predicted_pairs, weight) == (6, 7, 1.0)
    assert ceiling.best_threshold([(0.0, 0, 5)], 3)[1] == float("inf")


def test_a_small_set_gives_levels_of_every_field(tmp_path: Path) -> None:
    records = tmp_path / "records.csv"
    truth = tmp_path / "truth.csv"
    records.write_text(
        "record_id,given_name,family_name,patronymic,sex,birth_date,citizenship\n"
        "a,Айгерим,Жумабаева,,F,1994-03-12,KAZ\n"
        "b,Aigerim,Zhumabayeva,,F,1994-03-12,\n"
        "c,Aigerim,Zhumabayeva,,F,,KAZ\n"
        "d,Aigerim,Zhumabayeva,,F,1971-05-02,KAZ\n",
        encoding="utf-8",
    )
    truth.write_text("record_id,person_id\na,1\nb,1\nc,1\nd,2\n", encoding="utf-8")
    pairs = tmp_path / "pairs.parquet"
    clusters = tmp_path / "clusters.csv"
    cluster_csv(records, clusters, pairs_path=pairs)
    figures = ceiling.ceiling(records, truth, pairs, threshold=0.4)
    assert (figures.true_pairs, figures.true_pairs_compared) == (3, 3)
    best = figures.best
    # a-b (same date) and b-c (date and citizenship missing) are cells of their own; a-c and
    # the namesakes c-d (date missing, the same citizenship) are one cell, which no classifier
    # on these fields can split: accepting it (P 3/4, R 1) beats leaving it (P 1, R 2/3);
    # a-d and b-d (other birth dates) are never compared.
    assert (best.correct_pairs, best.predicted_pairs) == (3, 4)
    assert (figures.blocked_pairs, figures.cells) == (4, 3)
