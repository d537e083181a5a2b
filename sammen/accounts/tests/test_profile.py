import os

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from sammen.accounts.actions import do_update_profile
from sammen.accounts.models import User
from sammen.core.errors import ActionRefused
from sammen.testing import BaseTestCase, image_upload


class ProfileTests(BaseTestCase):
    url = reverse("accounts:profile")

    def post(self, **data):
        values = {
            "display_name": "Bob B.",
            "preferred_language": "nl",
            "email_notifications": "immediate",
            **data,
        }
        return self.client.post(self.url, values)

    def test_anonymous_visitors_are_sent_to_sign_in(self):
        response = self.client.get(self.url)
        self.assertRedirects(response, f"{reverse('account_login')}?next={self.url}")

    def test_it_shows_the_profile_form(self):
        self.login(self.bob)
        response = self.client.get(self.url)
        self.assertContains(response, 'value="Bob"')
        self.assertContains(response, reverse("accounts:delete"))

    def test_it_saves_the_name_and_language(self):
        self.login(self.bob)
        response = self.post()
        self.assertRedirects(response, self.url, fetch_redirect_response=False)
        self.bob.refresh_from_db()
        self.assertEqual((self.bob.display_name, self.bob.preferred_language), ("Bob B.", "nl"))

    def test_the_preferred_language_is_used_on_every_page(self):
        self.login(self.bob)
        self.post()
        response = self.client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="sv")
        self.assertEqual(response.headers["Content-Language"], "nl")

    def test_it_reencodes_the_avatar_without_its_metadata(self):
        self.login(self.bob)
        self.post(avatar=image_upload(with_location=True, size=(2000, 1000)))
        self.bob.refresh_from_db()
        self.assertTrue(self.bob.avatar.name.endswith(".webp"))
        with Image.open(self.bob.avatar.path) as stored:
            self.assertEqual(stored.format, "WEBP")
            self.assertEqual(max(stored.size), 512)
            self.assertEqual(len(stored.getexif()), 0)

    def test_it_refuses_a_file_that_is_not_an_image_and_changes_nothing(self):
        self.login(self.bob)
        for upload in [
            SimpleUploadedFile("evil.jpg", b"<script>alert(1)</script>", "image/jpeg"),
            SimpleUploadedFile(
                "logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', "image/svg+xml"
            ),
        ]:
            response = self.post(avatar=upload, display_name="Changed")
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, "field__errors")
        self.bob.refresh_from_db()
        self.assertEqual(self.bob.display_name, "Bob")
        self.assertFalse(self.bob.avatar)

    def test_it_refuses_an_empty_or_oversized_name(self):
        self.login(self.bob)
        for name in ["", "   ", "x" * 61]:
            response = self.post(display_name=name)
            self.assertEqual(response.status_code, 200)
        self.assertEqual(User.objects.get(pk=self.bob.pk).display_name, "Bob")

    def test_it_shows_script_in_a_name_as_text(self):
        self.login(self.bob)
        self.post(display_name="<script>alert(1)</script>")
        response = self.client.get(self.url)
        self.assertNotContains(response, "<script>alert(1)</script>")
        self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")

    def test_it_refuses_an_unknown_language(self):
        self.login(self.bob)
        response = self.post(preferred_language="xx")
        self.assertEqual(response.status_code, 200)
        self.bob.refresh_from_db()
        self.assertEqual(self.bob.preferred_language, "")

    def test_removing_the_avatar_deletes_it(self):
        self.login(self.bob)
        self.post(avatar=image_upload())
        self.bob.refresh_from_db()
        path = self.bob.avatar.path
        with self.captureOnCommitCallbacks(execute=True):
            self.post(remove_avatar="on")
        self.bob.refresh_from_db()
        self.assertFalse(self.bob.avatar)
        self.assertFalse(os.path.exists(path))

    def test_it_saves_how_often_we_email(self):
        self.login(self.bob)
        for choice in ["daily", "off", "immediate"]:
            with self.subTest(choice=choice):
                response = self.post(email_notifications=choice)
                self.assertRedirects(response, self.url, fetch_redirect_response=False)
                self.bob.refresh_from_db()
                self.assertEqual(self.bob.email_notifications, choice)

    def test_it_shows_the_current_email_choice(self):
        do_update_profile(
            self.bob, display_name="Bob", preferred_language="", email_notifications="daily"
        )
        self.login(self.bob)
        response = self.client.get(self.url)
        self.assertContains(response, "Email me about notifications")
        self.assertEqual(response.context["form"]["email_notifications"].value(), "daily")
        for label in ["Right away", "Once a day", "Never"]:
            self.assertContains(response, label)

    def test_it_refuses_an_unknown_email_choice_and_changes_nothing(self):
        self.login(self.bob)
        for choice in ["weekly", ""]:
            with self.subTest(choice=choice):
                response = self.post(email_notifications=choice, display_name="Changed")
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "field__errors")
        self.bob.refresh_from_db()
        self.assertEqual(
            (self.bob.display_name, self.bob.email_notifications), ("Bob", "immediate")
        )


class UpdateProfileActionTests(BaseTestCase):
    def test_it_refuses_an_unknown_email_choice_and_changes_nothing(self):
        with self.assertRaises(ActionRefused) as refused:
            do_update_profile(
                self.bob,
                display_name="Changed",
                preferred_language="",
                email_notifications="hourly",
            )
        self.assertEqual(refused.exception.field, "email_notifications")
        self.bob.refresh_from_db()
        self.assertEqual(
            (self.bob.display_name, self.bob.email_notifications), ("Bob", "immediate")
        )

    def test_without_an_email_choice_it_keeps_the_one_made_before(self):
        do_update_profile(
            self.bob, display_name="Bob", preferred_language="", email_notifications="off"
        )
        do_update_profile(self.bob, display_name="Bob B.", preferred_language="nl")
        self.bob.refresh_from_db()
        self.assertEqual((self.bob.display_name, self.bob.email_notifications), ("Bob B.", "off"))
