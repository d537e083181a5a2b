from django.core import mail
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from sammen.accounts.models import Participant, User
from sammen.activities.models import Activity
from sammen.activities.tests.sample_kind.recognition import do_thank_sample_helper
from sammen.audit.models import AuditEntry
from sammen.core.errors import ActionRefused
from sammen.notifications.models import Notification
from sammen.recognition.actions import do_grant_reward, do_send_thank_you, do_state_reward
from sammen.recognition.models import Reward, RewardGrant, ThankYou
from sammen.testing import BaseTestCase, make_activity, participant_of


class RewardTests(BaseTestCase):
    activity: Activity
    reward: Reward
    charlie_participant: Participant

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.activity = make_activity(cls.museum, cls.alice, open_it=True)
        cls.reward = do_state_reward(
            cls.alice,
            cls.museum,
            kind="backstage",
            title="A backstage visit",
            activity=cls.activity,
        )
        cls.charlie_participant = participant_of(cls.charlie)
        do_thank_sample_helper(cls.alice, cls.activity, cls.charlie_participant)

    def test_a_grant_is_shown_logged_and_notified(self):
        with self.captureOnCommitCallbacks(execute=True):
            do_grant_reward(
                self.alice, self.reward, self.charlie_participant, "Brought twelve storytellers"
            )
        self.assertTrue(Notification.objects.filter(user=self.charlie, kind="reward_granted"))
        self.assertTrue(AuditEntry.objects.filter(action="reward.granted"))
        page = self.client.get(
            reverse("recognition:profile", args=[self.charlie_participant.public_id])
        )
        self.assertContains(page, "A backstage visit")
        self.assertContains(page, "Brought twelve storytellers")

    def test_a_grant_needs_a_reason_an_owner_and_someone_who_took_part(self):
        with self.assertRaises(ActionRefused):
            do_grant_reward(self.alice, self.reward, self.charlie_participant, "   ")
        with self.assertRaises(ActionRefused):
            do_grant_reward(self.maja, self.reward, self.charlie_participant, "Why not")
        with self.assertRaises(ActionRefused):
            do_grant_reward(self.alice, self.reward, participant_of(self.alice), "Me")
        self.assertFalse(RewardGrant.objects.exists())

    def test_a_reward_goes_to_a_person_once(self):
        do_grant_reward(self.alice, self.reward, self.charlie_participant, "Once")
        with self.assertRaises(ActionRefused):
            do_grant_reward(self.alice, self.reward, self.charlie_participant, "Twice")
        self.assertEqual(RewardGrant.objects.count(), 1)

    def test_stating_refuses_bad_kinds_and_others(self):
        with self.assertRaises(ActionRefused):
            do_state_reward(self.alice, self.museum, kind="car", title="A car")
        with self.assertRaises(ActionRefused):
            do_state_reward(self.maja, self.museum, kind="ticket", title="A ticket")

    def test_the_pages_by_persona(self):
        person = self.charlie_participant.public_id
        urls: dict[str, dict[User | None, int]] = {
            reverse("recognition:rewards", args=[self.museum.slug]): {
                self.maja: 403,
                self.alice: 200,
            },
            reverse("recognition:person_in_space", args=[self.museum.slug, person]): {
                self.maja: 200,
                self.alice: 200,
            },
        }
        for url, expected in urls.items():
            for user, status in {None: 302, self.charlie: 403, self.bob: 403, **expected}.items():
                self.login(user)
                self.assertEqual(self.client.get(url).status_code, status, (url, user))

    def test_the_person_page_shows_outcomes_before_counts(self):
        self.login(self.alice)
        page = self.client.get(
            reverse(
                "recognition:person_in_space",
                args=[self.museum.slug, self.charlie_participant.public_id],
            )
        ).content.decode()
        self.assertLess(page.index("Helped a sample along"), page.index("1 contribution in all"))
        self.assertIn("Grant Charlie a reward", page)

    def test_granting_and_stating_through_the_pages(self):
        self.login(self.alice)
        self.client.post(
            reverse("recognition:state_reward", args=[self.museum.slug]),
            {"kind": "ticket", "title": "Two tickets", "description": "", "activity": ""},
        )
        url = reverse(
            "recognition:grant_reward", args=[self.museum.slug, self.charlie_participant.public_id]
        )
        response = self.client.post(url, {"reward": self.reward.pk, "reason": ""})
        self.assertContains(response, "This field is required.")
        response = self.client.post(
            url, {"reward": self.reward.pk, "reason": "Twelve storytellers"}
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(RewardGrant.objects.count(), 1)
        self.login(self.maja)
        self.assertEqual(
            self.client.post(url, {"reward": self.reward.pk, "reason": "x"}).status_code, 403
        )


class ThankYouTests(BaseTestCase):
    activity: Activity
    charlie_participant: Participant

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.activity = make_activity(cls.museum, cls.alice, open_it=True)
        cls.charlie_participant = participant_of(cls.charlie)
        do_thank_sample_helper(cls.alice, cls.activity, cls.charlie_participant)

    def url(self, participant=None):
        person = (participant or self.charlie_participant).public_id
        return reverse("recognition:send_thank_you", args=[self.museum.slug, person])

    def test_a_note_goes_by_email_and_in_the_app_once(self):
        self.login(self.maja)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(self.url(), {"text": "Your story moved us."})
        self.assertEqual(response.status_code, 302)
        note = ThankYou.objects.get()
        self.assertEqual(note.recipient, self.charlie_participant)
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn("Your story moved us.", mail.outbox[0].body)
        self.assertEqual(mail.outbox[0].to, [self.charlie.email])
        self.assertTrue(Notification.objects.filter(user=self.charlie, kind="thank_you"))
        self.login(self.charlie)
        self.assertContains(
            self.client.get(reverse("recognition:thank_yous")), "Your story moved us."
        )

    def test_a_note_has_one_recipient_whatever_is_posted(self):
        self.login(self.alice)
        bob = participant_of(self.bob)
        self.client.post(
            self.url(),
            {"text": "Thank you", "recipient": bob.public_id, "recipients": [bob.public_id]},
        )
        self.assertEqual(
            list(ThankYou.objects.values_list("recipient", flat=True)),
            [self.charlie_participant.pk],
        )

    def test_bad_notes_are_refused(self):
        self.login(self.alice)
        for text in ("", "   ", "x" * 2001):
            response = self.client.post(self.url(), {"text": text})
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, "errorlist")
        outsider = participant_of(self.alice).__class__.objects.create(display_name="Eve")
        with self.assertRaises(ActionRefused):
            do_send_thank_you(self.alice, self.museum, outsider, "Hello")
        self.assertFalse(ThankYou.objects.exists())

    def test_only_organisers_send_notes(self):
        for user, status in {None: 302, self.bob: 403, self.charlie: 403}.items():
            self.login(user)
            self.assertEqual(self.client.post(self.url(), {"text": "Hi"}).status_code, status)
        self.assertFalse(ThankYou.objects.exists())

    def test_the_notes_page_needs_an_account(self):
        self.assertEqual(self.client.get(reverse("recognition:thank_yous")).status_code, 302)


