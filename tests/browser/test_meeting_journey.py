"""A meeting from registration to its return, in the browser: an attendee registers on a
phone and confirms by email, is checked in at the door, rates a session, says what she
learned and what she will do, answers the follow-up weeks later; the planner enters the
business figures, reads the return (levels 0 to 5, the ROI) and publishes the answer,
which the attendee hears of by email.

Nine other attendees answer by the actions, so that every level has the ten answers the
report needs before it shows a figure; the tenth, whose answers move the figures, is the
one in the browser.
"""

import re
from datetime import timedelta
from decimal import Decimal

from django.core import mail
from playwright.sync_api import Page, expect

from sammen.accounts.actions import do_create_account
from sammen.accounts.models import User
from sammen.meetings.actions import (
    CostInput,
    Estimate,
    FollowUpInput,
    ObjectiveInput,
    do_add_cost_line,
    do_add_objective,
    do_answer_follow_up,
    do_answer_learning,
    do_check_in,
    do_plan_action,
    do_rate_session,
)
from sammen.meetings.follow_ups import follow_up_attendees
from sammen.meetings.models import (
    FollowUp,
    Level,
    Meeting,
    Moment,
    Objective,
    Registration,
)
from sammen.testing import PASSWORD, make_space
from sammen.testing.meetings import begin_meeting, make_meeting, register

from .conftest import DESKTOP, PHONE_390
from .test_meetings_answers import learn_and_plan
from .test_open_call import sign_in

OTHERS = 9


def path_of(link: str) -> str:
    """Return the path of an absolute link from an email (the site's address is not the
    test server's)."""
    return "/" + link.strip().split("://", 1)[1].split("/", 1)[1]


def link_in(body: object, part: str) -> str:
    return path_of(next(line for line in str(body).splitlines() if part in line))


def others_before(meeting: Meeting, learning: Objective) -> list[Registration]:
    """Register the other attendees, who rate themselves 2 of 5 before the meeting."""
    others = [register(meeting, f"Guest{number}") for number in range(1, OTHERS + 1)]
    for registration in others:
        do_answer_learning(registration, learning, Moment.BEFORE, 2)
    return others


def others_during(planner: User, meeting: Meeting, others: list[Registration]) -> None:
    """Check the others in; each rates the session 4, rates themselves 3 at the end and
    plans an action at 60%."""
    session = meeting.sessions.get()
    learning = meeting.objectives.get(level=Level.LEARNING)
    for registration in others:
        do_check_in(planner, registration)
        do_rate_session(registration, session, score=4)
        do_answer_learning(registration, learning, Moment.AFTER, 3)
        do_plan_action(registration, text="Invite a partner to plan with us", confidence=60)


def others_follow_up(others: list[Registration], impact: Objective) -> None:
    """Each other attendee applied it and credits the meeting with 50% at 80% (0.4)."""
    for registration in others:
        do_answer_follow_up(
            FollowUp.objects.get(registration=registration, days=30),
            FollowUpInput("yes", "often", estimates={impact.pk: Estimate(50, 80)}),
        )


def check_in_at_the_door(desk: Page, meeting_url: str, name: str) -> None:
    desk.goto(meeting_url + "check-in/")
    desk.wait_for_load_state()  # htmx listens once the page has loaded
    desk.get_by_label("Name or email").fill(name.split()[-1].lower())
    desk.get_by_role("button", name=f"Check in {name}").click()
    expect(desk.locator("#door-status")).to_have_text(f"Checked in: {name}.")


