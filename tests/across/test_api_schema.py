"""Schema-driven fuzzing of every API endpoint with schemathesis, through WSGI (no network).

Each operation of /api/openapi.json is called with data generated from its schema,
in a world with an open call and a conversation, with the space owner's read+write
token (who may reach every endpoint). The checks: no server error, every status and
body as the schema documents them.
"""

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
from sammen.testing import make_api_token, make_member, make_space, make_user
from sammen.testing.calls import make_call, make_idea
from sammen.testing.conversations import make_conversation, vote_in_two_opposing_camps

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
        self.call_slug = call.activity.slug
        conversation: Conversation = make_conversation(self.museum, self.alice, report_public=True)
        vote_in_two_opposing_camps(conversation)
        self.conversation_slug = conversation.activity.slug
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
    if path.get("space_slug") is not None and hash(str(path)) % 4:
        # Most cases reach real rows: the owner's space, the kind's activity, its rows.
        path["space_slug"] = world.museum.slug
        if "activity_slug" in path:
            is_call = "/ideas" in case.operation.path or case.operation.path.endswith("/answer")
            path["activity_slug"] = world.call_slug if is_call else world.conversation_slug
    case.call_and_validate(headers={"Authorization": f"Bearer {world.secret}"}, checks=CHECKS)
