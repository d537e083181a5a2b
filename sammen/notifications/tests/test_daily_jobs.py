from datetime import UTC, datetime, timedelta
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from sammen.accounts.actions import do_update_profile
from sammen.activities.actions import do_close_activity
from sammen.calls.actions import do_update_call_schedule
from sammen.calls.models import Call, Idea, IdeaStatus
from sammen.core.schedule import next_daily_run, run_daily_jobs
from sammen.notifications.actions import do_notify
from sammen.notifications.models import Notification
from sammen.testing import BaseTestCase, make_call, make_idea

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


class DailyJobTests(BaseTestCase):
    def setUp(self) -> None:
        self.call = make_call(self.museum, self.alice)
        self.give_momentum(self.call)
        self.idea = make_idea(self.call, self.bob)

    def give_momentum(self, call: Call) -> None:
        do_update_call_schedule(
            self.alice,
            call,
            submission_ends_at=None,
            support_ends_at=None,
            review_ends_at=None,
            stage_override="",
            submissions_paused=False,
            momentum=[(1, 10), (2, 30)],
            review_dates=[],
        )

    def age(self, idea: Idea, days: int) -> None:
        Idea.objects.filter(pk=idea.pk).update(created_at=timezone.now() - timedelta(days=days))

    def test_it_enqueues_itself_for_the_next_morning_at_six(self):
        with self.settings(TASKS=DATABASE_TASKS):
            before = timezone.now()
            run_daily_jobs.call()
        [pending] = pending_runs()
        local = timezone.localtime(pending.run_after)
        self.assertEqual((local.hour, local.minute, local.second), (6, 0, 0))
        self.assertGreater(pending.run_after, before)
        self.assertLessEqual(pending.run_after - before, timedelta(days=1))

    def test_a_run_that_finds_the_next_one_waiting_adds_no_other(self):
        with self.settings(TASKS=DATABASE_TASKS):
            run_daily_jobs.call()
            run_daily_jobs.call()
        self.assertEqual(len(pending_runs()), 1)

    def test_it_archives_the_ideas_that_missed_their_momentum_window(self):
        self.age(self.idea, 11)
        fresh = make_idea(self.call, self.maja, "Harbour choir")
        with self.captureOnCommitCallbacks(execute=True):
            run_daily_jobs.enqueue()
        self.idea.refresh_from_db()
        fresh.refresh_from_db()
        self.assertEqual(self.idea.status, IdeaStatus.ARCHIVED)
        self.assertEqual(fresh.status, IdeaStatus.PUBLISHED)
        self.assertTrue(Notification.objects.filter(user=self.bob, kind="idea_archived").exists())

    def test_it_sweeps_every_open_call_and_leaves_closed_ones_alone(self):
        second = make_call(self.museum, self.alice, "Harbour songs")
        self.give_momentum(second)
        in_second = make_idea(second, self.maja, "A sea shanty")
        closed = make_call(self.museum, self.alice, "Harbour photos")
        self.give_momentum(closed)
        in_closed = make_idea(closed, self.maja, "Old photographs")
        do_close_activity(self.alice, closed.activity)
        for idea in [self.idea, in_second, in_closed]:
            self.age(idea, 11)
        run_daily_jobs.enqueue()
        statuses = dict(
            Idea.objects.filter(pk__in=[self.idea.pk, in_second.pk, in_closed.pk]).values_list(
                "pk", "status"
            )
        )
        self.assertEqual(
            statuses,
            {
                self.idea.pk: IdeaStatus.ARCHIVED,
                in_second.pk: IdeaStatus.ARCHIVED,
                in_closed.pk: IdeaStatus.PUBLISHED,
            },
        )

    def test_it_sends_the_daily_digests(self):
        do_update_profile(
            self.maja, display_name="Maja", preferred_language="", email_notifications="daily"
        )
        with self.captureOnCommitCallbacks(execute=True):
            do_notify(
                [self.maja],
                "idea_submitted",
                {"call": "Harbour stories", "idea": "A lighthouse museum"},
                self.idea.get_absolute_url(),
            )
        self.assertEqual(mail.outbox, [])
        run_daily_jobs.enqueue()
        [digest] = mail.outbox
        self.assertEqual(digest.to, [self.maja.email])
        self.assertIn("A lighthouse museum", digest.body)


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
