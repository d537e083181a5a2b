"""The idea form for a keyboard: few stops to "Publish", however many members the space
has, and several images chosen in one input, each described."""

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from sammen.accounts.actions import do_create_account
from sammen.calls.actions import ImageInput
from sammen.calls.models import Idea
from sammen.core.images import reencode_image
from sammen.testing import PASSWORD, image_upload, make_member, make_space
from sammen.testing.calls import make_call, make_idea

from .conftest import PHONE
from .test_co_author_picker import sign_in

MEMBERS = [
    "Maja Moderna",
    "Mats Berg",
    "Fenna Fan",
    "Olle Ek",
    "Sara Lind",
    "Piet Visser",
    "Anna Holm",
    "Jens Kure",
    "Lotte Dam",
    "Erik Strand",
    "Greta Nord",
]


def tab_stops_to(page: Page, name: str, *, limit: int = 60) -> list[str]:
    """Press Tab until the focus is on the button named `name`; return what it passed."""
    passed: list[str] = []
    for _press in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(
            """() => {
                const element = document.activeElement;
                const label = element.labels && element.labels[0];
                return `${element.tagName} ${element.type || ""} ${
                    (label ? label.textContent : element.textContent).trim().slice(0, 40)}`;
            }"""
        )
        passed.append(stop)
        if stop.startswith("BUTTON") and name in stop:
            return passed
    raise AssertionError(f"{name} not reached: {passed}")


def test_the_idea_form_has_few_tab_stops_and_takes_two_images_in_one_input(
    screens, assert_accessible, tmp_path: Path
):
    organiser = do_create_account("curator@example.org", PASSWORD, "Carla Curator")
    author = do_create_account("author@example.org", PASSWORD, "Ahmed Author")
    space = make_space(organiser, "Harbour Museum")
    for number, name in enumerate(MEMBERS):
        make_member(space, do_create_account(f"member{number}@example.org", PASSWORD, name))
    make_member(space, author)
    call = make_call(space, organiser)

    phone = screens.open(viewport=PHONE)
    sign_in(phone, "author@example.org")
    phone.goto(f"/s/{space.slug}/a/{call.activity.slug}/ideas/new/")
    expect(phone.get_by_label("Images (optional)")).to_have_attribute("multiple", "")

    # From the top of the page, and from "Skip to content".
    from_the_top = tab_stops_to(phone, "Publish your idea")
    assert len(from_the_top) <= 16, from_the_top
    assert not any("checkbox" in stop for stop in from_the_top), from_the_top
    assert sum("file" in stop for stop in from_the_top) == 1, from_the_top
    phone.reload()
    phone.keyboard.press("Tab")
    expect(phone.get_by_role("link", name="Skip to content")).to_be_focused()
    phone.keyboard.press("Enter")
    from_the_content = tab_stops_to(phone, "Publish your idea")
    assert len(from_the_content) <= 10, from_the_content

    # Two images in one go; a description field shows for each, named with its file.
    phone.get_by_label("Title").fill("Boats in the old dock")
    phone.get_by_label("Your idea").fill("Bring the old boats back to the dock.")
    files = []
    for name, colour_size in [("boat.jpg", (800, 600)), ("dock.png", (640, 480))]:
        path = tmp_path / name
        kind = "PNG" if name.endswith(".png") else "JPEG"
        path.write_bytes(image_upload(name, kind, size=colour_size).read())
        files.append(str(path))
    descriptions = phone.locator("[data-file-description]:visible")
    expect(descriptions).to_have_count(0)
    phone.get_by_label("Images (optional)").set_input_files(files)
    expect(descriptions).to_have_count(2)
    phone.get_by_label("What image 1 shows (boat.jpg)").fill("A wooden boat")
    phone.get_by_label("What image 2 shows (dock.png)").fill("The dock at dawn")
    assert_accessible(phone)
    screens.shot(phone, "two-images-chosen")
    phone.get_by_role("button", name="Publish your idea").click()
    expect(phone.get_by_text("Your idea is published")).to_be_visible()
    idea = Idea.objects.get()
    assert [(image.description, image.position) for image in idea.images.all()] == [
        ("A wooden boat", 0),
        ("The dock at dawn", 1),
    ]
    expect(phone.get_by_role("img", name="The dock at dawn")).to_be_attached()

    # Editing: one image out, one in, in the same input.
    phone.goto(f"/s/{space.slug}/a/{call.activity.slug}/ideas/{idea.pk}/edit/")
    phone.get_by_role("checkbox", name="Remove “A wooden boat”").check()
    phone.get_by_label("Images (optional)").set_input_files(files[:1])
    phone.get_by_label("What image 1 shows (boat.jpg)").fill("The boat again")
    screens.shot(phone, "edit-images")
    phone.get_by_role("button", name="Save").click()
    expect(phone.get_by_text("Your idea is updated")).to_be_visible()
    assert sorted(image.description for image in idea.images.all()) == [
        "The boat again",
        "The dock at dawn",
    ]


