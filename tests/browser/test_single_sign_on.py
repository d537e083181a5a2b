"""Single sign-on in a real browser: the button on the sign-in page, the round trip to
a small OpenID Connect provider on 127.0.0.1, and a space that requires it of its
organisers."""

from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest
from django.test import override_settings
from playwright.sync_api import Page, ViewportSize

from sammen.spaces.models import Role, Space
from sammen.testing import PASSWORD, make_member, make_space, make_user
from sammen.testing.oidc import OIDCProvider, Person, running_provider, unused_address

from .conftest import DESKTOP, Screens
from .test_accessibility import sign_in

PHONE_375: ViewportSize = {"width": 375, "height": 740}


@pytest.fixture
def provider(transactional_db: None) -> Iterator[OIDCProvider]:
    with running_provider() as running:
        yield running


@pytest.fixture
def museum(transactional_db: None) -> Space:
    alice = make_user("Alice")
    space = make_space(alice, "Harbour Museum")
    make_member(space, make_user("Maja"), Role.MODERATOR)
    space.sso_provider = "acme"
    space.save(update_fields=["sso_provider"])
    return space


@pytest.mark.parametrize("viewport", [PHONE_375, DESKTOP], ids=["phone", "desktop"])
def test_an_owner_signs_in_with_the_button_and_finds_the_requirement(
    screens: Screens,
    provider: OIDCProvider,
    museum: Space,
    viewport: ViewportSize,
    assert_accessible: Callable[[Page], None],
) -> None:
    page = screens.open(viewport)
    page.goto(f"/accounts/login/?next=/s/{museum.slug}/settings/")
    button = page.get_by_role("button", name="Sign in with Acme Login")
    assert button.is_visible()
    assert_accessible(page)
    screens.shot(page, "sign-in-page")

    provider.person = Person("alice-at-acme", "alice@example.org", name="Alice A.")
    button.click()
    page.wait_for_url(lambda url: urlsplit(url).path == f"/s/{museum.slug}/settings/")
    assert provider.authorizations == 1
    section = page.locator("#single-sign-on")
    assert "You signed in with Acme Login this time." in section.inner_text()
    assert section.get_by_label("Acme Login").is_checked()
    assert_accessible(page)
    section.scroll_into_view_if_needed()
    screens.shot(page, "space-settings")


@pytest.mark.parametrize("viewport", [PHONE_375, DESKTOP], ids=["phone", "desktop"])
def test_a_moderator_signed_in_with_a_password_is_asked_to_sign_in_with_the_provider(
    screens: Screens,
    provider: OIDCProvider,
    museum: Space,
    viewport: ViewportSize,
    assert_accessible: Callable[[Page], None],
) -> None:
    page = screens.open(viewport)
    sign_in(page, "maja@example.org", PASSWORD)
    page.goto(f"/s/{museum.slug}/")
    banner = page.locator(".sso-banner")
    assert "asks its owners and moderators to sign in with Acme Login" in banner.inner_text()
    assert page.locator(".space-header .tabs").count() == 0  # the member view
    assert_accessible(page)
    screens.shot(page, "member-view-with-banner")

    response = page.goto(f"/s/{museum.slug}/members/")
    assert response is not None
    assert response.status == 403
    assert "to use the organisers' tools" in page.locator("h1").inner_text()
    assert_accessible(page)
    screens.shot(page, "sso-required")

    provider.person = Person("maja-at-acme", "maja@example.org")
    page.get_by_role("button", name="Sign in with Acme Login").click()
    page.wait_for_url(lambda url: url.endswith(f"/s/{museum.slug}/members/"))
    assert page.locator(".space-header .tabs").is_visible()
    assert page.locator(".sso-banner").count() == 0


@pytest.mark.parametrize("viewport", [PHONE_375, DESKTOP], ids=["phone", "desktop"])
def test_a_provider_that_is_down_gets_a_calm_page(
    screens: Screens,
    transactional_db: None,
    viewport: ViewportSize,
    assert_accessible: Callable[[Page], None],
) -> None:
    app = {
        "provider_id": "acme",
        "name": "Acme Login",
        "client_id": "x",
        "secret": "y",
        "settings": {"server_url": unused_address()},
    }
    with override_settings(SOCIALACCOUNT_PROVIDERS={"openid_connect": {"APPS": [app]}}):
        page = screens.open(viewport)
        page.goto("/accounts/login/")
        page.get_by_role("button", name="Sign in with Acme Login").click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == "Signing in did not work"
        assert_accessible(page)
        screens.shot(page, "provider-down")
