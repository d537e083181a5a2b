"""An open call from brief to closing report, in real browsers, one of them phone-sized."""

import re

from playwright.sync_api import Page, expect

from sammen.accounts.actions import do_create_account
from sammen.testing import PASSWORD, image_upload, make_member, make_space

from .conftest import PHONE
from .test_journey import BRIEF


def sign_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/")


def test_an_open_call_from_brief_to_closing_report(screens, assert_accessible, tmp_path):
    organiser = do_create_account("curator@example.org", PASSWORD, "Carla Curator")
    author = do_create_account("author@example.org", PASSWORD, "Ahmed Author")
    fan = do_create_account("fan@example.org", PASSWORD, "Fenna Fan")
    space = make_space(organiser, "Harbour Museum")
    make_member(space, author)
    make_member(space, fan)

    # The organiser writes the brief first, chooses the open call, sets its rules, opens it.
    desk = screens.open()
    sign_in(desk, "curator@example.org")
    desk.goto(f"/s/{space.slug}/new/")
    desk.get_by_label("Title").fill("Stories of the harbour")
    desk.get_by_label("Open call").check()
    desk.get_by_role("button", name="Continue to the brief").click()
    for field, text in BRIEF.items():
        desk.locator(f"#{field}").fill(text)
    desk.locator("input[name=check_new_ideas][value=yes]").check()
    expect(desk.locator("#self-check-result")).to_contain_text("fits")
    desk.locator("#id_measures-0-measure").fill("Ideas shared")
    desk.locator("#id_measures-0-target").fill("2")
    desk.get_by_role("button", name="Save the brief").click()
    desk.get_by_role("link", name="Set up the Open call").click()
    desk.get_by_label("What are you asking for?").fill("Tell us a story of the harbour.")
    desk.get_by_label("What is in scope").fill("The harbour and its people.")
    desk.get_by_label("What ideas are judged on").fill("Does it move visitors?")
    desk.get_by_label("What happens to selected ideas").fill("They go in the exhibition.")
    desk.get_by_label("What participants get").fill("Two tickets and your name on the wall.")
    desk.get_by_role("button", name="Save").click()
    expect(desk.get_by_text("The call's rules are saved.")).to_be_visible()
    assert_accessible(desk)
    desk.get_by_role("link", name="Stories of the harbour").first.click()
    desk.get_by_role("button", name="Open the activity").click()
    expect(desk.get_by_text("The activity is open.")).to_be_visible()
    screens.shot(desk, "call-open")
    call_url = desk.url

    # The author shares an idea with a picture, from a phone.
    phone = screens.open(viewport=PHONE)
    sign_in(phone, "author@example.org")
    phone.goto(call_url)
    phone.get_by_role("link", name="Share your idea").first.click()
    phone.get_by_label("Title").fill("The fisherman's last boat")
    phone.get_by_label("Your idea").fill("My grandfather's **boat** still lies in the old dock.")
    picture = tmp_path / "boat.jpg"
    picture.write_bytes(image_upload("boat.jpg", size=(800, 600)).read())
    phone.get_by_label("Images (optional)").set_input_files(str(picture))
    phone.get_by_label("What image 1 shows (boat.jpg)").fill("A wooden boat in the dock")
    assert_accessible(phone)
    phone.get_by_role("button", name="Publish your idea").click()
    expect(phone.get_by_role("heading", name="The fisherman's last boat")).to_be_visible()
    expect(phone.get_by_role("img", name="A wooden boat in the dock")).to_be_visible()
    assert_accessible(phone)
    screens.shot(phone, "idea-on-phone")
    idea_url = phone.url

    # Another member supports it (without a reload) and comments.
    other = screens.open()
    sign_in(other, "fan@example.org")
    other.goto(idea_url)
    other.get_by_role("button", name="Support this idea").click()
    expect(other.locator(".support__number")).to_have_text("1")
    expect(other.get_by_role("button", name=re.compile("You support this"))).to_be_visible()
    other.get_by_label("Your comment").fill("I remember that boat!")
    other.get_by_role("button", name="Post comment").click()
    expect(other.get_by_text("I remember that boat!")).to_be_visible()
    assert_accessible(other)
    screens.shot(other, "supported-and-discussed")

    # The organiser answers.
    desk.goto(f"{call_url}answers/")
    expect(desk.get_by_role("cell", name="1", exact=True).first).to_be_visible()
    desk.get_by_role("link", name="Answer The fisherman's last boat").click()
    desk.get_by_role("radio", name="Selected", exact=True).check()
    desk.get_by_label("Why, in public").fill("It goes in the harbour room. Thank you!")
    desk.get_by_role("button", name="Publish the answer").click()
    expect(desk.get_by_text("Your answer is public")).to_be_visible()

    # The author sees the notification and the answer.
    phone.goto("/notifications/")
    expect(phone.get_by_text("has an answer: Selected")).to_be_visible()
    assert_accessible(phone)
    screens.shot(phone, "notification")
    phone.get_by_text("has an answer: Selected").click()
    expect(phone.get_by_text("Our answer: Selected")).to_be_visible()

    # The organiser closes the call, publishes the closing answer, reads the report.
    desk.goto(call_url)
    desk.get_by_role("link", name="Close the activity…").click()
    desk.get_by_role("button", name="Close the activity").click()
    desk.get_by_role("link", name="Write the public answer").click()
    desk.get_by_label("Your public answer").fill("One story goes in the exhibition. Thanks all!")
    desk.get_by_role("button", name="Publish the answer").click()
    desk.get_by_role("link", name="Closing report").click()
    figures = desk.locator(".figures")
    expect(figures).to_contain_text("2")  # participants: the author and the fan
    expect(figures.locator("li").nth(1)).to_contain_text("1")  # ideas
    expect(figures.locator("li").nth(2)).to_contain_text("1")  # supports
    expect(desk.get_by_text("The fisherman's last boat")).to_be_visible()
    expect(desk.locator("svg.chart__svg").first).to_be_visible()
    assert_accessible(desk)
    screens.shot(desk, "closing-report")


