"""The emotion curve, drawn on the server as SVG: geometry here, markup in
`journeys/_curve.html`, with the figures in a table beside it.

One column per touchpoint along the journey: the mean with its 95% interval as a band,
the number of ratings under it (and "too few to say" below ten), the touchpoint's name
and its stage. Two curves (two segments, two waves) share the same frame.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from django.utils.translation import gettext as _

from . import analysis
from .emotions import faces
from .queries.figures import Comparison, JourneyFigures
from .reasons import decimal, moment_name

SLOT = 100  # the width of one touchpoint's column
LEFT, RIGHT = 112, 64  # the scale's words on the left; the journey's mean on the right
TOP = 44  # room for the moments' marks above the highest band
PLOT_HEIGHT = 220
MIN_WIDTH = 640
N_GAP, FEW_GAP, NAME_GAP, LINE_HEIGHT, STAGE_GAP, STAGE_HEIGHT = 20, 15, 22, 14, 20, 26
NAME_CHARACTERS = 15  # on one line of a column, at the chart's type size
MARK_SPACING = 14
TIP_WIDTH, TIP_HEIGHT, TIP_BARS = 152, 92, 46


@dataclass(frozen=True)
class Tick:
    y: float
    score: int
    word: str  # the scale's word at its ends and middle ("Very positive"), else ""
    is_middle: bool


@dataclass(frozen=True)
class TipBar:
    x: float
    y: float
    width: float
    height: float
    score: int

    @property
    def label_x(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass(frozen=True)
class Tip:
    """The distribution of a touchpoint's ratings, shown when its point has focus."""

    x: float
    y: float
    heading: str
    bars: list[TipBar]
    label_y: float
    width: int = TIP_WIDTH
    height: int = TIP_HEIGHT

    @property
    def heading_x(self) -> float:
        return round(self.x + 8, 1)

    @property
    def heading_y(self) -> float:
        return round(self.y + 16, 1)


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str  # what a screen reader (and the hover title) says of it
    too_few: bool
    tip: Tip | None = None

    @property
    def corner_x(self) -> float:  # a square point's corner
        return round(self.x - 6, 1)

    @property
    def corner_y(self) -> float:
        return round(self.y - 6, 1)


@dataclass(frozen=True)
class Series:
    style: int  # 0: the accent, round points, a solid line; 1: the second colour, dashed
    label: str
    line: str  # an SVG path
    bands: list[str]  # SVG polygons' points, one per run of touchpoints with an interval
    points: list[Point]


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    text: str


@dataclass(frozen=True)
class Column:
    x: float
    number: int
    name_lines: list[str]
    name: str
    counts: str  # "n 54", or "n 30 · 24" for two curves
    too_few: bool


@dataclass(frozen=True)
class StageBand:
    x: float
    width: float
    name: str
    text: str  # the name, shortened to fit

    @property
    def text_x(self) -> float:
        return round(self.x + 8, 1)


@dataclass(frozen=True)
class CurveChart:
    width: int
    height: int
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    n_y: float
    few_y: float
    name_y: float
    stage_y: float
    stage_height: float
    ticks: list[Tick]
    columns: list[Column]
    stages: list[StageBand]
    series: list[Series]
    marks: list[Mark] = field(default_factory=list)
    mean_y: float | None = None
    mean_label: tuple[str, ...] = ()
    title: str = ""

    @property
    def line_height(self) -> int:
        return LINE_HEIGHT

    @property
    def tick_x(self) -> float:
        return self.plot_left - 8

    @property
    def word_x(self) -> float:
        return self.plot_left - 24

    @property
    def mean_x(self) -> float:
        return self.plot_right + 6

    @property
    def stage_text_y(self) -> float:
        return self.stage_y + 17


class Frame:
    """Where a score and a touchpoint sit in the SVG."""

    def __init__(self, count: int, points: int) -> None:
        self.points = points
        self.slot = max(SLOT, (MIN_WIDTH - LEFT - RIGHT) / max(count, 1))
        self.width = math.ceil(LEFT + RIGHT + self.slot * count)
        self.bottom = TOP + PLOT_HEIGHT

    def x(self, index: int) -> float:
        return round(LEFT + self.slot * (index + 0.5), 1)

    def y(self, score: float) -> float:
        score = min(max(score, 1.0), float(self.points))
        return round(TOP + (self.points - score) / (self.points - 1) * PLOT_HEIGHT, 1)


def wrapped(name: str, width: int = NAME_CHARACTERS, lines: int = 2) -> list[str]:
    """Return a name on at most `lines` lines of about `width` characters, "…" if cut."""
    words = name.split()
    result: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if len(candidate) <= width or not current:
            current = candidate
        else:
            result.append(current)
            current = word
    if current:
        result.append(current)
    if len(result) > lines:
        result = result[:lines]
        result[-1] = result[-1][: width - 1].rstrip() + "…"
    return [line if len(line) <= width else line[: width - 1] + "…" for line in result]


