from datetime import UTC, datetime
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from sammen.accounts.actions import do_update_profile
from sammen.core.schedule import next_daily_run
from sammen.notifications.actions import do_notify
from sammen.testing import BaseTestCase

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
TASK_PATH = "sammen.core.schedule.run_daily_jobs"


def pending_runs() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=TASK_PATH, status=TaskResultStatus.READY))


@override_settings(TIME_ZONE="Europe/Amsterdam")
class NextDailyRunTests(BaseTestCase):
    def test_before_six_it_runs_the_same_morning(self):
        now = datetime(2026, 6, 10, 3, 59, tzinfo=UTC)  # 05:59 in Amsterdam
        self.assertEqual(next_daily_run(now), datetime(2026, 6, 10, 4, 0, tzinfo=UTC))

    def test_at_six_or_later_it_runs_the_next_morning(self):
        for now in [
            datetime(2026, 6, 10, 4, 0, tzinfo=UTC),
            datetime(2026, 6, 10, 21, 59, tzinfo=UTC),
        ]:
            with self.subTest(now=now):
                self.assertEqual(next_daily_run(now), datetime(2026, 6, 11, 4, 0, tzinfo=UTC))

    def test_it_counts_the_day_on_the_sites_clock_not_in_utc(self):
        late_in_utc = datetime(2026, 6, 10, 23, 30, tzinfo=UTC)  # already 11 June in Amsterdam
        self.assertEqual(next_daily_run(late_in_utc), datetime(2026, 6, 11, 4, 0, tzinfo=UTC))

    def test_it_stays_at_six_when_the_clocks_change(self):
        before_summer_time = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)
        self.assertEqual(
            next_daily_run(before_summer_time), datetime(2026, 3, 29, 4, 0, tzinfo=UTC)
        )
        before_winter_time = datetime(2026, 10, 24, 12, 0, tzinfo=UTC)
        self.assertEqual(
            next_daily_run(before_winter_time), datetime(2026, 10, 25, 5, 0, tzinfo=UTC)
        )


class ScheduleJobsCommandTests(BaseTestCase):
    def schedule(self) -> str:
        out = StringIO()
        call_command("schedule_jobs", stdout=out, stderr=out)
        return out.getvalue()

    def test_it_enqueues_the_first_run_once_however_often_it_runs(self):
        with self.settings(TASKS=DATABASE_TASKS):
            first = self.schedule()
            second = self.schedule()
        [pending] = pending_runs()
        self.assertEqual(first, second)
        self.assertIn(f"{timezone.localtime(pending.run_after):%Y-%m-%d} 06:00", first)

    def test_a_finished_run_does_not_count_as_pending(self):
        with self.settings(TASKS=DATABASE_TASKS):
            self.schedule()
            DBTaskResult.objects.filter(task_path=TASK_PATH).update(
                status=TaskResultStatus.SUCCESSFUL
            )
            self.schedule()
        self.assertEqual(len(pending_runs()), 1)

    def test_with_a_backend_that_cannot_wait_it_schedules_and_runs_nothing(self):
        do_update_profile(
            self.bob, display_name="Bob", preferred_language="", email_notifications="daily"
        )
        do_notify([self.bob], "idea_submitted", {"call": "Harbour stories", "idea": "An idea"}, "/")
        output = self.schedule()
        self.assertIn("cannot run tasks later", output)
        self.assertEqual(pending_runs(), [])
        self.assertEqual(mail.outbox, [])
