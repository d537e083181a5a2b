"""The open call's demo part: the museum's open call and the festival's finished one.

A city museum invites storylines for an exhibition (in Dutch) and its call is open;
the festival co-programmed its small stages with its audience (in English), and that
call is answered, closed and reported on. Built by calling the same actions people
trigger, replayed over the weeks the calls ran.
"""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from sammen.accounts.models import Participant, User
from sammen.activities.actions import (
    MeasureInput,
    do_answer_activity,
    do_close_activity,
    do_create_activity,
    do_open_activity,
    do_record_results,
    do_update_brief,
)
from sammen.comments.actions import do_add_comment, do_mark_helpful
from sammen.demo.parts import Demo, replay
from sammen.spaces.models import Membership, Space

from .actions import (
    do_answer_idea,
    do_submit_idea,
    do_support_idea,
    do_update_call_rules,
    do_update_call_schedule,
    do_update_jury,
)

MUSEUM_BRIEF = {
    "goal": (
        "Een tentoonstelling over de stad van morgen die bezoekers herkennen als deels "
        "van henzelf: minstens een derde van de verhaallijnen komt uit het publiek."
    ),
    "business_challenge": (
        "Jongvolwassenen en nieuwe stadsbewoners komen zelden naar het museum. We weten "
        "te weinig over wat hen raakt, en onze tentoonstellingen vertellen vooral ons "
        "eigen verhaal."
    ),
    "audience": "Inwoners van de stad tussen 18 en 35, en iedereen die hier nog maar kort woont.",
    "audience_insight": (
        "Hun eigen verhaal een plek geven in het museum, met hun naam erbij, en een gratis "
        "avond met de curatoren om de tentoonstelling samen af te maken."
    ),
    "audience_challenge": (
        "Een museum voelt voor velen als een plek die niet voor hen gemaakt is; meedoen "
        "moet daarom laagdrempelig zijn, op de telefoon, zonder jargon."
    ),
    "channels": (
        "Een open oproep op Sammen, posters op het station en in de bibliotheek, en een "
        "verhalenavond in het museum."
    ),
    "channels_reason": (
        "Online kan iedereen op elk moment meedoen; de avond in het museum maakt van "
        "inzenders ambassadeurs en laat ons hen persoonlijk bedanken."
    ),
}
MUSEUM_MEASURES = [
    MeasureInput("Ingezonden verhaallijnen", Decimal(150), "verhalen"),
    MeasureInput("Deelnemers die voor het eerst meedoen", Decimal(40), "%"),
    MeasureInput("Verhaallijnen in de tentoonstelling", Decimal(12), "verhalen"),
]

FESTIVAL_BRIEF = {
    "goal": (
        "Programme a quarter of next summer's festival together with our audience, so the "
        "line-up feels like theirs and they bring their friends."
    ),
    "business_challenge": (
        "Ticket sales depend on a few headliners, and our regulars tell us the smaller "
        "stages feel random. We need our audience's knowledge of the local scene."
    ),
    "audience": "Festival-goers of the last three editions and the city's music community.",
    "audience_insight": (
        "They know bands we have never heard of, and they want to see them on a real stage. "
        "Proposers of a booked act get two tickets and their name in the programme."
    ),
    "audience_challenge": (
        "Their tips usually vanish in our inbox without an answer, so they stopped sending them."
    ),
    "channels": (
        "An open call for acts, a conversation about the festival's direction, and a live "
        "session at the autumn club night."
    ),
    "channels_reason": (
        "The call gathers concrete acts, the conversation shows what the audience agrees on, "
        "and the club night turns the most active people into ambassadors."
    ),
}
FESTIVAL_MEASURES = [
    MeasureInput("Acts proposed", Decimal(300), "acts"),
    MeasureInput("Booked acts that came from the audience", Decimal(10), "acts"),
    MeasureInput("Tickets sold through ambassador links", Decimal(500), "tickets"),
]

OPEN_CALL_SELF_CHECK = {
    "new_ideas": "yes",
    "agreement": "no",
    "same_moment": "no",
    "will_answer": "yes",
}


