"""A person blocked from a space takes no part in its open calls any more."""

from django.urls import reverse

from sammen.calls.actions import do_answer_idea, do_update_jury
from sammen.calls.models import Idea
from sammen.spaces.actions import do_block_member, do_create_invite
from sammen.spaces.models import Membership
from sammen.testing import BaseTestCase
from sammen.testing.calls import make_call, make_idea


class BlockedMemberTakesNoPartTests(BaseTestCase):
    def setUp(self) -> None:
        self.call = make_call(self.museum, self.alice)
        self.idea = make_idea(self.call, self.maja)
        do_update_jury(
            self.alice, self.call, criteria=[("Moves visitors", 1)], evaluators=[self.bob]
        )
        do_answer_idea(self.alice, self.idea, status="under_review", text="The jury looks at it.")
        do_block_member(self.maja, self.museum, self.bob, "Spam")
        self.login(self.bob)

    def test_a_blocked_person_cannot_submit_an_idea(self):
        activity = self.call.activity
        url = reverse("calls:submit", args=[self.museum.slug, activity.slug])
        response = self.client.post(url, {"title": "Lighthouse", "body": "A museum"})
        self.assertRedirects(response, activity.get_absolute_url(), fetch_redirect_response=False)
        self.assertFalse(Idea.objects.filter(author__user=self.bob).exists())

    def test_a_blocked_evaluator_no_longer_scores(self):
        activity = self.call.activity
        url = reverse("calls:score", args=[self.museum.slug, activity.slug, self.idea.pk])
        self.assertEqual(self.client.get(url).status_code, 403)

    def test_the_join_button_tells_a_blocked_person_why(self):
        response = self.client.post(reverse("spaces:join", args=[self.museum.slug]), follow=True)
        self.assertContains(response, "have blocked you")
        self.assertFalse(Membership.objects.filter(space=self.museum, user=self.bob).exists())

    def test_an_invitation_link_tells_a_blocked_person_why(self):
        invite = do_create_invite(self.alice, self.museum)
        response = self.client.post(invite.get_absolute_url(), follow=True)
        self.assertContains(response, "have blocked you")
        self.assertFalse(Membership.objects.filter(space=self.museum, user=self.bob).exists())
