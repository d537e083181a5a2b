"""A space with one of everything a number can name, and the requests that send odd numbers."""

import hashlib
from decimal import Decimal
from typing import Any, ClassVar

from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sammen.accounts.models import User
from sammen.activities.models import Activity
from sammen.ambassadors.models import Ambassador
from sammen.ambassadors.tests.helpers import make_ambassador
from sammen.calls.actions import do_update_jury
from sammen.calls.models import Call, Idea
from sammen.comments.actions import do_add_comment
from sammen.conversations.actions import do_vote
from sammen.conversations.models import Conversation, Statement
from sammen.core.models import RateLimitCounter
from sammen.journeys.actions import do_add_plan
from sammen.journeys.models import Journey, Plan, Touchpoint
from sammen.live.actions import do_answer_poll, do_ask_question, do_open_poll
from sammen.live.models import LiveSession, Poll, Question, Response
from sammen.meetings.actions import (
    CostInput,
    ObjectiveInput,
    do_add_cost_line,
    do_add_intangible,
    do_add_objective,
    do_send_follow_ups,
    do_start_follow_ups,
)
from sammen.meetings.models import (
    CostLine,
    FollowUp,
    Intangible,
    Level,
    Meeting,
    Objective,
    Registration,
)
from sammen.moderation.actions import do_report
from sammen.moderation.models import Report
from sammen.notifications.actions import do_notify
from sammen.notifications.models import Notification
from sammen.recognition.actions import do_award_badge, do_state_reward
from sammen.recognition.models import Badge, Reward
from sammen.spaces.actions import do_create_invite
from sammen.spaces.models import Invite, Membership
from sammen.testing import BaseTestCase, image_upload, make_activity, participant_of
from sammen.testing.calls import make_call, make_idea
from sammen.testing.conversations import make_conversation
from sammen.testing.journeys import make_journey, rate_all, touchpoints_of
from sammen.testing.live import join_as, make_poll, make_session
from sammen.testing.meetings import make_meeting, register
from sammen.testing.webhooks import quiet_webhook
from sammen.webhooks.models import Delivery, Webhook

from .table import ALL, TARGETS, Target, url_name
from .values import BLANK, ODDLY_WRITTEN, UNREADABLE


def fingerprint() -> str:
    """Return a digest of every row the project stores, sessions aside."""
    digest = hashlib.sha256()
    for model in apps.get_models():
        if model in (Session, RateLimitCounter):  # a limit counts even a refused request
            continue
        for row in model._default_manager.order_by("pk").values_list():
            digest.update(repr(row).encode())
    return digest.hexdigest()


