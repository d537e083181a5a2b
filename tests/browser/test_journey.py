"""A newcomer's first hour, in a real browser: from sign-up to a member joining by link."""

import re

from django.core import mail
from playwright.sync_api import Page, expect

from sammen.accounts.actions import do_create_account
from sammen.testing import PASSWORD

from .conftest import PHONE

BRIEF = {
    "id_goal": "An exhibition visitors recognise as partly theirs.",
    "id_business_challenge": "Young adults rarely visit.",
    "id_audience": "People aged 18 to 30 in the city.",
    "id_audience_insight": "Their story on display, with their name.",
    "id_audience_challenge": "Museums feel like places not made for them.",
    "id_channels": "An open call online and posters at the station.",
    "id_channels_reason": "They meet us online first.",
}


def sign_up_and_verify(page: Page, email: str, name: str) -> None:
    page.goto("/")
    page.get_by_role("link", name="Sign up").first.click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Display name").fill(name)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()
    message = next(m for m in reversed(mail.outbox) if email in m.to)
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", str(message.body))
    assert link is not None, message.body
    page.goto(link.group(0))
    page.get_by_role("button", name="Confirm").click()


def test_a_newcomer_signs_up_creates_a_space_writes_a_brief_and_invites_a_member(
    screens, assert_accessible
):
    page = screens.open()
    sign_up_and_verify(page, "founder@example.org", "Frida Founder")
    expect(page.get_by_role("heading", name="Welcome, Frida Founder")).to_be_visible()
    assert_accessible(page)
    screens.shot(page, "welcome")

    page.get_by_role("link", name="Create a space").first.click()
    assert_accessible(page)
    page.get_by_label("Name").fill("Harbour Museum")
    page.get_by_label("Invite-only").check()
    page.get_by_role("button", name="Create the space").click()
    expect(page.get_by_role("heading", name="Harbour Museum")).to_be_visible()
    assert_accessible(page)
    screens.shot(page, "space")

    page.get_by_role("link", name="New activity").click()
    page.get_by_label("Title").fill("Storylines for the exhibition")
    page.get_by_label("Sample kind").check()
    assert_accessible(page)
    page.get_by_role("button", name="Continue to the brief").click()

    expect(page.get_by_role("heading", name="The brief")).to_be_visible()
    for field, text in BRIEF.items():
        page.locator(f"#{field}").fill(text)
    # The self-check answers as the organiser goes, without a reload.
    page.locator("input[name=check_new_ideas][value=no]").check()
    page.locator("input[name=check_agreement][value=yes]").check()
    expect(page.locator("#self-check-result")).to_contain_text("Your answers point to")
    page.locator("#id_measures-0-measure").fill("Storylines submitted")
    page.locator("#id_measures-0-target").fill("150")
    page.locator("#id_measures-0-unit").fill("stories")
    assert_accessible(page)
    screens.shot(page, "brief")
    page.get_by_role("button", name="Save the brief").click()

    expect(page.get_by_role("heading", name="Why we are doing this")).to_be_visible()
    page.get_by_role("button", name="Open the activity").click()
    expect(page.get_by_text("The activity is open.")).to_be_visible()
    assert_accessible(page)
    screens.shot(page, "activity-open")

    page.get_by_role("link", name="Invitations").click()
    page.get_by_label("Number of people who can use it").fill("3")
    page.get_by_role("button", name="Create the link").click()
    invite_url = page.locator(".copy-field input").first.input_value()
    assert "/invite/" in invite_url
    assert_accessible(page)

    do_create_account("member@example.org", PASSWORD, "Mads Member")
    phone = screens.open(viewport=PHONE)
    phone.goto(invite_url)
    expect(phone.get_by_role("heading", name="Join Harbour Museum")).to_be_visible()
    phone.get_by_role("link", name="Sign in").last.click()
    phone.get_by_label("Email").fill("member@example.org")
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Sign In").click()
    expect(phone.get_by_role("button", name="Accept and join")).to_be_visible()
    assert_accessible(phone)
    phone.get_by_role("button", name="Accept and join").click()
    expect(phone.get_by_text("You are now a member of Harbour Museum")).to_be_visible()
    expect(phone.get_by_text("Storylines for the exhibition")).to_be_visible()
    assert_accessible(phone)
    screens.shot(phone, "member-phone")

    phone.get_by_role("link", name="Storylines for the exhibition").click()
    expect(phone.get_by_text("What is in it for you")).to_be_visible()
    expect(phone.get_by_text("Their story on display, with their name.")).to_be_visible()
    assert_accessible(phone)
    screens.shot(phone, "brief-for-participants")


def test_the_language_switcher_translates_every_page(screens, assert_accessible):
    page = screens.open()
    page.goto("/spaces/")
    for code, spaces_word in [("nl", "Ruimtes"), ("da", "Rum"), ("sv", "Rum")]:
        page.get_by_label(re.compile("Language|Taal|Sprog|Språk")).select_option(code)
        page.locator(".language-switcher button[type=submit]").click()
        page.wait_for_load_state()
        expect(page.locator("html")).to_have_attribute("lang", code)
        expect(page.get_by_role("heading", level=1)).to_have_text(spaces_word)
        assert_accessible(page)
        screens.shot(page, f"spaces-{code}")
    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")


def test_the_skip_link_takes_keyboard_users_to_the_content(screens):
    page = screens.open()
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
