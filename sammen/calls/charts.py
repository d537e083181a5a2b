"""Server-drawn SVG charts for the closing report. Geometry here; markup in templates."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

WIDTH, HEIGHT = 300, 80
# Fewer days than this still get bars this narrow, centred: one day of data is one
# bar above its date, not a block across the whole chart.
MIN_SLOTS = 7
SERIES = (
    ("ideas", _("Ideas per day")),
    ("supports", _("Supports per day")),
    ("comments", _("Comments per day")),
)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    day: Any
    value: int


@dataclass(frozen=True)
class Series:
    key: str
    label: Any
    bars: list[Bar]
    peak: int
    total: int


def participation_chart(timeline: list[dict[str, Any]]) -> list[Series]:
    """Return one bar chart per kind of participation, each on its own scale."""
    if not timeline:
        return []
    slot = WIDTH / max(len(timeline), MIN_SLOTS)
    offset = (WIDTH - slot * len(timeline)) / 2
    charts = []
    for key, label in SERIES:
        values = [int(day[key]) for day in timeline]
        peak = max(values)
        bars = [
            Bar(
                x=round(offset + index * slot + slot * 0.1, 2),
                y=round(HEIGHT - (value / peak * HEIGHT if peak else 0), 2),
                width=round(max(slot * 0.8, 0.5), 2),
                height=round(value / peak * HEIGHT if peak else 0, 2),
                day=day["day"],
                value=value,
            )
            for index, (day, value) in enumerate(zip(timeline, values, strict=True))
        ]
        charts.append(Series(key=key, label=label, bars=bars, peak=peak, total=sum(values)))
    return charts
