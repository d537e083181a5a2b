"""The journey's map editor in a real browser: on a phone and a desktop, reordering with
htmx in place, and starting from an example."""

import re

from playwright.sync_api import expect

from sammen.accounts.actions import do_create_account
from sammen.journeys.actions.mapping import TouchpointInput, do_add_touchpoint
from sammen.journeys.actions.review import do_hide_touchpoint
from sammen.journeys.models import Stage, TouchpointState
from sammen.spaces.actions import do_create_space
from sammen.testing import PASSWORD, participant_of
from sammen.testing.journeys import make_journey, rate_all, touchpoints_of

from .conftest import DESKTOP, PHONE_390
from .test_open_call import sign_in


def a_mapped_journey():
    olga = do_create_account("olga@example.org", PASSWORD, "Olga Organiser")
    bob = do_create_account("bob@example.org", PASSWORD, "Bob Visitor")
    space = do_create_space(olga, name="Harbour Museum", slug="harbour-museum")
    journey = make_journey(space, olga, "A museum visit")
    rate_all(journey, [3, 5, 6])
    entrance = touchpoints_of(journey)[1]
    do_add_touchpoint(
        None,
        entrance.stage,
        TouchpointInput(name="The lockers", description="Somewhere to leave a bag."),
        state=TouchpointState.PROPOSED,
        after=entrance,
        proposed_by=participant_of(bob),
    )
    shop = touchpoints_of(journey)[-1]
    do_hide_touchpoint(olga, shop, "The shop is closed for good")
    return journey


def test_the_map_editor_is_calm_on_a_phone_and_a_desktop_and_reorders_in_place(
    screens, assert_accessible
):
    journey = a_mapped_journey()
    map_url = f"/s/harbour-museum/a/{journey.activity.slug}/journey/map/"
    for label, viewport in (("phone-390", PHONE_390), ("desktop-1280", DESKTOP)):
        page = screens.open(viewport=viewport)
        sign_in(page, "olga@example.org")
        page.goto(map_url)
        expect(page.get_by_role("heading", name="Stages and touchpoints", level=2)).to_be_visible()
        expect(page.get_by_text("A participant proposed a touchpoint you missed.")).to_be_visible()
        assert_accessible(page)
        screens.shot(page, label)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"{label}: the page scrolls sideways ({width}px)"

    # With htmx, a move swaps the editor in place and keeps the focus on the button.
    # (A fresh page: Playwright's screenshots leave style="" on inputs, which htmx would
    # copy back when it swaps, against the Content Security Policy.)
    page.goto(map_url)
    arrival = Stage.objects.get(journey=journey, name="Arrival")
    welcome = next(tp for tp in touchpoints_of(journey) if tp.name == "The welcome at the desk")
    button = page.locator(f"#touchpoint-{welcome.pk}-up")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#map-status")).to_have_text("“The welcome at the desk” moved up.")
    expect(page.locator(f"#touchpoint-{welcome.pk}-up")).to_be_focused()
    items = page.locator(f"#stage-{arrival.pk} .map-touchpoint__name > span:first-child")
    expect(items.nth(1)).to_have_text("The welcome at the desk")
    assert page.url.endswith(map_url)

    # Opening a stage's form and adding a touchpoint.
    page.locator(f"#stage-{arrival.pk} .map-add > summary").click()
    page.locator(f"#add-{arrival.pk}-name").fill("The cloakroom")
    page.locator(f"#add-{arrival.pk}-channel").select_option("in_person")
    page.locator(f"#add-{arrival.pk}-monthly_volume").fill("2400")
    page.locator(f"#stage-{arrival.pk}").get_by_role("button", name="Add the touchpoint").click()
    expect(page.locator(f"#stage-{arrival.pk}")).to_contain_text("2,400 a month")
    assert_accessible(page)
    screens.shot(page, "after-moves")

    phone = screens.open(viewport=PHONE_390)
    sign_in(phone, "olga@example.org")
    phone.goto(map_url)
    phone.locator(f"#stage-{arrival.pk} .map-add > summary").click()
    expect(phone.locator(f"#add-{arrival.pk}-name")).to_be_visible()
    assert_accessible(phone)
    screens.shot(phone, "add-form-phone")
    phone.get_by_role("link", name=re.compile("Edit.*The welcome at the desk")).click()
    expect(phone.get_by_role("heading", name="Hide the touchpoint")).to_be_visible()
    assert_accessible(phone)
    screens.shot(phone, "edit-phone")
    phone.goto(f"{map_url}import/")
    phone.get_by_label("Or paste the lines here").fill(
        "stage,touchpoint,risk\nArrival,The map,extreme\n"
    )
    phone.get_by_role("button", name="Import").click()
    expect(phone.get_by_text("Line 2: “extreme” is not one of the choices.")).to_be_visible()
    assert_accessible(phone)
    screens.shot(phone, "import-phone")


def test_an_empty_journey_starts_from_an_example(screens, assert_accessible):
    olga = do_create_account("olga@example.org", PASSWORD, "Olga Organiser")
    space = do_create_space(olga, name="Dock Festival", slug="dock-festival")
    journey = make_journey(space, olga, "A weekend", open_it=False, stages=[])
    page = screens.open(viewport=PHONE_390)
    sign_in(page, "olga@example.org")
    page.goto(f"/s/dock-festival/a/{journey.activity.slug}/journey/map/")
    expect(page.get_by_role("heading", name="Start from an example")).to_be_visible()
    assert_accessible(page)
    screens.shot(page, "empty")
    page.get_by_role("button", name=re.compile("Start from this.*Festival weekend")).click()
    expect(page.get_by_text("14 touchpoints are mapped.")).to_be_visible()
    expect(page.get_by_role("heading", name="At the festival")).to_be_visible()
    assert_accessible(page)
