"""Count a space's contributions into the rollups the insights page reads.

Each registered source's rows become GROUP BY queries in SQL (INSERT … SELECT), so
millions of contributions never pass through Python; only the answered contributions
(a few per idea or question) and the day counts of answered activities do. A space is
counted whole each time, in one transaction, so the page never sees half a count.
"""

import time
from collections import Counter
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.utils import timezone

from sammen.activities.models import Activity
from sammen.activities.queries import measure_outcomes
from sammen.spaces.models import Space

from .models import (
    AnswerDelay,
    DailyCount,
    DailyPeople,
    Rollup,
    ScopeDay,
    ScopeTotal,
    Span,
)
from .registry import ContributionSource, answer_sources, contribution_sources

SOURCE_COLUMNS = "insight_activity, insight_participant, insight_day"


NULL_ID = "CAST(NULL AS BIGINT)"  # PostgreSQL types a bare NULL in a SELECT as text
SPAN_COLUMNS = (
    "space_id, activity_id, kind, source, participant_id, "
    "first_day, last_day, contributions, activities"
)
# The scopes wider than a source in an activity, each grouped from narrower spans:
# (activity, kind, source, the spans it is made of, what it groups by).
WIDER_SCOPES = [
    ("activity_id", "kind", "''", "activity_id IS NOT NULL AND source <> ''", "activity_id, kind"),
    (NULL_ID, "''", "source", "activity_id IS NOT NULL AND source <> ''", "source"),
    (NULL_ID, "kind", "''", "activity_id IS NOT NULL AND source = ''", "kind"),
    (NULL_ID, "''", "''", "activity_id IS NOT NULL AND source = ''", ""),
]


def table(model: type) -> str:
    return str(connection.ops.quote_name(model._meta.db_table))  # type: ignore[attr-defined]


def execute(cursor: CursorWrapper, sql: str, params: list[Any]) -> None:
    """Run one statement of the rollup: its names come from the models and the
    registered sources' querysets, every value is a parameter."""
    cursor.execute(sql, params)


def source_sql(source: ContributionSource, space_id: int) -> tuple[str, list[object]]:
    """Return the SQL of one source's contributions in a space, and its parameters."""
    sql, params = source.of_space(space_id).query.sql_with_params()
    return f"SELECT {SOURCE_COLUMNS} FROM ({sql}) AS contributions", list(params)  # noqa: S608 - Django's own SQL


def count_source(cursor: CursorWrapper, source: ContributionSource, space_id: int) -> None:
    """Count one source per activity and day, and per activity and participant."""
    sql, params = source_sql(source, space_id)
    execute(
        cursor,
        f"INSERT INTO {table(DailyCount)} "  # noqa: S608 - names from the models, values as parameters
        "(space_id, activity_id, source, day, contributions, people) "
        "SELECT %s, insight_activity, %s, insight_day, COUNT(*), "
        "COUNT(DISTINCT insight_participant) "
        f"FROM ({sql}) AS source GROUP BY insight_activity, insight_day",
        [space_id, source.key, *params],
    )
    execute(
        cursor,
        f"INSERT INTO {table(Span)} ({SPAN_COLUMNS}) "  # noqa: S608 - names from the models, values as parameters
        "SELECT %s, source.insight_activity, activity.kind, %s, source.insight_participant, "
        "MIN(source.insight_day), MAX(source.insight_day), COUNT(*), 1 "
        f"FROM ({sql}) AS source JOIN {table(Activity)} AS activity "
        "ON activity.id = source.insight_activity "
        "GROUP BY source.insight_activity, activity.kind, source.insight_participant",
        [space_id, source.key, *params],
    )


def derive_spans(cursor: CursorWrapper, space_id: int) -> None:
    """Build the wider scopes from the spans of each source in each activity: each
    activity, each source over all activities, each kind, and the whole space."""
    spans = table(Span)
    for activity, kind, source, made_of, group in WIDER_SCOPES:
        groups = ", ".join(part for part in ("space_id", group, "participant_id") if part)
        activities = "1" if activity == "activity_id" else "COUNT(*)"
        execute(
            cursor,
            f"INSERT INTO {spans} ({SPAN_COLUMNS}) "  # noqa: S608 - names from the models, values as parameters
            f"SELECT space_id, {activity}, {kind}, {source}, participant_id, MIN(first_day), "
            f"MAX(last_day), SUM(contributions), {activities} FROM {spans} "
            f"WHERE space_id = %s AND {made_of} GROUP BY {groups}",
            [space_id],
        )


def count_scope_totals(cursor: CursorWrapper, space_id: int) -> None:
    """Count each scope's people over all time, once, from its spans."""
    execute(
        cursor,
        f"INSERT INTO {table(ScopeTotal)} (space_id, activity_id, kind, source, people, "  # noqa: S608 - names from the models, values as parameters
        "in_two_or_more, first_day, last_day) "
        "SELECT space_id, activity_id, kind, source, COUNT(*), "
        "SUM(CASE WHEN activities >= 2 THEN 1 ELSE 0 END), MIN(first_day), MAX(last_day) "
        f"FROM {table(Span)} WHERE space_id = %s GROUP BY space_id, activity_id, kind, source",
        [space_id],
    )


