"""Participation over time, drawn the same way for every kind of activity.

Geometry here; the markup is `_participation_chart.html`, with a table of the
figures beside the bars for screen readers and export.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

WIDTH, HEIGHT = 300, 80
# More days than this are drawn a week (or several) to a bar.
MAX_DAILY_BARS = 92
# Fewer bars than this are drawn this narrow, centred: one day is one bar, not a block.
MIN_SLOTS = 7


@dataclass(frozen=True)
class Measure:
    """One thing a kind counts per day: its key in the timeline, its chart and its column."""

    key: str
    label: Any  # the chart's title
    column: Any  # the table's column heading
    style: str  # chart__svg--<style> in the stylesheet gives the bars their colour


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    start: date
    end: date
    value: int


@dataclass(frozen=True)
class Series:
    key: str
    label: Any
    style: str
    bars: list[Bar]
    peak: int
    total: int


@dataclass(frozen=True)
class Day:
    day: date
    values: list[int]


@dataclass(frozen=True)
class ParticipationChart:
    series: list[Series]
    days_per_bar: int
    columns: list[Any]
    days: list[Day]

    def __bool__(self) -> bool:
        return bool(self.series)


def as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def bucketed(
    timeline: Sequence[Mapping[str, Any]], keys: Sequence[str]
) -> tuple[list[dict[str, Any]], int]:
    """Return the days from the first to the last, each a bucket, or weeks (and multiples)
    when that is too many bars to draw; days with nothing on them count zero."""
    days = {as_date(day["day"]): day for day in timeline}
    first, last = min(days), max(days)
    span = (last - first).days + 1
    size = 1 if span <= MAX_DAILY_BARS else 7 * math.ceil(span / (MAX_DAILY_BARS * 7))
    buckets = []
    for offset in range(0, span, size):
        start = first + timedelta(days=offset)
        end = min(start + timedelta(days=size - 1), last)
        inside = [
            days[start + timedelta(days=n)]
            for n in range((end - start).days + 1)
            if start + timedelta(days=n) in days
        ]
        buckets.append(
            {"start": start, "end": end, **{key: sum(day[key] for day in inside) for key in keys}}
        )
    return buckets, size


def participation_chart(
    timeline: Sequence[Mapping[str, Any]], measures: Sequence[Measure]
) -> ParticipationChart:
    """Return one bar chart per measure, each on its own scale, with the figures per day.

    `timeline` has one row per day ("day": a date or ISO text, and a count per measure).
    """
    if not timeline:
        return ParticipationChart([], 1, [measure.column for measure in measures], [])
    buckets, days_per_bar = bucketed(timeline, [measure.key for measure in measures])
    slot = WIDTH / max(len(buckets), MIN_SLOTS)
    offset = (WIDTH - slot * len(buckets)) / 2
    charts = []
    for measure in measures:
        values = [int(bucket[measure.key]) for bucket in buckets]
        peak = max(values)
        bars = [
            Bar(
                x=round(offset + index * slot + slot * 0.1, 2),
                y=round(HEIGHT - (value / peak * HEIGHT if peak else 0), 2),
                width=round(max(slot * 0.8, 0.5), 2),
                height=round(value / peak * HEIGHT if peak else 0, 2),
                start=bucket["start"],
                end=bucket["end"],
                value=value,
            )
            for index, (bucket, value) in enumerate(zip(buckets, values, strict=True))
        ]
        charts.append(
            Series(
                key=measure.key,
                label=measure.label,
                style=measure.style,
                bars=bars,
                peak=peak,
                total=sum(values),
            )
        )
    days = [
        Day(as_date(row["day"]), [int(row[measure.key]) for measure in measures])
        for row in timeline
    ]
    return ParticipationChart(charts, days_per_bar, [m.column for m in measures], days)
