"""Journeys to start from: a museum visit, a festival weekend, a support request and a
public service application, each with its stages and touchpoints.

The names are translated; a starter is applied in the space's language (it becomes the
organiser's own text, to change as they like). Monthly volumes are left empty: they are
the organisation's own figures.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from .models import Channel, Performer, Risk


@dataclass(frozen=True)
class StarterTouchpoint:
    name: StrOrPromise
    description: StrOrPromise
    channel: str
    performer: str
    risk: str


@dataclass(frozen=True)
class StarterStage:
    name: StrOrPromise
    touchpoints: tuple[StarterTouchpoint, ...]


@dataclass(frozen=True)
class Starter:
    key: str
    title: StrOrPromise
    summary: StrOrPromise
    stages: tuple[StarterStage, ...]

    @property
    def touchpoint_count(self) -> int:
        return sum(len(stage.touchpoints) for stage in self.stages)


IN_PERSON, PHONE, WEB, APP = Channel.IN_PERSON, Channel.PHONE, Channel.WEB, Channel.APP
EMAIL, CHAT, LETTER, OTHER = Channel.EMAIL, Channel.CHAT, Channel.LETTER, Channel.OTHER
STAFF, SELF, MACHINE = Performer.STAFF, Performer.SELF_SERVICE, Performer.AUTOMATED
LOW, MEDIUM, HIGH = Risk.LOW, Risk.MEDIUM, Risk.HIGH

T = StarterTouchpoint
S = StarterStage

MUSEUM = Starter(
    "museum",
    _("Museum visit"),
    _("From finding the opening hours to the thank-you email."),
    (
        S(
            _("Before the visit"),
            (
                T(
                    _("Finding opening hours and prices"),
                    _("On our website or a search engine."),
                    WEB,
                    SELF,
                    LOW,
                ),
                T(
                    _("Buying a ticket online"),
                    _("Choosing a time slot and paying."),
                    WEB,
                    MACHINE,
                    MEDIUM,
                ),
                T(
                    _("Planning how to get there"),
                    _("Directions, parking and public transport."),
                    WEB,
                    SELF,
                    LOW,
                ),
            ),
        ),
        S(
            _("Arrival"),
            (
                T(
                    _("Finding the entrance"),
                    _("Signs outside and the way in."),
                    IN_PERSON,
                    SELF,
                    LOW,
                ),
                T(
                    _("The welcome at the desk"),
                    _("Showing or buying a ticket, the first word from staff."),
                    IN_PERSON,
                    STAFF,
                    HIGH,
                ),
                T(
                    _("Cloakroom and lockers"),
                    _("Leaving coats and bags."),
                    IN_PERSON,
                    STAFF,
                    LOW,
                ),
            ),
        ),
        S(
            _("The visit"),
            (
                T(
                    _("Finding your way through the rooms"),
                    _("The route, the map and the signs."),
                    IN_PERSON,
                    SELF,
                    LOW,
                ),
                T(
                    _("The main exhibition"),
                    _("The works, the texts beside them, the light and the space."),
                    IN_PERSON,
                    SELF,
                    MEDIUM,
                ),
                T(
                    _("The audio guide or app"),
                    _("Listening to the stories behind the works."),
                    APP,
                    MACHINE,
                    LOW,
                ),
                T(
                    _("Asking a guide or guard a question"),
                    _("Someone from the museum, in the rooms."),
                    IN_PERSON,
                    STAFF,
                    MEDIUM,
                ),
                T(
                    _("The café"),
                    _("A break with something to eat or drink."),
                    IN_PERSON,
                    STAFF,
                    LOW,
                ),
            ),
        ),
        S(
            _("Leaving"),
            (
                T(
                    _("The museum shop"),
                    _("Books, postcards and gifts on the way out."),
                    IN_PERSON,
                    STAFF,
                    LOW,
                ),
            ),
        ),
        S(
            _("Afterwards"),
            (
                T(
                    _("The thank-you email"),
                    _("A message after the visit, with a short survey."),
                    EMAIL,
                    MACHINE,
                    LOW,
                ),
            ),
        ),
    ),
)

FESTIVAL = Starter(
    "festival",
    _("Festival weekend"),
    _("From buying a ticket to the aftermovie."),
    (
        S(
            _("Before the festival"),
            (
                T(
                    _("Buying a ticket"),
                    _("The ticket shop, the queue and paying."),
                    WEB,
                    MACHINE,
                    HIGH,
                ),
                T(
                    _("Line-up and timetable"),
                    _("Finding out who plays when, in the app or on the website."),
                    APP,
                    MACHINE,
                    LOW,
                ),
                T(
                    _("The practical information email"),
                    _("What to bring, how to get there, the rules."),
                    EMAIL,
                    MACHINE,
                    MEDIUM,
                ),
            ),
        ),
        S(
            _("Arrival"),
            (
                T(
                    _("Getting to the site"),
                    _("Shuttle buses, trains, bikes and parking."),
                    IN_PERSON,
                    SELF,
                    MEDIUM,
                ),
                T(
                    _("Entrance and bag check"),
                    _("Queueing, the security check and the way in."),
                    IN_PERSON,
                    STAFF,
                    HIGH,
                ),
                T(
                    _("Getting your wristband"),
                    _("Swapping the ticket for a wristband."),
                    IN_PERSON,
                    STAFF,
                    MEDIUM,
                ),
            ),
        ),
        S(
            _("At the festival"),
            (
                T(
                    _("Finding your way on the site"),
                    _("Maps, signs and the app."),
                    APP,
                    SELF,
                    LOW,
                ),
                T(
                    _("Food and drinks"),
                    _("The stalls, the queues and paying."),
                    IN_PERSON,
                    STAFF,
                    LOW,
                ),
                T(
                    _("Toilets and water points"),
                    _("Finding them, queueing and how clean they are."),
                    IN_PERSON,
                    SELF,
                    MEDIUM,
                ),
                T(
                    _("The concerts"),
                    _("The music, the sound and the view of the stage."),
                    IN_PERSON,
                    STAFF,
                    LOW,
                ),
                T(
                    _("The info booth and first aid"),
                    _("Asking for help, reporting something lost or feeling unwell."),
                    IN_PERSON,
                    STAFF,
                    HIGH,
                ),
            ),
        ),
        S(
            _("Going home"),
            (
                T(
                    _("Leaving the site at night"),
                    _("The way out, the crowd and the last shuttles."),
                    IN_PERSON,
                    STAFF,
                    HIGH,
                ),
            ),
        ),
        S(
            _("Afterwards"),
            (
                T(
                    _("The aftermovie and thank-you message"),
                    _("Memories of the weekend, in the app and on social media."),
                    APP,
                    MACHINE,
                    LOW,
                ),
                T(
                    _("Lost property and refunds"),
                    _("Getting something back, or your money."),
                    WEB,
                    STAFF,
                    MEDIUM,
                ),
            ),
        ),
    ),
)

SUPPORT = Starter(
    "support",
    _("Support request"),
    _("From noticing a problem to knowing it is solved."),
    (
        S(
            _("Noticing the problem"),
            (
                T(
                    _("An error message"),
                    _("The message shown when something goes wrong."),
                    APP,
                    MACHINE,
                    MEDIUM,
                ),
            ),
        ),
        S(
            _("Looking for help"),
            (
                T(
                    _("Searching the help pages"),
                    _("Looking for the answer yourself."),
                    WEB,
                    SELF,
                    LOW,
                ),
                T(
                    _("The chatbot"),
                    _("Answers from a machine, in the chat window."),
                    CHAT,
                    MACHINE,
                    MEDIUM,
                ),
            ),
        ),
        S(
            _("Getting in touch"),
            (
                T(
                    _("Finding how to contact us"),
                    _("A phone number, a form or a chat with a person."),
                    WEB,
                    SELF,
                    MEDIUM,
                ),
                T(
                    _("The phone menu and waiting"),
                    _("Choosing options and waiting on the line."),
                    PHONE,
                    MACHINE,
                    HIGH,
                ),
                T(
                    _("The contact form"),
                    _("Describing the problem in writing."),
                    WEB,
                    SELF,
                    MEDIUM,
                ),
                T(
                    _("The first reply"),
                    _("The first answer from a person, and how long it took."),
                    EMAIL,
                    STAFF,
                    MEDIUM,
                ),
            ),
        ),
        S(
            _("Getting it solved"),
            (
                T(
                    _("Explaining the problem to someone"),
                    _("Being listened to and understood."),
                    PHONE,
                    STAFF,
                    HIGH,
                ),
                T(
                    _("Being passed on to a specialist"),
                    _("A handover, without telling the story again."),
                    PHONE,
                    STAFF,
                    HIGH,
                ),
                T(
                    _("The solution"),
                    _("The fix or the answer, and whether it works."),
                    EMAIL,
                    STAFF,
                    HIGH,
                ),
            ),
        ),
        S(
            _("Afterwards"),
            (
                T(
                    _("The confirmation that it is solved"),
                    _("A message that closes the request."),
                    EMAIL,
                    MACHINE,
                    MEDIUM,
                ),
                T(
                    _("The satisfaction survey"),
                    _("A few questions on how it went."),
                    EMAIL,
                    MACHINE,
                    LOW,
                ),
            ),
        ),
    ),
)

APPLICATION = Starter(
    "application",
    _("Public service application"),
    _("Applying for a permit or an allowance, from finding out to the decision."),
    (
        S(
            _("Finding out"),
            (
                T(
                    _("Finding the right service"),
                    _("On the website of the municipality or agency."),
                    WEB,
                    SELF,
                    MEDIUM,
                ),
                T(
                    _("Checking whether you qualify"),
                    _("The conditions, in words you understand."),
                    WEB,
                    SELF,
                    MEDIUM,
                ),
                T(
                    _("Calling with a question"),
                    _("The contact centre, before you apply."),
                    PHONE,
                    STAFF,
                    MEDIUM,
                ),
            ),
        ),
        S(
            _("Applying"),
            (
                T(
                    _("Logging in with your digital ID"),
                    _("Proving who you are online."),
                    WEB,
                    MACHINE,
                    HIGH,
                ),
                T(
                    _("Filling in the application form"),
                    _("The questions, and knowing what they mean."),
                    WEB,
                    SELF,
                    HIGH,
                ),
                T(
                    _("Adding documents"),
                    _("Finding, scanning and uploading what is asked for."),
                    WEB,
                    SELF,
                    HIGH,
                ),
                T(
                    _("The confirmation of receipt"),
                    _("Knowing your application arrived, and what happens next."),
                    EMAIL,
                    MACHINE,
                    MEDIUM,
                ),
            ),
        ),
        S(
            _("Waiting"),
            (
                T(
                    _("Checking how far it is"),
                    _("The status of the application, online."),
                    WEB,
                    MACHINE,
                    MEDIUM,
                ),
                T(
                    _("A request for more information"),
                    _("A letter or call asking for something missing."),
                    LETTER,
                    STAFF,
                    HIGH,
                ),
            ),
        ),
        S(
            _("The decision"),
            (
                T(
                    _("The decision letter"),
                    _("The outcome and the reasons for it."),
                    LETTER,
                    STAFF,
                    HIGH,
                ),
                T(
                    _("An appointment at the service desk"),
                    _("Collecting the permit or talking it through in person."),
                    IN_PERSON,
                    STAFF,
                    MEDIUM,
                ),
            ),
        ),
        S(
            _("Afterwards"),
            (
                T(
                    _("Objecting to the decision"),
                    _("If you disagree: how to object and who listens."),
                    WEB,
                    STAFF,
                    HIGH,
                ),
                T(
                    _("Receiving the permit or payment"),
                    _("The result arriving, on time and as promised."),
                    OTHER,
                    MACHINE,
                    HIGH,
                ),
            ),
        ),
    ),
)

STARTERS: dict[str, Starter] = {
    starter.key: starter for starter in (MUSEUM, FESTIVAL, SUPPORT, APPLICATION)
}