def count_scope_days(cursor: CursorWrapper, space_id: int) -> None:
    """Count per scope and day the spans that start and end there, so any period's people
    follow from a few thousand rows (`queries.people_per`)."""
    spans = table(Span)
    multi = "CASE WHEN activities >= 2 THEN 1 ELSE 0 END"
    execute(
        cursor,
        f"INSERT INTO {table(ScopeDay)} (space_id, activity_id, kind, source, day, firsts, "  # noqa: S608 - names from the models, values as parameters
        "lasts, multi_firsts, multi_lasts) "
        "SELECT space_id, activity_id, kind, source, day, SUM(firsts), SUM(lasts), "
        "SUM(multi_firsts), SUM(multi_lasts) FROM ("
        f"SELECT space_id, activity_id, kind, source, first_day AS day, 1 AS firsts, "
        f"0 AS lasts, {multi} AS multi_firsts, 0 AS multi_lasts FROM {spans} "
        "WHERE space_id = %s UNION ALL "
        f"SELECT space_id, activity_id, kind, source, last_day, 0, 1, 0, {multi} FROM {spans} "
        "WHERE space_id = %s) AS ends "
        "GROUP BY space_id, activity_id, kind, source, day",
        [space_id, space_id],
    )


def count_people_per_day(
    cursor: CursorWrapper, space_id: int, sources: list[ContributionSource]
) -> None:
    """Count the people of each day, in each activity and in the space, and the newcomers
    (whose span there starts that day)."""
    if not sources:
        return
    parts = [source_sql(source, space_id) for source in sources]
    union = " UNION ALL ".join(sql for sql, _ in parts)
    params: list[object] = [value for _, part_params in parts for value in part_params]
    spans, people = table(Span), table(DailyPeople)
    for activity, scope in (
        ("insight_activity", "activity_id IS NOT NULL AND source = ''"),
        ("", "activity_id IS NULL AND kind = '' AND source = ''"),
    ):
        chosen = f"daily.{activity}" if activity else NULL_ID
        by_day = f"{activity}, insight_day" if activity else "insight_day"
        firsts_by = "activity_id, first_day" if activity else "first_day"
        same_activity = "firsts.activity_id = daily.insight_activity AND " if activity else ""
        execute(
            cursor,
            f"INSERT INTO {people} (space_id, activity_id, day, people, newcomers) "  # noqa: S608 - names from the models, values as parameters
            f"SELECT %s, {chosen}, daily.insight_day, daily.people, "
            "COALESCE(firsts.newcomers, 0) FROM ("
            f"SELECT {by_day}, COUNT(DISTINCT insight_participant) AS people "
            f"FROM ({union}) AS contributions GROUP BY {by_day}) AS daily "
            f"LEFT JOIN (SELECT {firsts_by}, COUNT(*) AS newcomers FROM {spans} "
            f"WHERE space_id = %s AND {scope} GROUP BY {firsts_by}) AS firsts "
            f"ON {same_activity}firsts.first_day = daily.insight_day",
            [space_id, *params, space_id],
        )


def count_answer_delays(space_id: int) -> None:
    """Count how many days each answered contribution waited, per activity and answer day.

    Two kinds of answer: a kind's answer to one contribution (an idea's answer), and an
    activity's public answer to every contribution made before it.
    """
    delays: Counter[tuple[int, str, date, int]] = Counter()
    for source in answer_sources():
        rows = source.of_space(space_id).values_list(
            "insight_activity", "insight_made", "insight_answered"
        )
        for activity_id, made, answered in rows.iterator(chunk_size=5000):
            answered_on = timezone.localdate(answered)
            days = max(0, (answered_on - timezone.localdate(made)).days)
            delays[(activity_id, source.key, answered_on, days)] += 1
    answered = dict(
        Activity.objects.filter(space_id=space_id, answered_at__isnull=False).values_list(
            "pk", "answered_at"
        )
    )
    counts = DailyCount.objects.filter(space_id=space_id, activity_id__in=answered)
    for activity_id, day, contributions in counts.values_list(
        "activity_id", "day", "contributions"
    ).iterator(chunk_size=5000):
        answered_on = timezone.localdate(answered[activity_id])
        if day <= answered_on:
            delays[(activity_id, "", answered_on, (answered_on - day).days)] += contributions
    AnswerDelay.objects.bulk_create(
        (
            AnswerDelay(
                space_id=space_id,
                activity_id=activity_id,
                source=key,
                answered_on=answered_on,
                days=days,
                answers=answers,
            )
            for (activity_id, key, answered_on, days), answers in delays.items()
        ),
        batch_size=2000,
    )


def measures_of(space: Space) -> list[dict[str, object]]:
    """Return every activity's success measures against their targets, as the activity's
    own results show them (the kind counts what it can, the organiser enters the rest)."""
    rows: list[dict[str, object]] = []
    activities = Activity.objects.filter(space=space, brief__isnull=False).select_related("brief")
    for activity in activities.order_by("pk"):
        for outcome in measure_outcomes(activity):
            rows.append(
                {
                    "activity": activity.pk,
                    "measure": outcome.measure.measure,
                    "target": str(outcome.measure.target),
                    "unit": outcome.measure.unit,
                    "actual": outcome.actual,
                    "counted": bool(outcome.counted_by),
                }
            )
    return rows


def do_count_space(space: Space) -> Rollup:
    """Count the space's contributions afresh into its rollups; return its rollup row."""
    started = time.monotonic()
    sources = contribution_sources()
    with transaction.atomic():
        rollup, _ = Rollup.objects.select_for_update().get_or_create(space=space)
        for model in (DailyCount, Span, ScopeTotal, ScopeDay, DailyPeople, AnswerDelay):
            model.objects.filter(space=space)._raw_delete(connection.alias)
        with connection.cursor() as cursor:
            for source in sources:
                count_source(cursor, source, space.pk)
            derive_spans(cursor, space.pk)
            count_scope_totals(cursor, space.pk)
            count_scope_days(cursor, space.pk)
            count_people_per_day(cursor, space.pk, sources)
        count_answer_delays(space.pk)
        rollup.measures = measures_of(space)
        rollup.computed_at = timezone.now()
        rollup.seconds = round(time.monotonic() - started, 3)
        rollup.save(update_fields=["measures", "computed_at", "seconds"])
    return rollup