class OddNumberWorld(BaseTestCase):
    """A space with one of everything a number can name: ideas, votes, polls, badges..."""

    call: Call
    idea: Idea
    conversation: Conversation
    voted: Statement
    sample: Activity
    unvoted: Statement
    session: LiveSession
    journey: Journey
    meeting: Meeting
    registration: Registration
    cost_line: CostLine
    intangible: Intangible
    impact: Objective
    follow_up: FollowUp
    touchpoint: Touchpoint
    plan: Plan
    choice_poll: Poll
    rating_poll: Poll
    ranking_poll: Poll
    question: Question
    response: Response
    notification: Notification
    report: Report
    badge: Badge
    ambassador: Ambassador
    reward: Reward
    invite: Invite
    bob_membership: Membership
    webhook: Webhook
    delivery: Delivery
    personas: ClassVar[dict[str, User | None]]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.alice_participant = participant_of(cls.alice)
        cls.call = make_call(cls.museum, cls.alice)
        do_update_jury(cls.alice, cls.call, criteria=[("Surprise", 2)], evaluators=[cls.alice])
        cls.idea = make_idea(cls.call, cls.bob)
        cls.idea_with_image(cls.idea)
        cls.comment = do_add_comment(cls.alice_participant, cls.idea.thread, "Lovely.")
        cls.conversation = make_conversation(cls.museum, cls.alice, moderation="after")
        cls.voted, cls.unvoted = list(cls.conversation.statements.order_by("pk"))[:2]
        cls.sample = make_activity(cls.museum, cls.alice, "Sample things", open_it=True)
        do_vote(participant_of(cls.bob), cls.voted, 1)
        cls.journey = make_journey(
            cls.museum,
            cls.alice,
            segment_question="First visit?",
            segments=["Yes", "No"],
            ask_recommendation=True,
        )
        cls.touchpoint = touchpoints_of(cls.journey)[0]
        rate_all(cls.journey, [2, 5], participant_of(cls.bob))
        cls.plan = do_add_plan(cls.alice, cls.touchpoint, "gesture", "A thank-you card")
        cls.meeting = make_meeting(cls.museum, cls.alice, capacity=50)
        cls.registration = register(cls.meeting, "Bob", participant_of(cls.bob))
        cls.cost_line = do_add_cost_line(cls.alice, cls.meeting, CostInput("venue", Decimal(900)))
        cls.intangible = do_add_intangible(cls.alice, cls.meeting, "Partners trust us more")
        cls.impact = do_add_objective(
            cls.alice, cls.meeting, ObjectiveInput(Level.IMPACT, "More partner tickets")
        )
        do_start_follow_ups(cls.meeting, 30)
        do_send_follow_ups(cls.meeting, 30, timezone.now())
        cls.follow_up = FollowUp.objects.get(registration=cls.registration)
        cls.session = make_session(cls.museum, cls.alice)
        cls.ranking_poll = make_poll(cls.session, cls.alice, "ranking", title="Rank them")
        cls.rating_poll = make_poll(cls.session, cls.alice, "rating", title="How was it?")
        cls.choice_poll = make_poll(cls.session, cls.alice, "single")
        text_poll = make_poll(cls.session, cls.alice, "text", title="One word")
        for poll in (cls.ranking_poll, cls.rating_poll, cls.choice_poll, text_poll):
            do_open_poll(cls.alice, poll)
        attendee = join_as(cls.session, cls.bob)
        cls.question = do_ask_question(attendee, "When does it end?")
        cls.response = do_answer_poll(attendee, text_poll, text="Harbour")
        do_notify([cls.bob], "idea_commented", {"title": "x"}, "/")
        cls.notification = Notification.objects.get(user=cls.bob)
        cls.report = do_report(cls.bob, cls.museum, cls.comment, "spam")
        cls.badge = do_award_badge(cls.alice, cls.museum, participant_of(cls.bob), "Helper")
        cls.invite = do_create_invite(cls.alice, cls.museum)
        cls.ambassador = make_ambassador(cls.museum, cls.bob)
        cls.reward = do_state_reward(cls.alice, cls.museum, kind="ticket", title="A ticket")
        cls.bob_membership = Membership.objects.get(space=cls.museum, user=cls.bob)
        cls.webhook, cls.delivery = quiet_webhook(cls.museum, cls.alice)
        cls.personas = {"alice": cls.alice, "bob": cls.bob, "anonymous": None}

    @classmethod
    def idea_with_image(cls, idea: Idea) -> None:
        from sammen.calls.actions import ImageInput, do_edit_idea

        do_edit_idea(
            participant_of(cls.bob),
            idea,
            title=idea.title,
            body=idea.body,
            builds_on=None,
            new_images=[ImageInput(image_upload(), "A photo")],
            remove_image_ids=[],
        )

    def criterion_fields(self) -> list[str]:
        return [f"criterion_{pk}" for pk in self.call.jury_criteria.values_list("pk", flat=True)]

    def measure_ids(self) -> list[int]:
        return list(self.call.activity.brief.measures.values_list("pk", flat=True))

    def ranking_data(self) -> dict[str, str]:
        options = self.ranking_poll.options.order_by("pk").values_list("pk", flat=True)
        return {f"rank_{pk}": str(place) for place, pk in enumerate(options, start=1)}

    def setUp(self) -> None:
        super().setUp()
        # One browser per persona, signed in once: signing in writes to the database.
        self.browsers = {name: Client() for name in self.personas}
        for name, user in self.personas.items():
            if user is not None:
                self.browsers[name].force_login(user)

    def request(self, key: str, data: dict[str, Any], path: str | None = None) -> HttpResponse:
        target = TARGETS[key]
        cache.clear()  # rate limits would hide what a view does with the number
        url = path or reverse(url_name(key), kwargs=target.kwargs(self))
        browser = self.browsers[target.persona]
        if target.method == "GET":
            return browser.get(url, data)
        return browser.post(url, data)

    def fields_of(self, target: Target) -> list[str]:
        return target.fields(self) if callable(target.fields) else target.fields

    def with_value(self, target: Target, name: str, value: str) -> dict[str, Any]:
        data = dict(target.data(self))
        if "=" in name:  # "screen=poll|": the number follows a fixed prefix
            name, prefix = name.split("=", 1)
            data[name] = prefix + value
        else:
            data[name] = value
        return data

    def assert_odd_numbers_refused(self, key: str, field_name: str) -> None:
        typed = field_name in TARGETS[key].typed or TARGETS[key].typed is ALL
        before = fingerprint()
        for value in UNREADABLE if typed else UNREADABLE + ODDLY_WRITTEN:
            self.assert_no_server_error(key, field_name, value)
        self.assertEqual(fingerprint(), before, f"{key}: odd {field_name} changed data")
        for value in [*BLANK, *ODDLY_WRITTEN] if typed else BLANK:
            self.assert_no_server_error(key, field_name, value)

    def assert_no_server_error(self, key: str, field_name: str, value: str) -> None:
        response = self.request(key, self.with_value(TARGETS[key], field_name, value))
        self.assertLess(response.status_code, 500, f"{key} {field_name}={value[:40]!r}")