def test_idea_cards_show_a_picture_a_plain_excerpt_and_the_way_to_review(
    screens, assert_accessible
):
    from sammen.calls.actions import ImageInput, do_support_idea, do_update_call_schedule
    from sammen.core.images import reencode_image
    from sammen.testing import participant_of
    from sammen.testing.calls import make_call, make_idea

    owner = do_create_account("curator@example.org", PASSWORD, "Carla Curator")
    author = do_create_account("author@example.org", PASSWORD, "Ahmed Author")
    fan = do_create_account("fan@example.org", PASSWORD, "Fenna Fan")
    space = make_space(owner, "Harbour Museum", visibility="public")
    make_member(space, author)
    make_member(space, fan)
    call = make_call(space, owner, "Stories of the harbour")
    do_update_call_schedule(
        owner,
        call,
        submission_ends_at=None,
        support_ends_at=None,
        review_ends_at=None,
        stage_override="",
        submissions_paused=False,
        momentum=[(3, 30), (6, 60)],
        review_dates=[],
    )
    boat = ImageInput(
        reencode_image(image_upload("boat.jpg", size=(1200, 800)), max_side=1600),
        "A wooden boat in the dock",
    )
    pictured = make_idea(
        call,
        author,
        "The fisherman's last boat",
        body="My grandfather's **boat** still lies in the *old* dock.\n\n- its sail\n- its nets",
        images=[boat],
    )
    do_support_idea(participant_of(fan), pictured)
    make_idea(call, fan, "A choir on the quay", body="Singing **every** Sunday, _all_ welcome.")
    ideas_url = f"/s/{space.slug}/a/{call.activity.slug}/ideas/"

    for viewport, label in [(None, "desktop"), ({"width": 390, "height": 844}, "phone")]:
        page = screens.open(viewport=viewport)
        page.goto(ideas_url)
        card = page.locator(".idea-card", has_text="The fisherman's last boat")
        image = card.get_by_role("img", name="A wooden boat in the dock")
        image.scroll_into_view_if_needed()
        expect(image).to_be_visible()
        page.wait_for_function(
            "image => image.complete && image.naturalWidth > 0", arg=image.element_handle()
        )
        assert image.get_attribute("loading") == "lazy"
        assert (image.get_attribute("width"), image.get_attribute("height")) == ("1200", "800")
        box, card_box = image.bounding_box(), card.bounding_box()
        assert box is not None
        assert card_box is not None
        assert box["width"] <= card_box["width"] + 1  # the picture stays inside its card
        expect(card.locator(".idea-card__body")).to_have_text(
            "My grandfather's boat still lies in the old dock. its sail its nets"
        )
        expect(card).to_contain_text("1 of 3 supports")
        expect(card).to_contain_text("30 days left")
        expect(card.get_by_role("progressbar")).to_have_attribute("value", "1")
        other = page.locator(".idea-card", has_text="A choir on the quay")
        expect(other.locator(".idea-card__body")).to_have_text("Singing every Sunday, all welcome.")
        expect(other.locator("img")).to_have_count(0)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert_accessible(page)
        screens.shot(page, f"idea-cards-{label}")
