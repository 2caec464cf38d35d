"""``tirek match train``: weights learnt from a deployment's labelled records, used by
``tirek match --weights``, ``TIREK_MATCH_WEIGHTS`` and the intake search (synthetic names)."""

from __future__ import annotations

import datetime
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tirek import config
from tirek.cases.models import Person
from tirek.config import ConfigurationError
from tirek.matching import selectors
from tirek.matching.csv_input import InputError
from tirek.matching.models import PersonPair
from tirek.matching.scoring import FIELDS, LEVELS, ScoringModel
from tirek.matching.selectors import weights_learn_from_register
from tirek.matching.training import model_train_csv, truth_read

from .conftest import records_csv_write

# A register where citizenship is often keyed wrongly (the country of the last border crossing):
# one person's records disagree on it, which the shipped weights take as two persons.
ROWS = [
    ("a1", "Testgul", "Synthetova", "", "F", "1990-04-12", "KAZ"),
    ("a2", "Testgul", "Synthetova", "", "F", "1990-04-12", "UZB"),
    ("b1", "Demoara", "Fictiyeva", "", "F", "1985-11-02", "KAZ"),
    ("b2", "Demoara", "Fictiyeva", "", "F", "1985-11-02", "KGZ"),
    ("c1", "Sampleta", "Imaginova", "", "F", "1979-06-30", "KAZ"),
    ("c2", "Sampleta", "Imaginova", "", "F", "1979-06-30", "RUS"),
    ("d1", "Mockbek", "Placeholdov", "", "M", "2001-01-15", "KAZ"),
    ("e1", "Fakejan", "Inventov", "", "M", "1968-09-09", "KAZ"),
]
TRUTH = [("a1", "A"), ("a2", "A"), ("b1", "B"), ("b2", "B"), ("c1", "C"), ("c2", "C"),
         ("d1", "D"), ("e1", "E")]  # fmt: skip


def _truth_write(path: Path, rows, header=("record_id", "person_id")) -> Path:
    lines = [",".join(header)] + [",".join(row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def labelled(tmp_path):
    return records_csv_write(tmp_path / "records.csv", ROWS), _truth_write(
        tmp_path / "truth.csv", TRUTH
    )


def test_weights_learn_how_this_register_varies(labelled):
    model, summary = model_train_csv(*labelled, non_matches=2_000, population=1_000)
    shipped = ScoringModel.load()
    assert (
        shipped.weights["citizenship"]["different"] < -4 < model.weights["citizenship"]["different"]
    )
    assert (summary.records, summary.persons, summary.match_pairs) == (8, 5, 3)
    assert summary.non_match_pairs == 2_000
    assert model.prior == pytest.approx(1 / 1_000)


def test_every_level_of_every_field_gets_a_finite_weight(labelled):
    model, _ = model_train_csv(*labelled, non_matches=500)
    again = ScoringModel.from_json(model.to_json())
    assert all(set(again.weights[f]) == set(LEVELS[f]) for f in FIELDS)
    assert all(abs(w) < 60 for f in FIELDS for w in again.weights[f].values())


def test_records_without_a_truth_line_are_left_out_and_counted(tmp_path):
    records = records_csv_write(tmp_path / "records.csv", ROWS)
    truth = _truth_write(tmp_path / "truth.csv", TRUTH[:6])
    _, summary = model_train_csv(records, truth, non_matches=100)
    assert (summary.records, summary.unlabelled) == (6, 2)
    assert "2 record(s) have no line in the truth file" in " ".join(summary.notes())


@pytest.mark.parametrize(
    ("rows", "header", "message"),
    [
        ([("a1", "A")], ("record_id", "person"), "columns record_id and person_id"),
        ([("a1", "A"), ("a1", "B")], ("record_id", "person_id"), "record_id twice (lines 3)"),
        ([("a1", "")], ("record_id", "person_id"), "empty record_id or person_id on lines 2"),
    ],
)
def test_a_bad_truth_file_is_refused_naming_lines_not_values(tmp_path, rows, header, message):
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        truth_read(_truth_write(tmp_path / "truth.csv", rows, header))


def test_an_empty_truth_file_is_refused(tmp_path):
    (tmp_path / "truth.csv").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="empty"):
        truth_read(tmp_path / "truth.csv")


def test_a_truth_file_in_a_spreadsheet_locale_is_read(tmp_path):
    path = tmp_path / "truth.csv"
    path.write_bytes("record_id;person_id\r\na1;A\r\na2;A\r\n".encode("cp1251"))
    assert truth_read(path) == {"a1": "A", "a2": "A"}


def test_no_person_with_two_records_is_refused(tmp_path):
    records = records_csv_write(tmp_path / "records.csv", ROWS)
    truth = _truth_write(tmp_path / "truth.csv", [(r[0], r[0]) for r in ROWS])
    with pytest.raises(InputError, match="No two labelled records share a person_id"):
        model_train_csv(records, truth)


def test_one_person_only_is_refused(tmp_path):
    records = records_csv_write(tmp_path / "records.csv", ROWS)
    truth = _truth_write(tmp_path / "truth.csv", [(r[0], "A") for r in ROWS])
    with pytest.raises(InputError, match="at least two persons"):
        model_train_csv(records, truth)


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("match", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_train_then_match_with_the_learnt_weights(labelled, tmp_path):
    records, truth = labelled
    weights, clusters = tmp_path / "weights.json", tmp_path / "clusters.csv"
    out, _ = _run("train", "--input", str(records), "--truth", str(truth), "--output",
                  str(weights), "--non-matches", "3000")  # fmt: skip
    assert out.startswith("Weights learnt from 8 labelled records of 5 persons: 3 pairs")
    assert "Testgul" not in out
    _run("--input", str(records), "--output", str(clusters), "--weights", str(weights))
    found = dict(line.split(",") for line in clusters.read_text().split()[1:])
    shipped_clusters = tmp_path / "shipped.csv"
    _run("--input", str(records), "--output", str(shipped_clusters))
    shipped = dict(line.split(",") for line in shipped_clusters.read_text().split()[1:])
    # The register's own weights join the records whose citizenship was keyed wrongly; the
    # shipped weights take another citizenship as another person; neither joins two persons.
    assert found["a2"] == found["a1"] and shipped["a2"] != shipped["a1"]
    assert len({found[r] for r in ("a1", "b1", "c1", "d1", "e1")}) == 5


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "not JSON"),
        ("[1, 2]", "does not hold a weights object"),
        ('{"m": {}, "u": {}, "prior": 0.1}', "no m-probabilities for given_name"),
    ],
)
def test_a_bad_weights_file_is_a_clear_error(labelled, tmp_path, text, message):
    weights = tmp_path / "weights.json"
    weights.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        _run("--input", str(labelled[0]), "--output", str(tmp_path / "c.csv"), "--weights",
             str(weights))  # fmt: skip


