"""Accessibility axe cannot see: keyboard walks, focus after a change, contrast of the
focus ring, reduced motion, and the name of the join code's picture.

The live pages run on the ASGI server of test_live.py, whose fixtures this module borrows.
"""

import re

from playwright.sync_api import Page, expect

from sammen.accounts.actions import do_create_account
from sammen.conversations.models import Vote
from sammen.live.actions import do_react
from sammen.live.models import LiveSession
from sammen.testing import PASSWORD, make_activity, make_member, make_space
from sammen.testing.calls import make_call, make_idea
from sammen.testing.conversations import make_conversation
from sammen.testing.live import join_anonymously, make_poll

from .conftest import PHONE
from .test_live import asgi_server, join, live_screens, sign_in  # noqa: F401  (fixtures)

PRESENTER = {"width": 1600, "height": 900}


def luminance(colour: str) -> float:
    """Return the relative luminance (WCAG 2) of a computed colour, "rgb(r, g, b)"."""
    channels = [int(value) / 255 for value in re.findall(r"\d+(?:\.\d+)?", colour)[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    light, dark = sorted([luminance(one), luminance(other)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def blur(page: Page) -> None:
    """Leave the focus nowhere, as after loading the page."""
    page.evaluate("document.activeElement && document.activeElement.blur()")


def open_presenter(live_screens, title: str = "Friday talk") -> tuple[Page, LiveSession]:  # noqa: F811
    organiser = do_create_account("host@example.org", PASSWORD, "Hanna Host")
    space = make_space(organiser, "Harbour Museum", visibility="public")
    activity = make_activity(space, organiser, title, kind="live", open_it=True)
    session = LiveSession.objects.get(activity=activity)
    make_poll(session, organiser, title="Where shall we meet?")
    presenter = live_screens.open(viewport=PRESENTER)
    presenter.add_init_script(
        "document.addEventListener('htmx:sseOpen', () => { window.streamOpen = true; })"
    )
    sign_in(presenter, "host@example.org")
    presenter.goto(f"/s/{space.slug}/a/{activity.slug}/live/present/")
    expect(presenter.locator(".stage-join__code")).to_have_text(session.code)
    wait_for_the_stream(presenter)
    return presenter, session


def settled(page: Page) -> None:
    """Wait until htmx has settled its last swap: the new forms are htmx's only then."""
    expect(page.locator(".htmx-added, .htmx-settling, .htmx-swapping")).to_have_count(0)


def wait_for_the_stream(page: Page) -> None:
    """Wait until htmx has set the page up and its event stream is open."""
    page.wait_for_function("() => window.streamOpen === true")


# 1. The language menu


def test_the_language_menu_changes_the_language_only_when_asked(screens):
    page = screens.open()
    page.goto("/spaces/")
    page.evaluate("window.notReloaded = true")
    menu = page.get_by_label("Language")
    menu.focus()
    page.keyboard.press("ArrowDown")  # a keyboard user walks down the list...
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(500)
    assert page.evaluate("window.notReloaded") is True  # ...and nothing reloads on the way
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(menu).to_have_value("da")

    # "Change" is the next stop, in sight, with a ring around it.
    page.keyboard.press("Tab")
    button = page.get_by_role("button", name="Change", exact=True)
    expect(button).to_be_focused()
    box = button.bounding_box()
    assert box is not None
    assert box["width"] >= 24
    assert box["height"] >= 24
    ring = button.evaluate(
        "b => [getComputedStyle(b).outlineStyle, getComputedStyle(b).outlineWidth]"
    )
    assert ring[0] != "none"
    assert float(ring[1].removesuffix("px")) >= 2
    screens.shot(page, "change-focused")
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "da")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rum")


# 2. Single-letter shortcuts


def test_vote_keys_act_only_in_the_voting_card(screens):
    organiser = do_create_account("host@example.org", PASSWORD, "Hanna Host")
    member = do_create_account("neighbour@example.org", PASSWORD, "Nils Neighbour")
    space = make_space(organiser, "Harbour Museum")
    make_member(space, member)
    conversation = make_conversation(space, organiser)
    page = screens.open()
    sign_in(page, "neighbour@example.org")
    page.goto(conversation.activity.get_absolute_url())
    card = page.locator("#vote-card")
    expect(card).to_contain_text("A to agree, D to disagree, P to pass")

    # On the header's link, "d" is only a letter.
    page.get_by_role("link", name="Spaces", exact=True).focus()
    page.keyboard.press("d")
    page.wait_for_timeout(700)
    assert Vote.objects.count() == 0
    expect(card.locator(".vote-card__progress")).to_contain_text("You voted on 0 of")

    # In the card it votes, and the next statement keeps the focus, so keys go on working.
    card.get_by_role("button", name="Agree", exact=True).focus()
    page.keyboard.press("d")
    expect(card.locator(".vote-card__progress")).to_contain_text("You voted on 1 of")
    expect(page.locator("#current-statement")).to_be_focused()
    page.keyboard.press("a")
    expect(card.locator(".vote-card__progress")).to_contain_text("You voted on 2 of")
    assert Vote.objects.count() == 2


def test_the_presenter_can_turn_the_letter_keys_off_and_the_choice_stays(live_screens):  # noqa: F811
    presenter, _session = open_presenter(live_screens)
    join_card = presenter.locator(".presenter__join")
    expect(presenter.locator(".presenter__hint")).to_contain_text("J shows or hides the join code")
    keys = presenter.get_by_role("button", name="Keyboard shortcuts")
    expect(keys).to_have_attribute("aria-pressed", "true")

    keys.click()
    expect(keys).to_have_attribute("aria-pressed", "false")
    blur(presenter)
    for letter in ["j", "o", "r"]:
        presenter.keyboard.press(letter)
    presenter.keyboard.press("ArrowRight")
    presenter.wait_for_timeout(500)
    expect(join_card).to_be_visible()
    expect(presenter.locator(".stage-join__code")).to_be_visible()  # still the first step

    presenter.reload()
    keys = presenter.get_by_role("button", name="Keyboard shortcuts")
    expect(keys).to_have_attribute("aria-pressed", "false")
    presenter.keyboard.press("j")
    presenter.wait_for_timeout(300)
    expect(join_card).to_be_visible()
    keys.click()
    expect(keys).to_have_attribute("aria-pressed", "true")
    blur(presenter)
    presenter.keyboard.press("j")
    expect(join_card).to_be_hidden()


# 3. Focus after an action, and a word for screen readers


def test_supporting_an_idea_keeps_the_focus_on_the_button_and_says_so(screens):
    owner = do_create_account("curator@example.org", PASSWORD, "Carla Curator")
    fan = do_create_account("fan@example.org", PASSWORD, "Fenna Fan")
    space = make_space(owner, "Harbour Museum")
    make_member(space, fan)
    call = make_call(space, owner)
    idea = make_idea(call, owner)
    page = screens.open()
    sign_in(page, "fan@example.org")
    page.goto(idea.get_absolute_url())

    page.get_by_role("button", name="Support this idea").focus()
    page.keyboard.press("Enter")
    supported = page.get_by_role("button", name=re.compile("You support this"))
    expect(supported).to_be_focused()
    expect(page.locator("#announcer")).to_have_text("Thank you for your support!")
    settled(page)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Support this idea")).to_be_focused()
    expect(page.locator("#announcer")).to_have_text("Your support is withdrawn.")


def test_answering_a_poll_and_asking_keep_the_focus_and_say_so(live_screens):  # noqa: F811
    presenter, session = open_presenter(live_screens)
    presenter.get_by_role("button", name="Next").click()
    presenter.get_by_role("button", name="Open the poll").click()
    expect(presenter.locator(".stage__kicker")).to_contain_text("open")

    phone = live_screens.open(viewport=PHONE)
    join(phone, session.code, "Pia")
    phone.get_by_label("Harbour").check()
    phone.get_by_role("button", name="Send").focus()
    phone.keyboard.press("Enter")
    expect(phone.get_by_role("button", name="Change my answer")).to_be_focused()
    expect(phone.locator("#announcer")).to_contain_text("You can change your answer")

    phone.get_by_placeholder("Ask the speaker something").fill("Is there a ferry at night?")
    phone.get_by_role("button", name="Ask", exact=True).focus()
    phone.keyboard.press("Enter")
    expect(phone.locator("#live-questions")).to_contain_text("Is there a ferry at night?")
    expect(phone.get_by_role("button", name="Ask", exact=True)).to_be_focused()
    expect(phone.locator("#announcer")).to_contain_text("Your question is in")


def test_the_presenters_next_keeps_the_focus_in_the_controls(live_screens):  # noqa: F811
    presenter, _session = open_presenter(live_screens)
    presenter.get_by_role("button", name="Next").focus()
    presenter.keyboard.press("Enter")
    expect(presenter.locator(".stage__title")).to_have_text("Where shall we meet?")
    # The stage can change by the event stream before the form's own answer swaps the
    # controls in: an Enter on the old "Next" meanwhile is dropped by htmx, as for a person.
    steps = presenter.get_by_label("On screen")
    expect(steps).to_have_value(re.compile(r"^poll\|"))
    expect(presenter.get_by_role("button", name="Next")).to_be_focused()
    settled(presenter)
    presenter.keyboard.press("Enter")  # to the last step, which has no "Next"
    expect(steps).to_have_value("questions")
    expect(presenter.get_by_role("button", name="Next")).to_have_count(0)
    expect(steps).to_be_focused()


# 4. The presenter's focus ring


def test_the_presenters_focus_ring_stands_out_on_the_dark_screen(live_screens):  # noqa: F811
    presenter, _session = open_presenter(live_screens)
    blur(presenter)
    presenter.keyboard.press("Tab")
    presenter.keyboard.press("Tab")
    focused = presenter.evaluate(
        """() => {
            const element = document.activeElement;
            const style = getComputedStyle(element);
            return {tag: element.tagName, ring: style.outlineColor, width: style.outlineWidth,
                    offset: style.outlineOffset,
                    page: getComputedStyle(document.body).backgroundColor};
        }"""
    )
    assert focused["tag"] in {"BUTTON", "SELECT", "A"}, focused
    assert float(focused["width"].removesuffix("px")) >= 2
    assert contrast(focused["ring"], focused["page"]) >= 3, focused
    live_screens.shot(presenter, "focus-ring")
    fills = presenter.evaluate(
        """() => [...document.querySelectorAll('.presenter__controls .btn')]
                 .map(element => getComputedStyle(element).backgroundColor)"""
    )
    for fill in set(fills):
        assert contrast(focused["ring"], fill) >= 3, (focused["ring"], fill)


# 5. Reduced motion


def test_with_reduced_motion_reactions_stand_still_and_stay_in_sight_a_moment(live_screens):  # noqa: F811
    presenter, session = open_presenter(live_screens)
    presenter.emulate_media(reduced_motion="reduce")
    presenter.reload()
    wait_for_the_stream(presenter)
    attendee = join_anonymously(session, "Tove")
    do_react(attendee, "heart")
    bubble = presenter.locator(".reaction-float").first
    expect(bubble).to_be_attached()
    presenter.wait_for_timeout(600)
    first = bubble.evaluate(
        "b => ({opacity: Number(getComputedStyle(b).opacity), top: b.getBoundingClientRect().top})"
    )
    presenter.wait_for_timeout(400)
    second = bubble.evaluate(
        "b => ({opacity: Number(getComputedStyle(b).opacity), top: b.getBoundingClientRect().top})"
    )
    assert first["opacity"] >= 0.9, first
    assert second["opacity"] >= 0.9, second
    assert first["top"] == second["top"]  # it does not move
    live_screens.shot(presenter, "still-reaction")
    expect(presenter.locator(".reaction-float")).to_have_count(0, timeout=5000)  # and goes


# 6. The QR code


def test_the_presenters_qr_code_is_named_with_the_address_and_the_code(live_screens):  # noqa: F811
    presenter, session = open_presenter(live_screens)
    picture = presenter.get_by_role("img", name=re.compile(re.escape(session.code)))
    expect(picture).to_be_visible()
    expect(picture).to_have_accessible_name(re.compile(rf"/j/{session.code}"))
