"""Every kind reports its contributions to a space's insights through its registration."""

from sammen.calls.actions import do_answer_idea, do_support_idea
from sammen.insights.models import AnswerDelay, DailyCount, Rollup
from sammen.insights.queries import Filters, space_insights
from sammen.insights.registry import answer_sources, contribution_sources
from sammen.insights.rollup import do_count_space
from sammen.live.actions import do_ask_question
from sammen.meetings.actions import do_check_in
from sammen.testing import BaseTestCase, make_user, participant_of
from sammen.testing.calls import make_call, make_idea
from sammen.testing.conversations import make_conversation, vote_in_camps
from sammen.testing.journeys import make_journey, rate_all
from sammen.testing.live import join_anonymously, make_session
from sammen.testing.meetings import make_meeting, register


class KindsInInsightsTests(BaseTestCase):
    rollup: Rollup

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        call = make_call(cls.museum, cls.alice)
        authors = [make_user(f"Author{number}") for number in range(5)]
        ideas = [make_idea(call, author, f"Idea {n}") for n, author in enumerate(authors)]
        for idea in ideas:
            for supporter in authors:
                if supporter.pk != idea.author.user_id:
                    do_support_idea(participant_of(supporter), idea)
        do_answer_idea(cls.alice, ideas[0], status="selected", text="We build it.")
        vote_in_camps(make_conversation(cls.museum, cls.alice), people=6)
        session = make_session(cls.museum, cls.alice)
        for number in range(5):
            do_ask_question(join_anonymously(session), f"Question number {number}?")
        journey = make_journey(cls.museum, cls.alice)
        for _ in range(5):
            rate_all(journey, [4, 3, 5])
        meeting = make_meeting(cls.museum, cls.alice)
        for number in range(5):
            do_check_in(cls.alice, register(meeting, f"Guest{number}"))
        cls.rollup = do_count_space(cls.museum)

    def test_every_kind_registers_its_sources(self) -> None:
        kinds = {source.kind for source in contribution_sources()}
        self.assertTrue({"call", "conversation", "live", "journey", "meeting", ""} <= kinds)
        self.assertTrue({"call.idea", "live.question"} <= {s.key for s in answer_sources()})

    def test_the_rollup_counts_what_each_source_holds(self) -> None:
        for source in contribution_sources():
            with self.subTest(source=source.key):
                counted = sum(
                    DailyCount.objects.filter(space=self.museum, source=source.key).values_list(
                        "contributions", flat=True
                    )
                )
                self.assertEqual(counted, source.of_space(self.museum.pk).count())
        for key in (
            "call.idea",
            "call.support",
            "conversation.vote",
            "live.question",
            "journey.rating",
            "meeting.attendance",
        ):
            with self.subTest(nonzero=key):
                self.assertTrue(DailyCount.objects.filter(space=self.museum, source=key).exists())

    def test_an_answered_idea_has_its_delay(self) -> None:
        delay = AnswerDelay.objects.get(space=self.museum, source="call.idea")
        self.assertEqual((delay.days, delay.answers), (0, 1))

    def test_the_page_shows_every_format(self) -> None:
        insights = space_insights(self.museum, Filters())
        self.assertEqual(
            {row.key for row in insights.kinds},
            {"call", "conversation", "live", "journey", "meeting"},
        )
        # Five authors, six voters, five in the room, five raters and five guests.
        self.assertEqual(insights.totals.people, 26)
        self.assertEqual(insights.totals.in_two_or_more, 0)