def test_weights_lacking_a_level_ask_to_train_again(tmp_path):
    data = json.loads(ScoringModel.load().to_json())
    del data["u"]["birth_date"]["exact"]
    with pytest.raises(ValueError, match="u-probability of birth_date level exact .* train"):
        ScoringModel.from_json(json.dumps(data))


def test_train_needs_its_three_files(labelled):
    with pytest.raises(CommandError, match="train needs --input, --truth and --output"):
        _run("train", "--input", str(labelled[0]))


def test_the_setting_is_checked_at_start_up(monkeypatch, tmp_path):
    bad = tmp_path / "weights.json"
    bad.write_text('{"prior": 2}', encoding="utf-8")
    monkeypatch.setenv("TIREK_MATCH_WEIGHTS", str(bad))
    with pytest.raises(ConfigurationError) as error:
        config.env_match_weights("TIREK_MATCH_WEIGHTS")
    assert str(error.value).startswith(f"TIREK_MATCH_WEIGHTS={str(bad)!r} is not valid: the ")
    monkeypatch.setenv("TIREK_MATCH_WEIGHTS", str(tmp_path / "missing.json"))
    with pytest.raises(ConfigurationError, match="cannot be read"):
        config.env_match_weights("TIREK_MATCH_WEIGHTS")
    monkeypatch.delenv("TIREK_MATCH_WEIGHTS")
    assert config.env_match_weights("TIREK_MATCH_WEIGHTS") == ""


def test_the_intake_search_scores_with_the_deployments_weights(labelled, settings, tmp_path):
    model, _ = model_train_csv(*labelled, non_matches=500, population=50)
    weights = tmp_path / "weights.json"
    weights.write_text(model.to_json(), encoding="utf-8")
    settings.TIREK_MATCH_WEIGHTS = str(weights)
    selectors.scoring_model.cache_clear()
    try:
        assert selectors.scoring_model().prior == pytest.approx(1 / 50)
        assert selectors.scoring_model().weights == model.weights
        settings.TIREK_MATCH_WEIGHTS = ""
        selectors.scoring_model.cache_clear()
        assert selectors.scoring_model().weights == ScoringModel.load().weights
    finally:
        selectors.scoring_model.cache_clear()