class BadInputTests(HypothesisTestCase, BaseTestCase):
    @settings(max_examples=25, deadline=None)
    @given(kind=st.text(max_size=30), title=st.text(max_size=150), activity=st.text(max_size=25))
    def test_any_reward_is_stated_or_refused_in_words(self, kind, title, activity):
        self.login(self.alice)
        response = self.client.post(
            reverse("recognition:state_reward", args=[self.museum.slug]),
            {"kind": kind, "title": title, "activity": activity},
        )
        self.assertIn(response.status_code, {200, 302})
        if response.status_code == 200:
            self.assertContains(response, "errorlist")

    @settings(max_examples=25, deadline=None)
    @given(reward=st.text(max_size=25), reason=st.text(max_size=600))
    def test_any_grant_is_refused_in_words(self, reward, reason):
        self.login(self.alice)
        person = participant_of(self.bob).public_id
        response = self.client.post(
            reverse("recognition:grant_reward", args=[self.museum.slug, person]),
            {"reward": reward, "reason": reason},
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(RewardGrant.objects.exists())


class RewardsOnActivityPageTests(BaseTestCase):
    def test_participants_see_the_rewards_of_the_activity_and_the_space(self):
        activity = make_activity(self.museum, self.alice, open_it=True)
        other = make_activity(self.museum, self.alice, "Other", open_it=True)
        do_state_reward(
            self.alice, self.museum, kind="ticket", title="Two tickets", activity=activity
        )
        do_state_reward(self.alice, self.museum, kind="credit", title="Your name on the wall")
        do_state_reward(self.alice, self.museum, kind="other", title="Elsewhere", activity=other)
        page = self.client.get(activity.get_absolute_url())
        self.assertContains(page, "Two tickets")
        self.assertContains(page, "Your name on the wall")
        self.assertNotContains(page, "Elsewhere")


class ThankYouBadInputTests(HypothesisTestCase, BaseTestCase):
    @settings(max_examples=25, deadline=None)
    @given(text=st.text(max_size=2100))
    def test_any_note_is_sent_once_or_refused_in_words(self, text):
        self.login(self.maja)
        before = ThankYou.objects.count()
        person = participant_of(self.bob).public_id
        response = self.client.post(
            reverse("recognition:send_thank_you", args=[self.museum.slug, person]), {"text": text}
        )
        self.assertIn(response.status_code, {200, 302})
        if response.status_code == 200:
            self.assertContains(response, "errorlist")
            self.assertEqual(ThankYou.objects.count(), before)
        else:
            self.assertEqual(ThankYou.objects.count(), before + 1)
