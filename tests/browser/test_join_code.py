"""Joining a live session with a code: from the home page, from the header, and a wrong code."""

from collections.abc import Callable

from playwright.sync_api import Page, expect

from sammen.accounts.actions import do_create_account
from sammen.live.models import LiveSession
from sammen.testing import PASSWORD, make_activity, make_space

from .conftest import PHONE, Screens

# The uvicorn server and its screens, as the live session test uses them.
from .test_live import asgi_server, live_screens

__all__ = ["asgi_server", "live_screens"]


def open_session() -> LiveSession:
    owner = do_create_account("olga@example.org", PASSWORD, "Olga")
    space = make_space(owner, "Harbour Hall", visibility="public")
    activity = make_activity(space, owner, "Morning keynote", kind="live", open_it=True)
    return LiveSession.objects.get(activity=activity)


def test_a_phone_joins_from_the_code_on_the_home_page(
    live_screens: Screens, assert_accessible: Callable[[Page], None]
) -> None:
    session = open_session()
    phone = live_screens.open(PHONE)
    phone.goto("/")
    assert_accessible(phone)
    live_screens.shot(phone, "home-page")
    code = phone.get_by_label("Enter a code")
    expect(code).to_be_visible()
    # Typed as people do: small letters, a space in the middle.
    code.fill(f"{session.code[:3].lower()} {session.code[3:].lower()}")
    phone.get_by_role("button", name="Join", exact=True).click()
    phone.wait_for_url(f"**/live/{session.code}/")
    expect(phone.get_by_role("heading", name="Morning keynote")).to_be_visible()
    phone.get_by_role("button", name="Join", exact=True).click()
    expect(phone.get_by_text("You take part as")).to_be_visible()
    live_screens.shot(phone, "in-the-room")


def test_a_wrong_or_old_code_lands_on_the_join_form_saying_so(
    live_screens: Screens, assert_accessible: Callable[[Page], None]
) -> None:
    session = open_session()
    phone = live_screens.open(PHONE)
    # One tap from any page: the header's Join link.
    phone.goto("/spaces/")
    phone.get_by_role("navigation", name="Main").get_by_role("link", name="Join").click()
    phone.wait_for_url("**/join/")
    phone.get_by_label("Code").fill("WWWWWW")
    phone.get_by_role("button", name="Join", exact=True).click()
    expect(phone.get_by_text("No session has this code")).to_be_visible()
    expect(phone.get_by_label("Code")).to_have_value("WWWWWW")
    # The QR code's address of a session whose code was renewed since.
    phone.goto("/j/XYZ-789")
    expect(phone.get_by_role("heading", name="Join a live session")).to_be_visible()
    expect(phone.get_by_text("No session has this code")).to_be_visible()
    expect(phone.get_by_label("Code")).to_have_value("XYZ789")
    assert_accessible(phone)
    live_screens.shot(phone, "wrong-code")
    # Corrected in the same field, it leads to the session.
    phone.get_by_label("Code").fill(session.code)
    phone.get_by_role("button", name="Join", exact=True).click()
    phone.wait_for_url(f"**/live/{session.code}/")
