"""The demo conversation: the festival asks its audience what it should become.

Built by calling the same actions people trigger, replayed over two weeks. Three
planted camps vote (those who want it bigger, those who want it local and small,
those who want it green and quiet), so the map shows three groups, a few statements
everyone agrees with, and statements that divide them.
"""

import random
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from sammen.accounts.actions import do_create_anonymous_participant
from sammen.accounts.models import Participant, User
from sammen.activities.actions import MeasureInput, do_open_activity, do_update_brief
from sammen.activities.models import Activity
from sammen.demo.parts import Demo, replay
from sammen.spaces.models import Space

from .actions import (
    do_add_statement,
    do_approve_statement,
    do_recompute_opinion_map,
    do_seed_statements,
    do_update_conversation,
    do_vote,
)
from .models import Conversation

BRIEF = {
    "goal": (
        "Learn what our audience wants the festival to become before we plan the 2028 "
        "edition: where they agree, where they differ, and why."
    ),
    "business_challenge": (
        "We are growing, and every year some regulars say we are losing what made us "
        "special while others ask for bigger names. We need to see the whole picture."
    ),
    "audience": "Everyone who came to the festival in the last three years, and our neighbours.",
    "audience_insight": (
        "They care about the festival and want to be heard; voting on short statements takes "
        "two minutes on a phone, without an account."
    ),
    "audience_challenge": (
        "Surveys ask our questions, not theirs, and loud voices on social media drown out "
        "everyone else."
    ),
    "channels": "A conversation on Sammen, shared in the newsletter and on the festival app.",
    "channels_reason": (
        "A conversation shows the groups of opinion and what unites them, instead of one "
        "average that pleases nobody."
    ),
}
MEASURES = [
    MeasureInput("People who take part", Decimal(500), "people"),
    MeasureInput("Statements from the audience", Decimal(30), "statements"),
]
SELF_CHECK = {
    "new_ideas": "no",
    "agreement": "yes",
    "same_moment": "no",
    "will_answer": "yes",
}
QUESTION = (
    "**What should the Northern Lights Festival become?** Vote on each statement: agree, "
    "disagree or pass. Add your own if something is missing. In March we publish what we "
    "heard and what we will do with it."
)

# Each statement with how likely each camp is to agree (the rest split between
# disagree and pass): bigger, local and small, green and quiet.
STATEMENTS: list[tuple[str, tuple[float, float, float]]] = [
    ("The festival should book bigger international headliners.", (0.92, 0.08, 0.35)),
    ("Half of the line-up should be local acts.", (0.1, 0.95, 0.3)),
    ("The festival should stay under 10,000 visitors a day.", (0.08, 0.92, 0.55)),
    ("A fourth stage on the old pier would be great.", (0.88, 0.5, 0.05)),
    ("Music should stop at midnight, for the neighbours.", (0.08, 0.15, 0.95)),
    ("Tickets should cost less, even if the line-up gets smaller.", (0.1, 0.92, 0.3)),
    ("There should be free drinking water everywhere on the site.", (0.95, 0.95, 0.97)),
    ("Every food stand should offer a vegetarian dish.", (0.45, 0.5, 0.97)),
    ("The festival should ban single-use plastic.", (0.25, 0.45, 0.98)),
    ("We need more camping space, closer to the stages.", (0.88, 0.55, 0.05)),
    ("A family day with cheaper tickets for children would be good.", (0.75, 0.85, 0.85)),
    ("Sponsors' brands are far too visible on the site.", (0.08, 0.88, 0.4)),
    ("Shuttle buses should run from the station until 2 am.", (0.9, 0.85, 0.75)),
    ("The festival should last four days instead of three.", (0.9, 0.3, 0.05)),
    ("Volunteers should get a free ticket for next year.", (0.9, 0.95, 0.9)),
    ("A silent disco after midnight would please everyone.", (0.55, 0.3, 0.92)),
    ("VIP areas do not belong at this festival.", (0.08, 0.92, 0.35)),
    ("Local restaurants should run the food stands.", (0.3, 0.92, 0.45)),
    ("The line-up should be announced earlier, in January.", (0.9, 0.85, 0.8)),
    ("Better toilets matter more than a bigger stage.", (0.25, 0.85, 0.9)),
]
META_STATEMENT = "I would like more statements about accessibility."
CAMP_SIZES = (18, 16, 15)  # anonymous participants per camp
ACCOUNT_CAMPS = {"member": 1, "mia": 0, "astrid": 2, "joost": 0, "fatima": 1, "sem": 2}


