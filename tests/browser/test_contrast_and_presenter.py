"""Contrast and size measured in the browser, where axe cannot see them: text drawn half
transparent or scaled down with its chart, and the presenter's screen at 1920 x 1080.

The live pages run on the ASGI server of test_live.py, whose fixtures this module borrows.
"""

import re

from playwright.sync_api import Locator, Page, expect

from sammen.accounts.actions import do_create_account
from sammen.live.actions import do_answer_poll, do_close_poll, do_open_poll, do_show_on_screen
from sammen.live.models import LiveSession, Screen
from sammen.testing import PASSWORD, make_activity, make_member, make_space
from sammen.testing.conversations import make_conversation
from sammen.testing.live import join_anonymously, make_poll

from .conftest import PHONE
from .test_keyboard_and_motion import contrast, wait_for_the_stream
from .test_live import BIG_SCREEN, asgi_server, join, live_screens, sign_in  # noqa: F401

# How a piece of text looks: its colour blended with every opacity above it over the
# colours behind it, and the size it is drawn at (an SVG's text shrinks with its picture).
LOOKS = """element => {
    const rgba = colour => {
        const parts = colour.match(/[\\d.]+/g).map(Number);
        return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
    };
    const over = (top, below) => below.map((value, i) => top[i] * top[3] + value * (1 - top[3]));
    let opacity = 1;
    const fills = [];
    for (let node = element; node; node = node.parentElement) {
        const style = getComputedStyle(node);
        opacity *= Number(style.opacity);
        const fill = rgba(style.backgroundColor);
        if (fill[3] > 0 && !fills.some(f => f[3] === 1)) fills.push(fill);
    }
    let behind = [255, 255, 255];
    for (const fill of fills.reverse()) behind = over(fill, behind);
    const style = getComputedStyle(element);
    const ink = rgba(element instanceof SVGElement ? style.fill : style.color);
    ink[3] *= opacity;
    const text = over(ink, behind);
    const scale = element instanceof SVGElement ? element.getScreenCTM().a : 1;
    const css = rgb => `rgb(${rgb.map(Math.round).join(", ")})`;
    return {text: css(text), behind: css(behind), size: parseFloat(style.fontSize) * scale};
}"""


def looks(element: Locator) -> dict:
    return element.evaluate(LOOKS)


def assert_readable(element: Locator, *, ratio: float = 4.5, size: float = 0) -> None:
    seen = looks(element)
    assert contrast(seen["text"], seen["behind"]) >= ratio, (element, seen)
    assert seen["size"] >= size, (element, seen)


def assert_in_sight(page: Page, element: Locator) -> None:
    """Assert that the whole element is in the window, without scrolling."""
    expect(element).to_be_visible()
    box = element.bounding_box()
    window = page.viewport_size
    assert box is not None
    assert window is not None
    assert page.evaluate("window.scrollY") == 0
    assert box["x"] >= 0, box
    assert box["y"] >= 0, box
    assert box["x"] + box["width"] <= window["width"], box
    assert box["y"] + box["height"] <= window["height"], box


# 8. Contrast and size


def test_the_voting_cards_key_hints_have_the_contrast_of_text(screens):
    organiser = do_create_account("host@example.org", PASSWORD, "Hanna Host")
    member = do_create_account("neighbour@example.org", PASSWORD, "Nils Neighbour")
    space = make_space(organiser, "Harbour Museum")
    make_member(space, member)
    conversation = make_conversation(space, organiser)
    page = screens.open()
    sign_in(page, "neighbour@example.org")
    page.goto(conversation.activity.get_absolute_url())
    keys = page.locator("#vote-card .vote-button__key")
    expect(keys).to_have_count(3)
    for index in range(3):
        assert_readable(keys.nth(index), size=12)
    assert_readable(page.locator(".vote-card__keys"))

    page.get_by_role("button", name="Agree", exact=True).hover()  # its colours change
    assert_readable(page.locator(".vote-button--agree .vote-button__key"), size=12)
    screens.shot(page, "key-hints")


