from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from sammen.activities.tests.sample_kind.recognition import SAMPLE_HELPED, do_thank_sample_helper
from sammen.recognition.actions import do_recognise
from sammen.recognition.models import Recognition
from sammen.recognition.registry import Deed, register_deeds, registered_deed
from sammen.testing import BaseTestCase, make_activity, participant_of


class DeedRegistryTests(BaseTestCase):
    def profile(self, viewer, person):
        self.login(viewer)
        return self.client.get(reverse("recognition:profile", args=[person.public_id]))

    def test_a_kind_s_deed_counts_on_the_profile_with_its_label_and_section(self):
        activity = make_activity(self.museum, self.alice, open_it=True)
        bob = participant_of(self.bob)
        do_thank_sample_helper(self.alice, activity, bob)
        response = self.profile(self.charlie, bob)
        self.assertEqual(response.context["profile"].total_points, 7)
        self.assertContains(response, "Helped a sample along × 1")
        self.assertContains(response, "Bob helped samples: 7 points")

    def test_the_same_deed_for_the_same_source_counts_once(self):
        activity = make_activity(self.museum, self.alice, open_it=True)
        for _ in range(2):
            do_thank_sample_helper(self.alice, activity, participant_of(self.bob))
        self.assertEqual(Recognition.objects.get(deed="sample_helped").points, 7)

    def test_a_deed_no_app_registers_is_refused(self):
        stranger = Deed("sample_helped", "helped a sample along", points=7000)
        for deed in [Deed("unregistered", "did something", points=1), stranger]:
            with self.subTest(deed=deed), self.assertRaises(ValueError):
                do_recognise(participant_of(self.bob), self.museum, deed, "sample:1")
        self.assertFalse(Recognition.objects.exists())

    def test_two_apps_cannot_register_one_deed(self):
        with self.assertRaises(ImproperlyConfigured):
            register_deeds(Deed("sample_helped", "something else", points=1))
        self.assertIs(registered_deed("sample_helped"), SAMPLE_HELPED)

    def test_a_deed_whose_app_is_gone_still_counts_under_its_key(self):
        bob = participant_of(self.bob)
        # Rows a kind wrote before it was uninstalled.
        Recognition.objects.create(
            participant=bob, space=self.museum, deed="retired_deed", points=3, source="x:1"
        )
        response = self.profile(self.charlie, bob)
        self.assertEqual(response.context["profile"].total_points, 3)
        self.assertContains(response, "Retired_deed × 1")

    def test_points_stay_what_they_were(self):
        points = {
            "idea_submitted": 5,
            "supported": 1,
            "commented": 2,
            "comment_helpful": 5,
            "idea_reviewed": 25,
            "idea_selected": 100,
            "idea_done": 250,
        }
        for key, expected in points.items():
            deed = registered_deed(key)
            with self.subTest(deed=key):
                assert deed is not None
                self.assertEqual(deed.points, expected)
