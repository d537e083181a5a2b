"""On a 390 px phone: nothing sticks out sideways, the header keeps to one line,
charts have their axes and dates, and the participant's place comes before the brief."""

import pytest
from playwright.sync_api import Page, ViewportSize

from .crawl import load_demo_quickly
from .test_accessibility import sign_in

IPHONE: ViewportSize = {"width": 390, "height": 844}
FESTIVAL = "/s/northern-lights-festival"
CALL = f"{FESTIVAL}/a/co-programme-the-2027-small-stages"
CONVERSATION = f"{FESTIVAL}/a/what-should-the-festival-become"

# Everything a phone should show without sideways scrolling. Elements whose own job
# is to scroll (a table's wrapper, the tab bar) may be wider inside; they must not
# push their card or the page.
LAYOUT = """() => {
  const scrolls = e => ["auto", "scroll"].includes(getComputedStyle(e).overflowX);
  const doc = document.documentElement;
  const cards = [...document.querySelectorAll(
    "main .card, main .chart, main .notice, main .brief, main .answer, main figure"
  )].filter(e => e.clientWidth > 0 && !scrolls(e));
  const wideCards = cards.filter(e => e.scrollWidth > e.clientWidth)
    .map(e => `${e.tagName}.${e.className} ${e.scrollWidth} > ${e.clientWidth}`);
  const tables = [...document.querySelectorAll("main table")].filter(table => {
    const fits = table.getBoundingClientRect().right <= doc.clientWidth + 0.5;
    let scroller = table.parentElement;
    while (scroller && !scrolls(scroller)) scroller = scroller.parentElement;
    return !fits && !(scroller && scroller.getBoundingClientRect().right <= doc.clientWidth + 0.5);
  }).map(t => t.closest("section, figure, details")?.textContent.trim().slice(0, 40));
  return {page: [doc.scrollWidth, doc.clientWidth], wideCards, tables};
}"""

HEADER = """() => {
  const items = [...document.querySelectorAll(
    ".site-header .brand, .site-header .site-nav li"
  )].map(e => e.getBoundingClientRect()).filter(r => r.width > 0);
  const inner = document.querySelector(".site-header__inner");
  return {
    oneLine: Math.max(...items.map(r => r.top)) < Math.min(...items.map(r => r.bottom)),
    right: Math.max(...items.map(r => r.right)),
    width: document.documentElement.clientWidth,
    navOverflow: inner.scrollWidth - inner.clientWidth,
  };
}"""


@pytest.fixture
def demo(transactional_db: None) -> None:
    load_demo_quickly()


def assert_fits(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None, url
    assert response.status == 200, url
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    layout = page.evaluate(LAYOUT)
    assert layout["page"][0] <= layout["page"][1], (url, layout)
    assert layout["wideCards"] == [], (url, layout)
    assert layout["tables"] == [], (url, layout)
    header = page.evaluate(HEADER)
    assert header["oneLine"], (url, header)
    assert header["right"] <= header["width"], (url, header)
    assert header["navOverflow"] <= 0, (url, header)


def test_reports_and_the_conversation_fit_a_390_px_phone(screens, demo):
    # One test, so the demo data loads once.
    pages = [
        f"{CALL}/report/",
        f"{CONVERSATION}/opinion-map/",
        f"{CONVERSATION}/",
        f"{CALL}/",
        f"{FESTIVAL}/",
        "/",
        "/notifications/",
    ]
    # The owner reads Dutch, the longest of the four languages in the header.
    phone = screens.open(viewport=IPHONE)
    sign_in(phone, "owner@demo.example")
    for url in pages:
        assert_fits(phone, url)
    screens.shot(phone, "notifications-owner")
    phone.goto(f"{CALL}/report/")
    screens.shot(phone, "call-report")
    visitor = screens.open(viewport=IPHONE)
    for url in pages[:5]:
        assert_fits(visitor, url)

    # Each participation chart has its axes, its scale and its dates.
    phone.goto(f"{CALL}/report/")
    for chart in phone.locator(".chart").all():
        assert chart.locator(".chart__axes").count() == 1
        assert chart.locator(".chart__y span").last.inner_text() == "0"
        assert chart.locator(".chart__x span").first.inner_text().strip() != ""
    # Where you stand comes before the long brief.
    phone.goto(f"{CONVERSATION}/")
    place = phone.locator("#your-place").bounding_box()
    brief = phone.locator("section.brief").bounding_box()
    assert place is not None
    assert brief is not None
    assert place["y"] < brief["y"]
