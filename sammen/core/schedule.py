"""Jobs that run once a day on their own: the task re-enqueues itself for the next morning.

There is no cron: `sammen schedule_jobs` (also run by `sammen serve`) puts the first run
in the task table, and every run puts in the next one before doing its work, so a failing
job never breaks the chain.
"""

import logging
from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from sammen.core.ratelimit import delete_expired_counters
from sammen.notifications.tasks import send_daily_digests

logger = logging.getLogger(__name__)

DAILY_JOBS_AT = time(6, 0)


def next_daily_run(now: datetime) -> datetime:
    """Return the first 06:00 after `now` on the site's clock (settings.TIME_ZONE)."""
    zone = timezone.get_default_timezone()
    local = timezone.localtime(now, zone)
    day = local.date() if local.time() < DAILY_JOBS_AT else local.date() + timedelta(days=1)
    return datetime.combine(day, DAILY_JOBS_AT, tzinfo=zone)


def pending_daily_run() -> DBTaskResult | None:
    """Return the run of the daily jobs waiting in the task table, if there is one."""
    return (
        DBTaskResult.objects.filter(
            status=TaskResultStatus.READY, task_path=run_daily_jobs.module_path
        )
        .order_by("run_after")
        .first()
    )


def schedule_daily_jobs(now: datetime | None = None) -> datetime | None:
    """Enqueue the next run of the daily jobs unless one waits already; return when it runs.

    Return None when the task backend cannot run a task later (the immediate backend
    runs everything at once): then nothing runs on its own.
    """
    if not run_daily_jobs.get_backend().supports_defer:
        return None
    # On SQLite the transaction takes the write lock first, so two schedulers starting
    # at once queue up and the second finds the first's run. Elsewhere a rare duplicate
    # is harmless (both jobs skip what is done) and dies out: a run finding another one
    # waiting does not enqueue a next one.
    with transaction.atomic():
        pending = pending_daily_run()
        if pending is not None:
            return pending.run_after
        when = next_daily_run(now or timezone.now())
        run_daily_jobs.using(run_after=when).enqueue()
    return when


def sweep_momentum_of_open_calls() -> None:
    """Archive, in every open call, the ideas that missed a momentum window."""
    from sammen.activities.models import Phase
    from sammen.calls.actions import do_sweep_momentum
    from sammen.calls.models import Call

    for call in Call.objects.filter(activity__phase=Phase.OPEN).order_by("pk"):
        try:
            do_sweep_momentum(call)
        except Exception:
            # One call's trouble must not keep the other calls' ideas from their answer.
            logger.exception("Sweeping the momentum of call %s failed", call.pk)


def remind_of_review_dates(now: datetime | None = None) -> None:
    """Remind the organisers of calls whose review ends soon or has passed, once per date."""
    from sammen.activities.models import Phase
    from sammen.calls.actions import do_remind_of_review
    from sammen.calls.models import REVIEW_REMINDER_DAYS, Call

    now = now or timezone.now()
    # Calls reminded of their passed date already have nothing left to send.
    due = (
        Call.objects.filter(
            activity__phase__in=[Phase.OPEN, Phase.CLOSED],
            review_ends_at__lte=now + timedelta(days=REVIEW_REMINDER_DAYS),
        )
        .exclude(review_overdue_reminded_for=F("review_ends_at"))
        .select_related("activity__space")
    )
    for call in due.order_by("pk"):
        try:
            do_remind_of_review(call, now)
        except Exception:
            # One call's trouble must not keep the other calls' organisers uninformed.
            logger.exception("Reminding the organisers of call %s of its review failed", call.pk)


@task()
def run_daily_jobs() -> None:
    """Schedule tomorrow's run, sweep the open calls, remind of review dates, send digests,
    and delete the rate-limit counters of windows that have ended.

    Sweeping first keeps archived ideas out of the reminders' counts, and both come
    before the digests, so this morning's digest holds them.
    """
    schedule_daily_jobs()
    sweep_momentum_of_open_calls()
    remind_of_review_dates()
    send_daily_digests.call()
    delete_expired_counters()
