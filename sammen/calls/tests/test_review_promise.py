"""The review date is the organisers' promise of answers: who sees it, what counts as waiting."""

from datetime import datetime, timedelta

from django.utils import timezone

from sammen.activities.actions import do_answer_activity, do_close_activity
from sammen.calls.actions import (
    do_answer_idea,
    do_hide_idea,
    do_support_idea,
    do_sweep_momentum,
    do_update_call_schedule,
    do_withdraw_idea,
)
from sammen.calls.models import Call, Idea, IdeaStatus
from sammen.calls.queries import (
    count_ideas_awaiting_answer,
    ideas_awaiting_answer,
    review_promise,
)
from sammen.core.dates import time_element
from sammen.core.errors import ActionRefused
from sammen.testing import BaseTestCase, participant_of
from sammen.testing.calls import make_call, make_idea

from .test_views import call_url


def schedule(
    call: Call,
    by,
    *,
    now: datetime,
    review_in_days: float | None,
    momentum: list[tuple[int, int]] | None = None,
) -> None:
    """Put the call in review at `now`, its review ending `review_in_days` from `now`."""
    do_update_call_schedule(
        by,
        call,
        submission_ends_at=now - timedelta(days=20),
        support_ends_at=now - timedelta(days=10),
        review_ends_at=None if review_in_days is None else now + timedelta(days=review_in_days),
        stage_override="",
        submissions_paused=False,
        momentum=momentum or [],
        review_dates=[],
    )
    call.refresh_from_db()


def shown_date(call: Call) -> str:
    """Return the review date as pages show it: the date, in a <time> element."""
    assert call.review_ends_at is not None
    return time_element(call.review_ends_at, "date")


class IdeasAwaitingAnswerTests(BaseTestCase):
    def setUp(self) -> None:
        self.call = make_call(self.museum, self.alice)
        self.waiting = make_idea(self.call, self.bob, "A lighthouse museum")

    def test_it_counts_published_ideas_and_ideas_under_review(self):
        reviewed = make_idea(self.call, self.bob, "Harbour choir")
        do_answer_idea(self.alice, reviewed, status=IdeaStatus.UNDER_REVIEW, text="We look at it.")
        self.assertEqual(
            set(ideas_awaiting_answer(self.call)), {self.waiting, Idea.objects.get(pk=reviewed.pk)}
        )
        self.assertEqual(count_ideas_awaiting_answer(self.call), 2)

    def test_ideas_with_a_final_answer_do_not_wait(self):
        for status in [
            IdeaStatus.SELECTED,
            IdeaStatus.IN_PROGRESS,
            IdeaStatus.DONE,
            IdeaStatus.NOT_SELECTED,
        ]:
            with self.subTest(status=status):
                idea = make_idea(self.call, self.maja, f"An idea {status}")
                do_answer_idea(self.alice, idea, status=status, text="Thank you.")
                self.assertNotIn(idea.pk, ideas_awaiting_answer(self.call).values_list("pk"))
        self.assertEqual(count_ideas_awaiting_answer(self.call), 1)

    def test_hidden_withdrawn_and_archived_ideas_do_not_count(self):
        hidden = make_idea(self.call, self.bob, "Hidden one")
        do_hide_idea(self.maja, hidden, "Off topic")
        withdrawn = make_idea(self.call, self.bob, "Withdrawn one")
        do_support_idea(participant_of(self.maja), withdrawn)  # so it stays, as withdrawn
        self.assertTrue(do_withdraw_idea(participant_of(self.bob), withdrawn))
        archived = make_idea(self.call, self.maja, "Archived one")
        schedule(self.call, self.alice, now=timezone.now(), review_in_days=5, momentum=[(5, 10)])
        Idea.objects.filter(pk=archived.pk).update(created_at=timezone.now() - timedelta(days=11))
        Idea.objects.filter(pk=self.waiting.pk).update(created_at=timezone.now())
        do_sweep_momentum(self.call)
        self.assertEqual(list(ideas_awaiting_answer(self.call)), [self.waiting])
        self.assertEqual(count_ideas_awaiting_answer(self.call), 1)

    def test_the_count_follows_an_answer_at_once(self):
        self.assertEqual(count_ideas_awaiting_answer(self.call), 1)
        do_answer_idea(self.alice, self.waiting, status=IdeaStatus.DONE, text="Built it.")
        self.assertEqual(count_ideas_awaiting_answer(self.call), 0)


