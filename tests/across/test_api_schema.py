"""Schema-driven fuzzing of every API endpoint with schemathesis, through WSGI (no network).

Each operation of /api/openapi.json is called with data generated from its schema,
in a world with an activity of every kind, with the space owner's read+write
token (who may reach every endpoint). The checks: no server error, every status and
body as the schema documents them.
"""

import zlib
from collections.abc import Iterator
from unittest import mock

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from sammen.accounts.models import User
from sammen.conversations.models import Conversation
from sammen.live.actions import do_open_poll
from sammen.testing import make_api_token, make_member, make_space, make_user
from sammen.testing.calls import make_call, make_idea
from sammen.testing.conversations import make_conversation, vote_in_two_opposing_camps
from sammen.testing.journeys import make_journey, rate_all
from sammen.testing.live import make_poll, make_session
from sammen.testing.meetings import make_meeting, register

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


class World:
    def __init__(self) -> None:
        self.alice = make_user("Alice")
        bob: User = make_user("Bob")
        self.museum = make_space(self.alice, "Harbour Museum")
        make_member(self.museum, bob)
        call = make_call(self.museum, self.alice)
        idea = make_idea(call, bob)
        self.idea_id = idea.pk
        conversation: Conversation = make_conversation(self.museum, self.alice, report_public=True)
        vote_in_two_opposing_camps(conversation)
        session = make_session(self.museum, self.alice)
        do_open_poll(self.alice, make_poll(session, self.alice))
        journey = make_journey(self.museum, self.alice)
        rate_all(journey, [6, 2, 5, 7, 4, 3, 6, 5])
        meeting = make_meeting(self.museum, self.alice)
        register(meeting)
        # Each kind's activity, by the last part of its endpoints' paths.
        self.activity_of = {
            "ideas": call.activity.slug,
            "comments": call.activity.slug,
            "support": call.activity.slug,
            "answer": call.activity.slug,
            "statements": conversation.activity.slug,
            "vote": conversation.activity.slug,
            "opinion-map": conversation.activity.slug,
            "results": session.activity.slug,
            "figures": journey.activity.slug,
            "return": meeting.activity.slug,
        }
        _token, self.secret = make_api_token(self.alice, [self.museum], write=True)


@pytest.fixture
def world(db: None) -> Iterator[World]:
    # Fuzzing makes hundreds of calls a minute with one token: lift the token's limit
    # (its own test is in sammen/api/tests), keep every other.
    # Like Django's test client, keep the test's connection (and its transaction) open
    # across the WSGI requests: the handler would close it when each one ends.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with mock.patch("sammen.api.auth.CALLS_PER_MINUTE", 1_000_000):
            yield World()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_endpoint_answers_as_its_schema_says(case: schemathesis.Case, world: World) -> None:
    path = case.path_parameters or {}
    if path.get("space_slug") is not None and zlib.crc32(str(path).encode()) % 4:
        # Most cases reach real rows: the owner's space, the kind's activity, its rows.
        path["space_slug"] = world.museum.slug
        if "activity_slug" in path:
            parts = [part for part in case.operation.path.split("/") if "{" not in part]
            path["activity_slug"] = world.activity_of.get(parts[-1], world.activity_of["ideas"])
    case.call_and_validate(headers={"Authorization": f"Bearer {world.secret}"}, checks=CHECKS)
