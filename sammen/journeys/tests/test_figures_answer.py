"""Closing the loop: the journey's answer, drafted from the decisions, tells the raters."""

from sammen.activities.actions import do_answer_activity, do_close_activity
from sammen.journeys.actions import do_decide
from sammen.journeys.notices_figures import JOURNEY_ANSWERED
from sammen.journeys.reasons import answer_draft
from sammen.notifications.kinds import render_notification
from sammen.notifications.models import Notification
from sammen.testing import BaseTestCase, participant_of
from sammen.testing.journeys import make_journey, rate_all, touchpoints_of


class AnsweredTests(BaseTestCase):
    def setUp(self) -> None:
        self.journey = make_journey(self.museum, self.alice)
        rate_all(self.journey, [5, 4, 3, 4, 5], participant_of(self.bob))
        rate_all(self.journey, [None, 2], participant_of(self.charlie))
        rate_all(self.journey, [6, 6, 6, 6, 6])  # anonymous: nowhere to tell them
        do_close_activity(self.alice, self.journey.activity)

    def answer(self, text: str) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            do_answer_activity(self.alice, self.journey.activity, text)

    def test_everyone_with_an_account_who_rated_is_told_once(self):
        self.answer("A person stays at the desk.")
        notices = Notification.objects.filter(kind=JOURNEY_ANSWERED)
        self.assertEqual({notice.user for notice in notices}, {self.bob, self.charlie})
        notice = notices.first()
        assert notice is not None
        self.assertEqual(notice.url, self.journey.activity.get_absolute_url())
        self.assertEqual(
            render_notification(notice.kind, notice.params),
            "“A museum visit” has its answer: see what was decided with your ratings.",
        )
        self.answer("A person stays at the desk, and a second one on Sundays.")
        self.assertEqual(Notification.objects.filter(kind=JOURNEY_ANSWERED).count(), 2)

    def test_nobody_is_told_before_the_answer_is_committed(self):
        with self.captureOnCommitCallbacks(execute=False):
            do_answer_activity(self.alice, self.journey.activity, "Soon.")
        self.assertFalse(Notification.objects.filter(kind=JOURNEY_ANSWERED).exists())


class DraftTests(BaseTestCase):
    def test_the_draft_names_each_moment_and_what_was_decided(self):
        draft = answer_draft(
            [
                ("The desk", ["Low point"], "keep_person", "Two people on Sundays", ["A smile"]),
                ("The shop", ["End"], "", "", []),
                ("The café", ["Peak", "End"], "", "Longer hours!", []),
            ]
        )
        self.assertEqual(
            draft.splitlines(),
            [
                "What you told us, moment by moment, and what we decided:",
                "",
                "- The desk (Low point): Keep a person. Two people on Sundays. We plan: A smile.",
                "- The shop (End): not decided yet.",
                "- The café (Peak, End): Longer hours!",
            ],
        )

    def test_a_decision_flows_into_the_figures_draft(self):
        journey = make_journey(self.museum, self.alice)
        desk = touchpoints_of(journey)[2]
        do_decide(self.alice, desk, "automate", "A kiosk")
        desk.refresh_from_db()
        self.assertEqual((desk.service_choice, desk.decision), ("automate", "A kiosk"))