class ReviewPromiseTests(BaseTestCase):
    def setUp(self) -> None:
        self.call = make_call(self.museum, self.alice)
        self.idea = make_idea(self.call, self.bob)
        self.now = timezone.now()

    def test_there_is_no_promise_without_a_review_date(self):
        schedule(self.call, self.alice, now=self.now, review_in_days=None)
        self.assertIsNone(review_promise(self.call, self.now))

    def test_there_is_no_promise_before_the_review_stage(self):
        schedule(self.call, self.alice, now=self.now, review_in_days=5)
        self.assertIsNone(review_promise(self.call, self.now - timedelta(days=15)))

    def test_during_review_answers_are_promised_by_the_review_date(self):
        schedule(self.call, self.alice, now=self.now, review_in_days=5)
        promise = review_promise(self.call, self.now)
        assert promise is not None
        self.assertEqual(promise.promised_by, self.now + timedelta(days=5))
        self.assertFalse(promise.overdue)
        self.assertEqual(promise.waiting, 0)  # not counted before it is due

    def test_once_the_date_passed_it_counts_the_ideas_still_waiting(self):
        make_idea(self.call, self.maja, "Harbour choir")
        schedule(self.call, self.alice, now=self.now, review_in_days=-1)
        promise = review_promise(self.call, self.now)
        assert promise is not None
        self.assertTrue(promise.overdue)
        self.assertEqual(promise.waiting, 2)

    def test_a_closed_call_still_owes_its_answers_and_an_answered_one_does_not(self):
        schedule(self.call, self.alice, now=self.now, review_in_days=-1)
        do_close_activity(self.alice, self.call.activity)
        self.call.activity.refresh_from_db()
        self.assertIsNotNone(review_promise(self.call, self.now))
        do_answer_activity(self.alice, self.call.activity, "Thank you all.")
        self.call.activity.refresh_from_db()
        self.assertIsNone(review_promise(self.call, self.now))


class ScheduleValidationTests(BaseTestCase):
    def setUp(self) -> None:
        self.call = make_call(self.museum, self.alice)

    def update(
        self, submission: datetime | None, support: datetime | None, review: datetime | None
    ):
        do_update_call_schedule(
            self.alice,
            self.call,
            submission_ends_at=submission,
            support_ends_at=support,
            review_ends_at=review,
            stage_override="",
            submissions_paused=False,
            momentum=[],
            review_dates=[],
        )

    def test_the_review_must_end_after_support_and_submissions(self):
        now = timezone.now()
        day = timedelta(days=1)
        for submission, support, review in [
            (now, now + 2 * day, now + day),  # review before support
            (now, now + day, now + day),  # review when support ends
            (now + 2 * day, None, now + day),  # review before submissions, no support date
            (None, now + 2 * day, now + day),  # review before support, no submission date
        ]:
            with self.subTest(review=review), self.assertRaises(ActionRefused):
                self.update(submission, support, review)
        self.call.refresh_from_db()
        self.assertIsNone(self.call.review_ends_at)

    def test_a_review_date_after_the_others_is_saved(self):
        now = timezone.now()
        self.update(now, now + timedelta(days=1), now + timedelta(days=2))
        self.call.refresh_from_db()
        self.assertEqual(self.call.review_ends_at, now + timedelta(days=2))

    def test_the_schedule_page_explains_a_review_date_before_support_and_saves_nothing(self):
        self.login(self.alice)
        data = {
            "submission_ends_at": "2027-03-01T12:00",
            "support_ends_at": "2027-04-01T12:00",
            "review_ends_at": "2027-03-15T12:00",
            "stage_override": "",
            "momentum-TOTAL_FORMS": "0",
            "momentum-INITIAL_FORMS": "0",
            "reviews-TOTAL_FORMS": "0",
            "reviews-INITIAL_FORMS": "0",
        }
        response = self.client.post(call_url(self.call, "schedule"), data)
        self.assertContains(
            response, "The stages must end in order: submissions, then support, then review."
        )
        for bad in ["tomorrow", "2027-02-30T12:00", "x" * 500]:
            with self.subTest(review=bad):
                response = self.client.post(
                    call_url(self.call, "schedule"), {**data, "review_ends_at": bad}
                )
                self.assertEqual(response.status_code, 200)
                self.assertTrue(response.context["form"].errors)
        self.call.refresh_from_db()
        self.assertIsNone(self.call.review_ends_at)


