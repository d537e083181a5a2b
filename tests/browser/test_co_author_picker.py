"""The co-author picker in a browser: find members by name, with and without JavaScript."""

from playwright.sync_api import Page, expect

from sammen.accounts.actions import do_create_account
from sammen.calls.models import CoAuthor, Idea
from sammen.testing import PASSWORD, make_member, make_space
from sammen.testing.calls import make_call

from .conftest import PHONE


def sign_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/")


def test_an_author_finds_co_authors_by_name(screens, assert_accessible):
    organiser = do_create_account("curator@example.org", PASSWORD, "Carla Curator")
    author = do_create_account("author@example.org", PASSWORD, "Ahmed Author")
    space = make_space(organiser, "Harbour Museum")
    for name in ["Maja Moderna", "Mats Berg", "Fenna Fan"]:
        user = do_create_account(f"{name.split()[0].lower()}@example.org", PASSWORD, name)
        make_member(space, user)
    make_member(space, author)
    call = make_call(space, organiser)
    new_idea = f"/s/{space.slug}/a/{call.activity.slug}/ideas/new/"

    phone = screens.open(viewport=PHONE)
    sign_in(phone, "author@example.org")
    phone.goto(new_idea)
    expect(phone.get_by_label("Fenna Fan")).to_have_count(0)  # nobody is listed up front
    phone.get_by_label("Title").fill("A ferry to the museum")
    phone.get_by_label("Your idea").fill("A small ferry from the station to the museum.")
    search = phone.get_by_placeholder("Part of a name")
    search.fill("ma")
    expect(phone.get_by_label("Maja Moderna")).to_be_visible()
    expect(phone.get_by_label("Mats Berg")).to_be_visible()
    expect(phone.get_by_label("Fenna Fan")).to_have_count(0)
    phone.get_by_label("Maja Moderna").check()
    search.fill("fenna")
    search.press("Enter")  # searches; it does not publish
    expect(phone.get_by_label("Fenna Fan")).to_be_visible()
    expect(phone.get_by_label("Maja Moderna")).to_be_checked()
    expect(phone.get_by_label("Mats Berg")).to_have_count(0)
    assert not Idea.objects.exists()
    assert "@" not in phone.locator("#co-author-choices").inner_text()
    screens.shot(phone, "co-author-picker")
    assert_accessible(phone)
    phone.get_by_role("button", name="Publish your idea").click()
    expect(phone.get_by_text("Your idea is published")).to_be_visible()
    idea = Idea.objects.get()
    assert [c.participant.public_name for c in CoAuthor.objects.filter(idea=idea)] == [
        "Maja Moderna"
    ]

    # Without JavaScript, "Find" sends the form and shows it again with the matches.
    context = screens.browser.new_context(
        java_script_enabled=False, base_url=screens.base_url, viewport=PHONE
    )
    screens.contexts.append(context)
    plain = context.new_page()
    sign_in(plain, "author@example.org")
    plain.goto(new_idea)
    plain.get_by_label("Title").fill("Benches on the quay")
    plain.get_by_label("Your idea").fill("Benches facing the water.")
    plain.get_by_placeholder("Part of a name").fill("berg")
    plain.get_by_role("button", name="Find").click()
    expect(plain.get_by_label("Title")).to_have_value("Benches on the quay")
    plain.get_by_label("Mats Berg").check()
    screens.shot(plain, "co-author-picker-without-javascript")
    plain.get_by_role("button", name="Publish your idea").click()
    expect(plain.get_by_text("Your idea is published")).to_be_visible()
    idea = Idea.objects.get(title="Benches on the quay")
    assert [c.participant.public_name for c in CoAuthor.objects.filter(idea=idea)] == ["Mats Berg"]
