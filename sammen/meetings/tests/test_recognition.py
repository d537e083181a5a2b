"""What a meeting rewards: coming (checked in at the door) and answering a follow-up, each
counted once; and why nothing of a meeting can be reported to the moderators."""

from django.apps import apps

from sammen.core.errors import ActionRefused
from sammen.meetings.actions import (
    FollowUpInput,
    do_answer_follow_up,
    do_check_in,
    do_send_follow_ups,
    do_start_follow_ups,
)
from sammen.meetings.deeds import FOLLOW_UP_ANSWERED, MEETING_ATTENDED
from sammen.meetings.models import FollowUp
from sammen.moderation.registry import reportables
from sammen.recognition.models import Recognition
from sammen.recognition.queries import has_taken_part, points_by_deed
from sammen.spaces.models import Space
from sammen.testing import BaseTestCase, participant_of
from sammen.testing.meetings import make_meeting, register

from .return_world import known, on


class MeetingDeedsTests(BaseTestCase):
    def setUp(self) -> None:
        self.meeting = make_meeting(self.museum, self.alice)
        self.bobs = register(self.meeting, "Bob", participant_of(self.bob))
        self.rosa = register(self.meeting, "Rosa")

    def deeds_of(self, registration):
        return list(
            Recognition.objects.filter(participant=registration.participant).values_list(
                "deed", "points", "space"
            )
        )

    def send_follow_ups(self, days: int = 30) -> None:
        with on(known(self.meeting.ends_at)):
            do_start_follow_ups(self.meeting, days)
            do_send_follow_ups(self.meeting, days, known(self.meeting.ends_at))

    def test_coming_to_the_meeting_counts_once(self):
        self.assertEqual(self.deeds_of(self.bobs), [])
        do_check_in(self.alice, self.bobs)
        do_check_in(self.alice, self.bobs)  # a second scan at the door
        self.assertEqual(
            self.deeds_of(self.bobs),
            [(MEETING_ATTENDED.key, MEETING_ATTENDED.points, self.museum.pk)],
        )
        self.assertEqual(self.deeds_of(self.rosa), [])

    def test_a_person_who_came_has_taken_part_in_the_space_and_may_be_thanked(self):
        stranger = participant_of(self.charlie)
        charlies = register(self.meeting, "Charlie", stranger)
        self.assertFalse(has_taken_part(stranger, self.museum))
        do_check_in(self.alice, charlies)
        self.assertTrue(has_taken_part(stranger, self.museum))
        [row] = points_by_deed(stranger, Space.objects.all())
        self.assertEqual(str(row["label"]), "came to a meeting")

    def test_each_follow_up_answered_counts_once_a_round(self):
        for registration in (self.bobs, self.rosa):
            do_check_in(self.alice, registration)
        self.send_follow_ups(30)
        self.send_follow_ups(90)
        for days in (30, 90):
            follow_up = FollowUp.objects.get(registration=self.rosa, days=days)
            do_answer_follow_up(follow_up, FollowUpInput("yes", "often"))
            with self.assertRaises(ActionRefused):
                do_answer_follow_up(follow_up, FollowUpInput("no"))
        answered = Recognition.objects.filter(
            participant=self.rosa.participant, deed=FOLLOW_UP_ANSWERED.key
        )
        self.assertEqual(answered.count(), 2)
        self.assertEqual(
            Recognition.objects.filter(
                participant=self.bobs.participant, deed=FOLLOW_UP_ANSWERED.key
            ).count(),
            0,
        )


def test_nothing_of_a_meeting_can_be_reported():
    """What attendees write (a rating's comment, a planned action, what helped) is read
    only by the planners, without names; nothing reaches other attendees or the public,
    so there is nothing for moderators to hide (docs/kinds.md)."""
    meeting_models = set(apps.get_app_config("meetings").get_models())
    assert [one.type_name for one in reportables() if one.model in meeting_models] == []
