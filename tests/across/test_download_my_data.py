"""What people did in the kinds' activities is in "Download my data" too."""

import json
from datetime import timedelta

from django.urls import reverse

from sammen.meetings.actions import (
    Estimate,
    FollowUpInput,
    ObjectiveInput,
    do_add_objective,
    do_answer_follow_up,
    do_answer_learning,
    do_check_in,
    do_plan_action,
    do_rate_session,
    do_send_follow_ups,
    do_start_follow_ups,
)
from sammen.meetings.models import FollowUp, Level, Moment
from sammen.meetings.tests.return_world import on
from sammen.moderation.actions import do_report
from sammen.notifications.actions import do_follow
from sammen.testing import BaseTestCase, participant_of
from sammen.testing.calls import make_call, make_idea
from sammen.testing.meetings import begin_meeting, make_meeting, register


class DownloadMyDataTests(BaseTestCase):
    def test_it_includes_follows_notifications_and_reports(self):
        call = make_call(self.museum, self.alice)
        do_follow(self.maja, activity=call.activity)
        with self.captureOnCommitCallbacks(execute=True):
            make_idea(call, self.alice, "A second idea")  # maja follows the call: she hears of it
        do_report(self.maja, self.museum, make_idea(call, self.bob, "Spam, spam"), "spam")
        self.login(self.maja)
        data = json.loads(self.client.get(reverse("accounts:download_data")).content)
        self.assertIn(call.activity.title, [item["activity"] for item in data["following"]])
        self.assertTrue(data["notifications"])
        self.assertEqual([report["reason"] for report in data["reports_made"]], ["spam"])

    def test_it_includes_a_meeting_attendees_registration_and_every_answer(self):
        meeting = make_meeting(self.museum, self.alice)
        learning = meeting.objectives.get()
        impact = do_add_objective(
            self.alice, meeting, ObjectiveInput(Level.IMPACT, "More bookings", "Bookings")
        )
        bob = register(meeting, "Bob B.", participant_of(self.bob))
        other = register(meeting, "Rosa")
        do_answer_learning(bob, learning, Moment.BEFORE, 2)
        begin_meeting(meeting, self.alice)
        session = meeting.sessions.get()
        for registration in (bob, other):
            do_check_in(self.alice, registration)
        do_rate_session(bob, session, score=4, comment="Hands on.")
        do_rate_session(other, session, score=2, comment="Rosa's own words.")
        do_answer_learning(bob, learning, Moment.AFTER, 4)
        do_plan_action(bob, text="Plan the spring show with partners.", confidence=80)
        assert meeting.ends_at is not None
        with on(meeting.ends_at + timedelta(days=30)):
            do_start_follow_ups(meeting, 30)
            do_send_follow_ups(meeting, 30, meeting.ends_at + timedelta(days=30))
            do_answer_follow_up(
                FollowUp.objects.get(registration=bob, days=30),
                FollowUpInput(
                    "partly",
                    "sometimes",
                    helped="My manager gave me time.",
                    estimates={impact.pk: Estimate(40, 70)},
                ),
            )
        self.login(self.bob)
        response = self.client.get(reverse("accounts:download_data"))
        [registration] = json.loads(response.content)["meeting_registrations"]
        self.assertEqual(
            (registration["meeting"], registration["name"], registration["state"]),
            ("Partner day", "Bob B.", "confirmed"),
        )
        self.assertIsNotNone(registration["checked_in_at"])
        self.assertEqual(
            [
                (rating["session"], rating["score"], rating["comment"])
                for rating in registration["session_ratings"]
            ],
            [("Co-creating an exhibition", 4, "Hands on.")],
        )
        self.assertEqual(
            sorted(
                (answer["moment"], answer["value"]) for answer in registration["learning_answers"]
            ),
            [("after", 4), ("before", 2)],
        )
        planned = registration["planned_action"]
        self.assertEqual(
            (planned["text"], planned["confidence"]), ("Plan the spring show with partners.", 80)
        )
        [follow_up] = registration["follow_ups"]
        self.assertEqual(
            (follow_up["days"], follow_up["applied"], follow_up["frequency"], follow_up["helped"]),
            (30, "partly", "sometimes", "My manager gave me time."),
        )
        self.assertIsNotNone(follow_up["answered_at"])
        self.assertEqual(
            registration["impact_estimates"],
            [{"objective": "More bookings", "contribution": 40, "confidence": 70}],
        )
        self.assertNotIn("Rosa", response.content.decode())

    def test_a_meeting_registration_without_answers_has_empty_lists(self):
        register(make_meeting(self.museum, self.alice), "Bob", participant_of(self.bob))
        self.login(self.bob)
        data = json.loads(self.client.get(reverse("accounts:download_data")).content)
        [registration] = data["meeting_registrations"]
        self.assertEqual(registration["session_ratings"], [])
        self.assertIsNone(registration["planned_action"])
        self.assertEqual(registration["follow_ups"], [])
