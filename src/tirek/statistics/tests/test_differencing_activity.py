"""An attacker tries to learn one person's screening outcome or referral answer by differencing
released tables of the mechanism's work, and fails (as for the victim tables:
``test_differencing.py``).

Territory X (Almaty) and territory Y each hold a few screenings and referrals. The attacker holds
the national tables, may ask for any territory at any moment, knows the rules (k, the rounding
base, the noise bound) and tries:

1. two releases that differ by one person: before and after the target's screening is saved (its
   outcome column rises), or before and after the target's referral is answered (one person
   moves from "waiting" to "accepted" or "declined");
2. the national table minus every other territory, when the target's cell is the only one of
   its kind in X;
3. a table's totals minus its visible cells.

Each attack is first shown to work on the unprotected counts (no rounding, no noise), so that the
test fails if the protection is taken away.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency
from tirek.accounts.roles import Role
from tirek.directory.models import Place
from tirek.referrals.services import referral_accept, referral_decline
from tirek.screening.selectors import catalogue_current
from tirek.screening.services import Observation, ScreeningInput, screening_save
from tirek.statistics.facts import facts_rebuild, facts_refresh
from tirek.statistics.privacy import suppression
from tirek.statistics.tests.support import member
from tirek.statistics.tests.test_privacy import recoverable
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build, referral_build

PRESUMED_VICTIM = ["DR-01", "DR-02", "EX-01", "EX-02", "CD-01", "CD-02", "VD-02"]
NOT_ENOUGH = ["DR-01"]
Values = dict[str, dict[str, int | None]]


@pytest.fixture(autouse=True)
def small_k(settings):
    settings.TIREK_STATISTICS_K = 3  # fewer records to build; the rules are the same for k = 11


def _screen(actor: Actor, codes: list[str]) -> Any:
    return screening_save(
        actor=actor,
        catalogue=catalogue_current(),
        data=ScreeningInput(
            scope="labour", age_at_exploitation=30, observations=[Observation(c) for c in codes]
        ),
    )


@pytest.fixture
def attacked(people) -> dict[str, Any]:
    """X: the crisis centre (NGO) screened 3 presumed victims and 3 others and sent 4 referrals
    for work; Y: an NGO and a police department screened 4 and 4 and 4, and sent 4 referrals."""
    region = Place.objects.create(
        kind=Place.Kind.REGION, code="test-region-y", name_en="Y", name_ru="Y", name_kk="Y"
    )
    ngo_y = Agency.objects.create(name="Test NGO Y", type=Agency.Type.NGO, place=region)
    police_y = Agency.objects.create(
        name="Test Police Y", type=Agency.Type.LAW_ENFORCEMENT, place=region
    )
    worker_y = member("worker-y", ngo_y, Role.CASE_WORKER)
    officer_y = member("officer-y", police_y, Role.CASE_WORKER)
    for actor, times in ((people.aigul, 3), (worker_y, 4)):
        for _n in range(times):
            _screen(actor, PRESUMED_VICTIM)
            _screen(actor, NOT_ENOUGH)
    for _n in range(4):
        _screen(officer_y, PRESUMED_VICTIM)
    work = people.employment_service
    referrals = {
        "x": [
            referral_build(
                people.aigul, case_build(people.aigul), to=people.employment, service=work
            )
            for _n in range(4)
        ],
        "y": [
            referral_build(worker_y, case_build(worker_y), to=people.employment, service=work)
            for _n in range(4)
        ],
    }
    for referral in referrals["x"][:3] + referrals["y"]:
        referral_accept(actor=people.dana, referral_id=referral.pk)
    facts_rebuild()
    commission = Agency.objects.create(
        name="Test Commission", type=Agency.Type.COMMISSION, place=people.almaty
    )
    return {
        "people": people,
        "api": ApiClient(member("attacker", commission, Role.COORDINATOR)),
        "x": people.almaty.code,
        "y": region.code,
        "target_referral": referrals["x"][3],  # the one referral of X still waiting
    }


def _released(api: ApiClient, name: str, territory: str = "") -> Values:
    query = f"scope=national&territory={territory}" if territory else "scope=national"
    table = api.get(f"/statistics/tables/{name}?{query}").json()
    keys = [column["key"] for column in table["columns"]]
    values: Values = {
        row["key"]: dict(zip(keys, row["cells"], strict=True)) for row in table["rows"]
    }
    return values


def _exactly(release: Callable[[], Any]) -> Any:
    """The release with the protection taken away (k = 1, no rounding, no noise): the counts
    the attack works on."""
    saved = (
        settings.TIREK_STATISTICS_K,
        settings.TIREK_STATISTICS_ROUNDING,
        settings.TIREK_STATISTICS_NOISE,
    )
    settings.TIREK_STATISTICS_K = settings.TIREK_STATISTICS_ROUNDING = 1
    settings.TIREK_STATISTICS_NOISE = 0
    try:
        return release()
    finally:
        (
            settings.TIREK_STATISTICS_K,
            settings.TIREK_STATISTICS_ROUNDING,
            settings.TIREK_STATISTICS_NOISE,
        ) = saved


def _bounds(released: int | None) -> tuple[int, int] | None:
    """What the attacker knows of a true count from its released value and the public rules
    (nothing but "at least 1" where it is withheld)."""
    if released is None:
        return None
    spread = settings.TIREK_STATISTICS_ROUNDING // 2 + settings.TIREK_STATISTICS_NOISE
    return released - spread, released + spread


def _possible_changes(before: int | None, after: int | None) -> set[int] | None:
    """Every change of a true count consistent with two released values (None: any change)."""
    low_high_before, low_high_after = _bounds(before), _bounds(after)
    if low_high_before is None or low_high_after is None:
        return None
    (low_b, high_b), (low_a, high_a) = low_high_before, low_high_after
    return set(range(low_a - high_b, high_a - low_b + 1))


def _undecided(before: Values, after: Values, row: str, columns: list[str]) -> None:
    """The attacker cannot tell which column took the target: a change of 0 and of 1 are both
    possible in each of them."""
    for column in columns:
        changes = _possible_changes(before[row][column], after[row][column])
        assert changes is None or {0, 1} <= changes, (column, before[row], after[row])


def test_two_releases_around_one_screening_do_not_tell_its_outcome(attacked):
    api, people, x = attacked["api"], attacked["people"], attacked["x"]

    def release() -> Values:
        return _released(api, "screening_agency_type", x)

    exact_before, before = _exactly(release), release()
    _screen(people.aigul, PRESUMED_VICTIM)  # the target, screened by the crisis centre in X
    facts_refresh()
    exact_after, after = _exactly(release), release()
    # Unprotected: the column that rose is the target's outcome.
    rise = {
        column: (exact_after["NGO"][column] or 0) - (exact_before["NGO"][column] or 0)
        for column in exact_after["NGO"]
    }
    assert rise == {"presumed_victim": 1, "not_enough": 0}
    # Released: either outcome fits both releases.
    _undecided(before, after, "NGO", ["presumed_victim", "not_enough"])


def test_two_releases_around_one_referral_answer_do_not_tell_the_answer(attacked):
    api, people, x = attacked["api"], attacked["people"], attacked["x"]

    def release() -> Values:
        return _released(api, "referral_service", x)

    service = people.employment_service.code
    exact_before, before = _exactly(release), release()
    referral_decline(
        actor=people.dana, referral_id=attacked["target_referral"].pk, reason="No places left."
    )
    facts_refresh()
    exact_after, after = _exactly(release), release()
    change = {
        column: (exact_after[service][column] or 0) - (exact_before[service][column] or 0)
        for column in exact_after[service]
    }
    assert change["declined"] == 1 and change["accepted"] == 0  # the attack works unprotected
    _undecided(before, after, service, ["accepted", "declined"])


def test_national_minus_every_other_territory_does_not_single_out_a_screening(attacked):
    api, people = attacked["api"], attacked["people"]
    _screen(people.nurlan, PRESUMED_VICTIM)  # the target: the only police screening in X
    facts_refresh()

    def presumed_by_police(territory: str) -> int | None:
        released = _released(api, "screening_agency_type", territory)
        return released.get("LawEnforcement", {}).get("presumed_victim")

    assert presumed_by_police(attacked["x"]) is None  # withheld in X itself
    national = _exactly(lambda: presumed_by_police(""))
    other = _exactly(lambda: presumed_by_police(attacked["y"]))
    assert national is not None and other is not None
    assert national - other == 1  # the attack works without noise and rounding
    national, other = presumed_by_police(""), presumed_by_police(attacked["y"])
    bounds_n, bounds_o = _bounds(national), _bounds(other)
    assert bounds_n is not None and bounds_o is not None
    candidates = set(range(max(1, bounds_n[0] - bounds_o[1]), bounds_n[1] - bounds_o[0] + 1))
    assert 1 in candidates
    assert len(candidates) >= 3  # one screening, or two, or more: nobody is singled out


@pytest.mark.parametrize(
    ("name", "row_of"),
    [
        ("screening_agency_type", lambda people: "LawEnforcement"),
        ("referral_service", lambda people: people.employment_service.code),
    ],
)
def test_totals_minus_visible_cells_recover_nothing(attacked, name, row_of):
    api, people = attacked["api"], attacked["people"]
    _screen(people.nurlan, PRESUMED_VICTIM)  # one police screening in X
    referral_decline(  # one declined referral in X
        actor=people.dana, referral_id=attacked["target_referral"].pk, reason="No places left."
    )
    facts_refresh()
    table = api.get(f"/statistics/tables/{name}?scope=national&territory={attacked['x']}").json()
    released = [[*row["cells"], row["total"]] for row in table["rows"]]
    released.append([*table["column_totals"], table["total"]])
    withheld = {
        (i, j) for i, row in enumerate(released) for j, value in enumerate(row) if value is None
    }
    assert withheld  # the single screening's or referral's cell is withheld ...
    assert row_of(people) in [row["key"] for row in table["rows"]]
    counts = _exactly(lambda: _released(api, name, attacked["x"]))
    columns = [column["key"] for column in table["columns"]]
    exact = [[counts[row["key"]][c] or 0 for c in columns] for row in table["rows"]]
    assert suppression(exact, settings.TIREK_STATISTICS_K) == withheld
    # ... and no withheld value follows from the released ones, even were they exact.
    assert recoverable(exact, withheld) == set()
