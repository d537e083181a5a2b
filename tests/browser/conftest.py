"""Browser tests: Playwright drives the machine's Chromium against a live test server.

Each test's pages are screenshotted into test-artifacts/browser/, and axe-core
(installed from the npm registry by `make test`) checks every page it is asked to.
"""

import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, sync_playwright

# Playwright's sync API runs an event loop in this thread; the ORM calls tests make
# between browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
PHONE: ViewportSize = {"width": 360, "height": 740}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE_390: ViewportSize = {"width": 390, "height": 844}  # a larger phone


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), "Chromium is missing: `make browser-deps` installs it."
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Screens:
    """Open pages in fresh browser contexts and keep what went wrong in them."""

    def __init__(self, browser: Browser, base_url: str, name: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.name = re.sub(r"[^a-z0-9_]+", "-", name.lower())
        self.contexts: list[BrowserContext] = []
        self.console_errors: list[str] = []
        self.shots = 0

    def open(self, viewport: ViewportSize | None = None, language: str = "en") -> Page:
        context = self.browser.new_context(
            viewport=viewport or DESKTOP, base_url=self.base_url, locale=language
        )
        context.set_default_timeout(10_000)
        self.contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda message: (
                self.console_errors.append(message.text) if message.type == "error" else None
            ),
        )
        return page

    def shot(self, page: Page, label: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.shots += 1
        path = ARTIFACTS / f"{self.name}-{self.shots:02d}-{label}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def screens(
    browser: Browser, live_server: object, request: pytest.FixtureRequest
) -> Iterator[Screens]:
    opened = Screens(browser, str(live_server), request.node.name)
    yield opened
    opened.close()
    csp_errors = [error for error in opened.console_errors if "Content Security Policy" in error]
    assert csp_errors == [], csp_errors


def check_accessibility(page: Page) -> list[dict[str, object]]:
    """Run axe-core on the page; return serious and critical violations."""
    page.evaluate(AXE.read_text() + "\n;0")
    results = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))
            }));
        }"""
    )
    return [item for item in results if item["impact"] in {"serious", "critical"}]


@pytest.fixture
def assert_accessible() -> Callable[[Page], None]:
    def check(page: Page) -> None:
        violations = check_accessibility(page)
        assert violations == [], f"{page.url}: {json.dumps(violations, indent=2)}"

    return check