def choose(rng: random.Random, agree: float) -> int:
    roll = rng.random()
    if roll < agree:
        return 1
    return 0 if roll < agree + (1 - agree) * 0.2 else -1


def take_part(
    rng: random.Random,
    conversation: Conversation,
    participant: Participant,
    camp: int,
    statements: list[Any],
    start: Any,
) -> None:
    """Vote like one's camp, on most statements, over a few days."""
    count = rng.randint(11, len(statements))
    day = rng.randint(0, 12)
    for offset, statement in enumerate(rng.sample(statements, count)):
        agree = (
            STATEMENTS[statement.number - 1][1][camp]
            if statement.number <= len(STATEMENTS)
            else 0.5
        )
        with replay(start + timedelta(days=day, hours=9 + offset // 6, minutes=offset * 3)):
            do_vote(participant, statement, choose(rng, agree))


def run_festival_conversation(
    space: Space, owner: User, moderator: User, users: dict[str, User]
) -> Activity:
    """The festival's conversation is open: three camps have voted, the map shows them."""
    from sammen.activities.actions import do_create_activity

    rng = random.Random(2027)  # noqa: S311 - demo data, not a secret
    start = timezone.now() - timedelta(days=14)
    with replay(start):
        activity = do_create_activity(
            moderator, space, title="What should the festival become?", kind="conversation"
        )
        do_update_brief(moderator, activity, texts=BRIEF, measures=MEASURES, self_check=SELF_CHECK)
        conversation = activity.conversation
        do_update_conversation(
            moderator,
            conversation,
            description=QUESTION,
            participation="anyone",
            moderation="before",
            participants_add_statements=True,
            report_public=True,
        )
        do_seed_statements(moderator, conversation, [text for text, _camps in STATEMENTS])
        do_seed_statements(moderator, conversation, [META_STATEMENT], meta=True)
        do_open_activity(moderator, activity)
    conversation.activity.refresh_from_db()
    statements = list(conversation.statements.order_by("number"))
    for statement in statements:
        statement.conversation = conversation
    for camp, size in enumerate(CAMP_SIZES):
        for _person in range(size):
            take_part(rng, conversation, do_create_anonymous_participant(), camp, statements, start)
    for who, camp in ACCOUNT_CAMPS.items():
        participant = Participant.objects.get(user=users[f"{who}@demo.example"])
        take_part(rng, conversation, participant, camp, statements, start)
    mia = Participant.objects.get(user=users["mia@demo.example"])
    with replay(start + timedelta(days=3, hours=20)):
        ramps = do_add_statement(
            mia, conversation, "Every stage needs a viewing platform for wheelchair users."
        )
    with replay(start + timedelta(days=4, hours=9)):
        do_approve_statement(moderator, ramps)
    joost = Participant.objects.get(user=users["joost@demo.example"])
    with replay(start + timedelta(days=12, hours=22)):
        do_add_statement(joost, conversation, "Bring back the fireworks on the last night.")
    do_recompute_opinion_map(conversation)
    return activity


def build_demo(demo: Demo) -> None:
    """The conversation's demo part: the festival's conversation."""
    run_festival_conversation(demo.spaces["festival"], demo.owner, demo.moderator, demo.users)
