"""A newcomer brought by an ambassador's link counts once they take part in a kind's page."""

from django.urls import reverse

from sammen.ambassadors.models import Arrival
from sammen.ambassadors.queries import figures_of_ambassador
from sammen.ambassadors.tests.helpers import make_ambassador
from sammen.testing import BaseTestCase
from sammen.testing.calls import make_call, make_idea


class CallAttributionTests(BaseTestCase):
    def test_an_anonymous_supporter_counts_as_sign_up_and_contribution(self):
        call = make_call(self.museum, self.alice, supporters="anyone")
        idea = make_idea(call, self.alice)
        ambassador = make_ambassador(self.museum, self.bob)
        self.client.get(reverse("ambassadors:link", args=[ambassador.token, call.activity.slug]))
        support = reverse("calls:support", args=[self.museum.slug, call.activity.slug, idea.pk])
        # The participant is created in this request: its cookie is only on the response.
        self.client.post(support, {"support": "1"}, HTTP_HX_REQUEST="true")
        self.assertIsNotNone(Arrival.objects.get().participant)
        figures = figures_of_ambassador(ambassador)
        self.assertEqual(
            (figures.visits, figures.people, figures.sign_ups, figures.contributions), (1, 1, 1, 1)
        )

    def test_a_member_who_comes_through_a_link_is_no_sign_up(self):
        call = make_call(self.museum, self.alice)
        idea = make_idea(call, self.alice)
        ambassador = make_ambassador(self.museum, self.bob)
        self.login(self.maja)
        self.client.get(reverse("ambassadors:link", args=[ambassador.token, call.activity.slug]))
        support = reverse("calls:support", args=[self.museum.slug, call.activity.slug, idea.pk])
        self.client.post(support, {"support": "1"})
        figures = figures_of_ambassador(ambassador)
        self.assertEqual((figures.people, figures.sign_ups, figures.contributions), (1, 0, 1))