def test_poll_results_on_a_phone_are_written_large_enough_to_read(live_screens):  # noqa: F811
    organiser = do_create_account("host@example.org", PASSWORD, "Hanna Host")
    space = make_space(organiser, "Harbour Museum", visibility="public")
    activity = make_activity(space, organiser, "Friday talk", kind="live", open_it=True)
    session = LiveSession.objects.get(activity=activity)
    poll = make_poll(
        session,
        organiser,
        labels=("The harbour, by the old lighthouse", "The station", "The park"),
    )
    do_open_poll(organiser, poll)
    options = list(poll.options.order_by("pk"))
    for name, option in [("Ada", 0), ("Bo", 0), ("Cy", 2)]:
        do_answer_poll(join_anonymously(session, name), poll, option_ids=[options[option].pk])
    do_close_poll(organiser, poll)

    phone = live_screens.open(viewport=PHONE)
    join(phone, session.code, "Pia")
    results = phone.locator(f"#poll-{poll.pk}-results")
    expect(results.locator(".live-chart__caption")).to_contain_text("3 answers")
    labels = results.locator(".live-bars__label")
    values = results.locator(".live-bars__value")
    expect(labels).to_have_count(3)
    expect(labels.first).to_contain_text("The harbour, by the old lighthouse")
    expect(values.first).to_have_text("67%")
    for index in range(3):
        assert_readable(labels.nth(index), size=14)
        assert_readable(values.nth(index), size=14)
    for part in [labels.first, values.first]:  # nothing runs off the side
        box = part.bounding_box()
        assert box is not None
        assert box["x"] + box["width"] <= PHONE["width"], box
    live_screens.shot(phone, "poll-results")


# 9. The presenter at 1920 x 1080


def open_presenter(live_screens) -> tuple[Page, LiveSession]:  # noqa: F811
    organiser = do_create_account("host@example.org", PASSWORD, "Hanna Host")
    space = make_space(organiser, "Harbour Museum", visibility="public")
    activity = make_activity(
        space, organiser, "Friday talk: the new harbour", kind="live", open_it=True
    )
    session = LiveSession.objects.get(activity=activity)
    presenter = live_screens.open(viewport=BIG_SCREEN)
    presenter.add_init_script(
        "document.addEventListener('htmx:sseOpen', () => { window.streamOpen = true; })"
    )
    sign_in(presenter, "host@example.org")
    return presenter, session


def test_the_join_address_and_the_head_count_read_from_the_back_of_the_room(live_screens):  # noqa: F811
    presenter, session = open_presenter(live_screens)
    activity = session.activity
    presenter.goto(f"/s/{activity.space.slug}/a/{activity.slug}/live/present/")
    wait_for_the_stream(presenter)
    expect(presenter.locator(".presenter__audience")).to_have_text(re.compile(r"^\d+ here$"))
    for part in [".presenter__join-text", ".presenter__join-code", ".presenter__audience"]:
        element = presenter.locator(part)
        assert_readable(element, size=24)
        assert_in_sight(presenter, element)
    assert_in_sight(presenter, presenter.locator(".presenter__qr"))
    live_screens.shot(presenter, "join")


def test_the_word_cloud_its_count_and_the_controls_fit_on_the_screen(live_screens):  # noqa: F811
    presenter, session = open_presenter(live_screens)
    organiser = session.activity.created_by
    poll = make_poll(session, organiser, "text", title="One word for the harbour of tomorrow?")
    do_open_poll(organiser, poll)
    words = ["boats", "fish", "light", "quiet", "boats", "wind", "salt", "ferries", "boats"]
    for number, word in enumerate(words):
        do_answer_poll(join_anonymously(session, f"Guest {number}"), poll, text=word)
    do_show_on_screen(session, Screen.POLL, poll)
    activity = session.activity
    presenter.goto(f"/s/{activity.space.slug}/a/{activity.slug}/live/present/")
    expect(presenter.locator(".stage__title")).to_have_text(poll.title)
    expect(presenter.locator(".stage .live-cloud")).to_be_visible()
    assert_in_sight(presenter, presenter.locator(".stage .live-cloud"))
    assert_in_sight(presenter, presenter.locator(".stage .live-chart__caption"))
    expect(presenter.locator(".stage .live-chart__caption")).to_contain_text("9 answers")
    controls = presenter.locator(".presenter__controls")
    assert_in_sight(presenter, controls)
    for button in ["Close the poll", "Show the results", "Next"]:
        found = controls.get_by_role("button", name=button)
        if found.count():
            assert_in_sight(presenter, found)
    assert_in_sight(presenter, presenter.locator(".presenter__join"))
    live_screens.shot(presenter, "word-cloud")
