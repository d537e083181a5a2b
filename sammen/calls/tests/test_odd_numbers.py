"""Odd numbers on the open call's pages: refused with a message, never a 500.

tests/odd_numbers/ sends them to every URL; these are the places a probe found.
"""

from django.urls import reverse

from sammen.calls.actions import ImageInput
from sammen.calls.models import Idea
from sammen.core.images import reencode_image
from sammen.testing import BaseTestCase, image_upload, participant_of
from sammen.testing.calls import make_call, make_idea


class OddNumberTests(BaseTestCase):
    def setUp(self) -> None:
        self.call = make_call(self.museum, self.alice)
        self.idea = make_idea(
            self.call,
            self.bob,
            images=[ImageInput(reencode_image(image_upload("p.png", "PNG"), max_side=100))],
        )
        self.args = [self.museum.slug, self.call.activity.slug]

    def test_a_page_number_of_ten_thousand_digits_shows_the_first_page(self):
        url = reverse("calls:ideas", args=self.args)
        for viewer in [None, self.bob]:
            self.login(viewer)
            with self.subTest(viewer=str(viewer)):
                response = self.client.get(url, {"page": "9" * 10_000})
                self.assertContains(response, self.idea.title)
                response = self.client.get(url, {"page": "²"})
                self.assertContains(response, self.idea.title)

    def test_removing_an_image_that_is_no_number_changes_nothing(self):
        self.login(self.bob)
        url = reverse("calls:edit_idea", args=[*self.args, self.idea.pk])
        for value in ["²", str(2**64), "9" * 10_000, "٣"]:
            with self.subTest(value=value[:20]):
                response = self.client.post(
                    url, {"title": "A new title", "body": "New text.", "remove_image": value}
                )
                self.assertContains(response, "That image is not part of this idea.")
        self.idea.refresh_from_db()
        self.assertEqual(self.idea.title, "A lighthouse museum")
        self.assertEqual(self.idea.images.count(), 1)

    def test_a_forged_list_of_images_to_remove_adds_no_field_and_makes_no_room(self):
        self.login(self.bob)
        url = reverse("calls:edit_idea", args=[*self.args, self.idea.pk])
        response = self.client.post(
            url, {"title": "A new title", "body": "New text.", "remove_image": ["x"] * 500}
        )
        self.assertContains(response, 'name="image_description_3"')
        self.assertNotContains(response, 'name="image_description_4"')
        self.assertContains(response, "Up to 2 JPEG, PNG, WebP or GIF images")

    def test_co_authors_that_are_no_member_ids_are_refused(self):
        self.login(self.alice)
        url = reverse("calls:submit", args=self.args)
        for value in [str(2**64), "9" * 30, "²", "٣", "-1"]:
            with self.subTest(value=value):
                response = self.client.post(
                    url, {"title": "Boats", "body": "More boats.", "co_authors": value}
                )
                self.assertEqual(response.status_code, 200)
        self.assertFalse(Idea.objects.filter(title="Boats").exists())

    def test_a_builds_on_written_in_another_script_is_refused(self):
        self.login(self.alice)
        url = reverse("calls:submit", args=self.args)
        response = self.client.post(
            url, {"title": "Boats", "body": "More boats.", "builds_on": f" {self.idea.pk}"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Idea.objects.filter(title="Boats").exists())

    def test_a_reply_to_a_comment_that_is_no_number_is_refused(self):
        self.login(self.bob)
        url = reverse("calls:comment", args=[*self.args, self.idea.pk])
        for value in [str(2**64), "٠", "²"]:
            with self.subTest(value=value):
                response = self.client.post(url, {"body": "Yes!", "parent": value}, follow=True)
                self.assertEqual(response.status_code, 200)
        self.assertFalse(self.idea.thread.comments.exists())
        self.assertIsNotNone(participant_of(self.bob))