def ticks(frame: Frame) -> list[Tick]:
    middle = analysis.midpoint(frame.points)
    named = {1, frame.points, middle}
    return [
        Tick(
            frame.y(face.score),
            face.score,
            str(face.label) if face.score in named else "",
            face.score == middle,
        )
        for face in faces(frame.points)
    ]


def distribution_text(counts: Sequence[int], points: int) -> str:
    """Return the distribution in words: "Very negative (1): 3, Negative (2): 5, …"."""
    return ", ".join(
        f"{face.label} ({face.score}): {count}"
        for face, count in zip(faces(points), counts, strict=True)
    )


def point_label(number: int, name: str, summary: analysis.Summary, counts: Sequence[int]) -> str:
    if summary.mean is None:
        return _("%(number)s. %(name)s: no ratings yet.") % {"number": number, "name": name}
    if summary.ci_low is None or summary.ci_high is None:
        figures = _("mean %(mean)s, %(n)s rating") % {"mean": decimal(summary.mean), "n": summary.n}
    else:
        figures = _("mean %(mean)s (95%% interval %(low)s to %(high)s), %(n)s ratings") % {
            "mean": decimal(summary.mean),
            "low": decimal(summary.ci_low),
            "high": decimal(summary.ci_high),
            "n": summary.n,
        }
    if summary.too_few:
        figures += ", " + _("too few to say")
    return f"{number}. {name}: {figures}. {distribution_text(counts, summary.points)}."


def tip_for(frame: Frame, x: float, y: float, summary: analysis.Summary, points: int) -> Tip | None:
    if summary.mean is None:
        return None
    left = min(max(x - TIP_WIDTH / 2, 2.0), frame.width - TIP_WIDTH - 2)
    top = y - TIP_HEIGHT - 12 if y - TIP_HEIGHT - 12 >= 2 else y + 12
    gap = 3.0
    bar_width = (TIP_WIDTH - 16 - gap * (points - 1)) / points
    tallest = max(summary.distribution) or 1.0
    base = top + 22 + TIP_BARS
    bars = []
    for index, share in enumerate(summary.distribution):
        height = round(share / tallest * TIP_BARS, 1)
        bars.append(
            TipBar(
                x=round(left + 8 + index * (bar_width + gap), 1),
                y=round(base - height, 1),
                width=round(bar_width, 1),
                height=height,
                score=index + 1,
            )
        )
    heading = _("mean %(mean)s · n %(n)s") % {"mean": decimal(summary.mean), "n": summary.n}
    return Tip(round(left, 1), round(top, 1), heading, bars, round(base + 13, 1))


def series_of(
    frame: Frame,
    style: int,
    label: str,
    summaries: Sequence[analysis.Summary],
    labels: Sequence[str],
    *,
    with_tips: bool,
) -> Series:
    """Lay out one curve: its line, its bands and its focusable points."""
    line: list[str] = []
    bands: list[str] = []
    run_top: list[str] = []
    run_bottom: list[str] = []
    points: list[Point] = []
    previous = False
    for index, summary in enumerate(summaries):
        x = frame.x(index)
        has_band = summary.ci_low is not None and summary.ci_high is not None
        if has_band:
            run_top.append(f"{x},{frame.y(summary.ci_high or 0)}")
            run_bottom.append(f"{x},{frame.y(summary.ci_low or 0)}")
        if not has_band or index == len(summaries) - 1:
            if len(run_top) >= 2:
                bands.append(" ".join(run_top + run_bottom[::-1]))
            run_top, run_bottom = [], []
        if summary.mean is None:
            previous = False
            continue
        y = frame.y(summary.mean)
        line.append(f"{'L' if previous else 'M'}{x} {y}")
        previous = True
        tip = tip_for(frame, x, y, summary, frame.points) if with_tips else None
        points.append(Point(x, y, labels[index], summary.too_few, tip))
    return Series(style, label, " ".join(line), bands, points)


def stage_bands(frame: Frame, figures: JourneyFigures) -> list[StageBand]:
    bands = []
    index = 0
    for view in figures.stages:
        count = len(view.touchpoints)
        left = LEFT + frame.slot * index + 3
        width = frame.slot * count - 6
        characters = max(int(width / 7.2), 4)
        name = view.stage.name
        text = name if len(name) <= characters else name[: characters - 1].rstrip() + "…"
        bands.append(StageBand(round(left, 1), round(width, 1), name, text))
        index += count
    return bands


def base_chart(
    frame: Frame,
    figures: JourneyFigures,
    series: list[Series],
    counts: list[str],
    too_few: list[bool],
    title: str,
) -> CurveChart:
    bottom = frame.bottom
    n_y = bottom + N_GAP
    few_y = n_y + FEW_GAP
    name_y = few_y + NAME_GAP
    stage_y = name_y + LINE_HEIGHT + STAGE_GAP - 10
    columns = [
        Column(
            x=frame.x(index),
            number=figure.number,
            name_lines=wrapped(f"{figure.number}. {figure.touchpoint.name}"),
            name=figure.touchpoint.name,
            counts=counts[index],
            too_few=too_few[index],
        )
        for index, figure in enumerate(figures.touchpoints)
    ]
    return CurveChart(
        width=frame.width,
        height=math.ceil(stage_y + STAGE_HEIGHT + 4),
        plot_left=LEFT,
        plot_right=frame.width - RIGHT,
        plot_top=TOP,
        plot_bottom=bottom,
        n_y=n_y,
        few_y=few_y,
        name_y=name_y,
        stage_y=stage_y,
        stage_height=STAGE_HEIGHT,
        ticks=ticks(frame),
        columns=columns,
        stages=stage_bands(frame, figures),
        series=series,
        title=title,
    )


