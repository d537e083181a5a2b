"""Jobs that run once a day on their own: the task re-enqueues itself for the next morning.

There is no cron: `sammen schedule_jobs` (also run by `sammen serve`) puts the first run
in the task table, and every run puts in the next one before doing its work, so a failing
job never breaks the chain.
"""

import logging
from collections.abc import Callable
from datetime import datetime, time, timedelta

from django.db import transaction
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


# The jobs the apps bring, by name, in the order they registered (the order of
# INSTALLED_APPS, since apps register in AppConfig.ready()).
_daily_jobs: dict[str, Callable[[], object]] = {}


def register_daily_job(name: str, job: Callable[[], object]) -> None:
    """Have `job` run every morning with the daily jobs, before the digests go out.

    An app registers its jobs in its AppConfig.ready(); registering a name again replaces
    the job of that name in its place.
    """
    _daily_jobs[name] = job


def daily_jobs() -> list[tuple[str, Callable[[], object]]]:
    """Return the registered jobs in the order they run."""
    return list(_daily_jobs.items())


def run_job(name: str, job: Callable[[], object]) -> None:
    """Run one job; a failing job is logged and does not stop the ones after it."""
    try:
        job()
    except Exception:
        logger.exception("The daily job %r failed", name)


@task()
def run_daily_jobs() -> None:
    """Schedule tomorrow's run, run the jobs the apps registered, send the digests, and
    delete the rate-limit counters of windows that have ended.

    The registered jobs come before the digests, so this morning's digest holds what they
    did (the ideas an open call archived, the reminders of its review dates).
    """
    schedule_daily_jobs()
    for name, job in daily_jobs():
        run_job(name, job)
    run_job("daily digests", send_daily_digests.call)
    run_job("expired rate-limit counters", delete_expired_counters)
