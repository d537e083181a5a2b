"""The chain of evidence, drawn on the server as SVG: geometry here, markup in
`meetings/_chain.html`, and the same figures in the table beside it.

One step per level, 0 to 5, joined by a line: the level's number and name, its figure
in words, and, where it has one, a bar on the level's own scale with the 95% interval
as a whisker and the target as a mark. A level without a figure says why in words
(too few answers, not measured yet) and draws no bar. Each level has its own unit, so
each bar has its own scale; the words carry the figures, the bars their shape.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .analysis import Chain, Level
from .return_words import figure_text, interval_text, level_name, short_reason

WIDTH = 400
TOP = 8
ROW = 106
CIRCLE_X, CIRCLE_R = 22, 15
TEXT_X = 50
TRACK_LEFT, TRACK_RIGHT = TEXT_X, WIDTH - 12
NAME_DY, FIGURE_DY, TRACK_DY, TRACK_HEIGHT, NOTE_DY = 20, 44, 60, 12, 92


@dataclass(frozen=True)
class Bar:
    """A level's figure on its own scale: the bar, its interval and its target."""

    x: float
    width: float
    low_x: float | None
    high_x: float | None
    target_x: float | None
    zero_x: float | None  # where 0 is, when the scale crosses it (an ROI below break-even)
    target_met: bool | None


@dataclass(frozen=True)
class Step:
    number: int
    y: float
    name: str
    figure: str  # the figure in its unit, or why there is none
    has_figure: bool
    note: str  # the interval, n and target in words
    bar: Bar | None
    is_last: bool

    @property
    def circle_y(self) -> float:
        return self.y + NAME_DY - 5

    @property
    def name_y(self) -> float:
        return self.y + NAME_DY

    @property
    def figure_y(self) -> float:
        return self.y + FIGURE_DY

    @property
    def track_y(self) -> float:
        return self.y + TRACK_DY

    @property
    def track_middle(self) -> float:
        return self.y + TRACK_DY + TRACK_HEIGHT / 2

    @property
    def mark_top(self) -> float:
        return self.y + TRACK_DY - 5

    @property
    def mark_bottom(self) -> float:
        return self.y + TRACK_DY + TRACK_HEIGHT + 5

    @property
    def note_y(self) -> float:
        return self.y + NOTE_DY

    @property
    def link_top(self) -> float:
        return self.circle_y + CIRCLE_R

    @property
    def link_bottom(self) -> float:
        return self.circle_y + ROW - CIRCLE_R


@dataclass(frozen=True)
class ChainChart:
    width: int
    height: int
    steps: list[Step]
    title: str
    circle_x: int = CIRCLE_X
    circle_r: int = CIRCLE_R
    text_x: int = TEXT_X
    track_left: int = TRACK_LEFT
    track_width: int = TRACK_RIGHT - TRACK_LEFT
    track_height: int = TRACK_HEIGHT


def scale_of(level: Level, registered: float | None) -> tuple[float, float]:
    """Return the ends of a level's scale: fixed for a score and a share, else from 0 (or
    the lowest figure shown, when below 0) to a little past the highest."""
    if level.unit == "score":
        return 1.0, 5.0
    if level.unit == "share":
        return 0.0, 1.0
    shown = [v for v in (level.figure, level.low, level.high, level.target) if v is not None]
    if level.unit == "people" and registered:
        shown.append(registered)
    low = min([0.0, *shown])
    high = max([0.0, *shown])
    if high == low:
        high = low + 1
    room = (high - low) * 0.08
    return (low - room if low < 0 else low), high + room


def bar_of(level: Level, registered: float | None) -> Bar | None:
    if level.figure is None:
        return None
    low, high = scale_of(level, registered)
    span = TRACK_RIGHT - TRACK_LEFT

    def x(value: float | None) -> float | None:
        if value is None:
            return None
        clamped = min(max(value, low), high)
        return round(TRACK_LEFT + (clamped - low) / (high - low) * span, 1)

    base = max(low, 0.0) if level.unit != "score" else low
    start, end = sorted([x(base) or TRACK_LEFT, x(level.figure) or TRACK_LEFT])
    return Bar(
        x=start,
        width=round(max(end - start, 1.5), 1),
        low_x=x(level.low),
        high_x=x(level.high),
        target_x=x(level.target),
        zero_x=x(0.0) if low < 0 < high else None,
        target_met=level.target_met,
    )


def note_of(level: Level, currency: str) -> str:
    """Return the line under a step: its interval, n and target, as far as known."""
    parts = []
    if level.figure is not None:
        interval = interval_text(level.low, level.high, level.unit, currency)
        if interval:
            parts.append(_("95%% interval %(interval)s") % {"interval": interval})
    if level.n is not None and level.key != "inputs":
        parts.append(_("n %(n)s") % {"n": level.n})
    if level.target is not None:
        parts.append(
            _("target %(target)s") % {"target": figure_text(level.target, level.unit, currency)}
        )
    return " · ".join(parts)


def chain_chart(chain: Chain, currency: str, registered: float | None = None) -> ChainChart:
    """Lay out the chain of levels 0 to 5, one step under the other."""
    steps = []
    for index, level in enumerate(chain):
        has_figure = level.figure is not None
        steps.append(
            Step(
                number=level.number,
                y=TOP + index * ROW,
                name=f"{level.number}. {level_name(level.key)}",
                figure=(
                    figure_text(level.figure, level.unit, currency)
                    if level.figure is not None
                    else short_reason(level)
                ),
                has_figure=has_figure,
                note=note_of(level, currency),
                bar=bar_of(level, registered),
                is_last=index == len(chain) - 1,
            )
        )
    return ChainChart(
        width=WIDTH,
        height=TOP + ROW * len(chain) - 4,
        steps=steps,
        title=_("The chain of evidence, from inputs to return on investment"),
    )
