"""The open call's participation chart: what it counts per day, drawn by sammen.core.charts."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from sammen.core import charts
from sammen.core.charts import Measure, ParticipationChart

MEASURES = (
    Measure("ideas", _("Ideas per day"), _("Ideas"), "ideas"),
    Measure("supports", _("Supports per day"), _("Supports"), "supports"),
    Measure("comments", _("Comments per day"), _("Comments"), "comments"),
)


def participation_chart(timeline: list[dict[str, Any]]) -> ParticipationChart:
    """Return the call's ideas, supports and comments over time."""
    return charts.participation_chart(timeline, MEASURES)
