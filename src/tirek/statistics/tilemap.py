"""A tile-grid map of Kazakhstan's regions, drawn on the server as SVG geometry (pure).

Each of the 17 regions and the 3 cities of republican significance is one equal tile placed
about where it lies: a recognised statistical chart that needs no boundary geometry (no
licensed shapes, nothing fetched) and reads the same on a phone. The values are the released
(protected) territory table's row totals; a withheld value is drawn hatched with no number.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from tirek.statistics.charts import nice_top, ticks_of

# Territory code (directory reference data) -> (column, row), north-west first. The grid follows
# the regions of 2022 (Abai, Jetisu and Ulytau included). The gap at (3, 2) is Lake Balkhash.
GRID: dict[str, tuple[int, int]] = {
    "kaz-kostanay": (1, 0),
    "kaz-north-kazakhstan": (2, 0),
    "kaz-pavlodar": (3, 0),
    "kaz-west-kazakhstan": (0, 1),
    "kaz-aktobe": (1, 1),
    "kaz-akmola": (2, 1),
    "astana": (3, 1),
    "kaz-abai": (4, 1),
    "kaz-east-kazakhstan": (5, 1),
    "kaz-atyrau": (0, 2),
    "kaz-ulytau": (1, 2),
    "kaz-karaganda-region": (2, 2),
    "kaz-jetisu": (4, 2),
    "kaz-mangystau": (0, 3),
    "kaz-kyzylorda": (1, 3),
    "kaz-jambyl": (2, 3),
    "kaz-almaty-region": (3, 3),
    "kaz-turkistan": (1, 4),
    "shymkent": (2, 4),
    "almaty": (3, 4),
}
CITIES = frozenset({"astana", "almaty", "shymkent"})  # cities of republican significance

TILE = 56  # a tile's side in the view box
GAP = 3
NAME_WIDTH = TILE - 6  # room for a line of the name
CHAR = 5.8  # about the width of a letter of the name (font size 9.5), a little wide
SHADES = 4  # the darkest shade; 0 is the shade of a zero
# The generic words of a region's name, left out on its tile (the table gives the full name).
GENERIC = ("облысы", "область", "Region", "region")


@dataclass(frozen=True)
class Tile:
    code: str
    name: str  # the full name (the tile's title)
    lines: tuple[tuple[str, int, int | None], ...]  # the short name: line, y, squeezed width
    x: int  # top left corner
    y: int
    cx: int  # the middle of the tile, where its text is centred
    value_y: int
    city: bool
    value: int | None  # the released value (None: withheld or not selected)
    text: str  # the value as shown: the number, ×, or nothing when not selected
    shade: int  # 0 (zero) .. SHADES; -1 withheld; -2 not in the selection
    dark: bool  # white letters on a dark shade


@dataclass(frozen=True)
class TileMap:
    width: int
    height: int
    tiles: tuple[Tile, ...]
    legend: tuple[tuple[int, str], ...]  # shade, the values it stands for
    off_grid: tuple[tuple[str, str], ...]  # territories not on the grid: name, value shown
    withheld: bool  # some tile is withheld
    unselected: bool  # some tile is outside the territory filter


def short_name(name: str, taken: Collection[str] = ()) -> tuple[str, ...]:
    """A region's name without its generic word, unless that is ``taken`` (Almaty Region beside
    the city of Almaty), on one line or two (split at a space or after a hyphen nearest the
    middle)."""
    words = [w for w in name.split() if w not in GENERIC]
    short = " ".join(words) or name
    if short in taken:
        short = name
    if len(short) * CHAR <= NAME_WIDTH:
        return (short,)
    breaks = [i + 1 for i, c in enumerate(short) if c == " "] + [
        i + 1 for i, c in enumerate(short) if c == "-"
    ]
    if not breaks:
        return (short,)
    cut = min(breaks, key=lambda i: abs(len(short) / 2 - i))
    return (short[:cut].rstrip(), short[cut:])


def _fit(line: str) -> int | None:
    """The length a line is squeezed to when it is wider than a tile, else None."""
    return NAME_WIDTH if len(line) * CHAR > NAME_WIDTH else None


def shade_of(value: int, edges: list[int]) -> int:
    """The shade of a value: 0 for zero, else the class of ``edges`` it falls in, spread over
    the shades so that the darkest stands for the largest values."""
    if value <= 0:
        return 0
    classes = len(edges) - 1
    index = next((i for i in range(classes) if value <= edges[i + 1]), classes - 1)
    return max(1, round((index + 1) * SHADES / classes))


def tile_map(
    values: Mapping[str, int | None], names: Mapping[str, str], *, selected: str = ""
) -> TileMap:
    """The tiles of the territories in ``names`` that lie on the grid, with ``values`` (the
    released row totals: None where withheld; a territory absent counted nobody). With a
    territory ``selected`` every other tile is outside the selection and shows no value."""
    edges = ticks_of(nice_top(max([v for c, v in values.items() if v and c in GRID], default=0)))
    cities = {names[code] for code in CITIES if code in names}
    tiles = []
    for code, (column, row) in GRID.items():
        if code not in names:
            continue  # not in the reference data of this deployment
        value = values.get(code, 0)
        if selected and code != selected:
            shade, text, value = -2, "", None
        elif value is None:
            shade, text = -1, "×"
        else:
            shade, text = shade_of(value, edges), str(value)
        x, y = column * (TILE + GAP), row * (TILE + GAP)
        lines = short_name(names[code], () if code in CITIES else cities)
        tops = (y + 16,) if len(lines) == 1 else (y + 14, y + 25)
        tiles.append(
            Tile(
                code=code,
                name=names[code],
                lines=tuple((line, top, _fit(line)) for line, top in zip(lines, tops, strict=True)),
                x=x,
                y=y,
                cx=x + TILE // 2,
                value_y=y + 46,
                city=code in CITIES,
                value=value,
                text=text,
                shade=shade,
                dark=shade >= SHADES - 1,
            )
        )
    legend = [(0, "0")]
    for low, high in zip(edges, edges[1:], strict=False):
        shade = shade_of(high, edges)
        legend.append((shade, str(high) if high == low + 1 else f"{low + 1}–{high}"))
    columns = 1 + max(column for column, _row in GRID.values())
    rows = 1 + max(row for _column, row in GRID.values())
    return TileMap(
        width=columns * (TILE + GAP) - GAP,
        height=rows * (TILE + GAP) - GAP,
        tiles=tuple(tiles),
        legend=tuple(legend),
        off_grid=tuple(
            (names.get(code, code), "×" if value is None else str(value))
            for code, value in values.items()
            if code not in GRID
        ),
        withheld=any(tile.shade == -1 for tile in tiles),
        unselected=any(tile.shade == -2 for tile in tiles),
    )
