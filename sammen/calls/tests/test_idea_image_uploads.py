"""An idea's images are chosen together in one input: at most three, each checked, each
with its own description; a bad one is refused in words and nothing is saved."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from sammen.calls.actions import ImageInput
from sammen.calls.models import Idea
from sammen.core.images import reencode_image
from sammen.testing import BaseTestCase, image_upload
from sammen.testing.calls import make_call, make_idea


def picture(name: str = "p.png") -> ImageInput:
    return ImageInput(reencode_image(image_upload(name, "PNG"), max_side=100), name)


class SubmitImagesTests(BaseTestCase):
    def setUp(self) -> None:
        self.call = make_call(self.museum, self.alice)
        self.url = reverse("calls:submit", args=[self.museum.slug, self.call.activity.slug])
        self.login(self.bob)

    def post(self, images: list, headers: dict[str, str] | None = None, **data: str):
        return self.client.post(
            self.url,
            {"title": "Lighthouse", "body": "A museum", "images": images, **data},
            headers=headers,
        )

    def test_the_form_has_one_input_for_several_images_and_a_description_for_each(self):
        page = self.client.get(self.url)
        self.assertContains(page, 'type="file"', count=1)
        self.assertContains(page, 'name="images"')
        self.assertContains(page, "multiple")
        self.assertContains(page, 'accept="image/jpeg,image/png,image/webp,image/gif"')
        for number in [1, 2, 3]:
            self.assertContains(page, f"What image {number} shows")
        self.assertNotContains(page, 'name="image_1"')

    def test_two_images_are_kept_in_their_order_with_their_descriptions(self):
        response = self.post(
            [image_upload("a.jpg"), image_upload("b.png", "PNG")],
            image_description_1="The quay",
            image_description_2="The lamp",
        )
        idea = Idea.objects.get()
        self.assertRedirects(response, idea.get_absolute_url(), fetch_redirect_response=False)
        self.assertEqual(
            [(image.position, image.description) for image in idea.images.all()],
            [(0, "The quay"), (1, "The lamp")],
        )

    def test_too_many_bad_or_oversized_images_are_refused_in_words_and_nothing_is_saved(self):
        cases = [
            ([image_upload(f"{n}.jpg") for n in range(4)], "Choose at most 3 images: you chose 4."),
            (
                [image_upload("a.jpg"), SimpleUploadedFile("b.jpg", b"<html>", "image/jpeg")],
                "b.jpg: This file is not an image we can read.",
            ),
            ([SimpleUploadedFile("notes.txt", b"Hello", "text/plain")], "notes.txt: "),
            ([SimpleUploadedFile("empty.png", b"", "image/png")], "empty.png: "),
        ]
        for images, message in cases:
            with self.subTest(message=message):
                response = self.post(images, image_description_1="Something")
                self.assertContains(response, message)
                self.assertContains(response, "Choose your images again")
        with override_settings(SAMMEN_MAX_IMAGE_BYTES=1000):
            response = self.post([image_upload("big.jpg", size=(400, 400))])
            self.assertContains(response, "big.jpg: The image is too large.")
        self.assertFalse(Idea.objects.exists())

    def test_a_refusal_speaks_the_readers_language(self):
        response = self.post(
            [image_upload(f"{n}.jpg") for n in range(4)], headers={"Accept-Language": "nl"}
        )
        self.assertContains(response, "Kies hooguit 3 afbeeldingen: je koos er 4.")
        self.assertFalse(Idea.objects.exists())

    def test_a_description_too_long_or_on_two_lines_is_refused(self):
        for description in ["x" * 201, "Two\nlines"]:
            with self.subTest(description=description[:10]):
                response = self.post([image_upload()], image_description_1=description)
                self.assertEqual(response.status_code, 200)
        self.assertFalse(Idea.objects.exists())


class EditImagesTests(BaseTestCase):
    def setUp(self) -> None:
        self.call = make_call(self.museum, self.alice)
        self.idea = make_idea(self.call, self.bob, images=[picture("a.png"), picture("b.png")])
        self.url = reverse(
            "calls:edit_idea", args=[self.museum.slug, self.call.activity.slug, self.idea.pk]
        )
        self.login(self.bob)

    def post(self, images: list, remove: list[int] | None = None, **data: str):
        return self.client.post(
            self.url,
            {
                "title": "Renamed",
                "body": "New text",
                "images": images,
                "remove_image": remove or [],
                **data,
            },
        )

    def test_each_remove_checkbox_is_named_after_its_image(self):
        make_idea(self.call, self.bob, "No words", images=[ImageInput(picture().content, "")])
        page = self.client.get(self.url)
        self.assertContains(page, "Remove “a.png”")
        self.assertContains(page, "Remove “b.png”")
        self.assertNotContains(page, "Remove this image")
        # The label names the image: its thumbnail inside it says nothing more.
        thumbnails = re.findall(r'<img class="thumb"[^>]*>', page.content.decode())
        self.assertEqual(len(thumbnails), 2)
        self.assertTrue(all('alt=""' in thumbnail for thumbnail in thumbnails))
        other = Idea.objects.get(title="No words")
        edit_other = reverse(
            "calls:edit_idea", args=[self.museum.slug, self.call.activity.slug, other.pk]
        )
        self.assertContains(self.client.get(edit_other), "Remove image 1")

    def test_the_edit_form_says_what_is_left_of_three_and_that_removing_makes_room(self):
        page = self.client.get(self.url)
        self.assertContains(
            page,
            "1 JPEG, PNG, WebP or GIF image of at most 5 MB. To add more, tick “Remove” "
            "beside one of the images above.",
        )
        # Without JavaScript, a description for each image it could take after removals.
        for number in [1, 2, 3]:
            self.assertContains(page, f"What image {number} shows")

    def test_one_image_out_and_two_in_in_one_go(self):
        first = self.idea.images.get(description="a.png")
        response = self.post(
            [image_upload("c.jpg"), image_upload("d.jpg")],
            remove=[first.pk],
            image_description_1="C",
            image_description_2="D",
        )
        self.assertRedirects(response, self.idea.get_absolute_url(), fetch_redirect_response=False)
        self.assertEqual(
            sorted(image.description for image in self.idea.images.all()), ["C", "D", "b.png"]
        )

    def test_images_added_after_a_removal_come_after_those_kept(self):
        first = self.idea.images.get(description="a.png")
        self.post([image_upload("c.jpg")], remove=[first.pk], image_description_1="C")
        self.post([image_upload("d.jpg")], image_description_1="D")
        self.assertEqual(
            [image.description for image in self.idea.images.all()], ["b.png", "C", "D"]
        )
        positions = [image.position for image in self.idea.images.all()]
        self.assertEqual(len(set(positions)), 3)

    def test_both_out_and_three_in_each_with_its_description(self):
        response = self.post(
            [image_upload("c.jpg"), image_upload("d.jpg"), image_upload("e.jpg")],
            remove=[image.pk for image in self.idea.images.all()],
            image_description_1="C",
            image_description_2="D",
            image_description_3="E",
        )
        self.assertRedirects(response, self.idea.get_absolute_url(), fetch_redirect_response=False)
        self.assertEqual([image.description for image in self.idea.images.all()], ["C", "D", "E"])

    def test_more_than_three_in_all_is_refused_and_nothing_changes(self):
        response = self.post([image_upload("c.jpg"), image_upload("d.jpg")])
        self.assertContains(
            response,
            "You chose 2 images. There is room for 1 image: choose fewer, or tick “Remove” "
            "beside another image above.",
        )
        self.idea.refresh_from_db()
        self.assertEqual(self.idea.title, "A lighthouse museum")
        self.assertEqual(self.idea.images.count(), 2)

    def test_a_ticked_removal_counts_and_stays_ticked_when_the_form_comes_back(self):
        first = self.idea.images.get(description="a.png")
        three = [image_upload(f"{name}.jpg") for name in "cde"]
        response = self.post(three, remove=[first.pk])
        self.assertContains(
            response,
            "You chose 3 images. There is room for 2 images: choose fewer, or tick “Remove” "
            "beside another image above.",
        )
        self.assertContains(response, "Up to 2 JPEG, PNG, WebP or GIF images")
        self.assertContains(response, f'value="{first.pk}" checked')
        self.assertEqual(self.idea.images.count(), 2)

    def test_a_full_idea_takes_a_new_image_only_in_place_of_one_removed(self):
        self.post([image_upload("c.jpg")], image_description_1="c.jpg")
        self.assertEqual(self.idea.images.count(), 3)
        page = self.client.get(self.url)
        self.assertContains(page, 'type="file"')
        self.assertContains(
            page,
            "This idea has 3 images, the most it can have: to add one, tick “Remove” beside "
            "one of them above.",
        )
        response = self.post([image_upload("e.jpg")], remove=[])  # nothing removed
        self.assertContains(
            response,
            "You chose 1 image. This idea has no room for another image: tick “Remove” "
            "beside one of its images above, or choose none.",
        )
        self.assertEqual(self.idea.images.count(), 3)
        first = self.idea.images.get(description="a.png")
        self.post([image_upload("e.jpg")], remove=[first.pk], image_description_1="E")
        self.assertEqual(
            sorted(image.description for image in self.idea.images.all()), ["E", "b.png", "c.jpg"]
        )