MUSEUM_CALL: dict[str, Any] = {
    "description": (
        "Welk verhaal over jouw stad moet in de tentoonstelling? Stuur een verhaallijn in: "
        "een plek, een mens, een moment dat laat zien hoe de stad van morgen begint. "
        "Steun de verhalen die jou raken en praat mee."
    ),
    "scope": (
        "Verhalen over de stad en haar bewoners, van vroeger, nu of later. Eén verhaallijn "
        "per inzending. Geen reclame, en geen verhalen over iemand zonder diens toestemming."
    ),
    "criteria": (
        "- Raakt het verhaal bezoekers die de stad niet kennen?\n"
        "- Laat het een kant van de stad zien die we nog niet tonen?\n"
        "- Kunnen we het verbeelden met voorwerpen, beeld of geluid?"
    ),
    "after_selection": (
        "De curatoren werken de gekozen verhaallijnen samen met de inzenders uit. Ze komen "
        "in de tentoonstelling die in september opent."
    ),
    "reward": (
        "Je naam bij je verhaal in de zaal, twee vrijkaarten voor de opening, en een avond "
        "met de curatoren om de tentoonstelling samen af te maken."
    ),
}
MUSEUM_IDEAS = [
    (
        "fatima",
        "De bakkerij op de hoek die nooit dichtging",
        "Mijn opa bakte veertig jaar lang brood op de hoek van de Havenstraat. Tijdens de "
        "overstroming van 1953 bleef de oven aan en kwam de hele buurt daar warm worden.\n\n"
        "Ik heb nog zijn schort, de sleutel en foto's van de rij voor de deur.",
    ),
    (
        "sem",
        "Skaters onder het viaduct",
        "Onder het viaduct bij het station bouwden jongeren zelf een skatepark. De gemeente "
        "wilde het slopen, de buurt vocht ervoor. Nu staat het in elke reisgids.",
    ),
    (
        "astrid",
        "Nieuwe buren, oude stad",
        "Ik woon hier pas twee jaar. Mijn verhaal gaat over de eerste keer dat de buurvrouw "
        "aanbelde met soep, en hoe ik door haar de stad leerde kennen.",
    ),
    (
        "joost",
        "De stad onder water, straks",
        "Hoe ziet de stad eruit als de zee een meter stijgt? Een verhaal vanuit 2080, "
        "verteld door een kind dat op de dijk woont.",
    ),
    (
        "lena",
        "Het laatste telefoonhokje",
        "Op het plein staat nog één telefoonhokje. Mensen laten er briefjes achter voor "
        "elkaar. Ik verzamel ze al drie jaar.",
    ),
    (
        "member",
        "Fietsenmakers als buurthuis",
        "De fietsenmaker in mijn straat is eigenlijk het buurthuis: iedereen komt er even "
        "langs. Een verhaal over plekken die nergens voor bedoeld zijn en toch alles zijn.",
    ),
]
MUSEUM_COMMENTS = [
    ("sem", 0, "Prachtig! Is die sleutel nog van de oude deur?"),
    ("fatima", 0, "Ja, de deur is er niet meer, de sleutel wel."),
    ("member", 1, "Ik skate daar nog elke week. Ik heb foto's van de eerste ramp."),
    ("lena", 3, "Misschien kan het museum een maquette maken van de stad in 2080?"),
    ("ingrid", 4, "Ik heb er vorig jaar een briefje achtergelaten. Wat een mooi idee."),
]

FESTIVAL_CALL: dict[str, Any] = {
    "description": (
        "Which act should play our small stages in 2027? Propose a band, a DJ or a "
        "performer you love, tell us why, and support the proposals of others."
    ),
    "scope": "Acts that can play a small stage (up to 300 people). Any genre, any size of fame.",
    "criteria": (
        "- Does the act surprise our audience?\n"
        "- Would it fill a small stage at four in the afternoon?\n"
        "- Does it fit a weekend by the harbour?"
    ),
    "after_selection": (
        "We contact the selected acts ourselves and announce the ones that say yes in the "
        "spring line-up."
    ),
    "reward": (
        "Proposers of a booked act get two weekend tickets and their name in the programme "
        "booklet as co-programmer."
    ),
}
FESTIVAL_IDEAS = [
    (
        "mia",
        "Saltwater Choir",
        "A forty-voice choir singing sea shanties rearranged as "
        "electronic music. I saw them at a harbour party and the whole quay danced.",
        "selected",
        "Booked for Saturday afternoon on the Pier stage. Thank you, Mia: see you up front!",
    ),
    (
        "astrid",
        "Nordlys DJs",
        "A collective of DJs from Tromsø playing northern lights themed ambient sets at sunset.",
        "in_progress",
        "We love it and are talking with them about travel dates. More news in March.",
    ),
    (
        "member",
        "The Tin Can Orchestra",
        "Kids from the music school playing on instruments "
        "made from recycled tins. Loud, joyful and very local.",
        "selected",
        "Yes! They open the festival on Friday. The music school is already rehearsing.",
    ),
    (
        "joost",
        "A silent disco on the boats",
        "Headphones, three channels, and the old ferry as a dance floor.",
        "not_selected",
        "A great idea, but the harbour master does not allow crowds on the ferry. We keep it "
        "for a land-based silent disco in 2028.",
    ),
]