# --- learning from the register's confirmed links ----------------------------------------------

GIVEN = ["Testgul", "Demoara", "Sampleta", "Fictigul", "Mockzhan", "Placera", "Inventa"]
FAMILY = ["Synthetova", "Fictiyeva", "Imaginova", "Placeholdova", "Inventova", "Mockova"]
CITIZENSHIPS = ["KAZ", "UZB", "KGZ", "RUS", "TJK"]


def _register(world, pairs: int, others: int) -> None:
    """``pairs`` persons registered twice, the second time with another citizenship (confirmed
    as one person), and ``others`` persons once."""
    persons = []
    for i in range(pairs * 2 + others):
        born = datetime.date(1960 + i % 40, 1 + i % 12, 1 + i % 28)
        persons.append(
            Person(
                first_name=GIVEN[i % len(GIVEN)] + "a" * (i // 40),
                family_name=FAMILY[(i // 2) % len(FAMILY)],
                sex="F",
                birth_date=born,
                birth_date_precision="day",
                citizenship=[CITIZENSHIPS[i % len(CITIZENSHIPS)]],
            )
        )
    for n in range(pairs):  # the pair's second record: the same person, another citizenship
        first, second = persons[2 * n], persons[2 * n + 1]
        second.first_name, second.family_name = first.first_name, first.family_name
        second.birth_date = first.birth_date
        second.citizenship = ["UZB" if first.citizenship != ["UZB"] else "KAZ"]
    Person.objects.bulk_create(persons)
    now = datetime.datetime.now(tz=datetime.UTC)
    PersonPair.objects.bulk_create(
        PersonPair(
            person_low_id=min(persons[2 * n].pk, persons[2 * n + 1].pk),
            person_high_id=max(persons[2 * n].pk, persons[2 * n + 1].pk),
            status=PersonPair.Status.CONFIRMED,
            decided_by=world.coordinator.user,
            decided_agency=world.coordinator.agency,
            decided_at=now,
        )
        for n in range(pairs)
    )


def test_the_register_teaches_what_its_coordinators_confirmed(world):
    _register(world, pairs=12, others=60)
    learnt = weights_learn_from_register(non_matches=3_000, minimum_pairs=10, population=500)
    assert learnt.match_pairs == 12
    assert learnt.persons >= 84  # the world's own persons are sampled too
    assert learnt.model.weights["citizenship"]["different"] > -4
    assert ScoringModel.load().weights["citizenship"]["different"] < -4
    assert learnt.model.prior == pytest.approx(1 / 500)


def test_too_few_confirmed_pairs_are_refused(world):
    _register(world, pairs=3, others=10)
    with pytest.raises(InputError, match="3 pairs of person records are confirmed .* at least 30"):
        weights_learn_from_register()


def test_train_from_the_register_writes_weights_and_no_name(world, tmp_path):
    _register(world, pairs=31, others=20)
    weights = tmp_path / "weights.json"
    out, _ = _run("train", "--from-register", "--output", str(weights), "--non-matches", "2000")
    assert out.startswith("Weights learnt from ")
    assert "31 pairs confirmed as one person" in out
    assert not any(name in out + weights.read_text() for name in GIVEN + FAMILY)
    assert ScoringModel.load(weights).weights["citizenship"]["different"] > -4


def test_train_from_the_register_refuses_files_too(tmp_path):
    with pytest.raises(CommandError, match="leave out --input and --truth"):
        _run("train", "--from-register", "--input", "x.csv", "--output", str(tmp_path / "w"))


def test_counting_persons_uses_the_deployments_weights(world, labelled, settings, tmp_path):
    from tirek.matching import batch

    model, _ = model_train_csv(*labelled, non_matches=500, population=50)
    weights = tmp_path / "weights.json"
    weights.write_text(model.to_json(), encoding="utf-8")
    settings.TIREK_MATCH_WEIGHTS = str(weights)
    selectors.scoring_model.cache_clear()
    used: list[ScoringModel] = []
    real = batch.cluster_csv

    def spy(*args, **kwargs):
        used.append(kwargs["model"])
        return real(*args, **kwargs)

    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(batch, "cluster_csv", spy)
            selectors.persons_count()
    finally:
        selectors.scoring_model.cache_clear()
    assert len(used) == 1 and used[0].weights == model.weights
