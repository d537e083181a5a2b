"""A space's address from a request is checked before it reaches the database."""

from django.http import Http404
from django.urls import reverse

from sammen.spaces.permissions import access_space
from sammen.testing import BaseTestCase, participant_of


class SpaceAddressTests(BaseTestCase):
    def test_an_address_no_space_could_have_is_not_found(self):
        for slug in ["museum\x00", "a" * 500, "two words", "", "../museum"]:
            with self.subTest(slug=slug), self.assertRaises(Http404):
                access_space(self.alice, slug)

    def test_a_badge_posted_for_an_impossible_space_is_not_found(self):
        """PostgreSQL refuses a NUL byte in text: the request was a 500 there."""
        self.login(self.alice)
        url = reverse("recognition:award_badge", args=[participant_of(self.bob).public_id])
        response = self.client.post(url, {"space": "harbour\x00", "name": "Star"})
        self.assertEqual(response.status_code, 404)
