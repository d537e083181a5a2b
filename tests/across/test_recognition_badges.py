from django.urls import reverse

from sammen.accounts.models import Participant
from sammen.calls.models import Call
from sammen.notifications.models import Notification
from sammen.recognition.actions import do_award_badge
from sammen.recognition.models import Badge
from sammen.testing import BaseTestCase, make_member, participant_of
from sammen.testing.calls import make_call, make_idea


class BadgePageTests(BaseTestCase):
    call: Call
    bob_: Participant

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.call = make_call(cls.museum, cls.alice)
        make_idea(cls.call, cls.bob)
        cls.bob_ = participant_of(cls.bob)

    def award_url(self, participant: Participant | None = None) -> str:
        return reverse("recognition:award_badge", args=[(participant or self.bob_).public_id])

    def post_badge(self, viewer, space_slug: str, **data):
        self.login(viewer)
        payload = {"space": space_slug, "name": "Storyteller", "note": "For the lighthouse."}
        return self.client.post(self.award_url(), {**payload, **data})

    def test_an_owner_thanks_a_contributor_from_their_profile(self):
        with self.captureOnCommitCallbacks(execute=True):
            response = self.post_badge(self.alice, self.museum.slug)
        self.assertRedirects(response, reverse("recognition:profile", args=[self.bob_.public_id]))
        badge = Badge.objects.get()
        self.assertEqual(
            (badge.space, badge.participant, badge.name), (self.museum, self.bob_, "Storyteller")
        )
        self.assertTrue(Notification.objects.filter(user=self.bob, kind="badge_awarded").exists())
        self.login(self.charlie)
        profile = self.client.get(reverse("recognition:profile", args=[self.bob_.public_id]))
        self.assertContains(profile, "Storyteller")
        self.assertContains(profile, "For the lighthouse.")

    def test_moderators_members_and_outsiders_are_refused(self):
        for viewer in [self.maja, self.bob, self.charlie]:
            with self.subTest(viewer=str(viewer)):
                self.assertEqual(self.post_badge(viewer, self.museum.slug).status_code, 403)
        for viewer in [self.maja, self.bob, self.charlie]:
            with self.subTest(viewer=str(viewer), space="private"):
                self.assertEqual(self.post_badge(viewer, self.quiet_room.slug).status_code, 404)
        response = self.post_badge(None, self.museum.slug)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("account_login"), response["Location"])
        self.assertEqual(self.post_badge(self.alice, "no-such-space").status_code, 404)
        self.assertFalse(Badge.objects.exists())

    def test_bad_input_is_shown_back_and_nothing_is_given(self):
        for data in [{"name": ""}, {"name": "x" * 61}, {"note": "x" * 301}]:
            with self.subTest(**{key: len(value) for key, value in data.items()}):
                response = self.post_badge(self.alice, self.museum.slug, **data)
                self.assertEqual(response.status_code, 200)
                self.assertTrue(response.context["badge_form"].errors)
        self.assertFalse(Badge.objects.exists())

    def test_an_owner_cannot_thank_someone_for_a_space_they_never_took_part_in(self):
        response = self.post_badge(self.alice, self.quiet_room.slug)
        self.assertEqual(response.status_code, 200)
        self.assertIn("space", response.context["badge_form"].errors)
        self.assertFalse(Badge.objects.exists())

    def test_the_form_shows_only_to_owners_of_a_space_the_person_took_part_in(self):
        profile = reverse("recognition:profile", args=[self.bob_.public_id])
        for viewer in [None, self.maja, self.bob, self.charlie]:
            self.login(viewer)
            with self.subTest(viewer=str(viewer)):
                self.assertNotContains(self.client.get(profile), "Give the badge")
        self.login(self.alice)
        response = self.client.get(profile)
        self.assertContains(response, "Give the badge")
        self.assertContains(response, '<option value="harbour-museum">')
        self.assertNotContains(response, "quiet-room")
        charlie = reverse("recognition:profile", args=[participant_of(self.charlie).public_id])
        self.assertNotContains(self.client.get(charlie), "Give the badge")

    def test_badges_from_private_spaces_show_only_to_their_members(self):
        make_member(self.quiet_room, self.bob)
        do_award_badge(
            self.alice, self.quiet_room, self.bob_, "Quiet helper", "Kept the room calm."
        )
        profile = reverse("recognition:profile", args=[self.bob_.public_id])
        for viewer in [None, self.maja, self.charlie]:
            self.login(viewer)
            with self.subTest(viewer=str(viewer)):
                self.assertNotContains(self.client.get(profile), "Quiet helper")
        for viewer in [self.alice, self.bob]:
            self.login(viewer)
            self.assertContains(self.client.get(profile), "Quiet helper")

    def test_owners_take_a_badge_back_and_nobody_else_can(self):
        badge = do_award_badge(self.alice, self.museum, self.bob_, "Storyteller")
        url = reverse("recognition:revoke_badge", args=[self.bob_.public_id, badge.pk])
        for viewer, status in [(self.maja, 403), (self.bob, 403), (self.charlie, 403)]:
            self.login(viewer)
            with self.subTest(viewer=str(viewer)):
                self.assertEqual(self.client.post(url).status_code, status)
        other = reverse(
            "recognition:revoke_badge", args=[participant_of(self.maja).public_id, badge.pk]
        )
        self.login(self.alice)
        self.assertEqual(self.client.post(other).status_code, 404)
        self.assertTrue(Badge.objects.exists())
        self.assertRedirects(
            self.client.post(url), reverse("recognition:profile", args=[self.bob_.public_id])
        )
        self.assertFalse(Badge.objects.exists())

    def test_the_space_home_shows_the_last_three_people_thanked(self):
        space_home = self.museum.get_absolute_url()
        self.assertNotContains(self.client.get(space_home), "Thanked lately")
        make_idea(self.call, self.maja)
        maja = participant_of(self.maja)
        for number, person in enumerate([self.bob_, maja, self.bob_, maja]):
            do_award_badge(self.alice, self.museum, person, f"Thanks number {number}")
        response = self.client.get(space_home)
        self.assertContains(response, "Thanked lately")
        self.assertNotContains(response, "Thanks number 0")
        for number in [1, 2, 3]:
            self.assertContains(response, f"Thanks number {number}")
        self.assertContains(response, reverse("recognition:profile", args=[maja.public_id]))