class PromisePageTests(BaseTestCase):
    """What each persona sees of the promise on the call page, the list and an idea."""

    personas = ["alice", "maja", "bob", "charlie", None]

    def setUp(self) -> None:
        self.call = make_call(self.museum, self.alice)
        self.waiting = make_idea(self.call, self.bob, "A lighthouse museum")
        self.reviewed = make_idea(self.call, self.maja, "Harbour choir")
        do_answer_idea(
            self.alice, self.reviewed, status=IdeaStatus.UNDER_REVIEW, text="We look at it."
        )
        self.answered = make_idea(self.call, self.bob, "Boat tours")
        do_answer_idea(self.alice, self.answered, status=IdeaStatus.SELECTED, text="Yes!")
        self.now = timezone.now()

    def pages(self) -> list[str]:
        return [self.call.activity.get_absolute_url(), call_url(self.call, "ideas")]

    def login_as(self, name: str | None) -> None:
        self.login(getattr(self, name) if name else None)

    def test_during_review_everyone_sees_when_answers_are_promised(self):
        schedule(self.call, self.alice, now=self.now, review_in_days=5)
        promised = shown_date(self.call)
        for name in self.personas:
            self.login_as(name)
            for url in self.pages():
                response = self.client.get(url)
                self.assertContains(response, f"Answers promised by {promised}")
                self.assertNotContains(response, "still waiting for an answer")
            response = self.client.get(self.waiting.get_absolute_url())
            self.assertContains(response, f"An answer is promised by {promised}.")
            response = self.client.get(self.answered.get_absolute_url())
            self.assertNotContains(response, "An answer is promised by")

    def test_once_the_date_passed_everyone_sees_how_many_ideas_still_wait(self):
        schedule(self.call, self.alice, now=self.now, review_in_days=-1)
        promised = shown_date(self.call)
        for name in self.personas:
            self.login_as(name)
            for url in self.pages():
                response = self.client.get(url)
                self.assertContains(
                    response,
                    "2 ideas are still waiting for an answer; the answers were promised by "
                    f"{promised}.",
                )
                self.assertNotContains(response, "Answers promised by")
                if name in {"alice", "maja"}:
                    self.assertContains(response, "Answer the waiting ideas")
                else:
                    self.assertNotContains(response, "Answer the waiting ideas")
            for idea in [self.waiting, self.reviewed]:
                self.assertContains(
                    self.client.get(idea.get_absolute_url()),
                    "This idea is still waiting for an answer; the answer was promised by "
                    f"{promised}.",
                )
            self.assertNotContains(
                self.client.get(self.answered.get_absolute_url()), "still waiting for an answer"
            )

    def test_one_waiting_idea_is_counted_in_the_singular(self):
        do_answer_idea(self.alice, self.reviewed, status=IdeaStatus.DONE, text="Done.")
        schedule(self.call, self.alice, now=self.now, review_in_days=-1)
        response = self.client.get(self.call.activity.get_absolute_url())
        self.assertContains(response, "1 idea is still waiting for an answer; the answer was")

    def test_nothing_is_overdue_once_every_idea_has_its_answer(self):
        for idea in [self.waiting, self.reviewed]:
            do_answer_idea(self.alice, idea, status=IdeaStatus.NOT_SELECTED, text="Not now.")
        schedule(self.call, self.alice, now=self.now, review_in_days=-1)
        for name in self.personas:
            self.login_as(name)
            for url in self.pages():
                response = self.client.get(url)
                self.assertNotContains(response, "still waiting")
                self.assertNotContains(response, "Answers promised by")

    def test_before_the_review_stage_no_promise_is_shown(self):
        do_update_call_schedule(
            self.alice,
            self.call,
            submission_ends_at=self.now + timedelta(days=1),
            support_ends_at=self.now + timedelta(days=2),
            review_ends_at=self.now + timedelta(days=3),
            stage_override="",
            submissions_paused=False,
            momentum=[],
            review_dates=[],
        )
        for url in [*self.pages(), self.waiting.get_absolute_url()]:
            response = self.client.get(url)
            self.assertNotContains(response, "promised by")

    def test_a_closed_call_keeps_showing_the_overdue_answers_until_it_is_answered(self):
        schedule(self.call, self.alice, now=self.now, review_in_days=-1)
        do_close_activity(self.alice, self.call.activity)
        url = self.call.activity.get_absolute_url()
        self.assertContains(self.client.get(url), "2 ideas are still waiting for an answer")
        do_answer_activity(self.alice, self.call.activity, "Thank you all.")
        self.assertNotContains(self.client.get(url), "still waiting for an answer")