def test_from_registration_on_a_phone_to_the_return_report_and_the_answer(
    screens, assert_accessible
):
    planner = do_create_account("planner@example.org", PASSWORD, "Pia Planner")
    space = make_space(planner, "Harbour Museum", visibility="public")
    meeting = make_meeting(space, planner, "Partner day", capacity=40)
    learning = meeting.objectives.get()
    impact = do_add_objective(
        planner,
        meeting,
        ObjectiveInput(
            Level.IMPACT,
            "More programmes booked by partners",
            "Programmes booked a year",
            how_measured="The booking system",
        ),
    )
    do_add_cost_line(planner, meeting, CostInput("venue", Decimal(200), "The harbour hall"))
    others = others_before(meeting, learning)
    meeting_url = meeting.activity.get_absolute_url()

    # Rosa registers on her phone with her name and address, and confirms from the email.
    phone = screens.open(viewport=PHONE_390)
    phone.goto(meeting_url)
    phone.get_by_role("link", name="Register", exact=True).click()
    phone.get_by_label("Your name").fill("Rosa Jensen")
    phone.get_by_label("Your email address").fill("rosa@example.org")
    phone.get_by_role("button", name="Register").click()
    expect(phone.get_by_text("One step left: confirm your email address.")).to_be_visible()
    assert [message.to for message in mail.outbox] == [["rosa@example.org"]]
    phone.goto(link_in(mail.outbox[0].body, "/confirm/"))
    phone.get_by_role("button", name="Confirm my registration").click()
    expect(phone.locator(".flash")).to_have_text("You're registered.")
    ticket = phone.url
    rosa = Registration.objects.get(email="rosa@example.org")
    assert rosa.is_confirmed

    # Before the meeting, her ticket asks how well she can do what it will teach.
    phone.get_by_role("link", name="Answer now").click()
    phone.get_by_label("A little", exact=True).check()
    phone.get_by_role("button", name="Save my answers").click()
    expect(phone.locator(".flash")).to_contain_text("We ask again at the end of the meeting")

    # The day comes: the planner checks her in at the door, by the search box.
    begin_meeting(meeting, planner, ago=timedelta(hours=3))
    others_during(planner, meeting, others)
    desk = screens.open(viewport=DESKTOP)
    sign_in(desk, "planner@example.org")
    check_in_at_the_door(desk, meeting_url, "Rosa Jensen")
    expect(desk.locator("#door-counts")).to_contain_text("10 checked in")
    phone.goto(ticket)
    expect(phone.get_by_text(re.compile("Welcome! You checked in at"))).to_be_visible()

    # She rates the session, says how well she can do it now, and what she will do.
    phone.get_by_role("link", name="Rate and answer").click()
    session = meeting.sessions.get()
    card = phone.locator(f"#session-{session.pk}")
    card.get_by_label("Excellent", exact=True).check()
    card.get_by_role("button", name=re.compile("Save my rating")).click()
    expect(card).to_contain_text("Your rating: Excellent (5 of 5)")
    learn_and_plan(phone, "Co-curate the spring exhibition with two partners.")
    screens.shot(phone, "phone-answered")

    # Thirty days on, the follow-up link from the email: applied, and her estimate.
    assert meeting.ends_at is not None
    mail.outbox.clear()
    follow_up_attendees(meeting.ends_at + timedelta(days=30))
    assert len(mail.outbox) == OTHERS + 1
    rosa_mail = next(message for message in mail.outbox if message.to == ["rosa@example.org"])
    others_follow_up(others, impact)
    phone.goto(link_in(rosa_mail.body, "/follow-up/"))
    expect(phone.get_by_text("Co-curate the spring exhibition with two partners.")).to_be_visible()
    phone.get_by_label("Partly", exact=True).check()
    phone.get_by_label("Sometimes", exact=True).check()
    estimate = phone.locator(".answer-card", has_text="More programmes booked by partners")
    estimate.locator("fieldset").nth(0).get_by_label("40%", exact=True).check()
    estimate.locator("fieldset").nth(1).get_by_label("70%", exact=True).check()
    phone.get_by_role("button", name="Send my answers").click()
    expect(phone.get_by_role("heading", name="Thank you!")).to_be_visible()
    screens.shot(phone, "phone-follow-up-done")

    # The planner enters the business measure: 100 bookings before, 200 after, at 10 each.
    # The share credited is (9 × 0.5 × 0.8 + 0.4 × 0.7) / 10 = 0.388: a benefit of
    # 100 × 0.388 × 10 = 388 against 200 of costs, an ROI of 94%.
    desk.goto(meeting_url + "return/")
    card = desk.locator(f"#impact-{impact.pk}")
    card.get_by_label("Value before the meeting").fill("100")
    card.get_by_label("Value after the meeting").fill("200")
    card.get_by_label("What one unit is worth (EUR)").fill("10")
    card.get_by_role("button", name="Save the figures").click()
    expect(desk.get_by_text("The business figures are saved.")).to_be_visible()
    expect(card).to_contain_text("10 estimates from the follow-up after 30 days.")
    headline = desk.locator(".meeting-return__headline")
    expect(headline).to_contain_text("94%")
    expect(headline).to_contain_text("1.94")
    table = desk.get_by_role("table", name="The chain of evidence, level by level")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(6)
    # Ten attendees; reaction (9 × 4 + 5) / 10 = 4.1; learning (9 × 1 + 2) / 10 = 1.1;
    # all ten applied it, at least partly; the benefit 388; the ROI 94%.
    for number, figure in enumerate(("10", "4.1", "1.1", "100%", "388", "94%")):
        expect(rows.nth(number)).to_contain_text(figure)
    expect(table).not_to_contain_text("Too few")
    assert_accessible(desk)
    screens.shot(desk, "desk-return")

    # The planner closes the meeting and publishes the answer from the report's draft.
    mail.outbox.clear()
    desk.goto(meeting_url)
    desk.get_by_role("link", name="Close the activity…").click()
    desk.get_by_role("button", name="Close the activity").click()
    desk.goto(meeting_url + "return/")
    desk.get_by_role("button", name="Draft the answer").click()
    desk.get_by_label("Your public answer").fill(
        "You told us the workshop worked: next year, two workshops and a shorter panel."
    )
    desk.get_by_role("button", name="Publish the answer").click()
    expect(desk.get_by_text("Your answer is public")).to_be_visible()

    # Rosa, who has no account, gets one email with the link, and reads the answer.
    answered = [message for message in mail.outbox if message.to == ["rosa@example.org"]]
    assert [message.subject for message in answered] == [
        "A meeting you took part in has published its answer"
    ]
    phone.goto(link_in(answered[0].body, meeting_url))
    expect(phone.get_by_text("next year, two workshops and a shorter panel")).to_be_visible()
    expect(phone.get_by_text(re.compile("places? left"))).to_have_count(0)  # no more places
    screens.shot(phone, "phone-answer")
