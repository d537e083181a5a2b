"""The daily jobs sweep the open calls' momentum and send the digests."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from sammen.accounts.actions import do_update_profile
from sammen.activities.actions import do_close_activity
from sammen.calls.actions import do_update_call_schedule
from sammen.calls.models import Call, Idea, IdeaStatus
from sammen.core.schedule import run_daily_jobs
from sammen.notifications.actions import do_notify
from sammen.notifications.models import Notification
from sammen.notifications.tests.test_daily_jobs import DATABASE_TASKS, pending_runs
from sammen.testing import BaseTestCase
from sammen.testing.calls import make_call, make_idea


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
