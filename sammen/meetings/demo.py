"""The demo meeting: the museum's annual partner day, four months ago, with its return.

Everything goes through the actions people use, replayed on the days it happened: the
planners' part (the brief, objectives, programme, costs, the business figures), the
registrations and check-ins, and what attendees answered during and after the day
(ratings, planned actions, learning, follow-ups with their impact estimates). The
follow-ups are sent without their emails: the demo's addresses are no one's. Planted
figures make every level of the return show a number: a well-rated day with one weak
panel, a clear learning gain, most attendees applying what they planned, and a positive
return on investment.
"""

import random
from datetime import datetime, time, timedelta
from decimal import Decimal
from unittest.mock import patch
from zoneinfo import ZoneInfo

from django.utils import timezone

from sammen.accounts.actions import do_create_anonymous_participant
from sammen.accounts.models import Participant, User
from sammen.activities.actions import (
    MeasureInput,
    do_close_activity,
    do_create_activity,
    do_open_activity,
    do_record_results,
    do_update_brief,
)
from sammen.demo.parts import Demo, replay

from .actions import (
    CostInput,
    Estimate,
    FollowUpInput,
    ObjectiveInput,
    SessionInput,
    do_add_cost_line,
    do_add_intangible,
    do_add_objective,
    do_add_session,
    do_answer_follow_up,
    do_answer_learning,
    do_cancel_registration,
    do_check_in,
    do_plan_action,
    do_rate_session,
    do_register,
    do_send_follow_ups,
    do_start_follow_ups,
    do_update_meeting,
)
from .actions.impact import do_record_impact
from .models import (
    Applied,
    FollowUp,
    Format,
    Level,
    Meeting,
    Moment,
    Objective,
    Registration,
    Session,
)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DAYS_AGO = 125  # the 90-day follow-up has come back
REGISTERED = 62
NO_SHOWS = 6
CANCELLED = 2
DEMO_ATTENDEES = ("member", "joost", "fatima", "sem", "lena", "astrid")

BRIEF = {
    "goal": (
        "Partners maken vaker samen met het museum programma's voor scholen en buurten, en "
        "weten hoe ze bezoekers daarbij laten meedenken."
    ),
    "business_challenge": (
        "Onze veertig partners kennen elkaar nauwelijks en boeken weinig gezamenlijke "
        "programma's. Elk jaar organiseren we een partnerdag, maar we weten niet of die iets "
        "oplevert."
    ),
    "audience": "Educatiemedewerkers en programmamakers van onze partnerorganisaties.",
    "audience_insight": (
        "Ze willen elkaar ontmoeten en concrete werkvormen meenemen, geen presentaties. Een dag "
        "die hun werk makkelijker maakt, is ze de reistijd waard."
    ),
    "audience_challenge": (
        "Ze hebben weinig tijd en budget; wat ze leren, moet de week erna al bruikbaar zijn."
    ),
    "channels": (
        "Een partnerdag in het museum, met werkvormen waarin partners zelf aan de slag gaan."
    ),
    "channels_reason": (
        "Samenwerken begint met elkaar kennen: dat lukt alleen als mensen op één plek "
        "samenkomen. Na 30 en 90 dagen vragen we wat ze ermee deden."
    ),
}
MEASURES = [
    MeasureInput("Partners die deelnemen", Decimal(55), "mensen"),
    MeasureInput("Gemiddelde waardering van de sessies", Decimal(4), "op 5"),
    MeasureInput("Rendement op de investering", Decimal(25), "%"),
]
METRICS = ["attendees", "reaction_mean", "roi_percent"]
SELF_CHECK = {"meet_in_person": "yes", "will_answer": "yes", "new_ideas": "no"}
DESCRIPTION = (
    "De jaarlijkse partnerdag van het Stadsmuseum: een dag om van elkaar te leren, samen "
    "programma's te bedenken en het museumjaar te plannen."
)

