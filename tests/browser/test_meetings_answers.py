"""An attendee on a phone, with no account: the questions before the meeting from the ticket,
two sessions rated, what they learned and what they will do differently at the end; and
weeks later the follow-up link from the email, answered once."""

import re
from datetime import timedelta

from django.core import mail
from playwright.sync_api import Page, expect

from sammen.accounts.actions import do_create_account
from sammen.activities.actions import do_open_activity, do_update_brief
from sammen.meetings.actions import ObjectiveInput, SessionInput, do_add_objective, do_add_session
from sammen.meetings.attendees import ticket_token
from sammen.meetings.follow_ups import follow_up_attendees
from sammen.meetings.models import (
    FollowUp,
    ImpactEstimate,
    LearningAnswer,
    PlannedAction,
    SessionRating,
)
from sammen.testing import COMPLETE_BRIEF, MEASURES, PASSWORD, make_space
from sammen.testing.meetings import begin_meeting, make_meeting, register

from .conftest import DESKTOP, PHONE_390
from .test_open_call import sign_in


def learn_and_plan(phone: Page, plan_text: str) -> None:
    """On the answers page: "Well" on the learning question, then a plan at 80%."""
    learned = phone.locator(".answer-card", has_text="How well can you do this now?")
    learned.get_by_label("Well", exact=True).check()
    learned.get_by_role("button", name=re.compile("^Save")).click()
    expect(phone.locator(".answer-card", has_text="How well can you do this now?")).to_contain_text(
        "Saved."
    )
    plan = phone.locator("#plan")
    plan.get_by_label("What will you do differently after this meeting?").fill(plan_text)
    plan.get_by_label("80%", exact=True).check()
    plan.get_by_role("button", name="Save my plan").click()
    expect(phone.locator("#plan")).to_contain_text("your plan is saved")


