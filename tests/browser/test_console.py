"""The main pages leave nothing in the browser console: no Content Security Policy
violation (htmx injects no inline style), no script error."""

from playwright.sync_api import ConsoleMessage, Error, Page, expect

from sammen.accounts.actions import do_create_account
from sammen.testing import PASSWORD, make_member, make_space
from sammen.testing.calls import make_call, make_idea
from sammen.testing.conversations import make_conversation

from .conftest import PHONE
from .test_open_call import sign_in


def record_errors(page: Page) -> list[str]:
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(f"{page.url}: {message.text}")

    def on_page_error(error: Error) -> None:
        errors.append(f"{page.url}: {error}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    return errors


def test_main_pages_log_no_console_error(screens):
    owner = do_create_account("host@example.org", PASSWORD, "Hanna Host")
    member = do_create_account("neighbour@example.org", PASSWORD, "Nils Neighbour")
    space = make_space(owner, "Harbour Museum")
    make_member(space, member)
    call = make_call(space, owner, supporters="anyone")
    idea = make_idea(call, member)
    conversation = make_conversation(space, owner)
    public_pages = [
        "/",
        "/spaces/",
        "/accounts/login/",
        "/accounts/signup/",
        space.get_absolute_url(),
        call.activity.get_absolute_url(),
        idea.get_absolute_url(),
        conversation.activity.get_absolute_url(),
    ]
    organiser_pages = [
        "/notifications/",
        "/accounts/profile/",
        f"/s/{space.slug}/settings/",
        f"/s/{space.slug}/new/",
        f"{call.activity.get_absolute_url()}brief/",
        f"{call.activity.get_absolute_url()}close/",
        f"{conversation.activity.get_absolute_url()}opinion-map/",
    ]

    visitor = screens.open(viewport=PHONE)
    errors = record_errors(visitor)
    for url in public_pages:
        visitor.goto(url)
        visitor.wait_for_load_state("networkidle")
    # An htmx swap: a vote brings the next statement without a reload.
    visitor.goto(conversation.activity.get_absolute_url())
    statement = visitor.locator("#current-statement").inner_text()
    visitor.get_by_role("button", name="Agree", exact=True).click()
    expect(visitor.locator("#current-statement")).not_to_have_text(statement)

    organiser = screens.open()
    errors += record_errors(organiser)
    sign_in(organiser, "host@example.org")
    for url in organiser_pages:
        response = organiser.goto(url)
        assert response is not None, url
        assert response.status == 200, url
        organiser.wait_for_load_state("networkidle")

    # htmx would have put its indicator styles in a <style> of its own.
    assert visitor.locator("head style").count() == 0
    assert errors == [], errors
