"""An idea's images are seen by whoever may see the idea, and by nobody else."""

from sammen.calls.actions import ImageInput, do_hide_idea
from sammen.core.images import reencode_image
from sammen.testing import BaseTestCase, image_upload, make_member
from sammen.testing.calls import make_call, make_idea


class IdeaImageTests(BaseTestCase):
    def setUp(self) -> None:
        self.call = make_call(self.museum, self.alice)
        self.idea = make_idea(
            self.call,
            self.bob,
            images=[ImageInput(reencode_image(image_upload("p.png", "PNG"), max_side=100))],
        )
        self.url = self.idea.images.get().image.url

    def status_for(self, viewer) -> int:
        self.login(viewer)
        return self.client.get(self.url).status_code

    def test_a_shown_idea_shows_its_images_to_everyone_and_browsers_ask_again(self):
        self.assertTrue(self.url.startswith("/media/ideas/") and self.url.endswith(".webp"))
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "image/webp")
        self.assertEqual(response["Cache-Control"], "private, no-cache")
        self.assertEqual(response["Content-Security-Policy"], "default-src 'none'; sandbox")
        for viewer in [self.alice, self.bob, self.charlie]:
            with self.subTest(viewer=viewer):
                self.assertEqual(self.status_for(viewer), 200)

    def test_a_hidden_idea_keeps_its_images_for_its_author_and_the_organisers(self):
        do_hide_idea(self.maja, self.idea, "Off topic")
        expected = {self.alice: 200, self.maja: 200, self.bob: 200, self.charlie: 404}
        for viewer, status in expected.items():
            with self.subTest(viewer=viewer):
                self.assertEqual(self.status_for(viewer), status)
        self.login(None)
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_a_private_spaces_images_stay_with_its_members(self):
        call = make_call(self.quiet_room, self.alice, "Quiet stories")
        make_member(self.quiet_room, self.bob)
        idea = make_idea(
            call,
            self.bob,
            images=[ImageInput(reencode_image(image_upload("q.png", "PNG"), max_side=100))],
        )
        url = idea.images.get().image.url
        self.login(self.bob)
        self.assertEqual(self.client.get(url).status_code, 200)
        self.login(self.charlie)
        self.assertIn(self.client.get(url).status_code, {403, 404})
        self.login(None)
        self.assertNotEqual(self.client.get(url).status_code, 200)

    def test_unknown_or_crafted_names_are_not_found(self):
        for url in [
            "/media/ideas/missing.webp",
            "/media/ideas/../avatars/a.webp",
            "/media/ideas/%2e%2e%2fsettings.py",
            "/media/ideas/",
        ]:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)
