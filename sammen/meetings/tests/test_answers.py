"""What attendees answer during and at the end of a meeting: the actions, their refusals
and the rows they keep (one per attendee and question)."""

from unittest import mock

from django.db import IntegrityError, transaction
from django.test import TransactionTestCase

from sammen.accounts.actions import do_create_account
from sammen.activities.actions import do_close_activity
from sammen.activities.models import ActivityLink
from sammen.activities.queries import linked_activities
from sammen.core.errors import ActionRefused
from sammen.meetings.actions import (
    ObjectiveInput,
    do_add_live_session,
    do_add_objective,
    do_answer_learning,
    do_cancel_registration,
    do_plan_action,
    do_rate_session,
)
from sammen.meetings.models import (
    FollowUp,
    LearningAnswer,
    Level,
    Moment,
    Objective,
    PlannedAction,
    SessionRating,
)
from sammen.testing import BaseTestCase, in_parallel, make_space
from sammen.testing.meetings import begin_meeting, make_meeting, register


class AnswerWorld(BaseTestCase):
    """A meeting that began two hours ago, Rosa registered, and its first session begun."""

    def setUp(self) -> None:
        self.meeting = begin_meeting(make_meeting(self.museum, self.alice), self.alice)
        self.rosa = register(self.meeting, "Rosa")
        self.session = self.meeting.sessions.get()
        self.learning = Objective.objects.get(meeting=self.meeting, level=Level.LEARNING)


class RateSessionTests(AnswerWorld):
    def test_an_attendee_rates_a_session_once_and_may_change_it(self):
        do_rate_session(self.rosa, self.session, score=4, comment="  Lively  ")
        rating = do_rate_session(self.rosa, self.session, score=2)
        self.assertEqual(SessionRating.objects.count(), 1)
        self.assertEqual((rating.score, rating.comment), (2, ""))

    def test_scores_outside_one_to_five_are_refused(self):
        for score in [0, 6, -1, "4", 4.0, True, None]:
            with self.subTest(score=score), self.assertRaises(ActionRefused):
                do_rate_session(self.rosa, self.session, score=score)  # type: ignore[arg-type]
        self.assertFalse(SessionRating.objects.exists())

    def test_a_comment_over_the_limit_is_refused(self):
        with self.assertRaisesMessage(ActionRefused, "Keep it under 1000 characters."):
            do_rate_session(self.rosa, self.session, score=3, comment="x" * 1001)

    def test_a_session_that_has_not_begun_waits(self):
        later = make_meeting(self.museum, self.alice, "Winter day")
        wim = register(later, "Wim")
        with self.assertRaisesMessage(ActionRefused, "once it has begun"):
            do_rate_session(wim, later.sessions.get(), score=5)

    def test_a_session_of_another_meeting_is_refused(self):
        other = begin_meeting(make_meeting(self.museum, self.alice, "Winter day"), self.alice)
        with self.assertRaisesMessage(ActionRefused, "not part of your meeting"):
            do_rate_session(self.rosa, other.sessions.get(), score=5)

    def test_a_closed_meeting_takes_no_ratings(self):
        do_close_activity(self.alice, self.meeting.activity)
        self.rosa.meeting.activity.refresh_from_db()
        with self.assertRaisesMessage(ActionRefused, "This meeting takes no more answers."):
            do_rate_session(self.rosa, self.session, score=5)

    def test_only_attendees_with_a_place_rate(self):
        do_cancel_registration(self.rosa)
        self.rosa.refresh_from_db()
        with self.assertRaisesMessage(ActionRefused, "Only attendees with a place"):
            do_rate_session(self.rosa, self.session, score=5)

    def test_the_database_keeps_one_rating_per_attendee_and_session(self):
        do_rate_session(self.rosa, self.session, score=4)
        with self.assertRaises(IntegrityError), transaction.atomic():
            SessionRating.objects.create(session=self.session, registration=self.rosa, score=3)
        with self.assertRaises(IntegrityError), transaction.atomic():
            SessionRating.objects.filter(registration=self.rosa).update(score=6)


class PlannedActionTests(AnswerWorld):
    def test_an_attendee_says_what_they_will_do_and_may_change_it(self):
        do_plan_action(self.rosa, text="Ask visitors first", confidence=70)
        planned = do_plan_action(self.rosa, text=" Ask partners first ", confidence=90)
        self.assertEqual(PlannedAction.objects.count(), 1)
        self.assertEqual((planned.text, planned.confidence), ("Ask partners first", 90))

    def test_confidence_is_a_step_of_ten_from_0_to_100(self):
        for confidence in [101, -1, 55, "50", 50.5, None, False]:
            with self.subTest(confidence=confidence), self.assertRaises(ActionRefused):
                do_plan_action(self.rosa, text="Ask", confidence=confidence)  # type: ignore[arg-type]
        for confidence in [0, 100]:
            do_plan_action(self.rosa, text="Ask", confidence=confidence)

    def test_an_empty_or_long_plan_is_refused(self):
        for text in ["", "   ", "x" * 1001]:
            with self.subTest(length=len(text)), self.assertRaises(ActionRefused):
                do_plan_action(self.rosa, text=text, confidence=50)
        self.assertFalse(PlannedAction.objects.exists())

    def test_a_plan_waits_for_the_meeting_to_begin(self):
        later = make_meeting(self.museum, self.alice, "Winter day")
        with self.assertRaisesMessage(ActionRefused, "once the meeting has begun"):
            do_plan_action(register(later, "Wim"), text="Ask", confidence=50)

    def test_the_plan_stays_once_the_first_follow_up_went_out(self):
        do_plan_action(self.rosa, text="Ask visitors first", confidence=70)
        follow_up = FollowUp.objects.create(registration=self.rosa, days=30)
        do_plan_action(self.rosa, text="Ask partners", confidence=80)  # not sent yet
        FollowUp.objects.filter(pk=follow_up.pk).update(sent_at=self.meeting.ends_at)
        with self.assertRaisesMessage(ActionRefused, "stays as it was"):
            do_plan_action(self.rosa, text="Something else", confidence=10)
        self.assertEqual(PlannedAction.objects.get().text, "Ask partners")


