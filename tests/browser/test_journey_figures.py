"""The organiser reads a journey rated by sixty customers: on a phone and on a laptop."""

import random

from django.urls import reverse
from playwright.sync_api import expect

from sammen.accounts.models import User
from sammen.journeys.actions import do_answer_closing_questions, do_rate
from sammen.journeys.models import Journey, Segment
from sammen.spaces.models import Space
from sammen.testing import make_space, make_user
from sammen.testing.journeys import make_journey, rate_all, touchpoints_of

STAGES = [
    (
        "Before",
        [
            ("Buying a ticket online", "web", "automated", "medium"),
            ("Finding the way", "web", "self_service", "low"),
        ],
    ),
    (
        "Arrival",
        [
            ("Parking", "in_person", "self_service", "low"),
            ("The welcome at the desk", "in_person", "staff", "high"),
        ],
    ),
    (
        "The visit",
        [
            ("The main exhibition", "in_person", "self_service", "low"),
            ("The audio guide", "app", "automated", "low"),
            ("The café", "in_person", "staff", "low"),
        ],
    ),
    (
        "Leaving",
        [
            ("The museum shop", "in_person", "staff", "low"),
            ("The thank-you email", "email", "automated", "low"),
        ],
    ),
]
# Mean feeling per touchpoint on 7 points; None: two camps (the audio guide).
MEANS = [5.5, 5.2, 4.9, 2.7, 6.4, None, 4.9, 5.1, 4.8]


def feeling(rng: random.Random, mean: float | None) -> int | None:
    if rng.random() < 0.07:
        return None  # "I didn't go through this"
    if mean is None:
        return rng.choice([1, 1, 2, 2, 2, 6, 6, 7, 7, 3])
    return max(1, min(7, round(rng.gauss(mean, 1.0))))


def rated_museum(owner: User, space: Space, people: int = 60) -> Journey:
    """A museum visit with a low point, a drop, a peak and a divided touchpoint."""
    journey = make_journey(
        space,
        owner,
        "How did your visit feel?",
        stages=STAGES,
        ask_recommendation=True,
        segment_question="Is this your first visit?",
        segments=["First visit", "Regular"],
    )
    rng = random.Random(11)
    touchpoints = touchpoints_of(journey)
    desk = touchpoints[3]
    segments = list(Segment.objects.filter(journey=journey).order_by("position"))
    for number in range(people):
        first_visit = number % 3 != 0
        means = [m - 0.6 if m and first_visit and i == 3 else m for i, m in enumerate(MEANS)]
        person = rate_all(journey, [feeling(rng, mean) for mean in means])
        if rng.random() < 0.6:
            do_rate(
                journey,
                person,
                desk,
                score=rng.choice([1, 2, 2, 3]),
                words=rng.sample(["annoyed", "ignored", "rushed", "confused", "helped"], 2),
                preference=rng.choice(["person", "person", "person", "none"]),
                comment="We waited a long time." if rng.random() < 0.3 else "",
            )
        do_answer_closing_questions(
            journey,
            person,
            segment_id=segments[0 if first_visit else 1].pk,
            recommendation=rng.choice([10, 9, 9, 8, 7, 6, 9, 10, 4, 8]),
        )
    journey.refresh_from_db()
    return journey


def test_the_organiser_reads_the_curve_on_a_phone_and_a_laptop(screens, assert_accessible):
    owner = make_user("Olga")
    space = make_space(owner, "Harbour Museum", visibility="public")
    journey = rated_museum(owner, space)
    url = reverse("journeys:figures", args=[space.slug, journey.activity.slug])
    for width, label in [(390, "phone"), (1280, "laptop")]:
        page = screens.open({"width": width, "height": 900})
        page.goto(f"/accounts/login/?next={url}")
        page.get_by_label("Email").fill("olga@example.org")
        page.get_by_label("Password").fill("correct horse battery staple")
        page.get_by_role("button", name="Sign In").click()
        expect(page.get_by_role("heading", name="Curve and moments")).to_be_visible()
        expect(page.locator(".curve__point").first).to_be_visible()
        assert_accessible(page)
        # The page itself never scrolls sideways: the curve scrolls in its own box.
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{label}: the page is {overflow}px too wide"
        screens.shot(page, label)
        point = page.locator(".curve__point").nth(3)
        point.focus()
        expect(point.locator(".curve__tip")).to_be_visible()
        screens.shot(page, f"{label}-focus")
        page.goto(f"{url}?compare=segments#compare-title")
        expect(page.get_by_role("columnheader", name="First visit")).to_be_visible()
        screens.shot(page, f"{label}-segments")
