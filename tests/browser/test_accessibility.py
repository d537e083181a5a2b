"""Every page of the demo, for the visitor, a member, the owner and the moderator, on a
desktop and on a phone: axe-core finds nothing (of any impact), and at 320 CSS pixels
nothing scrolls sideways or is cut off at the edge of the screen (WCAG 1.4.10, Reflow).

Each page loads once per width; the 320 px check resizes the same load. The pages run on
the ASGI server of test_live.py, since the live pages keep an event stream open. The
crawl is split by persona and area, so that test workers share it out.
"""

from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import Page, ViewportSize

from sammen.demo.data import DEMO_PASSWORD

from .conftest import AXE, DESKTOP, PHONE, Screens
from .crawl import (
    AXE_RUN,
    OVERFLOW,
    PERSONAS,
    crawl_plan,
    load_demo_quickly,
    prepare_moderation,
    prepare_two_factor,
    recovery_code,
)
from .test_live import asgi_server, live_screens  # noqa: F401  (fixtures)

REFLOW_WIDTH = 320
# Shown only to whoever confirmed their password a moment ago.
REAUTHENTICATED = {
    "/accounts/2fa/totp/activate/",
    "/accounts/2fa/totp/deactivate/",
    "/accounts/2fa/recovery-codes/",
}
SECOND_FACTOR = "/accounts/2fa/authenticate/"
OPEN_DISCLOSURES = "() => document.querySelectorAll('details').forEach(d => { d.open = true; })"


def sign_in(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the form, in whatever language the page is in."""
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("main form.form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def reauthenticate(page: Page, then: str, password: str = DEMO_PASSWORD) -> None:
    """Confirm the password again, as the pages that change how one signs in ask."""
    page.goto(f"/accounts/reauthenticate/?next={then}")
    page.locator("#id_password").fill(password)
    page.locator("main form.form button[type=submit]").click()
    page.wait_for_url(f"**{then}")


def enter_second_factor(page: Page, code: str) -> None:
    page.locator("#id_code").fill(code)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(lambda url: SECOND_FACTOR not in url)


@pytest.fixture
def site(transactional_db: None) -> dict[str, dict[str, list[str]]]:
    load_demo_quickly()
    prepare_moderation()
    prepare_two_factor()
    return crawl_plan()


def problems_on(page: Page, path: str, viewport: ViewportSize, axe: str) -> list[str]:
    """Load `path` at `viewport` and check it (problems_here)."""
    page.set_viewport_size(viewport)
    response = page.goto(path)
    arrived = unquote(urlsplit(page.url).path)
    if response is None or response.status != 200 or arrived != unquote(urlsplit(path).path):
        return [f"{path}: {response and response.status}, at {arrived}"]
    return problems_here(page, path, viewport, axe)


def problems_here(page: Page, path: str, viewport: ViewportSize, axe: str) -> list[str]:
    """Run axe on the page as it is, then narrow it to 320 px and measure."""
    page.evaluate(OPEN_DISCLOSURES)
    page.evaluate(axe)
    found = [
        f"{path} at {viewport['width']} px: axe {v['impact']} {v['id']} ({v['help']}) {v['nodes']}"
        for v in page.evaluate(AXE_RUN)
    ]
    page.set_viewport_size({"width": REFLOW_WIDTH, "height": viewport["height"]})
    found += [f"{path} at {REFLOW_WIDTH} px: {what}" for what in page.evaluate(OVERFLOW)]
    return found


def crawl(screens: Screens, persona: str, areas: list[str], plan: dict[str, list[str]]) -> None:
    email, language = PERSONAS[persona]
    axe = AXE.read_text() + "\n;0"
    problems: list[str] = []
    for viewport in (DESKTOP, PHONE):
        page = screens.open(viewport=viewport, language=language)
        if email:
            sign_in(page, email)
            if SECOND_FACTOR in page.url:
                problems += problems_here(page, SECOND_FACTOR, viewport, axe)
                page.set_viewport_size(viewport)
                enter_second_factor(page, recovery_code(email))
        for area in areas:
            for number, path in enumerate(plan[area]):
                if path in REAUTHENTICATED:
                    reauthenticate(page, then=path)
                problems += problems_on(page, path, viewport, axe)
                if viewport is PHONE and number == 0:
                    screens.shot(page, f"{persona}-{area}-320")
    if problems:
        pytest.fail(f"{len(problems)} problems:\n" + "\n".join(problems), pytrace=False)


def test_every_page_a_visitor_sees(live_screens, site):  # noqa: F811
    crawl(live_screens, "anonymous", list(site["anonymous"]), site["anonymous"])
    page = live_screens.open(viewport=PHONE)
    missing = page.goto("/no/such/page/")
    assert missing is not None
    assert missing.status == 404
    assert problems_here(page, "/no/such/page/", PHONE, AXE.read_text() + "\n;0") == []


def test_every_page_a_member_sees(live_screens, site):  # noqa: F811
    crawl(live_screens, "member", list(site["member"]), site["member"])


def test_the_owners_space_pages(live_screens, site):  # noqa: F811
    crawl(live_screens, "owner", ["spaces", "space-settings", "calls"], site["owner"])


def test_the_owners_activity_pages(live_screens, site):  # noqa: F811
    areas = ["conversations", "journeys", "live", "meetings"]
    crawl(live_screens, "owner", areas, site["owner"])


def test_the_moderators_space_and_call_pages(live_screens, site):  # noqa: F811
    areas = ["accounts", "spaces", "calls", "conversations"]
    crawl(live_screens, "moderator", areas, site["moderator"])


def test_the_moderators_activity_pages(live_screens, site):  # noqa: F811
    crawl(live_screens, "moderator", ["journeys", "live", "meetings"], site["moderator"])
