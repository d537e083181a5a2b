"""A planner reads a meeting's return on a phone, a desktop and a projector, enters the
business figures, and prints the report on A4 for the board: nothing is cut."""

from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from sammen.meetings.actions import do_rate_session
from sammen.meetings.models import Meeting
from sammen.meetings.tests.return_world import hand_meeting, on
from sammen.testing import make_space, make_user

from .conftest import ARTIFACTS, DESKTOP, PHONE_390
from .test_open_call import sign_in

PROJECTOR = {"width": 1920, "height": 1080}
A4_WIDTH = 794  # 210 mm at 96 pixels an inch


@pytest.fixture
def meeting(transactional_db: None) -> Meeting:
    owner = make_user("Olga")
    space = make_space(owner, "Harbour Museum", visibility="public")
    world = hand_meeting(space, owner, make_user("Bob"), make_user("Charlie"))
    assert world.meeting.starts_at is not None
    comments = [
        "Too many speakers for one hour.",
        "Good questions from the floor, but the microphone did not work at the back.",
        "https://example.org/a-very-long-link-without-any-space-in-it-that-must-wrap-somewhere",
        "More time for the partners themselves, please.",
    ]
    with on(world.meeting.starts_at + timedelta(hours=3)):
        for registration, comment in zip(world.registrations[3:], comments, strict=False):
            do_rate_session(registration, world.sessions[1], score=3, comment=comment)
    return world.meeting


def return_url(meeting: Meeting) -> str:
    return f"{meeting.activity.get_absolute_url()}return/"


def overflowing(page: Page) -> list[str]:
    """Name the elements wider than the page, or scrolling inside themselves."""
    return page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            const found = [];
            for (const element of document.querySelectorAll("main *")) {
                const box = element.getBoundingClientRect();
                if (box.width === 0 || element.closest(".visually-hidden")) continue;
                const scrolls = element.scrollWidth > element.clientWidth + 1
                    && getComputedStyle(element).overflowX !== "visible";
                if (box.right > width + 1 || scrolls) {
                    found.push(element.tagName + "." + element.className + " " + box.right);
                }
            }
            return found.slice(0, 10);
        }"""
    )


def test_the_return_reads_on_a_phone_a_desktop_and_a_projector(screens, assert_accessible, meeting):
    for label, viewport in (("390", PHONE_390), ("1280", DESKTOP), ("1920", PROJECTOR)):
        page = screens.open(viewport)  # type: ignore[arg-type]
        sign_in(page, "olga@example.org")
        page.goto(return_url(meeting))
        expect(page.get_by_role("heading", name="The return of “Partner day”")).to_be_visible()
        expect(page.locator(".chain__svg")).to_be_visible()
        expect(
            page.get_by_role("table", name="The chain of evidence, level by level")
        ).to_be_visible()
        expect(page.get_by_text("More time for the partners themselves, please.")).to_be_visible()
        screens.shot(page, f"return-{label}")
        assert_accessible(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], (
            f"the page scrolls sideways at {label} px: {overflowing(page)}"
        )
    # The newest comments are on the report; all of them a link away.
    page.get_by_role("link", name="All 4 comments on “The partners' panel”").click()
    expect(
        page.get_by_role("heading", name="What attendees wrote about “The partners' panel”")
    ).to_be_visible()
    expect(page.get_by_text("Too many speakers for one hour.")).to_be_visible()
    assert_accessible(page)


def test_a_planner_enters_the_business_figures(screens, meeting):
    page = screens.open(PHONE_390)  # type: ignore[arg-type]
    sign_in(page, "olga@example.org")
    page.goto(return_url(meeting))
    card = page.locator(".meeting-impact")
    card.get_by_text("Change the business figures").click()
    card.get_by_label("Value after the meeting").fill("220")
    card.get_by_role("button", name="Save the figures").click()
    expect(page.get_by_text("The business figures are saved.")).to_be_visible()
    # 120 more bookings: 120 x 0.3 x 50 = 1,800 against 600 of costs, an ROI of 200%.
    expect(page.locator(".meeting-return__headline")).to_contain_text("200%")
    card.get_by_text("Change the business figures").click()
    card.get_by_label("What one unit is worth (EUR)").fill("-5")
    card.get_by_role("button", name="Save the figures").click()
    expect(page.get_by_text("What one unit is worth cannot be negative")).to_be_visible()
    screens.shot(page, "impact-refused")


def test_the_report_prints_on_a4_with_nothing_cut(screens, meeting):
    page = screens.open({"width": A4_WIDTH, "height": 1123})  # type: ignore[arg-type]
    sign_in(page, "olga@example.org")
    page.goto(return_url(meeting))
    page.emulate_media(media="print")
    assert page.evaluate("document.documentElement.scrollWidth") <= A4_WIDTH
    assert overflowing(page) == []
    for hidden in (".site-header", ".tabs--sub", ".meeting-impact__form", "#answer-draft"):
        assert not page.locator(hidden).first.is_visible(), f"{hidden} is printed"
    expect(page.locator(".chain__svg")).to_be_visible()
    # The newest comments are printed; the link to all of them is not.
    expect(page.get_by_text("Too many speakers")).to_be_hidden()
    expect(page.get_by_text("More time for the partners themselves")).to_be_visible()
    expect(page.get_by_role("link", name="All 4 comments")).to_be_hidden()
    screens.shot(page, "return-print")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = Path(ARTIFACTS / "meeting-return-a4.pdf")
    page.pdf(path=str(pdf), format="A4", print_background=True)
    content = pdf.read_bytes()
    pages = content.count(b"/Type /Page") - content.count(b"/Type /Pages")
    assert 1 <= pages <= 6, f"{pages} pages"
