"""A customer rates a journey on a phone, one touchpoint at a time, in a real browser."""

from playwright.sync_api import Page, ViewportSize, expect

from sammen.accounts.actions import do_create_account, do_create_anonymous_participant
from sammen.journeys.actions import do_rate
from sammen.journeys.emotions import words_to_bits
from sammen.journeys.models import Journey, Rating, Respondent
from sammen.testing import PASSWORD, make_space
from sammen.testing.journeys import make_journey, touchpoints_of

from .conftest import DESKTOP, PHONE

IPHONE: ViewportSize = {"width": 390, "height": 844}


def festival_journey() -> Journey:
    owner = do_create_account("host@example.org", PASSWORD, "Hanna Host")
    space = make_space(owner, "Harbour Museum")
    return make_journey(
        space,
        owner,
        ask_recommendation=True,
        segment_question="Is this your first visit?",
        segments=["First visit", "Regular"],
    )


def expect_card(page: Page, name: str, place: str) -> None:
    expect(page.locator("#rating-card-title")).to_have_text(name)
    expect(page.locator(".rating-card__place")).to_contain_text(place)


def test_a_customer_rates_every_touchpoint_on_a_phone(screens, assert_accessible):
    journey = festival_journey()
    names = [touchpoint.name for touchpoint in touchpoints_of(journey)]
    phone = screens.open(PHONE)
    phone.goto(journey.activity.get_absolute_url())
    assert_accessible(phone)
    phone.get_by_role("link", name="Rate the journey").click()
    expect_card(phone, names[0], "1 of 5")
    assert_accessible(phone)
    screens.shot(phone, "first-touchpoint")

    # The first with a face, two words, a preference and a comment.
    phone.get_by_label("Rather negative").check()
    phone.get_by_label("annoyed").check()
    phone.get_by_label("rushed").check()
    phone.get_by_label("a person").check()
    phone.get_by_label("Anything to add? (optional)").fill("The site was slow.")
    phone.get_by_role("button", name="Save and go on").click()
    expect_card(phone, names[1], "2 of 5")
    expect(phone.locator(".rating-card__notice")).to_contain_text(f"Saved: “{names[0]}”")
    # Keyboard and screen reader users land on the new touchpoint's name.
    expect(phone.locator("#rating-card-title")).to_be_focused()
    assert phone.url.endswith(f"/touchpoints/{touchpoints_of(journey)[1].pk}/rate/")

    # The second they did not go through.
    phone.get_by_role("button", name="I didn't go through this").click()
    expect_card(phone, names[2], "3 of 5")

    # A closed tab loses nothing: reloading, then going back, shows what they gave.
    phone.reload()
    expect_card(phone, names[2], "3 of 5")
    phone.locator(".rating-card__previous").click()
    expect_card(phone, names[1], "2 of 5")
    expect(phone.get_by_text("You said you didn't go through this.")).to_be_visible()
    phone.locator(".rating-card__previous").click()
    expect_card(phone, names[0], "1 of 5")
    expect(phone.get_by_label("Rather negative")).to_be_checked()
    expect(phone.get_by_label("rushed")).to_be_checked()
    expect(phone.get_by_label("Anything to add? (optional)")).to_have_value("The site was slow.")
    phone.locator(".rating-card__next").click()
    phone.locator(".rating-card__next").click()
    expect_card(phone, names[2], "3 of 5")

    # The third with the keyboard alone: arrows choose a face, Enter saves.
    phone.get_by_label("Very negative").focus()
    for _step in range(5):
        phone.keyboard.press("ArrowRight")
    expect(phone.get_by_label("Positive", exact=True)).to_be_checked()
    phone.keyboard.press("Enter")
    expect_card(phone, names[3], "4 of 5")
    phone.get_by_label("Neutral").check()
    phone.get_by_role("button", name="Save and go on").click()
    expect_card(phone, names[4], "5 of 5")
    phone.get_by_label("Very positive").check()
    phone.get_by_role("button", name="Save and finish").click()

    # The closing questions, then the thank-you.
    expect(phone.get_by_role("heading", name="One last question")).to_be_visible()
    assert_accessible(phone)
    phone.get_by_label("First visit").check()
    phone.get_by_label("9", exact=True).check()
    screens.shot(phone, "closing-questions")
    phone.get_by_role("button", name="Send").click()
    expect(phone.get_by_role("heading", name="Thank you!")).to_be_visible()
    expect(phone.get_by_text("You answered 5 of 5 touchpoints.")).to_be_visible()
    expect(phone.get_by_role("link", name="Create an account")).to_be_visible()
    assert_accessible(phone)
    screens.shot(phone, "thank-you")

    ratings = {
        rating.touchpoint.name: rating for rating in Rating.objects.select_related("touchpoint")
    }
    assert [ratings[name].score for name in names] == [3, None, 6, 4, 7]
    assert ratings[names[0]].words == words_to_bits(["annoyed", "rushed"])
    assert (ratings[names[0]].preference, ratings[names[0]].comment) == (
        "person",
        "The site was slow.",
    )
    respondent = Respondent.objects.select_related("segment").get()
    assert respondent.segment is not None
    assert (respondent.segment.label, respondent.recommendation) == ("First visit", 9)


def test_the_rating_pages_fit_a_phone_and_a_desk(screens, assert_accessible):
    journey = festival_journey()
    touchpoints = touchpoints_of(journey)
    others = do_create_anonymous_participant()
    do_rate(journey, others, touchpoints[0], score=2)
    for viewport, label, missing in (
        (IPHONE, "390", "Finding a place to park"),
        (DESKTOP, "1280", "Leaving a coat"),
    ):
        page = screens.open(viewport)
        page.goto(journey.activity.get_absolute_url())
        screens.shot(page, f"activity-{label}")
        page.get_by_role("link", name="Rate the journey").click()
        page.get_by_label("Rather positive").check()
        page.get_by_label("welcomed").check()
        page.get_by_label("a machine").check()
        screens.shot(page, f"card-{label}")
        width = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
        assert width[0] <= width[1], width
        page.get_by_role("button", name="Save and go on").click()
        expect(page.locator("#rating-card-title")).to_have_text(touchpoints[1].name)
        page.get_by_role("link", name="Something missing between this and the next?").click()
        page.get_by_label("What is missing?").fill(missing)
        page.get_by_role("button", name="Propose it").click()
        expect(page.get_by_text("waits for the organisers' approval")).to_be_visible()
        expect(page.get_by_text("Proposed, waiting for approval")).to_be_visible()
        assert_accessible(page)
        screens.shot(page, f"proposed-{label}")
        page.goto(journey.activity.get_absolute_url())
        expect(page.get_by_role("link", name="Go on")).to_be_visible()
        assert_accessible(page)
        screens.shot(page, f"activity-started-{label}")