# (level, text, measure, target, how it is measured)
OBJECTIVES = [
    (
        Level.REACTION,
        "Partners beleven een inspirerende, goed georganiseerde dag",
        "Gemiddelde waardering van de sessies (1 tot 5)",
        Decimal(4),
        "Waardering per sessie, op de telefoon",
    ),
    (
        Level.LEARNING,
        "Partners weten hoe ze samen met bezoekers een programma maken",
        "Zelfinschatting voor en na (1 tot 5)",
        Decimal(1),
        "Bij aanmelding en aan het eind van de dag",
    ),
    (
        Level.LEARNING,
        "Partners kennen de regels voor gezamenlijke subsidies",
        "Zelfinschatting voor en na (1 tot 5)",
        Decimal("0.8"),
        "Bij aanmelding en aan het eind van de dag",
    ),
    (
        Level.APPLICATION,
        "Partners passen binnen drie maanden een werkvorm van de dag toe",
        "Aandeel dat het toepaste",
        Decimal(60),
        "Follow-up na 30 en 90 dagen",
    ),
    (
        Level.IMPACT,
        "Scholen boeken meer gezamenlijke educatieprogramma's",
        "Geboekte programma's per jaar",
        Decimal(1000),
        "Boekingssysteem, het jaar voor en na de dag",
    ),
    (
        Level.IMPACT,
        "Minder klachten over de bereikbaarheid van partnerlocaties",
        "Klachten per jaar",
        Decimal(60),
        "Klachtenregistratie, het jaar voor en na de dag",
    ),
]
# The business figures: before, after, what one unit is worth (a booked programme's net
# revenue; the handling of one complaint).
BUSINESS = [(Decimal(820), Decimal(1060), Decimal(275)), (Decimal(96), Decimal(70), Decimal(85))]

# (title, start, minutes, format, audience minutes, room, speaker, objectives served
# (indexes of OBJECTIVES), the planted mean rating)
PROGRAMME = [
    ("Waarom we samen maken: het museum in 2030", (9, 30), 45, Format.KEYNOTE, 10,
     "Grote zaal", "Marieke Jansen", (0,), 3.9),
    ("Wat partners van ons nodig hebben", (10, 30), 45, Format.PANEL, 10,
     "Grote zaal", "Vier partners", (2,), 3.2),
    ("Werkplaats: een programma maken mét bezoekers", (11, 30), 60, Format.WORKSHOP, 45,
     "Educatielokaal", "Team educatie", (1, 3), 4.5),
    ("Lunch in de museumtuin", (12, 30), 60, Format.NETWORKING, 60,
     "Museumtuin", "", (0,), 4.2),
    ("Wereldcafé: subsidies voor gezamenlijke projecten", (13, 30), 60, Format.WORLD_CAFE, 50,
     "Foyer", "Fonds Cultuurparticipatie", (2, 3), 4.1),
    ("Wandeling door het depot", (14, 45), 45, Format.SITE_VISIT, 25,
     "Depot", "Conservator Ruben de Wit", (0,), 4.6),
    ("Fishbowl: wat houdt ons tegen?", (15, 45), 45, Format.FISHBOWL, 40,
     "Grote zaal", "", (3, 4, 5), 3.9),
]  # fmt: skip
COSTS = [
    ("venue", "3500", "Zalen en depot, een hele dag"),
    ("catering", "2900", "Koffie, lunch en borrel voor zestig"),
    ("speakers", "1800", "Spreker en gespreksleiders"),
    ("staff", "6400", "Vier medewerkers, drie dagen elk"),
    ("technology", "650", "Geluid, schermen en de app"),
    ("travel", "900", "Reiskosten van partners uit de regio"),
    ("other", "350", "Drukwerk en badges"),
]
INTANGIBLES = [
    "Partners kennen elkaar en bellen elkaar voortaan zelf",
    "Meer vertrouwen tussen het museum en kleine partners",
]
PLANS = [
    "Ik laat leerlingen zelf een rondleiding bedenken voor hun ouders.",
    "We starten een gezamenlijk programma met de bibliotheek in de wijk.",
    "Ik vraag bezoekers vooraf wat zij in de tentoonstelling willen zien.",
    "Ik dien samen met twee partners een subsidieaanvraag in.",
    "We gebruiken de werkvorm van de werkplaats in ons teamoverleg.",
    "Ik nodig een buurtpanel uit om ons lesprogramma te testen.",
    "We maken een wandeling langs partnerlocaties voor scholen.",
    "Ik bel de partners die ik vandaag sprak binnen een maand.",
]
HELPED = [
    "Mijn leidinggevende gaf me er tijd voor.",
    "Het contact met een andere partner van die dag.",
    "De werkvorm was eenvoudig over te nemen.",
]
HINDERED = [
    "Te weinig tijd naast het gewone werk.",
    "Geen budget dit jaar.",
    "De scholen zaten al vol met andere projecten.",
]


