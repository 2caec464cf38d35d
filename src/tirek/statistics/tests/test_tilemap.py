"""The tile map of Kazakhstan's regions: its geometry (pure), and on the dashboard the same
numbers as the protected territory table, a withheld region showing no number anywhere."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tirek.accounts.models import Agency
from tirek.accounts.roles import Role
from tirek.directory.models import Place
from tirek.directory.reference_data import PLACES, reference_data_load
from tirek.statistics.facts import facts_refresh
from tirek.statistics.tests.support import member
from tirek.statistics.tilemap import GRID, SHADES, shade_of, short_name, tile_map
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build
from tirek.web.tests.support import SecureClient

# --- Geometry (pure) ---------------------------------------------------------------------------


def test_the_grid_has_the_17_regions_and_3_cities_each_on_its_own_tile():
    regions = {row.code for row in PLACES if row.kind == Place.Kind.REGION}
    cities = {row.code for row in PLACES if row.kind == Place.Kind.CITY and row.parent == "kaz"}
    assert (len(regions), cities) == (17, {"astana", "almaty", "shymkent"})
    assert set(GRID) == regions | cities
    assert len(set(GRID.values())) == len(GRID)


def test_a_tile_is_named_without_the_generic_word_on_at_most_two_lines():
    assert short_name("Ақмола облысы") == ("Ақмола",)
    assert short_name("Солтүстік Қазақстан облысы") == ("Солтүстік", "Қазақстан")
    assert short_name("Северо-Казахстанская область") == ("Северо-", "Казахстанская")
    assert short_name("область Жетісу") == ("Жетісу",)
    assert short_name("West Kazakhstan Region") == ("West", "Kazakhstan")
    # The region of Almaty keeps its generic word beside the city of Almaty.
    assert short_name("Алматы облысы", taken={"Алматы"}) == ("Алматы", "облысы")
    names = {"almaty": "Almaty", "kaz-almaty-region": "Almaty Region"}
    tiles = {tile.code: tile.lines for tile in tile_map({}, names).tiles}
    assert [line for line, _y, _fit in tiles["kaz-almaty-region"]] == ["Almaty", "Region"]
    assert [line for line, _y, _fit in tiles["almaty"]] == ["Almaty"]


@pytest.mark.parametrize("top", [1, 5, 10, 20, 50, 100, 200, 1000])
def test_shades_grow_with_the_value_and_the_largest_is_the_darkest(top):
    from tirek.statistics.charts import ticks_of

    edges = ticks_of(top)
    shades = [shade_of(value, edges) for value in range(top + 1)]
    assert shades[0] == 0
    assert shades == sorted(shades)
    assert shades[-1] == SHADES
    assert all(1 <= shade <= SHADES for shade in shades[1:])


def test_a_withheld_region_is_hatched_with_no_value_and_one_outside_the_grid_is_listed():
    names = {"kaz-akmola": "Akmola Region", "astana": "Astana", "other": "Elsewhere"}
    drawn = tile_map({"kaz-akmola": None, "astana": 40, "other": 7}, names)
    tiles = {tile.code: tile for tile in drawn.tiles}
    assert set(tiles) == {"kaz-akmola", "astana"}  # only the places of the reference data
    assert (tiles["kaz-akmola"].shade, tiles["kaz-akmola"].text) == (-1, "×")
    assert tiles["kaz-akmola"].value is None
    assert (tiles["astana"].value, tiles["astana"].text, tiles["astana"].city) == (40, "40", True)
    assert drawn.withheld and not drawn.unselected
    assert drawn.off_grid == (("Elsewhere", "7"),)


def test_with_a_territory_selected_the_others_show_no_value():
    names = {"kaz-akmola": "Akmola Region", "astana": "Astana"}
    drawn = tile_map({"astana": 12}, names, selected="astana")
    tiles = {tile.code: tile for tile in drawn.tiles}
    assert (tiles["kaz-akmola"].shade, tiles["kaz-akmola"].text) == (-2, "")
    assert tiles["astana"].text == "12"
    assert drawn.unselected


# --- On the dashboard --------------------------------------------------------------------------


@pytest.fixture
def regions(people, small_k):
    """Five people in Akmola, one in Kostanay (withheld nationally), four off the grid."""
    places, _services = reference_data_load()
    akmola = Agency.objects.create(
        name="Test Akmola Centre", type=Agency.Type.NGO, place=places["kokshetau"]
    )
    kostanay = Agency.objects.create(
        name="Test Kostanay Centre", type=Agency.Type.NGO, place=places["kaz-kostanay"]
    )
    akmola_worker = member("map-akmola", akmola, Role.CASE_WORKER)
    for number in range(5):
        case_build(akmola_worker, first_name=f"Mapa{number}")
    case_build(member("map-kostanay", kostanay, Role.CASE_WORKER), first_name="Mapk")
    for number in range(4):
        case_build(people.aigul, first_name=f"Mapt{number}")  # test-almaty: not on the grid
    facts_refresh()
    commission = Agency.objects.create(
        name="Test Map Commission", type=Agency.Type.COMMISSION, place=places["astana"]
    )
    return {
        "coordinator": member("map-coordinator", commission, Role.COORDINATOR),
        "akmola_chief": member("map-chief", akmola, Role.SUPERVISOR),
    }


TILE = re.compile(r'<g class="stat-tile[^"]*" data-territory="([a-z-]+)">(.*?)</g>', re.S)
VALUE = re.compile(r'<text class="stat-tile-value"[^>]*>([^<]*)</text>')


def _map(actor, query: str = "", language: str = "en") -> tuple[str, dict[str, str]]:
    client = SecureClient()
    client.force_login(actor.user)
    response = client.get(
        f"{reverse('statistics:dashboard')}{query}", HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200
    page = response.content.decode()
    svg = re.search(r'<figure class="stat-map">.*?</figure>', page, re.S)
    assert svg is not None
    return svg.group(0), dict(TILE.findall(svg.group(0)))


def _shown(tile: str) -> str:
    found = VALUE.search(tile)
    return found.group(1) if found else ""


def test_the_national_map_shows_the_protected_territory_table(regions):
    svg, tiles = _map(regions["coordinator"])
    table = ApiClient(regions["coordinator"]).get("/statistics/tables/territory").json()
    assert table["protected"] is True
    totals = {row["key"]: row["total"] for row in table["rows"]}
    assert totals["kaz-kostanay"] is None  # one person: withheld
    assert set(tiles) == set(GRID)
    for code, tile in tiles.items():
        released = totals.get(code, 0)
        assert _shown(tile) == ("×" if released is None else str(released)), code
    assert "stat-shade--1" in svg
    # Off the grid, in the table and named under the map.
    assert "test-almaty" in totals and "test-almaty" not in tiles
    assert "Not on the map" in svg


def test_a_withheld_region_shows_no_number_anywhere_in_its_tile(regions):
    _svg, tiles = _map(regions["coordinator"])
    withheld = tiles["kaz-kostanay"]
    assert 'class="stat-tile stat-shade--1"' in _svg
    assert _shown(withheld) == "×"
    text = re.sub(r"<[^>]+>", " ", withheld)  # its title, name and value: no number at all
    assert "Kostanay" in text and not re.search(r"\d", text), text


def test_an_agency_sees_its_own_work_as_counted_and_nothing_of_others(regions):
    _svg, tiles = _map(regions["akmola_chief"], "?scope=agency")
    assert _shown(tiles["kaz-akmola"]) == "5"
    assert _shown(tiles["kaz-kostanay"]) == "0"
    assert "stat-shade--1" not in _svg  # nothing withheld


def test_a_territory_filter_leaves_the_other_tiles_without_values(regions):
    svg, tiles = _map(regions["coordinator"], "?scope=national&territory=kaz-akmola")
    assert _shown(tiles["kaz-akmola"]) == "5"
    assert all(_shown(tile) == "" for code, tile in tiles.items() if code != "kaz-akmola")
    assert "not in the selection" in svg


def test_the_map_is_labelled_in_kazakh_from_the_reference_data(regions):
    svg, tiles = _map(regions["coordinator"], language="kk")
    assert "Солтүстік" in tiles["kaz-north-kazakhstan"]
    assert "Ұлытау" in tiles["kaz-ulytau"]
    assert 'role="img"' in svg and "<desc" in svg
