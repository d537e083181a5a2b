from django.conf import settings
from django.urls import reverse

from sammen.testing import BaseTestCase


class LanguageTests(BaseTestCase):
    def test_visitors_get_the_language_their_browser_asks_for(self):
        for code, word in [("nl", 'lang="nl"'), ("da", 'lang="da"'), ("sv", 'lang="sv"')]:
            response = self.client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE=code)
            self.assertContains(response, f"<html {word}>")
            self.assertEqual(response.headers["Content-Language"], code)

    def test_an_unsupported_browser_language_falls_back_to_english(self):
        response = self.client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="tlh")
        self.assertContains(response, '<html lang="en">')

    def test_the_switcher_sets_a_cookie_and_returns_to_the_page(self):
        response = self.client.post(
            reverse("core:set_language"), {"language": "sv", "next": "/spaces/"}
        )
        self.assertRedirects(response, "/spaces/", fetch_redirect_response=False)
        self.assertEqual(response.cookies[settings.LANGUAGE_COOKIE_NAME].value, "sv")
        self.assertContains(self.client.get("/spaces/"), '<html lang="sv">')

    def test_the_switcher_remembers_the_choice_in_the_profile(self):
        self.login(self.bob)
        self.client.post(reverse("core:set_language"), {"language": "da"})
        self.bob.refresh_from_db()
        self.assertEqual(self.bob.preferred_language, "da")

    def test_the_switcher_ignores_unknown_languages_and_foreign_redirects(self):
        response = self.client.post(
            reverse("core:set_language"), {"language": "xx", "next": "https://evil.example/"}
        )
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
        self.assertNotIn(settings.LANGUAGE_COOKIE_NAME, response.cookies)

    def test_pages_are_translated(self):
        expected = {"nl": "Ruimtes", "da": "Rum", "sv": "Rum"}
        for code, word in expected.items():
            response = self.client.get(reverse("spaces:directory"), HTTP_ACCEPT_LANGUAGE=code)
            self.assertContains(response, word)

    def test_dates_and_numbers_follow_the_language(self):
        from decimal import Decimal

        from sammen.activities.actions import MeasureInput, do_update_brief
        from sammen.testing import COMPLETE_BRIEF, make_activity

        activity = make_activity(self.museum, self.alice, open_it=True)
        do_update_brief(
            self.alice,
            activity,
            texts=COMPLETE_BRIEF,
            measures=[MeasureInput("Visitors", Decimal("12500.5"))],
            self_check={},
        )
        english = self.client.get(activity.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
        dutch = self.client.get(activity.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="nl")
        self.assertContains(english, "12,500.50")
        self.assertContains(dutch, "12.500,50")
