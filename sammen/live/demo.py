"""The demo live session: the festival's autumn club night, live while the demo runs.

Built by calling the same actions organisers and participants trigger. A quiz question
is done (so the leaderboard has names), a poll is open with votes, the word cloud has
answers, and questions wait, are shown, pinned and answered. Anyone can join with the
code shown on the session's page.
"""

from decimal import Decimal

from sammen.accounts.actions import do_create_anonymous_participant
from sammen.accounts.models import Participant, User
from sammen.activities.actions import (
    MeasureInput,
    do_create_activity,
    do_open_activity,
    do_update_brief,
)
from sammen.demo.parts import Demo
from sammen.spaces.models import Space

from .actions import (
    LiveSettings,
    Moderate,
    OptionInput,
    do_answer_poll,
    do_ask_question,
    do_close_poll,
    do_join_session,
    do_moderate_questions,
    do_open_poll,
    do_react,
    do_reply_to_question,
    do_save_poll,
    do_update_live_settings,
    do_upvote_question,
)
from .models import Attendee, LiveSession

BRIEF = {
    "goal": (
        "Turn the most active people of our audience into ambassadors, and hear in the "
        "room what they want from the small stages."
    ),
    "business_challenge": (
        "Our club nights are full, but the crowd only listens. We want their questions "
        "and opinions while they are with us, not weeks later in a survey."
    ),
    "audience": "The 300 regulars who come to the autumn club night.",
    "audience_insight": (
        "They love to show what they know about the local scene, and they like a quiz."
    ),
    "audience_challenge": "A microphone in a loud room is scary; a phone is not.",
    "channels": "A live session on the big screen during the club night.",
    "channels_reason": (
        "Everyone has a phone in their hand anyway, and the answers are on the screen at once."
    ),
}
MEASURES = [
    MeasureInput("People who join from their phone", Decimal(150), "people"),
    MeasureInput("Questions from the room", Decimal(20), "questions"),
]
LIVE_SELF_CHECK = {
    "new_ideas": "no",
    "agreement": "no",
    "same_moment": "yes",
    "will_answer": "yes",
}


def run_festival_live_session(
    space: Space, owner: User, moderator: User, users: dict[str, User]
) -> LiveSession:
    """Open the club night's live session, halfway through the evening."""
    night = do_create_activity(moderator, space, title="Autumn club night: ask the programmers")
    do_update_brief(
        moderator, night, texts=BRIEF, measures=MEASURES, self_check=LIVE_SELF_CHECK, kind="live"
    )
    session = LiveSession.objects.get(activity=night)
    do_update_live_settings(moderator, session, LiveSettings(moderation="post"))
    quiz = do_save_poll(
        moderator,
        session,
        kind="single",
        title="In which year did the first Northern Lights Festival take place?",
        options=[OptionInput("2009"), OptionInput("2012", True), OptionInput("2016")],
    )
    stage = do_save_poll(
        moderator,
        session,
        kind="single",
        title="Which small stage should open next summer?",
        options=[
            OptionInput("The Boathouse"),
            OptionInput("The Lighthouse Lawn"),
            OptionInput("The Fish Market"),
        ],
    )
    cloud = do_save_poll(
        moderator, session, kind="text", title="One word for the festival you want"
    )
    do_save_poll(moderator, session, kind="rating", title="How was tonight's line-up?", scale_max=5)
    do_open_activity(moderator, night)
    session.refresh_from_db()
    session.activity.refresh_from_db()

    people = [
        Participant.objects.get(user=users[email])
        for email in ["member@demo.example", "astrid@demo.example", "joost@demo.example"]
    ]
    guests = [do_create_anonymous_participant() for _guest in range(9)]
    attendees: list[Attendee] = [do_join_session(session, person) for person in people]
    attendees += [do_join_session(session, guest) for guest in guests]

    do_open_poll(moderator, quiz)
    right, wrong = quiz.options.get(position=1).pk, quiz.options.get(position=0).pk
    for index, attendee in enumerate(attendees[:8]):
        do_answer_poll(attendee, quiz, option_ids=[wrong if index % 3 == 2 else right])
    do_close_poll(moderator, quiz)

    do_open_poll(moderator, cloud)
    words = [
        "local",
        "cosy",
        "green",
        "local bands",
        "cosy and loud",
        "harbour",
        "green",
        "local",
        "surprising",
    ]
    for attendee, word in zip(attendees, words, strict=False):
        do_answer_poll(attendee, cloud, text=word)
    do_close_poll(moderator, cloud)

    do_open_poll(moderator, stage)
    picks = [0, 1, 1, 2, 1, 0, 1, 2, 1, 1]
    options = [option.pk for option in stage.options.all()]
    for attendee, pick in zip(attendees, picks, strict=False):
        do_answer_poll(attendee, stage, option_ids=[options[pick]])

    asked = [
        (attendees[0], "Will there be a stage for school bands again?", False),
        (attendees[3], "Can we suggest acts for the small stages here too?", True),
        (attendees[5], "Is the silent disco coming back?", True),
        (attendees[1], "How do you pick the headliners?", False),
    ]
    questions = [do_ask_question(who, text, anonymous=anonymous) for who, text, anonymous in asked]
    for voter in attendees[4:11]:
        do_upvote_question(voter, questions[1])
    for voter in attendees[6:9]:
        do_upvote_question(voter, questions[0])
    do_moderate_questions(moderator, session, [questions[1]], Moderate.PIN)
    do_reply_to_question(
        owner,
        questions[2],
        "Not next summer, but it is on the list for 2028: see the open call's answer.",
    )
    do_moderate_questions(owner, session, [questions[2]], Moderate.ANSWERED)
    for attendee, kind in zip(
        attendees, ["applause", "heart", "applause", "laugh", "wow"], strict=False
    ):
        do_react(attendee, kind)
    return session


def build_demo(demo: Demo) -> None:
    """The live session's demo part: the festival's club night."""
    run_festival_live_session(demo.spaces["festival"], demo.owner, demo.moderator, demo.users)
