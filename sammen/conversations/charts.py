"""Server-drawn SVG for conversations: the opinion map, vote bars, participation over time.

Geometry here, markup in templates (conversations/_map.html and friends). Every
chart has a table or a text beside it for screen readers and export.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from sammen.core import charts
from sammen.core.charts import Measure, ParticipationChart

MAP_WIDTH, MAP_HEIGHT = 600, 380
MAP_PADDING = 44
HULL_MARGIN = 12
MAX_POINTS = 1500
DENSITY_COLUMNS, DENSITY_ROWS = 60, 38
GROUP_COLOURS = 6  # --group-0 ... --group-5 in sammen.css (a test counts them)
# A statement's marker is a disc this wide around its number (on a phone): keep it whole.
STATEMENT_MARGIN = 20
# The radii of a statement's disc and a group's letter (conversations/_map.html), and
# the room kept between two discs so each number stays readable.
STATEMENT_RADIUS, LABEL_RADIUS, DISC_GAP = 11, 12, 2
SPREAD_ROUNDS = 80


@dataclass(frozen=True)
class MapPoint:
    x: float
    y: float
    colour: int  # -1 for a participant in no group


@dataclass(frozen=True)
class MapCell:
    x: float
    y: float
    width: float
    height: float
    colour: int
    opacity: float


@dataclass(frozen=True)
class MapGroup:
    id: int
    letter: str
    size: int
    colour: int
    outline: str  # the points of an SVG polygon
    label_x: float
    label_y: float
    is_yours: bool


@dataclass(frozen=True)
class MapStatement:
    """A statement's marker: its number, drawn where the people who agree with it stand."""

    number: int
    text: str
    x: float
    y: float


@dataclass(frozen=True)
class OpinionMapChart:
    width: int
    height: int
    groups: list[MapGroup]
    points: list[MapPoint]
    cells: list[MapCell]
    you: tuple[float, float] | None
    you_label_y: float
    statements: list[MapStatement] = field(default_factory=list)


class Frame:
    """Map analysis coordinates into the SVG, with the same scale on both axes."""

    def __init__(self, xs: list[float], ys: list[float]) -> None:
        low_x, high_x = min(xs), max(xs)
        low_y, high_y = min(ys), max(ys)
        span_x, span_y = max(high_x - low_x, 1e-6), max(high_y - low_y, 1e-6)
        inner_w, inner_h = MAP_WIDTH - 2 * MAP_PADDING, MAP_HEIGHT - 2 * MAP_PADDING
        self.scale = min(inner_w / span_x, inner_h / span_y)
        self.offset_x = MAP_PADDING + (inner_w - span_x * self.scale) / 2 - low_x * self.scale
        # SVG's y grows downwards; the map's grows upwards.
        self.offset_y = MAP_PADDING + (inner_h - span_y * self.scale) / 2 + high_y * self.scale

    def __call__(self, x: float, y: float) -> tuple[float, float]:
        return (
            round(self.offset_x + x * self.scale, 1),
            round(self.offset_y - y * self.scale, 1),
        )


def convex_hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Return the convex hull of points, counter-clockwise (Andrew's monotone chain)."""
    unique = sorted(set(points))
    if len(unique) <= 2:
        return unique

    def cross(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[tuple[float, float]] = []
    for point in unique:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], point) <= 0:
            lower.pop()
        lower.append(point)
    upper: list[tuple[float, float]] = []
    for point in reversed(unique):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], point) <= 0:
            upper.pop()
        upper.append(point)
    return lower[:-1] + upper[:-1]