def test_ticking_remove_makes_room_for_new_images_and_their_descriptions(
    screens, assert_accessible, tmp_path: Path
):
    organiser = do_create_account("curator@example.org", PASSWORD, "Carla Curator")
    author = do_create_account("author@example.org", PASSWORD, "Ahmed Author")
    space = make_space(organiser, "Harbour Museum")
    make_member(space, author)
    call = make_call(space, organiser)
    pictures = [
        ImageInput(reencode_image(image_upload(f"{name}.png", "PNG"), max_side=200), name)
        for name in ("The quay", "The lamp", "The boat")
    ]
    idea = make_idea(call, author, images=pictures)
    files = []
    for name in ("dock.jpg", "crane.jpg"):
        path = tmp_path / name
        path.write_bytes(image_upload(name).read())
        files.append(str(path))

    phone = screens.open(viewport=PHONE)
    sign_in(phone, "author@example.org")
    phone.goto(f"/s/{space.slug}/a/{call.activity.slug}/ideas/{idea.pk}/edit/")
    help_text = phone.locator("#id_images_helptext")
    expect(help_text).to_contain_text("This idea has 3 images, the most it can have")
    descriptions = phone.locator("[data-file-description]:visible")
    room = phone.locator("[data-image-room]")

    # Two files for a full idea: no room, so no description field yet, and it says why.
    phone.get_by_label("Images (optional)").set_input_files(files)
    expect(room).to_have_text(re.compile("This idea has no room for another image"))
    expect(descriptions).to_have_count(0)

    # Each ticked removal makes room for one more, with its description field.
    phone.get_by_role("checkbox", name="Remove “The quay”").check()
    expect(descriptions).to_have_count(1)
    expect(room).to_have_text(re.compile("There is room for 1 image: choose fewer"))
    expect(help_text).to_contain_text("1 JPEG, PNG, WebP or GIF image")
    phone.get_by_role("checkbox", name="Remove “The lamp”").check()
    expect(descriptions).to_have_count(2)
    expect(room).to_have_text("")
    expect(help_text).to_contain_text("Up to 2 JPEG, PNG, WebP or GIF images")
    phone.get_by_label("What image 1 shows (dock.jpg)").fill("The dock")
    phone.get_by_label("What image 2 shows (crane.jpg)").fill("The crane")
    assert_accessible(phone)
    screens.shot(phone, "room-made")

    # Untick one: the second file has no room again, and its field goes.
    phone.get_by_role("checkbox", name="Remove “The lamp”").uncheck()
    expect(descriptions).to_have_count(1)
    phone.get_by_role("checkbox", name="Remove “The lamp”").check()
    phone.get_by_role("button", name="Save").click()
    expect(phone.get_by_text("Your idea is updated")).to_be_visible()
    assert sorted(image.description for image in idea.images.all()) == [
        "The boat",
        "The crane",
        "The dock",
    ]