def run_museum_call(space: Space, owner: User, moderator: User, users: dict[str, User]) -> None:
    """The museum's call is open: ideas in several stages, with support and discussion."""
    start = timezone.now() - timedelta(days=24)
    with replay(start):
        storylines = do_create_activity(owner, space, title="Jouw verhaal in ‘De stad van morgen’")
        do_update_brief(
            owner,
            storylines,
            texts=MUSEUM_BRIEF,
            measures=MUSEUM_MEASURES,
            self_check=OPEN_CALL_SELF_CHECK,
            kind="call",
        )
        call = storylines.call
        do_update_call_rules(owner, call, **MUSEUM_CALL, blind=False, supporters="anyone")
        do_update_call_schedule(
            owner,
            call,
            submission_ends_at=start + timedelta(days=45),
            support_ends_at=start + timedelta(days=60),
            review_ends_at=start + timedelta(days=75),
            stage_override="",
            submissions_paused=False,
            momentum=[(3, 30), (6, 60)],
            review_dates=[(start + timedelta(days=40)).date(), (start + timedelta(days=70)).date()],
        )
        do_update_jury(
            owner,
            call,
            criteria=[
                ("Raakt het bezoekers?", 3),
                ("Is het nieuw?", 2),
                ("Is het te verbeelden?", 1),
            ],
            evaluators=[moderator],
        )
        do_open_activity(owner, storylines)
    ideas = []
    for day, (who, title, body) in enumerate(MUSEUM_IDEAS):
        with replay(start + timedelta(days=1 + day * 3, hours=9)):
            author = Participant.objects.get(user=users[f"{who}@demo.example"])
            ideas.append(do_submit_idea(author, call, title=title, body=body))
    supporters = [Participant.objects.get(user=user) for user in users.values()]
    for index, idea in enumerate(ideas):
        for offset, supporter in enumerate(supporters[: [8, 6, 4, 2, 5, 1][index]]):
            if supporter.pk != idea.author_id:
                with replay(idea.created_at + timedelta(days=1 + offset % 4, hours=offset)):
                    do_support_idea(supporter, idea)
    for who, index, text in MUSEUM_COMMENTS:
        idea = ideas[index]
        with replay(idea.created_at + timedelta(days=2, hours=len(text) % 7)):
            author = Participant.objects.get(user=users[f"{who}@demo.example"])
            parent = idea.thread.comments.first() if who == "fatima" else None
            comment = do_add_comment(author, idea.thread, text, parent=parent)
            if who == "lena":
                do_mark_helpful(idea.author, comment)
    with replay(start + timedelta(days=20)):
        do_answer_idea(
            owner,
            ideas[0],
            status="selected",
            text=(
                "Dit verhaal komt in de zaal over de haven. We nemen contact met je op over "
                "de schort en de sleutel."
            ),
        )
        do_answer_idea(
            moderator,
            ideas[5],
            status="under_review",
            text="Mooi gezien. We bekijken het bij de review in de volgende ronde.",
        )


def run_festival_call(space: Space, owner: User, moderator: User, users: dict[str, User]) -> None:
    """The festival's call is over: answered, closed, and reported on."""
    start = timezone.now() - timedelta(days=120)
    with replay(start):
        programme = do_create_activity(moderator, space, title="Co-programme the 2027 small stages")
        do_update_brief(
            moderator,
            programme,
            texts=FESTIVAL_BRIEF,
            measures=FESTIVAL_MEASURES,
            self_check=OPEN_CALL_SELF_CHECK,
            kind="call",
        )
        call = programme.call
        do_update_call_rules(moderator, call, **FESTIVAL_CALL, blind=True, supporters="members")
        do_open_activity(moderator, programme)
    ideas = []
    for day, (who, title, body, _status, _answer) in enumerate(FESTIVAL_IDEAS):
        with replay(start + timedelta(days=2 + day * 5)):
            author = Participant.objects.get(user=users[f"{who}@demo.example"])
            ideas.append(do_submit_idea(author, call, title=title, body=body))
    members = [
        Participant.objects.get(user=membership.user)
        for membership in Membership.objects.filter(space=space).select_related("user")
    ]
    for index, idea in enumerate(ideas):
        for offset, supporter in enumerate(members[: 5 - index]):
            if supporter.pk != idea.author_id:
                with replay(idea.created_at + timedelta(days=offset + 1)):
                    do_support_idea(supporter, idea)
    with replay(start + timedelta(days=40)):
        do_close_activity(moderator, programme)
    for index, (_who, _title, _body, status, answer) in enumerate(FESTIVAL_IDEAS):
        with replay(start + timedelta(days=45 + index)):
            do_answer_idea(owner, ideas[index], status=status, text=answer)
    with replay(start + timedelta(days=50)):
        do_answer_activity(
            owner,
            programme,
            "Thank you all! Four acts were proposed and supported by our members. Two are "
            "booked for the small stages, one is in talks, and the silent disco moves to "
            "2028. Every proposer heard back within two weeks of the call closing.",
        )
        # Sammen counts the first two measures; the ticket sales come from the box office.
        counted_as = {0: ("ideas", None), 1: ("selected", None)}
        results: dict[int, tuple[str, Decimal | None]] = {
            measure.pk: counted_as.get(measure.position, ("", Decimal(320)))
            for measure in programme.brief.measures.all()
        }
        do_record_results(owner, programme, results)


def build_demo(demo: Demo) -> None:
    """Run the museum's call, then the festival's."""
    run_museum_call(demo.spaces["museum"], demo.owner, demo.moderator, demo.users)
    run_festival_call(demo.spaces["festival"], demo.owner, demo.moderator, demo.users)