def at(day: datetime, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day.date(), time(hour, minute), tzinfo=AMSTERDAM)


def score(rng: random.Random, mean: float) -> int:
    return min(5, max(1, round(rng.gauss(mean, 0.8))))


def plan_meeting(owner: User, meeting: Meeting, day: datetime) -> list[tuple[Session, float]]:
    """The planners' design, a month and a half before the day."""
    objectives = [
        do_add_objective(owner, meeting, ObjectiveInput(level, text, measure, target, how))
        for level, text, measure, target, how in OBJECTIVES
    ]
    sessions = []
    for title, (hour, minute), minutes, fmt, audience, room, speaker, serves, mean in PROGRAMME:
        starts = at(day, hour, minute)
        session = do_add_session(
            owner,
            meeting,
            SessionInput(
                title,
                starts,
                starts + timedelta(minutes=minutes),
                room=room,
                speaker=speaker,
                format=fmt,
                audience_minutes=audience,
                objective_ids=tuple(objectives[index].pk for index in serves),
            ),
        )
        sessions.append((session, mean))
    for category, amount, what in COSTS:
        do_add_cost_line(owner, meeting, CostInput(category, Decimal(amount), what))
    for text in INTANGIBLES:
        do_add_intangible(owner, meeting, text)
    return sessions


def register_partners(demo: Demo, meeting: Meeting, rng: random.Random) -> list[Registration]:
    """Sixty-two partners register over a month: the demo's people and others."""
    people: list[tuple[Participant, str, str]] = []
    for name in DEMO_ATTENDEES:
        user = demo.user(name)
        participant = Participant.objects.get(user=user)
        people.append((participant, user.display_name, user.email))
    for number in range(REGISTERED - len(people)):
        first = rng.choice(["Anne", "Bas", "Chris", "Daan", "Eline", "Femke", "Gijs", "Hanna"])
        last = rng.choice(["de Boer", "Visser", "Smit", "Mulder", "Bos", "Peters", "Hendriks"])
        people.append(
            (
                do_create_anonymous_participant(),
                f"{first} {last}",
                f"partner{number + 1}@demo.example",
            )
        )
    registrations = []
    for participant, name, email in people:
        registrations.append(
            do_register(meeting, participant, name=name, email=email, confirmed=True)
        )
    return registrations


def answer_during(
    rng: random.Random,
    attendees: list[Registration],
    sessions: list[tuple[Session, float]],
    learning: list[Objective],
    gains: dict[tuple[int, int], float],
    day: datetime,
) -> None:
    """At the end of the day: ratings, planned actions and the self-assessment again."""
    with replay(at(day, 16, 45)):
        for registration in attendees:
            for session, mean in sessions:
                if rng.random() < 0.85:
                    do_rate_session(registration, session, score=score(rng, mean))
            if rng.random() < 0.82:
                do_plan_action(
                    registration,
                    text=rng.choice(PLANS),
                    confidence=rng.choice([50, 60, 70, 70, 80, 80, 90]),
                )
            if rng.random() < 0.85:
                for objective in learning:
                    before = gains[objective.pk, registration.pk]
                    after = min(5, max(1, round(rng.gauss(before, 0.6))))
                    do_answer_learning(registration, objective, Moment.AFTER, after)


def assess_before(
    rng: random.Random, registrations: list[Registration], learning: list[Objective]
) -> dict[tuple[int, int], float]:
    """At registration, each partner says how well they know each learning objective;
    return where each would stand after the day (their answer plus the planted gain)."""
    expected = {}
    for registration in registrations:
        for objective, (mean, gain) in zip(learning, [(2.4, 1.2), (2.1, 0.9)], strict=True):
            before = min(5, max(1, round(rng.gauss(mean, 0.7))))
            do_answer_learning(registration, objective, Moment.BEFORE, before)
            expected[objective.pk, registration.pk] = before + gain
    return expected


