"""Conversations for tests, built by calling the same actions organisers and participants use."""

from typing import Any

from sammen.accounts.actions import do_create_anonymous_participant
from sammen.accounts.models import Participant, User
from sammen.activities.actions import do_open_activity
from sammen.conversations.actions import do_seed_statements, do_update_conversation, do_vote
from sammen.conversations.models import Conversation, Statement
from sammen.spaces.models import Space
from sammen.testing import make_activity

SEEDS = [
    "The harbour should stay a working harbour.",
    "Old warehouses should become homes.",
    "Cars should not drive on the quay.",
    "The museum should open later in the evening.",
    "Ferries should run all night in summer.",
    "The fish market should move indoors.",
    "Every street needs more trees.",
    "Tourist boats are too loud.",
]

SETTINGS: dict[str, Any] = {
    "description": "What should the harbour become in the next ten years?",
    "participation": "anyone",
    "moderation": "before",
    "participants_add_statements": True,
    "report_public": False,
}


def make_conversation(
    space: Space,
    by: User,
    title: str = "The harbour's future",
    *,
    seeds: list[str] | None = None,
    open_it: bool = True,
    participation: str = SETTINGS["participation"],
    moderation: str = SETTINGS["moderation"],
    report_public: bool = SETTINGS["report_public"],
) -> Conversation:
    """Create a conversation with its question and seeds, opened unless asked otherwise."""
    activity = make_activity(space, by, title, kind="conversation")
    conversation = activity.conversation
    do_update_conversation(
        by,
        conversation,
        description=SETTINGS["description"],
        participation=participation,
        moderation=moderation,
        participants_add_statements=SETTINGS["participants_add_statements"],
        report_public=report_public,
    )
    do_seed_statements(by, conversation, SEEDS if seeds is None else seeds)
    if open_it:
        do_open_activity(by, activity)
    conversation.refresh_from_db()
    conversation.activity.refresh_from_db()
    return conversation


def statements_of(conversation: Conversation) -> list[Statement]:
    """Return the conversation's statements by number, each knowing its conversation."""
    statements = list(conversation.statements.order_by("number"))
    for statement in statements:
        statement.conversation = conversation
    return statements


# Two camps: the first half of the people agree with the first half of the statements and
# disagree with the rest; the second half the other way round.
def vote_in_camps(
    conversation: Conversation, *, people: int = 12, passes: bool = False
) -> list[Participant]:
    """Have `people` anonymous participants vote in two camps, passing now and then if asked."""
    statements = statements_of(conversation)
    participants = []
    for index in range(people):
        participant = do_create_anonymous_participant()
        camp = 1 if index < people // 2 else -1
        for position, statement in enumerate(statements):
            side = 1 if position < len(statements) // 2 else -1
            value = 0 if passes and (index + position) % 7 == 0 else camp * side
            do_vote(participant, statement, value)
        participants.append(participant)
    return participants


# Nine voters in two opposing camps of six and three (issue 9), statement by statement:
# 1-6 split them (the six agree, the three disagree), 7 everyone agrees with, 8 the six
# and one of the three agree with, 9 everyone disagrees with, 10 has a single vote.
TWO_CAMP_SEEDS = [
    "The harbour should stay a working harbour.",
    "Old warehouses should become homes.",
    "Cars should not drive on the quay.",
    "The museum should open later in the evening.",
    "Ferries should run all night in summer.",
    "The fish market should move indoors.",
    "Every street needs more trees.",
    "Tourist boats are too loud.",
    "The quay should be sold to a hotel chain.",
    "The lighthouse should be painted blue.",
]
TWO_CAMP_VOTES: dict[int, list[int]] = {
    **{number: [1] * 6 + [-1] * 3 for number in range(1, 7)},
    7: [1] * 9,
    8: [1] * 7 + [-1] * 2,
    9: [-1] * 9,
    10: [1],
}


def vote_in_two_opposing_camps(conversation: Conversation) -> list[Participant]:
    """Have nine people vote as TWO_CAMP_VOTES says, on TWO_CAMP_SEEDS."""
    statements = statements_of(conversation)
    people = [do_create_anonymous_participant() for _person in range(9)]
    for statement in statements:
        for person, value in zip(people, TWO_CAMP_VOTES[statement.number], strict=False):
            do_vote(person, statement, value)
    return people
