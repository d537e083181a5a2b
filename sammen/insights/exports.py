"""The insights as CSV and JSON: the same figures as the page, "fewer than 5" included."""

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from .analysis import HOURS_PER_STAFF_YEAR, PRIVACY_FLOOR
from .queries import Insights


def hidden() -> str:
    return _("fewer than %(floor)s") % {"floor": PRIVACY_FLOOR}


def cell(value: Any) -> Any:
    """Return a figure as an export writes it: "fewer than 5" for a hidden one."""
    if value is None:
        return hidden()
    if isinstance(value, Decimal):
        return float(round(value, 2))
    return value


def csv_rows(insights: Insights) -> list[dict[str, Any]]:
    """Return one row per figure: the table it belongs to, what it is, and its value."""
    rows: list[dict[str, Any]] = []

    def add(table: str, subject: str, figure: str, value: Any) -> None:
        rows.append({"table": table, "subject": subject, "figure": figure, "value": cell(value)})

    totals = insights.totals
    for figure, value in [
        ("people", totals.people),
        ("newcomers", totals.newcomers),
        ("returning", totals.returning),
        ("in_two_or_more_activities", totals.in_two_or_more),
        ("contributions", totals.contributions),
        ("hours_given", totals.hours),
        ("days", totals.days),
        ("full_time_staff", totals.staff),
    ]:
        if figure == "in_two_or_more_activities" and insights.filters.activity:
            continue
        add("totals", "", figure, value)
    for day in insights.timeline:
        for figure in ("people", "newcomers", "returning"):
            add("days", day["day"].isoformat(), figure, day[figure])
    for activity in insights.activities:
        for figure in ("people", "contributions", "hours"):
            add("activities", activity.activity.title, figure, getattr(activity, figure))
    for kind in insights.kinds:
        for figure in ("activities", "people", "contributions", "hours"):
            add("kinds", str(kind.label), figure, getattr(kind, figure))
    for source in insights.sources:
        for figure in ("minutes", "people", "contributions", "hours"):
            add("contributions", str(source.label), figure, getattr(source, figure))
    for answer in insights.answers:
        subject = f"{answer.activity.title}: {answer.what}"
        add("answers", subject, "answered", answer.answered)
        add("answers", subject, "median_days", answer.median_days)
    for measure in insights.measures:
        subject = f"{measure.activity.title}: {measure.measure}"
        add("success_measures", subject, "target", measure.target)
        add(
            "success_measures",
            subject,
            "result",
            measure.actual if measure.actual is not None else "",
        )
    return rows


CSV_FIELDS = ["table", "subject", "figure", "value"]


def json_payload(insights: Insights) -> dict[str, Any]:
    """Return the figures as JSON, shaped like the page's tables."""
    filters = insights.filters
    totals = insights.totals
    return {
        "figures_as_of": insights.computed_at,
        "filters": {
            "since": filters.since,
            "until": filters.until,
            "activity": filters.activity.pk if filters.activity else None,
        },
        "privacy": _('Figures that cover fewer than %(floor)s people read "%(hidden)s".')
        % {"floor": PRIVACY_FLOOR, "hidden": hidden()},
        "totals": {
            "people": cell(totals.people),
            "newcomers": cell(totals.newcomers),
            "returning": cell(totals.returning),
            "in_two_or_more_activities": (
                None if filters.activity else cell(totals.in_two_or_more)
            ),
            "contributions": cell(totals.contributions),
            "hours_given": cell(totals.hours),
            "days": totals.days,
            "hours_per_staff_year": HOURS_PER_STAFF_YEAR,
            "full_time_staff": cell(totals.staff),
        },
        "days": [
            {
                "day": day["day"],
                "people": cell(day["people"]),
                "newcomers": cell(day["newcomers"]),
                "returning": cell(day["returning"]),
            }
            for day in insights.timeline
        ],
        "activities": [
            {
                "id": row.activity.pk,
                "title": row.activity.title,
                "kind": row.activity.kind,
                "people": cell(row.people),
                "contributions": cell(row.contributions),
                "hours_given": cell(row.hours),
            }
            for row in insights.activities
        ],
        "kinds": [
            {
                "kind": row.key,
                "label": str(row.label),
                "activities": row.activities,
                "people": cell(row.people),
                "contributions": cell(row.contributions),
                "hours_given": cell(row.hours),
            }
            for row in insights.kinds
        ],
        "contributions": [
            {
                "source": row.key,
                "label": str(row.label),
                "minutes_each": cell(row.minutes),
                "people": cell(row.people),
                "contributions": cell(row.contributions),
                "hours_given": cell(row.hours),
            }
            for row in insights.sources
        ],
        "answers": [
            {
                "activity": row.activity.pk,
                "what": str(row.what),
                "answered": cell(row.answered),
                "median_days": cell(row.median_days),
            }
            for row in insights.answers
        ],
        "success_measures": [
            {
                "activity": row.activity.pk,
                "measure": row.measure,
                "target": cell(row.target),
                "unit": row.unit,
                "result": row.actual,
                "reached": row.reached,
            }
            for row in insights.measures
        ],
    }
