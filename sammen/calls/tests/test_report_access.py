from django.urls import reverse

from sammen.activities.actions import do_close_activity
from sammen.testing import BaseTestCase
from sammen.testing.calls import make_call


class UnpublishedReportTests(BaseTestCase):
    def test_an_anonymous_visitor_is_offered_to_sign_in_not_told_to_ask_an_owner(self):
        call = make_call(self.museum, self.alice)
        do_close_activity(self.alice, call.activity)
        url = reverse("calls:report", args=[self.museum.slug, call.activity.slug])
        response = self.client.get(url)
        self.assertEqual(response.status_code, 403)
        self.assertContains(response, "Sign in to see this", status_code=403)
        login = reverse("account_login") + "?next=" + url
        self.assertContains(response, f'href="{login}"', status_code=403)
        self.assertNotContains(response, "Ask an owner", status_code=403)

    def test_a_signed_in_outsider_still_learns_that_their_role_does_not_allow_it(self):
        call = make_call(self.museum, self.alice)
        do_close_activity(self.alice, call.activity)
        self.login(self.charlie)
        url = reverse("calls:report", args=[self.museum.slug, call.activity.slug])
        response = self.client.get(url)
        self.assertContains(response, "Ask an owner", status_code=403)

    def test_after_signing_in_the_organiser_lands_on_the_report(self):
        call = make_call(self.museum, self.alice)
        do_close_activity(self.alice, call.activity)
        url = reverse("calls:report", args=[self.museum.slug, call.activity.slug])
        response = self.client.post(
            reverse("account_login") + "?next=" + url,
            {"login": "alice@example.org", "password": "correct horse battery staple"},
        )
        self.assertRedirects(response, url, fetch_redirect_response=False)
