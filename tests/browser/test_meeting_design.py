"""A planner designs a meeting in a real browser, on a phone and on a desktop: the
objectives, the programme with its warnings, and the costs; axe finds nothing serious."""

from datetime import timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from sammen.meetings.actions import (
    CostInput,
    ObjectiveInput,
    SessionInput,
    do_add_cost_line,
    do_add_intangible,
    do_add_objective,
    do_add_session,
)
from sammen.meetings.models import Format, Level, Meeting
from sammen.testing import make_space, make_user
from sammen.testing.meetings import make_meeting, register

from .conftest import DESKTOP, PHONE_390
from .test_open_call import sign_in


@pytest.fixture
def meeting(transactional_db: None) -> Meeting:
    """The museum's partner day: three objectives (one unmeasured, one served only by a
    keynote), six sessions over two rooms (two overlap), costs and two registrations."""
    owner = make_user("Olga")
    space = make_space(owner, "Harbour Museum", visibility="public")
    meeting = make_meeting(space, owner, "Annual partner day")
    learning = meeting.objectives.get()
    apply = do_add_objective(
        owner,
        meeting,
        ObjectiveInput(
            Level.APPLICATION,
            "Partners run a co-created exhibition within a year",
            "Share of partners who did",
            Decimal(40),
            "Follow-up after 90 days",
        ),
    )
    do_add_objective(owner, meeting, ObjectiveInput(Level.REACTION, "Partners feel welcome"))
    start = meeting.sessions.get().starts_at - timedelta(hours=1)
    programme = [
        ("Welcome coffee", 0, 30, Format.NETWORKING, 30, "Foyer", ()),
        (
            "Why we co-create: the museum's next five years",
            30,
            45,
            Format.KEYNOTE,
            5,
            "Hall",
            (apply,),
        ),
        ("What partners need from us", 60, 45, Format.PANEL, 15, "Hall", (apply,)),
        ("Lunch in the harbour garden", 180, 60, Format.NETWORKING, 60, "Garden", ()),
        ("Fishbowl: what stops us", 240, 60, Format.FISHBOWL, 50, "Hall", (learning,)),
    ]
    for title, offset, minutes, fmt, audience, room, serves in programme:
        starts = start + timedelta(minutes=offset)
        do_add_session(
            owner,
            meeting,
            SessionInput(
                title,
                starts,
                starts + timedelta(minutes=minutes),
                room=room,
                speaker="Ida Berg" if fmt == Format.KEYNOTE else "",
                format=fmt,
                audience_minutes=audience,
                objective_ids=tuple(objective.pk for objective in serves),
            ),
        )
    for category, amount, what in [
        ("venue", "2400", "The harbour hall, a whole day"),
        ("catering", "1350.50", "Coffee and lunch for 60"),
        ("staff", "3200", "Four colleagues, two days each"),
    ]:
        do_add_cost_line(owner, meeting, CostInput(category, Decimal(amount), what))
    do_add_intangible(owner, meeting, "Partners trust each other more")
    register(meeting, "Ana")
    register(meeting, "Ben")
    return meeting


def design_url(meeting: Meeting, page: str) -> str:
    return f"{meeting.activity.get_absolute_url()}{page}"


def test_a_planner_designs_the_programme_on_a_phone_and_a_desktop(
    screens, assert_accessible, meeting
):
    for label, viewport in (("390", PHONE_390), ("1280", DESKTOP)):
        page = screens.open(viewport)  # type: ignore[arg-type]
        sign_in(page, "olga@example.org")
        page.goto(design_url(meeting, "programme/"))
        expect(page.get_by_role("heading", name="Programme", exact=True)).to_be_visible()
        expect(page.get_by_text("Only keynotes and panels serve")).to_be_visible()
        expect(page.get_by_text("overlap in the room “Hall”")).to_be_visible()
        assert_accessible(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"the page scrolls sideways at {label} px"
        screens.shot(page, f"programme-{label}")

        for tab in ("objectives", "costs"):
            page.goto(design_url(meeting, f"meeting/{tab}/"))
            assert_accessible(page)
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
            screens.shot(page, f"{tab}-{label}")


def test_a_planner_adds_a_session_from_the_phone(screens, meeting):
    page = screens.open(PHONE_390)  # type: ignore[arg-type]
    sign_in(page, "olga@example.org")
    page.goto(design_url(meeting, "programme/"))
    page.get_by_label("Title").fill("Walk and talk along the quay")
    page.get_by_label("Format").select_option("walk_and_talk")
    page.get_by_label("Minutes for the audience").fill("40")
    page.get_by_label("Partners know how to co-create an exhibition").check()
    page.get_by_role("button", name="Add the session").click()
    expect(page.get_by_text("The session is added.")).to_be_visible()
    session = meeting.sessions.get(title="Walk and talk along the quay")
    assert session.format == Format.WALK_AND_TALK
    assert [objective.text for objective in session.objectives.all()] == [
        "Partners know how to co-create an exhibition"
    ]
    screens.shot(page, "session-added")
