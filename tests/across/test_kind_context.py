"""The activity page hands each kind the access it checked; no kind looks it up again."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.utils.html import escape

from sammen.accounts.models import User
from sammen.activities.models import Activity
from sammen.spaces.models import Space
from sammen.testing import make_space, make_user
from sammen.testing.calls import make_call
from sammen.testing.conversations import make_conversation
from sammen.testing.live import make_session


def a_call(space: Space, owner: User) -> Activity:
    return make_call(space, owner).activity


def a_conversation(space: Space, owner: User) -> Activity:
    return make_conversation(space, owner).activity


def a_live_session(space: Space, owner: User) -> Activity:
    return make_session(space, owner).activity


# What each kind would call if it looked the viewer's access up a second time.
SECOND_LOOKUPS = [
    pytest.param(a_call, "sammen.calls.permissions.access_activity", id="call"),
    pytest.param(
        a_conversation, "sammen.conversations.permissions.access_activity", id="conversation"
    ),
    pytest.param(a_live_session, "sammen.live.permissions.space_access_for", id="live"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("make", "second_lookup"), SECOND_LOOKUPS)
def test_the_kind_on_the_activity_page_uses_the_pages_access(
    monkeypatch: pytest.MonkeyPatch, make: Callable[[Space, User], Activity], second_lookup: str
) -> None:
    owner = make_user("Olga")
    activity = make(make_space(owner, "Harbour"), owner)

    def looked_up_twice(*args: object, **kwargs: object) -> None:
        raise AssertionError("the kind looked the viewer's access up a second time")

    monkeypatch.setattr(second_lookup, looked_up_twice)
    client = Client()
    client.force_login(owner)
    response = client.get(activity.get_absolute_url())
    assert response.status_code == 200
    assert escape(activity.title) in response.content.decode()