def test_an_attendee_answers_on_a_phone_during_the_meeting_and_weeks_later(
    screens, assert_accessible
):
    planner = do_create_account("planner@example.org", PASSWORD, "Pia Planner")
    space = make_space(planner, "Harbour Museum", visibility="public")
    meeting = make_meeting(space, planner, "Partner day")
    first = meeting.sessions.get()
    second = do_add_session(
        planner,
        meeting,
        SessionInput(
            title="World café: next year's exhibitions",
            starts_at=first.ends_at,
            ends_at=first.ends_at + timedelta(hours=1),
            room="Loft",
            speaker="Sam Host",
            format="world_cafe",
            audience_minutes=50,
        ),
    )
    impact = do_add_objective(
        planner,
        meeting,
        ObjectiveInput(
            level="impact", text="More visitors through partners", measure="Partner tickets a month"
        ),
    )
    rosa = register(meeting, "Rosa")
    ticket = meeting.activity.get_absolute_url() + f"registration/ticket/{ticket_token(rosa)}/"

    # Before the meeting the ticket asks how well she can do what it will teach.
    phone = screens.open(viewport=PHONE_390)
    phone.goto(ticket)
    expect(phone.get_by_text("One question on what you can do today.")).to_be_visible()
    phone.get_by_role("link", name="Answer now").click()
    phone.get_by_label("A little", exact=True).check()
    assert_accessible(phone)
    screens.shot(phone, "phone-learning-before")
    phone.get_by_role("button", name="Save my answers").click()
    expect(phone.locator(".flash")).to_contain_text("We ask again at the end of the meeting")
    expect(
        phone.get_by_text("Thank you for answering the questions before the meeting.")
    ).to_be_visible()

    # The planner gives the first session a live session from the programme, and opens it.
    desk = screens.open(viewport=DESKTOP)
    sign_in(desk, "planner@example.org")
    desk.goto(meeting.activity.get_absolute_url() + "programme/")
    desk.get_by_role("button", name=re.compile(f"Add a live session.*{first.title}")).click()
    expect(desk.locator(".flash")).to_contain_text("The live session is a draft")
    live = meeting.activity.links_out.get().target
    do_update_brief(planner, live, texts=COMPLETE_BRIEF, measures=MEASURES, self_check={})
    do_open_activity(planner, live)
    desk.goto(meeting.activity.get_absolute_url() + "programme/")
    expect(
        desk.get_by_role("link", name=re.compile(f"Live session · Open.*{first.title}"))
    ).to_be_visible()
    assert_accessible(desk)
    screens.shot(desk, "desk-programme-live")

    # The meeting is under way: the ticket leads to her answers.
    begin_meeting(meeting, planner, ago=timedelta(hours=4))
    phone.reload()
    expect(phone.get_by_role("link", name=re.compile("Join the live session"))).to_be_visible()
    screens.shot(phone, "phone-ticket-under-way")
    phone.get_by_role("link", name="Rate and answer").click()
    expect(
        phone.locator(f"#session-{first.pk}").get_by_role(
            "link", name=re.compile("Join the live session")
        )
    ).to_have_attribute("href", live.get_absolute_url())
    expect(phone.get_by_role("heading", name="Your answers")).to_be_visible()
    expect(phone.get_by_text("2 sessions to rate.")).to_be_visible()
    assert_accessible(phone)
    screens.shot(phone, "phone-answers")
    # A screenshot leaves style="" on the inputs (Playwright hides the caret), which htmx
    # would settle onto the swapped cards, against the CSP: start from a fresh page.
    phone.reload()

    # Two sessions rated with faces and words; htmx swaps each card in place.
    card = phone.locator(f"#session-{first.pk}")
    card.get_by_label("Good", exact=True).check()
    card.get_by_label("Anything to add? (optional)").fill("Hands on, and the right length.")
    card.get_by_role("button", name=re.compile("Save my rating")).click()
    expect(card).to_contain_text("Thank you: your rating is saved.")
    expect(card).to_contain_text("Your rating: Good (4 of 5)")
    card = phone.locator(f"#session-{second.pk}")
    card.get_by_label("Excellent", exact=True).check()
    card.get_by_role("button", name=re.compile("Save my rating")).click()
    expect(card).to_contain_text("Your rating: Excellent (5 of 5)")

    # What she learned, and what she will do differently.
    learn_and_plan(phone, "Ask two partners to co-curate the spring exhibition.")
    assert_accessible(phone)
    screens.shot(phone, "phone-answered")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_390["width"]

    assert sorted(SessionRating.objects.values_list("score", flat=True)) == [4, 5]
    assert PlannedAction.objects.get().confidence == 80
    assert sorted(LearningAnswer.objects.values_list("moment", "value")) == [
        ("after", 4),
        ("before", 2),
    ]

    # The same page on a wide screen.
    desk.goto(phone.url)
    expect(desk.get_by_text("You have rated every session that has begun.")).to_be_visible()
    screens.shot(desk, "desk-answers")

    # Thirty days after the meeting the daily job emails the follow-up link.
    assert meeting.ends_at is not None
    mail.outbox.clear()
    follow_up_attendees(meeting.ends_at + timedelta(days=30))
    assert [message.to for message in mail.outbox] == [["rosa@example.org"]]
    link = next(line for line in mail.outbox[0].body.splitlines() if "/follow-up/" in line)
    path = "/" + link.strip().split("://", 1)[1].split("/", 1)[1]
    phone.goto(path)
    expect(phone.get_by_role("heading", name="How is it going?")).to_be_visible()
    expect(
        phone.get_by_text("Ask two partners to co-curate the spring exhibition.")
    ).to_be_visible()
    phone.get_by_label("Partly", exact=True).check()
    phone.get_by_label("Sometimes", exact=True).check()
    phone.get_by_label("What helped you? (optional)").fill("My manager gave me the time.")
    estimate = phone.locator(".answer-card", has_text="More visitors through partners")
    estimate.locator("fieldset").nth(0).get_by_label("40%", exact=True).check()
    estimate.locator("fieldset").nth(1).get_by_label("70%", exact=True).check()
    assert_accessible(phone)
    screens.shot(phone, "phone-follow-up")
    desk.goto(path)
    screens.shot(desk, "desk-follow-up")
    phone.get_by_role("button", name="Send my answers").click()
    expect(phone.get_by_role("heading", name="Thank you!")).to_be_visible()
    screens.shot(phone, "phone-follow-up-done")
    follow_up = FollowUp.objects.get()
    assert (follow_up.applied, follow_up.frequency, follow_up.share_name) == (
        "partly",
        "sometimes",
        False,
    )
    estimate_row = ImpactEstimate.objects.get()
    assert (estimate_row.objective, estimate_row.contribution, estimate_row.confidence) == (
        impact,
        40,
        70,
    )

    # The link again, on another device: answered already, nothing changes.
    desk.goto(path)
    expect(desk.get_by_text(re.compile("You answered these questions on"))).to_be_visible()
    assert desk.locator("form.answer-form").count() == 0

    # Ninety days on, the next round: the form says what she estimated at 30 days, and
    # that a new estimate replaces it.
    mail.outbox.clear()
    follow_up_attendees(meeting.ends_at + timedelta(days=90))
    link = next(line for line in mail.outbox[0].body.splitlines() if "/follow-up/" in line)
    phone.goto("/" + link.strip().split("://", 1)[1].split("/", 1)[1])
    estimate = phone.locator(".answer-card", has_text="More visitors through partners")
    earlier = estimate.get_by_text("In the follow-up after 30 days you estimated that 40%")
    expect(earlier).to_be_visible()
    expect(
        estimate.get_by_role("group", name=re.compile("How much of this change"))
    ).to_have_attribute("aria-describedby", re.compile("helptext"))
    assert_accessible(phone)
    screens.shot(phone, "phone-follow-up-90")