class LearningTests(BaseTestCase):
    def setUp(self) -> None:
        self.meeting = make_meeting(self.museum, self.alice)
        self.rosa = register(self.meeting, "Rosa")
        self.learning = Objective.objects.get(meeting=self.meeting, level=Level.LEARNING)

    def test_before_the_meeting_then_after_it_one_answer_each(self):
        do_answer_learning(self.rosa, self.learning, Moment.BEFORE, 2)
        do_answer_learning(self.rosa, self.learning, Moment.BEFORE, 1)
        with self.assertRaisesMessage(ActionRefused, "open once the meeting has begun"):
            do_answer_learning(self.rosa, self.learning, Moment.AFTER, 4)
        begin_meeting(self.meeting, self.alice)
        self.rosa.meeting.refresh_from_db()
        with self.assertRaisesMessage(ActionRefused, "the questions before it are closed"):
            do_answer_learning(self.rosa, self.learning, Moment.BEFORE, 3)
        do_answer_learning(self.rosa, self.learning, Moment.AFTER, 4)
        answers = dict(LearningAnswer.objects.values_list("moment", "value"))
        self.assertEqual(answers, {"before": 1, "after": 4})

    def test_odd_values_moments_and_objectives_are_refused(self):
        reaction = do_add_objective(
            self.alice, self.meeting, ObjectiveInput(level=Level.REACTION, text="They enjoy it")
        )
        other = make_meeting(self.museum, self.alice, "Winter day")
        elsewhere = Objective.objects.get(meeting=other, level=Level.LEARNING)
        cases = [
            (self.learning, Moment.BEFORE, 0),
            (self.learning, Moment.BEFORE, 6),
            (self.learning, Moment.BEFORE, "3"),
            (self.learning, "during", 3),
            (reaction, Moment.BEFORE, 3),
            (elsewhere, Moment.BEFORE, 3),
        ]
        for objective, moment, value in cases:
            with self.subTest(moment=moment, value=value), self.assertRaises(ActionRefused):
                do_answer_learning(self.rosa, objective, moment, value)  # type: ignore[arg-type]
        self.assertFalse(LearningAnswer.objects.exists())

    def test_the_database_keeps_one_answer_per_objective_and_moment(self):
        do_answer_learning(self.rosa, self.learning, Moment.BEFORE, 2)
        with self.assertRaises(IntegrityError), transaction.atomic():
            LearningAnswer.objects.create(
                objective=self.learning, registration=self.rosa, moment="before", value=3
            )


class LiveSessionTests(AnswerWorld):
    def test_a_session_holds_one_live_session_linked_both_ways(self):
        live = do_add_live_session(self.alice, self.session)
        self.assertEqual((live.kind, live.phase, live.title), ("live", "draft", self.session.title))
        link = ActivityLink.objects.get()
        self.assertEqual((link.source, link.target), (self.meeting.activity, live))
        self.assertEqual(link.anchor, f"session:{self.session.pk}")
        self.assertEqual(linked_activities(live).opened_from[0].activity, self.meeting.activity)
        with self.assertRaisesMessage(ActionRefused, "holds a live session already"):
            do_add_live_session(self.alice, self.session)
        self.assertEqual(ActivityLink.objects.count(), 1)

    def test_without_live_sessions_on_the_site_none_is_made(self):
        with (
            mock.patch("sammen.meetings.actions.answers.get_kind", return_value=None),
            self.assertRaisesMessage(ActionRefused, "not available on this site"),
        ):
            do_add_live_session(self.alice, self.session)
        self.assertFalse(ActivityLink.objects.exists())


class ParallelAnswerTests(TransactionTestCase):
    def setUp(self) -> None:
        owner = do_create_account("olga@example.org", "x" * 12, "Olga")
        self.meeting = begin_meeting(make_meeting(make_space(owner, "Busy Hall"), owner), owner)
        self.rosa = register(self.meeting, "Rosa")
        self.session = self.meeting.sessions.get()

    def test_two_ratings_at_once_by_one_attendee_leave_one_row(self):
        in_parallel(4, lambda n: do_rate_session(self.rosa, self.session, score=n + 1))
        self.assertEqual(SessionRating.objects.count(), 1)
        self.assertIn(SessionRating.objects.get().score, {1, 2, 3, 4})

    def test_two_plans_at_once_leave_one(self):
        in_parallel(3, lambda n: do_plan_action(self.rosa, text=f"Plan {n}", confidence=50))
        self.assertEqual(PlannedAction.objects.count(), 1)
