from django.urls import reverse

from sammen.spaces.actions import do_block_member
from sammen.spaces.models import Block, Membership, Role
from sammen.testing import BaseTestCase, make_member, make_user


class BlockViewTests(BaseTestCase):
    def setUp(self) -> None:
        self.bob_membership = Membership.objects.get(space=self.museum, user=self.bob)
        self.url = reverse(
            "moderation:block_member", args=[self.museum.slug, self.bob_membership.pk]
        )
        self.queue = reverse("moderation:queue", args=[self.museum.slug])

    def membership_url(self, user) -> str:
        membership = Membership.objects.get(space=self.museum, user=user)
        return reverse("moderation:block_member", args=[self.museum.slug, membership.pk])

    def test_who_may_open_the_block_form(self):
        expected = {"alice": 200, "maja": 200, "bob": 403, "charlie": 403, None: 302}
        for name, status in expected.items():
            with self.subTest(viewer=name):
                self.login(getattr(self, name) if name else None)
                self.assertEqual(self.client.get(self.url).status_code, status)

    def test_a_moderator_blocks_a_member_with_a_reason(self):
        self.login(self.maja)
        response = self.client.post(self.url, {"reason": "Spam in every comment"})
        self.assertRedirects(response, f"{self.queue}#blocked", fetch_redirect_response=False)
        self.assertFalse(Membership.objects.filter(space=self.museum, user=self.bob).exists())
        block = Block.objects.get(space=self.museum)
        self.assertEqual((block.user, block.reason), (self.bob, "Spam in every comment"))
        queue = self.client.get(self.queue)
        self.assertContains(queue, "Spam in every comment")
        self.assertContains(queue, reverse("moderation:unblock", args=[self.museum.slug, block.pk]))

    def test_a_reason_on_several_lines_or_too_long_is_refused(self):
        self.login(self.maja)
        for reason in ["two\nlines", "x" * 201]:
            with self.subTest(reason=reason):
                response = self.client.post(self.url, {"reason": reason})
                self.assertContains(response, "field--invalid")
        self.assertFalse(Block.objects.exists())

    def test_owners_oneself_and_moderators_by_moderators_cannot_be_blocked(self):
        other_moderator = make_user("Mo")
        make_member(self.museum, other_moderator, Role.MODERATOR)
        self.login(self.maja)
        for user in [self.alice, self.maja, other_moderator]:
            with self.subTest(user=user.display_name):
                self.assertEqual(self.client.get(self.membership_url(user)).status_code, 403)
                self.assertEqual(self.client.post(self.membership_url(user)).status_code, 403)
        self.login(self.alice)
        self.assertEqual(self.client.get(self.membership_url(self.alice)).status_code, 403)
        self.assertEqual(self.client.get(self.membership_url(other_moderator)).status_code, 200)
        self.assertFalse(Block.objects.exists())

    def test_a_membership_of_another_space_cannot_be_blocked_through_this_one(self):
        quiet_membership = Membership.objects.get(space=self.quiet_room, user=self.alice)
        self.login(self.maja)
        url = reverse("moderation:block_member", args=[self.museum.slug, quiet_membership.pk])
        self.assertEqual(self.client.post(url).status_code, 404)
        self.assertFalse(Block.objects.exists())

    def test_the_members_page_offers_block_for_members_and_not_for_owners(self):
        self.login(self.maja)
        response = self.client.get(reverse("spaces:members", args=[self.museum.slug]))
        self.assertContains(response, self.url)
        self.assertNotContains(response, self.membership_url(self.alice))
        self.assertNotContains(response, self.membership_url(self.maja))
        self.login(self.alice)
        response = self.client.get(reverse("spaces:members", args=[self.museum.slug]))
        self.assertContains(response, self.membership_url(self.maja))
        self.assertNotContains(response, self.membership_url(self.alice))

    def test_a_moderator_lifts_a_block(self):
        block = do_block_member(self.alice, self.museum, self.bob, "")
        self.login(self.maja)
        url = reverse("moderation:unblock", args=[self.museum.slug, block.pk])
        response = self.client.post(url, follow=True)
        self.assertContains(response, "Bob is no longer blocked")
        self.assertFalse(Block.objects.exists())
        self.assertEqual(self.client.post(url).status_code, 404)

    def test_members_cannot_lift_blocks(self):
        block = do_block_member(self.alice, self.museum, self.charlie, "")
        url = reverse("moderation:unblock", args=[self.museum.slug, block.pk])
        for viewer, status in [(self.bob, 403), (self.charlie, 403), (None, 302)]:
            self.login(viewer)
            self.assertEqual(self.client.post(url).status_code, status)
        self.assertTrue(Block.objects.exists())
