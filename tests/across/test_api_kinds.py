"""The open call's and the conversation's API endpoints for each persona's token."""

import json
from typing import Any

from django.test import Client

from sammen.activities.actions import do_close_activity
from sammen.calls.models import Idea, Support
from sammen.conversations.models import Vote
from sammen.live.actions import do_answer_poll, do_open_poll
from sammen.testing import BaseTestCase, make_api_token
from sammen.testing.calls import make_call, make_idea
from sammen.testing.conversations import make_conversation, statements_of
from sammen.testing.journeys import make_journey, rate_all
from sammen.testing.live import join_anonymously, make_poll, make_session
from sammen.testing.meetings import make_meeting, register


def call(method: str, url: str, secret: str | None, body: Any = None) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}
    if body is None:
        return getattr(Client(), method)(url, **headers)
    return getattr(Client(), method)(
        url, json.dumps(body), content_type="application/json", **headers
    )


class CallApiTests(BaseTestCase):
    def setUp(self) -> None:
        self.harbour = make_call(self.museum, self.alice)
        self.idea = make_idea(self.harbour, self.maja)
        self.url = f"/api/v1/spaces/harbour-museum/activities/{self.harbour.activity.slug}/ideas"

    def test_each_personas_token_supports_as_the_pages_allow(self) -> None:
        _t, bob_read = make_api_token(self.bob, [self.museum])
        _t, bob = make_api_token(self.bob, [self.museum], write=True)
        _t, maja = make_api_token(self.maja, [self.museum], write=True)
        _t, charlie_elsewhere = make_api_token(self.alice, [self.quiet_room], write=True)
        support = f"{self.url}/{self.idea.pk}/support"
        assert call("post", support, None).status_code == 401
        assert call("post", support, charlie_elsewhere).status_code == 404
        assert call("post", support, bob_read).status_code == 403
        assert call("post", support, maja).status_code == 403  # authors do not support their own
        assert not Support.objects.exists()
        first = call("post", support, bob)
        again = call("post", support, bob)
        assert first.status_code == again.status_code == 200
        assert again.json()["support_count"] == 1
        assert Support.objects.count() == 1
        listed = call("get", self.url, bob).json()["items"]
        assert listed[0]["support_count"] == 1
        assert listed[0]["supported_by_you"]

    def test_members_submit_and_comment_organisers_answer(self) -> None:
        _t, bob = make_api_token(self.bob, [self.museum], write=True)
        _t, alice = make_api_token(self.alice, [self.museum], write=True)
        made = call("post", self.url, bob, {"title": "Night tours", "body": "By lantern."})
        assert made.status_code == 201
        idea_url = f"{self.url}/{made.json()['id']}"
        comment = call("post", f"{idea_url}/comments", bob, {"body": "More detail soon."})
        assert comment.status_code == 201
        assert call("get", f"{idea_url}/comments", alice).json()["items"][0]["body"] == (
            "More detail soon."
        )
        answer = {"status": "selected", "text": "Lovely."}
        assert call("post", f"{idea_url}/answer", bob, answer).status_code == 403
        assert call("post", f"{idea_url}/answer", alice, answer).json()["status"] == "selected"
        assert (
            call("post", f"{idea_url}/answer", alice, {"status": "bad", "text": "x"}).status_code
            == 422
        )
        assert Idea.objects.get(pk=made.json()["id"]).answer == "Lovely."


class ConversationApiTests(BaseTestCase):
    def setUp(self) -> None:
        self.conversation = make_conversation(self.museum, self.alice)
        self.url = f"/api/v1/spaces/harbour-museum/activities/{self.conversation.activity.slug}"

    def test_votes_count_once_and_change(self) -> None:
        _t, bob = make_api_token(self.bob, [self.museum], write=True)
        _t, bob_read = make_api_token(self.bob, [self.museum])
        statement = statements_of(self.conversation)[0]
        vote_url = f"{self.url}/statements/{statement.pk}/vote"
        assert call("post", vote_url, bob_read, {"value": "agree"}).status_code == 403
        assert call("post", vote_url, bob, {"value": "maybe"}).status_code == 422
        assert call("post", vote_url, bob, {"value": "agree"}).status_code == 200
        assert call("post", vote_url, bob, {"value": "disagree"}).status_code == 200
        assert Vote.objects.get().value == -1
        rows = call("get", f"{self.url}/statements", bob).json()["items"]
        counted = next(row for row in rows if row["id"] == statement.pk)
        assert (counted["agree"], counted["disagree"]) == (0, 1)

    def test_the_opinion_map_follows_the_reports_rule(self) -> None:
        _t, bob = make_api_token(self.bob, [self.museum])
        _t, alice = make_api_token(self.alice, [self.museum])
        assert call("get", f"{self.url}/opinion-map", bob).status_code == 403
        figures = call("get", f"{self.url}/opinion-map", alice).json()["figures"]
        assert figures["statements"] == len(statements_of(self.conversation))


class LiveApiTests(BaseTestCase):
    def test_the_crew_read_results_during_the_session_members_after(self) -> None:
        session = make_session(self.museum, self.alice)
        poll = make_poll(session, self.alice)
        do_open_poll(self.alice, poll)
        attendee = join_anonymously(session, "Sam")
        do_answer_poll(attendee, poll, option_ids=[poll.options.get(label="Harbour").pk])
        url = f"/api/v1/spaces/harbour-museum/activities/{session.activity.slug}/results"
        _t, alice = make_api_token(self.alice, [self.museum])
        _t, bob = make_api_token(self.bob, [self.museum])
        assert call("get", url, bob).status_code == 403
        body = call("get", url, alice).json()
        assert body["people_who_joined"] == 1
        assert body["polls"][0]["respondents"] == 1
        assert body["polls"][0]["results"][0] == {
            "answer": "Harbour",
            "count": 1,
            "percent": 100,
            "correct": None,
        }
        do_close_activity(self.alice, session.activity)
        assert call("get", url, bob).status_code == 200


class JourneyApiTests(BaseTestCase):
    def test_organisers_read_the_figures_the_page_shows(self) -> None:
        journey = make_journey(self.museum, self.alice)
        for _customer in range(3):
            rate_all(journey, [6, 2, 5, 7, 4, 3, 6, 5])
        url = f"/api/v1/spaces/harbour-museum/activities/{journey.activity.slug}/figures"
        _t, alice = make_api_token(self.alice, [self.museum])
        _t, bob = make_api_token(self.bob, [self.museum])
        assert call("get", url, bob).status_code == 403
        body = call("get", url, alice).json()
        assert body["respondents"] == 3
        assert body["touchpoints"][0]["ratings"] == 3
        assert body["touchpoints"][0]["mean"] == 6
        assert call("get", f"{url}?wave=0", alice).status_code == 422


class MeetingApiTests(BaseTestCase):
    def test_planners_read_the_return_the_page_shows(self) -> None:
        meeting = make_meeting(self.museum, self.alice)
        register(meeting)
        url = f"/api/v1/spaces/harbour-museum/activities/{meeting.activity.slug}/return"
        _t, alice = make_api_token(self.alice, [self.museum])
        _t, bob = make_api_token(self.bob, [self.museum])
        assert call("get", url, bob).status_code == 403
        body = call("get", url, alice).json()
        assert body["turnout"]["registered"] == 1
        assert body["meeting"] == "Partner day"
        assert body["chain"][0]["number"] == 0
