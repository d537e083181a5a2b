"""Open calls for tests, built by calling the same actions organisers and participants use."""

from typing import Any

from sammen.accounts.models import Participant, User
from sammen.activities.actions import do_open_activity
from sammen.calls.actions import ImageInput, do_submit_idea, do_update_call_rules
from sammen.calls.models import Call, Idea
from sammen.spaces.models import Space
from sammen.testing import make_activity, participant_of

CALL_RULES: dict[str, Any] = {
    "description": "Tell us the story of your harbour.",
    "scope": "Stories about the harbour and its people.",
    "criteria": "Does it move visitors?",
    "after_selection": "Curators develop selected stories with their authors.",
    "reward": "Your name in the exhibition and two tickets.",
}


def make_call(
    space: Space,
    by: User,
    title: str = "Harbour stories",
    *,
    supporters: str = "members",
    blind: bool = False,
    open_it: bool = True,
) -> Call:
    """Create an open call with complete rules, opened unless asked otherwise."""
    activity = make_activity(space, by, title, kind="call")
    call = activity.call
    do_update_call_rules(by, call, **CALL_RULES, blind=blind, supporters=supporters)
    if open_it:
        do_open_activity(by, activity)
    call.refresh_from_db()
    call.activity.refresh_from_db()
    return call


def make_idea(
    call: Call,
    author: User,
    title: str = "A lighthouse museum",
    *,
    body: str = "Turn the old lighthouse into a small museum.",
    builds_on: Idea | None = None,
    images: list[ImageInput] | None = None,
    co_authors: list[Participant] | None = None,
) -> Idea:
    """Submit an idea to the call as the author's participant."""
    return do_submit_idea(
        participant_of(author),
        call,
        title=title,
        body=body,
        builds_on=builds_on,
        images=images,
        co_authors=co_authors,
    )