def outline(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Return a rounded outline around the points: the hull of a small ring around each.

    A group of one person, or of people who all voted alike, is a round spot; of two,
    a capsule; of more, their hull with rounded corners, so no point sits on the line.
    """
    ring = [
        (
            round(x + HULL_MARGIN * math.cos(2 * math.pi * step / 12), 1),
            round(y + HULL_MARGIN * math.sin(2 * math.pi * step / 12), 1),
        )
        for x, y in points
        for step in range(12)
    ]
    return convex_hull(ring)


def opinion_map_chart(
    summary: dict[str, Any],
    points: list[tuple[float, float, int]] | None = None,
    you: tuple[float, float] | None = None,
    your_group: int | None = None,
    statements: Sequence[tuple[int, str, float, float]] = (),
) -> OpinionMapChart | None:
    """Lay out the groups' outlines, the participants (as points, or as density when there
    are many), "you are here" and the statements (number, text and loadings on the map's
    two axes) on one map. Return None when the map is not ready."""
    groups = summary.get("groups") or []
    if not summary.get("ready") or not groups:
        return None
    xs = [x for group in groups for x, _y in group["hull"]]
    ys = [y for group in groups for _x, y in group["hull"]]
    if you is not None:
        xs.append(you[0])
        ys.append(you[1])
    if statements:
        # Statements are placed from the centre of the map: keep it in the picture.
        xs.append(0.0)
        ys.append(0.0)
    frame = Frame(xs, ys)
    shapes = []
    for group in groups:
        hull = [frame(x, y) for x, y in group["hull"]] or [frame(*group["centre"])]
        grown = outline(hull)
        top = min(y for _x, y in grown)
        centre_x = round(sum(x for x, _y in hull) / len(hull), 1)
        shapes.append(
            MapGroup(
                id=group["id"],
                letter=group["letter"],
                size=group["size"],
                colour=group["id"] % GROUP_COLOURS,
                outline=" ".join(f"{x},{y}" for x, y in grown),
                label_x=centre_x,
                label_y=round(max(top - 14, 14), 1),
                is_yours=group["id"] == your_group,
            )
        )
    drawn_points: list[MapPoint] = []
    cells: list[MapCell] = []
    if points:
        if len(points) <= MAX_POINTS:
            for x, y, group_id in points:
                px, py = frame(x, y)
                drawn_points.append(
                    MapPoint(px, py, group_id % GROUP_COLOURS if group_id >= 0 else -1)
                )
        else:
            cells = density(points, frame)
    you_at = frame(*you) if you is not None else None
    return OpinionMapChart(
        width=MAP_WIDTH,
        height=MAP_HEIGHT,
        groups=shapes,
        points=drawn_points,
        cells=cells,
        you=you_at,
        you_label_y=max(you_at[1] - 14, 12) if you_at else 0,
        statements=place_statements(
            frame, statements, avoid=[(group.label_x, group.label_y) for group in shapes]
        ),
    )


def place_statements(
    frame: Frame,
    statements: Sequence[tuple[int, str, float, float]],
    *,
    avoid: Sequence[tuple[float, float]] = (),
) -> list[MapStatement]:
    """Place each statement at its loadings from the centre of the map, all on one scale.

    Agreeing with a statement moves a participant along its loadings, so its marker
    points to where the people who agree with it stand; the farther out, the more it
    sets people apart. The scale is the largest that keeps every marker inside the
    picture: the statement that reaches farthest towards an edge touches it. Markers
    that would cover one another, or a group's letter (``avoid``), are then moved apart
    just enough to read each number.
    """
    if not statements:
        return []
    centre_x, centre_y = frame(0.0, 0.0)
    left, right = STATEMENT_MARGIN, MAP_WIDTH - STATEMENT_MARGIN
    top, bottom = STATEMENT_MARGIN, MAP_HEIGHT - STATEMENT_MARGIN
    reach = math.inf
    for _number, _text, along_x, along_y in statements:
        # SVG's y grows downwards; the map's grows upwards.
        for step, start, low, high in (
            (along_x, centre_x, left, right),
            (-along_y, centre_y, top, bottom),
        ):
            if step > 0:
                reach = min(reach, (high - start) / step)
            elif step < 0:
                reach = min(reach, (low - start) / step)
    if not math.isfinite(reach):
        reach = 0.0  # every loading is zero: all statements sit in the centre
    reach = max(reach, 0.0)
    places = spread(
        [
            (centre_x + along_x * reach, centre_y - along_y * reach)
            for _number, _text, along_x, along_y in statements
        ],
        avoid=avoid,
        bounds=(left, top, right, bottom),
    )
    return [
        MapStatement(number=number, text=text, x=round(x, 1), y=round(y, 1))
        for (number, text, _along_x, _along_y), (x, y) in zip(statements, places, strict=True)
    ]


def spread(
    places: Sequence[tuple[float, float]],
    *,
    avoid: Sequence[tuple[float, float]],
    bounds: tuple[float, float, float, float],
) -> list[tuple[float, float]]:
    """Move overlapping statement discs apart, and off the group letters in ``avoid``.

    Each round pushes every overlapping pair apart by half the overlap each (a disc on a
    letter moves the whole of it), then keeps the discs inside ``bounds`` (left, top,
    right, bottom). A disc that overlaps nothing never moves. Discs on the very same
    spot part in directions fixed by their order, so the drawing is the same each time.
    """
    points = [[x, y] for x, y in places]
    apart = 2 * STATEMENT_RADIUS + DISC_GAP
    off_label = STATEMENT_RADIUS + LABEL_RADIUS + DISC_GAP
    left, top, right, bottom = bounds
    for _round in range(SPREAD_ROUNDS):
        moved = False
        for i, first in enumerate(points):
            for j in range(i + 1, len(points)):
                second = points[j]
                dx, dy = _direction(second[0] - first[0], second[1] - first[1], i + j)
                overlap = apart - math.hypot(second[0] - first[0], second[1] - first[1])
                if overlap > 0.01:
                    first[0] -= dx * overlap / 2
                    first[1] -= dy * overlap / 2
                    second[0] += dx * overlap / 2
                    second[1] += dy * overlap / 2
                    moved = True
            for label_x, label_y in avoid:
                dx, dy = _direction(first[0] - label_x, first[1] - label_y, i)
                overlap = off_label - math.hypot(first[0] - label_x, first[1] - label_y)
                if overlap > 0.01:
                    first[0] += dx * overlap
                    first[1] += dy * overlap
                    moved = True
        for point in points:
            point[0] = min(max(point[0], left), right)
            point[1] = min(max(point[1], top), bottom)
        if not moved:
            break
    return [(x, y) for x, y in points]


def _direction(dx: float, dy: float, turn: int) -> tuple[float, float]:
    """Return (dx, dy) as a unit vector; for two points on one spot, a fixed direction."""
    length = math.hypot(dx, dy)
    if length < 1e-6:
        angle = turn * 2.399963  # the golden angle: the directions never line up
        return math.cos(angle), math.sin(angle)
    return dx / length, dy / length


def density(points: list[tuple[float, float, int]], frame: Frame) -> list[MapCell]:
    """Count participants per cell of a grid; colour each cell by its most common group."""
    cell_w, cell_h = MAP_WIDTH / DENSITY_COLUMNS, MAP_HEIGHT / DENSITY_ROWS
    counts: dict[tuple[int, int], dict[int, int]] = {}
    for x, y, group_id in points:
        px, py = frame(x, y)
        key = (
            min(int(px // cell_w), DENSITY_COLUMNS - 1),
            min(int(py // cell_h), DENSITY_ROWS - 1),
        )
        by_group = counts.setdefault(key, {})
        by_group[group_id] = by_group.get(group_id, 0) + 1
    if not counts:
        return []
    busiest = max(sum(by_group.values()) for by_group in counts.values())
    cells = []
    for (column, row), by_group in sorted(counts.items()):
        total = sum(by_group.values())
        group_id = max(by_group, key=lambda g: (by_group[g], -g))
        cells.append(
            MapCell(
                x=round(column * cell_w, 1),
                y=round(row * cell_h, 1),
                width=round(cell_w, 1),
                height=round(cell_h, 1),
                colour=group_id % GROUP_COLOURS if group_id >= 0 else -1,
                opacity=round(0.15 + 0.75 * math.sqrt(total / busiest), 2),
            )
        )
    return cells


@dataclass(frozen=True)
class VoteBar:
    """Agree, disagree and pass as shares of 100, for a stacked bar and its text."""

    agree: int
    disagree: int
    passed: int
    votes: int

    @property
    def disagree_x(self) -> int:
        return self.agree

    @property
    def pass_x(self) -> int:
        return self.agree + self.disagree


def vote_bar(agree: int, disagree: int, passed: int) -> VoteBar:
    """Return percentages that add up to 100 (largest remainder), or zeros with no votes."""
    votes = agree + disagree + passed
    if not votes:
        return VoteBar(0, 0, 0, 0)
    raw = [100 * agree / votes, 100 * disagree / votes, 100 * passed / votes]
    shares = [math.floor(value) for value in raw]
    order = sorted(range(3), key=lambda i: raw[i] - shares[i], reverse=True)
    for i in order[: 100 - sum(shares)]:
        shares[i] += 1
    return VoteBar(shares[0], shares[1], shares[2], votes)


# What a conversation counts per day, drawn by sammen.core.charts.
MEASURES = (
    Measure("votes", _("Votes"), _("Votes"), "conversation-votes"),
    Measure(
        "participants", _("New participants"), _("New participants"), "conversation-participants"
    ),
    Measure("statements", _("New statements"), _("New statements"), "conversation-statements"),
)


def participation_chart(timeline: list[dict[str, Any]]) -> ParticipationChart:
    """Return the conversation's votes, new participants and statements over time."""
    return charts.participation_chart(timeline, MEASURES)
