"""The figures of a space's insights page, read from the rollups alone.

Nothing here reads a kind's tables: the rollup job has counted them (`rollup.py`).
Every figure that covers fewer than five people comes back as None, which the page and
the exports show as "fewer than 5".
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from sammen.activities.kinds import get_kind
from sammen.activities.models import Activity
from sammen.spaces.models import Space

from .analysis import hours_given, median_of_counts, shown, staff_equivalent
from .models import (
    AnswerDelay,
    DailyCount,
    DailyPeople,
    MinutesSetting,
    Rollup,
    ScopeDay,
    ScopeTotal,
)
from .registry import ContributionSource, contribution_source, contribution_sources


@dataclass(frozen=True)
class Filters:
    """What the organiser narrowed the page to: a period (either end open) and an activity."""

    since: date | None = None
    until: date | None = None
    activity: Activity | None = None

    def days(self, first: date | None, last: date | None) -> int:
        """Return the days of the period: its own ends, or else the first and last day
        anyone took part (up to today)."""
        start = self.since or first
        end = self.until or last
        if start is None or end is None or end < start:
            return 0
        return (end - start).days + 1


@dataclass(frozen=True)
class Minutes:
    source: ContributionSource
    minutes: Decimal
    adjusted: bool


def minutes_of(space: Space) -> dict[str, Minutes]:
    """Return the minutes per contribution of each source: the space's own, or the kind's."""
    own = dict(MinutesSetting.objects.filter(space=space).values_list("source", "minutes"))
    return {
        source.key: Minutes(source, own.get(source.key, source.minutes), source.key in own)
        for source in contribution_sources()
    }


def in_period(rows: QuerySet[Any], filters: Filters, field: str = "day") -> QuerySet[Any]:
    if filters.since:
        rows = rows.filter(**{f"{field}__gte": filters.since})
    if filters.until:
        rows = rows.filter(**{f"{field}__lte": filters.until})
    return rows


def kind_label(key: str) -> StrOrPromise:
    kind = get_kind(key)
    return kind.label if kind is not None else key


@dataclass(frozen=True)
class SourceRow:
    key: str
    kind: StrOrPromise  # the label of the kind that brings it, or "" for a shared source
    label: StrOrPromise
    minutes: Decimal
    adjusted: bool
    contributions: int | None
    people: int | None
    hours: Decimal | None


@dataclass(frozen=True)
class KindRow:
    key: str
    label: StrOrPromise
    activities: int
    contributions: int | None
    people: int | None
    hours: Decimal | None


@dataclass(frozen=True)
class ActivityRow:
    activity: Activity
    kind: StrOrPromise
    people: int | None
    contributions: int | None
    hours: Decimal | None


@dataclass(frozen=True)
class AnswerRow:
    activity: Activity
    what: StrOrPromise
    answered: int | None
    median_days: float | None


@dataclass(frozen=True)
class MeasureRow:
    activity: Activity
    measure: str
    target: Decimal
    unit: str
    actual: float | None
    counted: bool

    @property
    def reached(self) -> bool | None:
        return None if self.actual is None else self.actual >= float(self.target)


@dataclass(frozen=True)
class Totals:
    people: int | None
    newcomers: int | None
    returning: int | None
    in_two_or_more: int | None  # None too when one activity is chosen
    contributions: int | None
    hours: Decimal | None
    days: int
    staff: Decimal | None


@dataclass(frozen=True)
class Insights:
    """Everything the page, the CSV and the JSON show, already past the privacy floor."""

    computed_at: datetime | None
    filters: Filters
    totals: Totals
    timeline: list[dict[str, Any]]  # per day: people, newcomers, returning (None if hidden)
    activities: list[ActivityRow]
    kinds: list[KindRow]
    sources: list[SourceRow]
    answers: list[AnswerRow]
    measures: list[MeasureRow]


def counts_by_source(space: Space, filters: Filters) -> dict[tuple[int, str], int]:
    """Return the contributions per activity and source in the period."""
    rows = in_period(DailyCount.objects.filter(space=space), filters)
    if filters.activity:
        rows = rows.filter(activity=filters.activity)
    return {
        (row["activity_id"], row["source"]): row["total"]
        for row in rows.values("activity_id", "source").annotate(total=Sum("contributions"))
    }


def outside_period(
    space: Space, filters: Filters, field: str, firsts: str, lasts: str, **scope: Any
) -> dict[Any, int]:
    """Return, per scope, how many spans ended before the period or started after it."""
    ended = Q(day__lt=filters.since) if filters.since else None
    started = Q(day__gt=filters.until) if filters.until else None
    sums: dict[str, Any] = {}
    if ended is not None:
        sums["ended"] = Sum(lasts, filter=ended)
    if started is not None:
        sums["started"] = Sum(firsts, filter=started)
    if not sums:
        return {}
    either = [condition for condition in (ended, started) if condition is not None]
    rows = ScopeDay.objects.filter(space=space, **scope).filter(either[0] | either[-1])
    return {
        row[field]: (row.get("ended") or 0) + (row.get("started") or 0)
        for row in rows.values(field).annotate(**sums)
    }


def people_per(space: Space, filters: Filters, field: str, **scope: Any) -> dict[Any, int]:
    """Return how many people took part in each scope, by `field`, in the period.

    A person took part in a period when their span there overlaps it: the scope's total
    less the spans that ended before the period and those that started after it.
    """
    totals = dict(ScopeTotal.objects.filter(space=space, **scope).values_list(field, "people"))
    outside = outside_period(space, filters, field, "firsts", "lasts", **scope)
    return {key: people - outside.get(key, 0) for key, people in totals.items()}


def in_two_or_more(space: Space, filters: Filters) -> int:
    """Count the people of the period who took part in two or more activities."""
    scope: dict[str, Any] = {"activity": None, "kind": "", "source": ""}
    total = ScopeTotal.objects.filter(space=space, **scope).first()
    if total is None:
        return 0
    outside = outside_period(space, filters, "kind", "multi_firsts", "multi_lasts", **scope)
    return total.in_two_or_more - outside.get("", 0)


def activity_table(
    activities: list[Activity],
    people: dict[int, int],
    counts: dict[tuple[int, str], int],
    minutes: dict[str, Minutes],
) -> list[ActivityRow]:
    rows = []
    for activity in activities:
        mine = {key: n for (activity_id, key), n in counts.items() if activity_id == activity.pk}
        hours = sum(
            (hours_given(n, minutes[key].minutes) for key, n in mine.items() if key in minutes),
            Decimal(0),
        )
        here = people.get(activity.pk, 0)
        rows.append(
            ActivityRow(
                activity=activity,
                kind=kind_label(activity.kind),
                people=shown(here, here),  # type: ignore[arg-type]
                contributions=shown(sum(mine.values()), here),  # type: ignore[arg-type]
                hours=shown(hours, here),  # type: ignore[arg-type]
            )
        )
    return rows


def source_table(
    space: Space,
    filters: Filters,
    activities: list[Activity],
    counts: dict[tuple[int, str], int],
    minutes: dict[str, Minutes],
) -> list[SourceRow]:
    if filters.activity:
        people = people_per(space, filters, "source", activity=filters.activity, source__gt="")
    else:
        people = people_per(space, filters, "source", activity=None, kind="", source__gt="")
    per_source: dict[str, int] = defaultdict(int)
    for (_activity_id, key), n in counts.items():
        per_source[key] += n
    kinds_here = {activity.kind for activity in activities}
    rows = []
    for key, setting in minutes.items():
        if setting.source.kind and setting.source.kind not in kinds_here:
            continue  # a format this space (or the activity chosen) does not use
        here = people.get(key, 0)
        total = per_source.get(key, 0)
        source = setting.source
        rows.append(
            SourceRow(
                key=key,
                kind=kind_label(source.kind) if source.kind else "",
                label=source.label,
                minutes=setting.minutes,
                adjusted=setting.adjusted,
                contributions=shown(total, here),  # type: ignore[arg-type]
                people=shown(here, here),  # type: ignore[arg-type]
                hours=shown(hours_given(total, setting.minutes), here),  # type: ignore[arg-type]
            )
        )
    return rows


def kind_table(
    space: Space,
    filters: Filters,
    activities: list[Activity],
    counts: dict[tuple[int, str], int],
    minutes: dict[str, Minutes],
) -> list[KindRow]:
    kind_of = {activity.pk: activity.kind for activity in activities}
    if filters.activity:
        people = people_per(space, filters, "kind", activity=filters.activity, source="")
    else:
        people = people_per(space, filters, "kind", activity=None, kind__gt="", source="")
    contributions: dict[str, int] = defaultdict(int)
    hours: dict[str, Decimal] = defaultdict(Decimal)
    for (activity_id, key), n in counts.items():
        kind = kind_of.get(activity_id, "")
        contributions[kind] += n
        if key in minutes:
            hours[kind] += hours_given(n, minutes[key].minutes)
    rows = []
    for key in sorted({activity.kind for activity in activities if activity.kind}):
        here = people.get(key, 0)
        rows.append(
            KindRow(
                key=key,
                label=kind_label(key),
                activities=sum(1 for activity in activities if activity.kind == key),
                contributions=shown(contributions.get(key, 0), here),  # type: ignore[arg-type]
                people=shown(here, here),  # type: ignore[arg-type]
                hours=shown(hours.get(key, Decimal(0)), here),  # type: ignore[arg-type]
            )
        )
    return rows


def answer_table(
    space: Space, filters: Filters, activities: list[Activity], people: dict[int, int]
) -> list[AnswerRow]:
    rows = in_period(AnswerDelay.objects.filter(space=space), filters, "answered_on")
    if filters.activity:
        rows = rows.filter(activity=filters.activity)
    delays: dict[tuple[int, str], list[tuple[int, int]]] = defaultdict(list)
    for activity_id, key, days, answers in (
        rows.values_list("activity_id", "source", "days")
        .annotate(answers=Sum("answers"))
        .values_list("activity_id", "source", "days", "answers")
    ):
        delays[(activity_id, key)].append((days, answers))
    by_pk = {activity.pk: activity for activity in activities}
    table = []
    for (activity_id, key), counts in sorted(delays.items(), key=lambda item: item[0]):
        activity = by_pk.get(activity_id)
        if activity is None:
            continue
        source = contribution_source(key)
        what: StrOrPromise
        if key == "":
            what = _("The activity's public answer")
        else:
            what = source.label if source is not None else key
        here = people.get(activity_id, 0)
        table.append(
            AnswerRow(
                activity=activity,
                what=what,
                answered=shown(sum(n for _, n in counts), here),  # type: ignore[arg-type]
                median_days=shown(median_of_counts(counts), here),  # type: ignore[arg-type]
            )
        )
    return table


def measure_table(rollup: Rollup | None, activities: list[Activity]) -> list[MeasureRow]:
    if rollup is None:
        return []
    by_pk = {activity.pk: activity for activity in activities}
    return [
        MeasureRow(
            activity=by_pk[row["activity"]],
            measure=row["measure"],
            target=Decimal(row["target"]),
            unit=row["unit"],
            actual=row["actual"],
            counted=row["counted"],
        )
        for row in rollup.measures
        if row["activity"] in by_pk
    ]


def timeline_of(space: Space, filters: Filters) -> list[dict[str, Any]]:
    rows = in_period(DailyPeople.objects.filter(space=space, activity=filters.activity), filters)
    return [
        {
            "day": day,
            "people": shown(people, people),
            "newcomers": shown(newcomers, people),
            "returning": shown(people - newcomers, people),
        }
        for day, people, newcomers in rows.order_by("day").values_list("day", "people", "newcomers")
    ]


def totals_of(
    space: Space,
    filters: Filters,
    counts: dict[tuple[int, str], int],
    minutes: dict[str, Minutes],
) -> Totals:
    scope: dict[str, Any] = (
        {"activity": filters.activity, "source": ""}
        if filters.activity
        else {"activity": None, "kind": "", "source": ""}
    )
    total = ScopeTotal.objects.filter(space=space, **scope).first()
    people = people_per(space, filters, "space_id", **scope).get(space.pk, 0)
    newcomers = people
    if filters.since:
        started = ScopeDay.objects.filter(space=space, day__gte=filters.since, **scope)
        if filters.until:
            started = started.filter(day__lte=filters.until)
        newcomers = started.aggregate(newcomers=Sum("firsts"))["newcomers"] or 0
    hours = sum(
        (hours_given(n, minutes[key].minutes) for (_a, key), n in counts.items() if key in minutes),
        Decimal(0),
    )
    days = filters.days(total.first_day if total else None, total.last_day if total else None)
    multi = None if filters.activity else in_two_or_more(space, filters)
    return Totals(
        people=shown(people, people),  # type: ignore[arg-type]
        newcomers=shown(newcomers, people),  # type: ignore[arg-type]
        returning=shown(people - newcomers, people),  # type: ignore[arg-type]
        in_two_or_more=None if multi is None else shown(multi, multi),  # type: ignore[arg-type]
        contributions=shown(sum(counts.values()), people),  # type: ignore[arg-type]
        hours=shown(hours, people),  # type: ignore[arg-type]
        days=days,
        staff=shown(staff_equivalent(hours, days), people),  # type: ignore[arg-type]
    )


def space_insights(space: Space, filters: Filters) -> Insights:
    """Return the space's figures for the period and activity chosen."""
    rollup = Rollup.objects.filter(space=space).first()
    activities = list(
        Activity.objects.filter(space=space).select_related("space").order_by("created_at", "pk")
    )
    shown_activities = [filters.activity] if filters.activity else activities
    minutes = minutes_of(space)
    counts = counts_by_source(space, filters)
    people = people_per(
        space,
        filters,
        "activity_id",
        source="",
        **({"activity": filters.activity} if filters.activity else {"activity__isnull": False}),
    )
    return Insights(
        computed_at=rollup.computed_at if rollup else None,
        filters=filters,
        totals=totals_of(space, filters, counts, minutes),
        timeline=timeline_of(space, filters),
        activities=activity_table(shown_activities, people, counts, minutes),
        kinds=kind_table(space, filters, shown_activities, counts, minutes),
        sources=source_table(space, filters, shown_activities, counts, minutes),
        answers=answer_table(space, filters, shown_activities, people),
        measures=measure_table(rollup, shown_activities),
    )
