"""An idea's card: its first image, a plain excerpt, and the way to the next threshold."""

import re
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sammen.calls.actions import ImageInput, do_support_idea, do_update_call_schedule
from sammen.calls.idea_cards import momentum_progress
from sammen.core.images import reencode_image
from sammen.testing import BaseTestCase, image_upload, make_user, participant_of
from sammen.testing.calls import make_call, make_idea


def picture(size: tuple[int, int], description: str = "") -> ImageInput:
    return ImageInput(reencode_image(image_upload(size=size), max_side=1600), description)


class IdeaCardTests(BaseTestCase):
    def setUp(self) -> None:
        self.call = make_call(self.museum, self.alice)
        activity = self.call.activity
        self.url = reverse("calls:ideas", args=[activity.space.slug, activity.slug])

    def set_thresholds(self, momentum: list[tuple[int, int]]) -> None:
        do_update_call_schedule(
            self.alice,
            self.call,
            submission_ends_at=None,
            support_ends_at=None,
            review_ends_at=None,
            stage_override="",
            submissions_paused=False,
            momentum=momentum,
            review_dates=[],
        )

    def card_of(self, title: str) -> str:
        html = self.client.get(self.url).content.decode()
        cards = re.findall(r'<li class="card idea-card.*?</li>', html, re.S)
        return next(card for card in cards if title in card)

    def test_a_card_shows_the_first_image_as_a_lazy_thumbnail_with_its_size_and_words(self):
        idea = make_idea(
            self.call,
            self.bob,
            "The old boat",
            images=[picture((800, 600), "A wooden boat"), picture((300, 300), "The dock")],
        )
        first = idea.images.order_by("position")[0]
        card = self.card_of("The old boat")
        self.assertIn(f'src="{first.image.url}"', card)
        self.assertIn('width="800" height="600"', card)
        self.assertIn('alt="A wooden boat"', card)
        self.assertIn('loading="lazy"', card)
        self.assertNotIn("The dock", card)
        self.assertTrue(first.image.url.endswith(".webp"))

    def test_an_image_without_a_description_is_described_by_the_title_and_none_shows_none(self):
        make_idea(self.call, self.bob, "The old boat", images=[picture((64, 48))])
        make_idea(self.call, self.maja, "No picture")
        self.assertIn('alt="The old boat"', self.card_of("The old boat"))
        self.assertNotIn("<img", self.card_of("No picture"))

    def test_a_card_shows_the_text_without_markdown_signs_cut_at_a_word(self):
        body = (
            "**Bold** plans for the *quay*.\n\n- one stall\n- two stalls\n\n"
            "> Read [the plan](https://example.org) & more.\n\n" + "harbour " * 60
        )
        make_idea(self.call, self.bob, "Market", body=body)
        card = self.card_of("Market")
        found = re.search(r'class="idea-card__body[^>]*>(.*?)</p>', card, re.S)
        assert found is not None
        text = found.group(1)
        self.assertTrue(
            text.startswith(
                "Bold plans for the quay. one stall two stalls Read the plan &amp; more."
            )
        )
        for sign in ["**", "*quay", "- one", "&gt;", "[the plan]", "https://"]:
            self.assertNotIn(sign, text)
        self.assertTrue(text.endswith("harbour…"), text[-30:])
        self.assertLessEqual(len(text.replace("&amp;", "&")), 181)

    def test_a_card_shows_supports_and_days_towards_the_next_threshold(self):
        self.set_thresholds([(3, 30), (6, 60)])
        idea = make_idea(self.call, self.bob, "Lantern walk")
        do_support_idea(participant_of(self.maja), idea)
        card = self.card_of("Lantern walk")
        self.assertIn("1 of 3 supports", card)
        self.assertIn("30 days left", card)
        self.assertIn("Step 1 of 2 on the way to review", card)
        self.assertIn('<progress max="3" value="1"', card)
        for name in ["Alice", "Charlie"]:
            do_support_idea(participant_of(make_user(f"{name}2")), idea)
        card = self.card_of("Lantern walk")
        self.assertIn("3 of 6 supports", card)
        self.assertIn("60 days left", card)
        self.assertIn("Step 2 of 2", card)

    def test_without_thresholds_or_once_in_review_a_card_shows_no_way_to_go(self):
        make_idea(self.call, self.bob, "Lantern walk")
        self.assertNotIn("<progress", self.card_of("Lantern walk"))
        self.set_thresholds([(1, 10)])
        self.assertIn("0 of 1 support", self.card_of("Lantern walk"))
        do_support_idea(participant_of(self.maja), self.call.ideas.get())
        card = self.card_of("Lantern walk")
        self.assertIn("Under review", card)
        self.assertNotIn("<progress", card)

    def test_the_days_left_count_a_started_day_and_end_at_time_is_up(self):
        self.set_thresholds([(5, 2)])
        idea = make_idea(self.call, self.bob)
        stages = list(self.call.momentum_stages.all())
        start = idea.created_at
        for later, days in [(timedelta(0), 2), (timedelta(hours=30), 1), (timedelta(days=3), 0)]:
            with self.subTest(later=later):
                progress = momentum_progress(idea, stages, start + later)
                assert progress is not None
                self.assertEqual(progress.days_left, days)

    def test_changing_the_thresholds_changes_the_cards_every_visitor_shares(self):
        make_idea(self.call, self.bob, "Lantern walk")
        self.assertNotIn("<progress", self.card_of("Lantern walk"))
        self.set_thresholds([(4, 20)])
        self.assertIn("0 of 4 supports", self.card_of("Lantern walk"))

    def test_the_list_makes_as_many_queries_with_many_pictured_ideas_as_with_one(self):
        self.set_thresholds([(3, 30), (6, 60)])
        make_idea(self.call, self.maja, "First", images=[picture((64, 48))])
        self.login(self.bob)

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(self.url).status_code, 200)
            return len(queries.captured_queries)

        few = count()
        for number in range(6):
            idea = make_idea(self.call, self.maja, f"More {number}", images=[picture((64, 48))] * 2)
            do_support_idea(participant_of(self.bob), idea)
        self.assertEqual(count(), few)