def marks_at(
    frame: Frame,
    index: int,
    summary: analysis.Summary,
    names: list[str],
    journey_mean: float | None,
) -> list[Mark]:
    """Place a touchpoint's moment names by its point: under a low one, where there is
    room above the axis, else above it, so they cross neither the band nor the line."""
    assert summary.mean is not None
    x = frame.x(index)
    lowest = summary.ci_low if summary.ci_low is not None else summary.mean
    below = frame.y(lowest) + 14
    room = frame.bottom - 4 - below
    low = journey_mean is not None and summary.mean < journey_mean
    if low and room >= MARK_SPACING * (len(names) - 1):
        return [
            Mark(x, round(below + offset * MARK_SPACING, 1), name)
            for offset, name in enumerate(names)
        ]
    highest = summary.ci_high if summary.ci_high is not None else summary.mean
    top = min(frame.y(highest), frame.y(summary.mean) - 8) - 8
    return [
        Mark(x, round(max(top - offset * MARK_SPACING, 12), 1), name)
        for offset, name in enumerate(reversed(names))
    ]


def emotion_curve(figures: JourneyFigures, title: str = "") -> CurveChart | None:
    """Lay out the curve of the wave shown, with the moments that matter marked on it."""
    if not figures.touchpoints:
        return None
    frame = Frame(len(figures.touchpoints), figures.points)
    summaries = [figure.summary for figure in figures.touchpoints]
    labels = [
        point_label(figure.number, figure.touchpoint.name, figure.summary, figure.tally.counts)
        for figure in figures.touchpoints
    ]
    series = series_of(frame, 0, title, summaries, labels, with_tips=True)
    chart = base_chart(
        frame,
        figures,
        [series],
        [_("n %(n)s") % {"n": summary.n} for summary in summaries],
        [summary.too_few for summary in summaries],
        title,
    )
    marks = []
    for index, figure in enumerate(figures.touchpoints):
        summary = figure.summary
        if summary.mean is None or not figure.moments:
            continue
        names = list(dict.fromkeys(moment_name(moment) for moment in figure.moments))
        marks.extend(marks_at(frame, index, summary, names, figures.journey_mean))
    mean_y = frame.y(figures.journey_mean) if figures.journey_mean is not None else None
    # Two short lines in the right margin: the word is the data table's column heading.
    mean_label = (
        (_("Mean"), decimal(figures.journey_mean)) if figures.journey_mean is not None else ()
    )
    return replace(chart, marks=marks, mean_y=mean_y, mean_label=mean_label)


def comparison_curve(figures: JourneyFigures, comparison: Comparison) -> CurveChart | None:
    """Lay out two curves (two segments, two waves) in one frame."""
    if not figures.touchpoints:
        return None
    frame = Frame(len(figures.touchpoints), figures.points)
    series = []
    for style, side in enumerate((comparison.a, comparison.b)):
        labels = [
            f"{side.label} · "
            + point_label(
                figure.number,
                figure.touchpoint.name,
                summary,
                [round(share * summary.n) for share in summary.distribution],
            )
            for figure, summary in zip(figures.touchpoints, side.summaries, strict=True)
        ]
        series.append(series_of(frame, style, side.label, side.summaries, labels, with_tips=False))
    pairs = list(zip(comparison.a.summaries, comparison.b.summaries, strict=True))
    return base_chart(
        frame,
        figures,
        series,
        [_("n %(a)s · %(b)s") % {"a": a.n, "b": b.n} for a, b in pairs],
        [a.too_few or b.too_few for a, b in pairs],
        _("%(a)s and %(b)s") % {"a": comparison.a.label, "b": comparison.b.label},
    )


@dataclass(frozen=True)
class MiniBar:
    x: float
    y: float
    width: float
    height: float


MINI_WIDTH, MINI_HEIGHT = 70, 20


def mini_bars(distribution: Sequence[float]) -> list[MiniBar]:
    """Lay out a distribution as small columns (the data table's last column)."""
    count = len(distribution)
    gap = 2.0
    width = (MINI_WIDTH - gap * (count - 1)) / count
    tallest = max(distribution, default=0.0) or 1.0
    bars = []
    for index, share in enumerate(distribution):
        height = round(max(share / tallest * MINI_HEIGHT, 1.0 if share else 0.0), 1)
        bars.append(
            MiniBar(
                round(index * (width + gap), 1),
                round(MINI_HEIGHT - height, 1),
                round(width, 1),
                height,
            )
        )
    return bars