def follow_up(
    rng: random.Random, meeting: Meeting, days: int, sent: datetime, impacts: list[Objective]
) -> None:
    """A follow-up round: sent to every attendee, answered by most within a week; the
    90-day round asks for the impact estimates."""
    applied_share, fully_share = (0.74, 0.42) if days == 30 else (0.80, 0.55)
    with replay(sent), patch("sammen.meetings.actions.follow_ups.email_follow_up"):
        do_start_follow_ups(meeting, days)
        do_send_follow_ups(meeting, days, sent)
    rounds = FollowUp.objects.filter(registration__meeting=meeting, days=days).order_by("pk")
    for round_ in rounds.select_related("registration__meeting__activity"):
        if rng.random() >= (0.8 if days == 30 else 0.74):
            continue
        draw = rng.random()
        applied = (
            Applied.YES
            if draw < fully_share
            else Applied.PARTLY
            if draw < applied_share
            else Applied.NO
        )
        estimates = {
            objective.pk: Estimate(
                min(100, max(0, round(rng.gauss(contribution, 15) / 5) * 5)),
                min(100, max(10, round(rng.gauss(confidence, 12) / 10) * 10)),
            )
            for objective, (contribution, confidence) in zip(
                impacts, [(45, 75), (30, 70)], strict=False
            )
        }
        with replay(sent + timedelta(days=rng.randint(0, 6), hours=rng.randint(8, 20))):
            do_answer_follow_up(
                round_,
                FollowUpInput(
                    applied,
                    "" if applied == Applied.NO else rng.choice(["once", "sometimes", "often"]),
                    helped=rng.choice(HELPED)
                    if applied == Applied.YES and rng.random() < 0.3
                    else "",
                    hindered=rng.choice(HINDERED)
                    if applied == Applied.NO and rng.random() < 0.6
                    else "",
                    estimates=estimates,
                ),
            )


def run_partner_day(demo: Demo) -> Meeting:
    """The partner day, from its brief to its return; closed, waiting for its answer."""
    rng = random.Random(2027)  # noqa: S311 - demo data, not a secret
    space, owner = demo.spaces["museum"], demo.owner
    day = timezone.localtime(timezone.now() - timedelta(days=DAYS_AGO), AMSTERDAM)
    day = at(day, 9)
    with replay(day - timedelta(days=45)):
        activity = do_create_activity(
            owner, space, title="Partnerdag van het Stadsmuseum", kind="meeting"
        )
        do_update_brief(owner, activity, texts=BRIEF, measures=MEASURES, self_check=SELF_CHECK)
        meeting = Meeting.objects.get(activity=activity)
        do_update_meeting(
            owner,
            meeting,
            description=DESCRIPTION,
            starts_at=day,
            ends_at=at(day, 17),
            venue="Stadsmuseum Zuiderlicht",
            online_url="",
            capacity=70,
            audience="anyone",
            registration_open=True,
            follow_up_days=[30, 90],
        )
        sessions = plan_meeting(owner, meeting, day)
        do_open_activity(owner, activity)
    meeting.activity.refresh_from_db()
    objectives = list(Objective.objects.filter(meeting=meeting))
    learning = [objective for objective in objectives if objective.level == Level.LEARNING]
    impacts = [objective for objective in objectives if objective.level == Level.IMPACT]
    with replay(day - timedelta(days=30)):
        registrations = register_partners(demo, meeting, rng)
        gains = assess_before(rng, registrations, learning)
    with replay(day - timedelta(days=3)):
        for registration in registrations[-CANCELLED:]:
            do_cancel_registration(registration)
    expected = registrations[: len(registrations) - CANCELLED]
    attendees = expected[: len(expected) - NO_SHOWS]
    for minute, registration in enumerate(attendees):
        with replay(day - timedelta(minutes=40 - minute // 2)):
            do_check_in(owner, registration)
    answer_during(rng, attendees, sessions, learning, gains, day)
    follow_up(rng, meeting, 30, day + timedelta(days=30), [])
    follow_up(rng, meeting, 90, day + timedelta(days=90), impacts)
    with replay(day + timedelta(days=105)):
        for objective, (before, after, per_unit) in zip(impacts, BUSINESS, strict=True):
            do_record_impact(owner, objective, before=before, after=after, per_unit=per_unit)
        do_close_activity(owner, activity)
        measures = list(activity.brief.measures.all())
        do_record_results(
            owner,
            activity,
            {measure.pk: (metric, None) for measure, metric in zip(measures, METRICS, strict=True)},
        )
    meeting.refresh_from_db()
    return meeting


def build_demo(demo: Demo) -> None:
    """The meeting's demo part: the museum's annual partner day."""
    run_partner_day(demo)
