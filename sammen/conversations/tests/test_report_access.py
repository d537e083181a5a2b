from django.urls import reverse

from sammen.testing import BaseTestCase
from sammen.testing.conversations import make_conversation


class PrivateReportTests(BaseTestCase):
    def test_an_anonymous_visitor_is_offered_to_sign_in_to_an_unpublished_report(self):
        conversation = make_conversation(self.museum, self.alice)
        url = reverse("conversations:report", args=[self.museum.slug, conversation.activity.slug])
        response = self.client.get(url)
        self.assertContains(response, "Sign in to see this", status_code=403)
        self.assertContains(response, reverse("account_login") + "?next=", status_code=403)
        self.assertNotContains(response, "Ask an owner", status_code=403)
