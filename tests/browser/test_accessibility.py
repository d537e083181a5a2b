"""axe-core finds no serious or critical problem on any page, signed in or not, on a phone too."""

import pytest
from django.core.management import call_command
from playwright.sync_api import Page

from sammen.activities.models import Activity
from sammen.demo.data import DEMO_PASSWORD
from sammen.spaces.actions import do_create_invite
from sammen.spaces.models import Space

from .conftest import PHONE

MUSEUM = "/s/stadsmuseum-zuiderlicht"


def sign_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/")


@pytest.fixture
def demo(transactional_db: None) -> dict[str, str]:
    call_command("load_demo", verbosity=0)
    museum = Space.objects.get(slug="stadsmuseum-zuiderlicht")
    activity = Activity.objects.get(space=museum)
    invite = do_create_invite(museum.memberships.get(role="owner").user, museum)
    return {"activity": activity.get_absolute_url(), "invite": invite.get_absolute_url()}


def visit_all(page: Page, urls: list[str], assert_accessible, screens, label: str) -> None:
    for url in urls:
        response = page.goto(url)
        assert response is not None, url
        assert response.status == 200, url
        assert_accessible(page)
    screens.shot(page, label)


def test_public_pages(screens, assert_accessible, demo):
    urls = [
        "/",
        "/spaces/",
        f"{MUSEUM}/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        demo["invite"],
        "/s/northern-lights-festival/",
    ]
    for viewport, label in [(None, "public-desktop"), (PHONE, "public-phone")]:
        page = screens.open(viewport=viewport)
        visit_all(page, urls, assert_accessible, screens, label)
    page = screens.open()
    missing = page.goto("/no/such/page/")
    assert missing is not None
    assert missing.status == 404
    assert_accessible(page)


def test_organiser_pages(screens, assert_accessible, demo):
    activity = demo["activity"]
    urls = [
        "/",
        f"{MUSEUM}/",
        f"{MUSEUM}/settings/",
        f"{MUSEUM}/members/",
        f"{MUSEUM}/invites/",
        f"{MUSEUM}/audit/",
        f"{MUSEUM}/new/",
        f"{MUSEUM}/delete/",
        activity,
        f"{activity}brief/",
        f"{activity}settings/",
        f"{activity}answer/",
        "/spaces/new/",
        "/accounts/profile/",
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/2fa/",
        "/accounts/2fa/totp/activate",
        "/accounts/delete/",
    ]
    page = screens.open()
    sign_in(page, "owner@demo.example")
    visit_all(page, urls, assert_accessible, screens, "organiser")


def test_open_and_answered_calls_as_a_member_on_a_phone(screens, assert_accessible, demo):
    festival = Activity.objects.get(space__slug="northern-lights-festival", kind="call")
    museum = Activity.objects.get(space__slug="stadsmuseum-zuiderlicht")
    idea = museum.call.ideas.order_by("-support_count").first()
    assert idea is not None
    page = screens.open(viewport=PHONE)
    sign_in(page, "member@demo.example")
    urls = [
        "/",
        f"{MUSEUM}/",
        museum.get_absolute_url(),
        f"{museum.get_absolute_url()}ideas/",
        idea.get_absolute_url(),
        f"{museum.get_absolute_url()}ideas/new/",
        festival.get_absolute_url(),
        f"{festival.get_absolute_url()}report/",
        "/notifications/",
    ]
    visit_all(page, urls, assert_accessible, screens, "member")
