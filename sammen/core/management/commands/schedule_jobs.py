"""Put the first run of the daily jobs in the task table, unless one is there already."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from sammen.core.schedule import schedule_daily_jobs


class Command(BaseCommand):
    help = (
        "Schedule the daily jobs (email digests, momentum sweeps) at 06:00. "
        "Safe to run any number of times: it never schedules a second run."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        when = schedule_daily_jobs()
        if when is None:
            self.stderr.write(
                self.style.WARNING(
                    "The task backend cannot run tasks later, so the daily jobs are not "
                    "scheduled. Use the database backend (the default TASKS_BACKEND)."
                )
            )
            return
        if options["verbosity"] > 0:
            local = timezone.localtime(when)
            self.stdout.write(f"The daily jobs run next at {local:%Y-%m-%d %H:%M %Z}.")
