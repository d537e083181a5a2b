"""The journeys to start from: each is realistic, fits the limits and applies cleanly."""

from django.urls import reverse
from django.utils import translation

from sammen.audit.models import AuditEntry
from sammen.core.errors import ActionRefused
from sammen.spaces.actions import do_update_space
from sammen.testing import BaseTestCase
from sammen.testing.journeys import make_journey, touchpoints_of

from ..actions.importing import do_apply_starter
from ..models import (
    STAGE_NAME_MAX_LENGTH,
    TOUCHPOINT_DESCRIPTION_MAX_LENGTH,
    TOUCHPOINT_NAME_MAX_LENGTH,
    Channel,
    Performer,
    Risk,
    Stage,
    Touchpoint,
)
from ..starters import STARTERS

LANGUAGES = ("en", "nl", "da", "sv")


class StarterContentTests(BaseTestCase):
    def test_there_are_the_four_examples_of_the_issue(self):
        self.assertEqual(set(STARTERS), {"museum", "festival", "support", "application"})

    def test_each_has_four_to_six_stages_and_eight_to_fourteen_touchpoints_each_named_once(self):
        for starter in STARTERS.values():
            with self.subTest(starter=starter.key):
                self.assertTrue(4 <= len(starter.stages) <= 6)
                self.assertTrue(8 <= starter.touchpoint_count <= 14)
                names = [str(tp.name) for stage in starter.stages for tp in stage.touchpoints]
                self.assertEqual(len(names), len(set(names)))
                self.assertTrue(all(stage.touchpoints for stage in starter.stages))

    def test_every_text_fits_the_limits_in_every_language_and_every_choice_is_valid(self):
        for language in LANGUAGES:
            with translation.override(language):
                for starter in STARTERS.values():
                    self.assertTrue(str(starter.title) and str(starter.summary))
                    for stage in starter.stages:
                        self.assertLessEqual(len(str(stage.name)), STAGE_NAME_MAX_LENGTH)
                        for tp in stage.touchpoints:
                            self.assertLessEqual(len(str(tp.name)), TOUCHPOINT_NAME_MAX_LENGTH)
                            self.assertLessEqual(
                                len(str(tp.description)), TOUCHPOINT_DESCRIPTION_MAX_LENGTH
                            )
                            self.assertIn(tp.channel, Channel.values)
                            self.assertIn(tp.performer, Performer.values)
                            self.assertIn(tp.risk, Risk.values)

    def test_each_mixes_people_and_machines_and_has_a_high_risk_moment(self):
        """The advice on keeping a person needs both kinds of touchpoint to say anything."""
        for starter in STARTERS.values():
            touchpoints = [tp for stage in starter.stages for tp in stage.touchpoints]
            with self.subTest(starter=starter.key):
                self.assertIn(Performer.STAFF, {tp.performer for tp in touchpoints})
                self.assertIn(Performer.AUTOMATED, {tp.performer for tp in touchpoints})
                self.assertIn(Risk.HIGH, {tp.risk for tp in touchpoints})


class ApplyStarterTests(BaseTestCase):
    def empty_journey(self, title: str = "A visit"):
        return make_journey(self.museum, self.alice, title, open_it=False, stages=[])

    def test_each_applies_cleanly_to_an_empty_journey_in_its_order(self):
        for number, starter in enumerate(STARTERS.values()):
            journey = self.empty_journey(f"Journey {number}")
            with self.subTest(starter=starter.key):
                count = do_apply_starter(self.alice, journey, starter.key)
                self.assertEqual(count, starter.touchpoint_count)
                self.assertGreaterEqual(count, 8)
                self.assertEqual(
                    list(Stage.objects.filter(journey=journey).values_list("name", flat=True)),
                    [str(stage.name) for stage in starter.stages],
                )
                self.assertEqual(
                    [tp.name for tp in touchpoints_of(journey)],
                    [str(tp.name) for stage in starter.stages for tp in stage.touchpoints],
                )
                entry = AuditEntry.objects.filter(action="journey.imported").latest("pk")
                self.assertEqual(entry.details["starter"], starter.key)

    def test_it_is_written_in_the_spaces_language(self):
        do_update_space(
            self.alice,
            self.museum,
            name=self.museum.name,
            description=self.museum.description,
            visibility=self.museum.visibility,
            default_language="nl",
        )
        journey = self.empty_journey()
        with translation.override("nl"):
            expected = str(STARTERS["festival"].stages[0].name)
        with translation.override("en"):
            do_apply_starter(self.alice, journey, "festival")
        self.assertEqual(Stage.objects.filter(journey=journey)[0].name, expected)

    def test_a_journey_with_a_map_or_an_unknown_example_is_refused_and_nothing_changes(self):
        journey = make_journey(self.museum, self.alice, open_it=False)
        before = Touchpoint.objects.count()
        with self.assertRaisesMessage(ActionRefused, "only while its map is empty"):
            do_apply_starter(self.alice, journey, "museum")
        with self.assertRaisesMessage(ActionRefused, "Choose one of the journeys offered"):
            do_apply_starter(self.alice, self.empty_journey(), "zoo")
        self.assertEqual(Touchpoint.objects.count(), before)

    def test_the_empty_map_page_offers_the_examples_and_applies_one(self):
        journey = self.empty_journey()
        activity = journey.activity
        page = reverse("journeys:map", args=[self.museum.slug, activity.slug])
        self.client.force_login(self.alice)
        response = self.client.get(page)
        for starter in STARTERS.values():
            self.assertContains(response, str(starter.title))
        apply_url = reverse("journeys:apply_starter", args=[self.museum.slug, activity.slug])
        response = self.client.post(apply_url, {"starter": "support"}, follow=True)
        self.assertRedirects(response, page)
        self.assertContains(response, "12 touchpoints are mapped")
        self.assertNotContains(response, "Start from an example")
        response = self.client.post(apply_url, {"starter": "support"}, follow=True)
        self.assertContains(response, "only while its map is empty")
        response = self.client.post(apply_url, {"starter": "../zoo"}, follow=True)
        self.assertContains(response, "Select a valid choice")
        self.assertEqual(Touchpoint.objects.filter(journey=journey).count(), 12)
