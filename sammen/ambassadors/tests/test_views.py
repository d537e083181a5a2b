from django.http import HttpResponse
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from sammen.accounts.actions import do_create_anonymous_participant
from sammen.accounts.participants import COOKIE_NAME as PARTICIPANT_COOKIE
from sammen.accounts.participants import remember_participant
from sammen.activities.models import Activity
from sammen.activities.tests.sample_kind.recognition import do_thank_sample_helper
from sammen.ambassadors.attribution import COOKIE_NAME
from sammen.ambassadors.models import Ambassador, Arrival, Visit
from sammen.ambassadors.queries import figures_of_ambassador
from sammen.testing import BaseTestCase, make_activity, make_user

from .helpers import make_ambassador


class PagesTests(BaseTestCase):
    activity: Activity
    ambassador: Ambassador

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.activity = make_activity(cls.museum, cls.alice, open_it=True)
        cls.ambassador = make_ambassador(cls.museum, cls.bob)

    def test_the_owners_page_by_persona(self):
        url = reverse("ambassadors:list", args=[self.museum.slug])
        expected = {None: 302, self.charlie: 403, self.bob: 403, self.maja: 403, self.alice: 200}
        for user, status in expected.items():
            self.login(user)
            self.assertEqual(self.client.get(url).status_code, status, user)
        response = self.client.get(url)
        self.assertContains(response, "Bob")
        self.assertContains(response, "Invite a member")

    def test_a_private_space_is_hidden_from_outsiders(self):
        self.login(self.charlie)
        url = reverse("ambassadors:list", args=[self.quiet_room.slug])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_an_owner_invites_a_member_from_the_page(self):
        self.login(self.alice)
        url = reverse("ambassadors:invite", args=[self.museum.slug])
        response = self.client.post(url, {"member": self.maja.pk}, follow=True)
        self.assertContains(response, "is invited to be an ambassador")
        self.assertTrue(Ambassador.objects.filter(user=self.maja, accepted_at__isnull=True))

    def test_invitations_by_others_are_refused(self):
        url = reverse("ambassadors:invite", args=[self.museum.slug])
        for user, status in {None: 302, self.bob: 403, self.maja: 403}.items():
            self.login(user)
            self.assertEqual(self.client.post(url, {"member": self.maja.pk}).status_code, status)
        self.assertFalse(Ambassador.objects.filter(user=self.maja).exists())

    def test_an_outsider_cannot_be_invited(self):
        self.login(self.alice)
        url = reverse("ambassadors:invite", args=[self.museum.slug])
        response = self.client.post(url, {"member": self.charlie.pk})
        self.assertContains(response, "Choose one of the members offered.")
        self.assertFalse(Ambassador.objects.filter(user=self.charlie).exists())

    def test_withdrawing_by_persona(self):
        url = reverse("ambassadors:withdraw", args=[self.museum.slug, self.ambassador.pk])
        for user, status in {None: 302, self.bob: 403, self.maja: 403}.items():
            self.login(user)
            self.assertEqual(self.client.post(url).status_code, status)
        self.login(self.alice)
        self.assertEqual(self.client.post(url).status_code, 302)
        self.ambassador.refresh_from_db()
        self.assertEqual(self.ambassador.state, "withdrawn")

    def test_the_ambassadors_own_page_shows_links_and_qr_codes(self):
        self.login(self.bob)
        response = self.client.get(reverse("ambassadors:mine", args=[self.museum.slug]))
        link = reverse("ambassadors:link", args=[self.ambassador.token, self.activity.slug])
        self.assertContains(response, link)
        self.assertContains(response, "<svg")
        self.assertContains(response, "data-copy")
        for user in (self.maja, self.charlie):
            self.login(user)
            self.assertEqual(
                self.client.get(reverse("ambassadors:mine", args=[self.museum.slug])).status_code,
                404,
            )

    def test_an_invited_member_accepts_from_their_page(self):
        self.login(self.alice)
        self.client.post(
            reverse("ambassadors:invite", args=[self.museum.slug]), {"member": self.maja.pk}
        )
        self.login(self.maja)
        page = self.client.get(reverse("ambassadors:mine", args=[self.museum.slug]))
        self.assertContains(page, "Accept")
        url = reverse("ambassadors:answer", args=[self.museum.slug])
        self.client.post(url, {"answer": "maybe"})
        self.assertEqual(Ambassador.objects.get(user=self.maja).state, "invited")
        self.client.post(url, {"answer": "accept"})
        self.assertEqual(Ambassador.objects.get(user=self.maja).state, "active")


class LinkTests(BaseTestCase):
    activity: Activity
    draft: Activity
    ambassador: Ambassador

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.activity = make_activity(cls.museum, cls.alice, open_it=True)
        cls.draft = make_activity(cls.museum, cls.alice, "Draft")
        cls.ambassador = make_ambassador(cls.museum, cls.bob)

    def link(self, activity=None, token=None):
        return reverse(
            "ambassadors:link",
            args=[token or self.ambassador.token, (activity or self.activity).slug],
        )

    def test_a_link_counts_the_visit_and_leads_to_the_activity(self):
        response = self.client.get(self.link())
        self.assertRedirects(
            response, self.activity.get_absolute_url(), fetch_redirect_response=False
        )
        cookie = response.cookies[COOKIE_NAME]
        self.assertTrue(cookie["httponly"])
        self.assertEqual(cookie["samesite"], "Lax")
        self.assertAlmostEqual(int(cookie["max-age"]), 30 * 24 * 3600, delta=5)
        self.client.get(self.link())
        self.assertEqual(Visit.objects.count(), 1)
        self.assertEqual(Arrival.objects.count(), 1)

    def test_the_space_link_leads_to_the_space(self):
        response = self.client.get(reverse("ambassadors:space_link", args=[self.ambassador.token]))
        self.assertRedirects(
            response, self.museum.get_absolute_url(), fetch_redirect_response=False
        )
        self.assertEqual(Visit.objects.get().activity, self.activity)

    def test_unknown_tokens_and_drafts_are_not_found(self):
        for url in (
            self.link(token="x" * 11),
            self.link(token="short"),
            self.link(self.draft),
            "/a/" + self.ambassador.token + "/nothing-here/",
        ):
            self.assertEqual(self.client.get(url).status_code, 404, url)
        self.assertFalse(Visit.objects.exists())

    def test_a_visitor_who_takes_part_counts_as_sign_up_and_contribution(self):
        self.client.get(self.link())
        newcomer = do_create_anonymous_participant()
        # The next page they see sets the participant cookie (as a kind's page does).
        setting = HttpResponse()
        remember_participant(setting, newcomer)
        self.client.cookies[PARTICIPANT_COOKIE] = setting.cookies[PARTICIPANT_COOKIE].value
        response = self.client.get(self.activity.get_absolute_url())
        self.assertIn(COOKIE_NAME, response.cookies)  # marked as linked
        do_thank_sample_helper(self.alice, self.activity, newcomer)
        figures = figures_of_ambassador(self.ambassador)
        self.assertEqual(
            (figures.visits, figures.people, figures.sign_ups, figures.contributions), (1, 1, 1, 1)
        )
        self.login(self.alice)
        page = self.client.get(reverse("ambassadors:list", args=[self.museum.slug]))
        self.assertContains(page, '<td class="number">1</td>', count=4)

    def test_a_new_account_counts_as_a_sign_up(self):
        self.client.get(self.link())
        dana = make_user("Dana")
        self.client.force_login(dana)
        self.client.get("/")
        self.assertEqual(Arrival.objects.filter(participant__user=dana).count(), 1)
        self.assertEqual(figures_of_ambassador(self.ambassador).sign_ups, 1)


class BadInputTests(HypothesisTestCase, BaseTestCase):
    @settings(max_examples=25, deadline=None)
    @given(member=st.one_of(st.text(max_size=30), st.integers().map(str)))
    def test_any_member_field_is_refused_in_words_or_accepted(self, member):
        self.login(self.alice)
        url = reverse("ambassadors:invite", args=[self.museum.slug])
        response = self.client.post(url, {"member": member})
        self.assertIn(response.status_code, {200, 302})
        if response.status_code == 200:
            self.assertContains(response, "errorlist")

    @settings(max_examples=25, deadline=None)
    @given(token=st.text(min_size=1, max_size=40), slug=st.text(min_size=1, max_size=120))
    def test_any_link_is_followed_or_not_found(self, token, slug):
        response = self.client.get(f"/a/{token}/{slug}/")
        self.assertIn(response.status_code, {301, 302, 404})


class PersonPageTests(BaseTestCase):
    def test_the_organisers_see_what_an_ambassadors_links_brought_before_their_deeds(self):
        ambassador = make_ambassador(self.museum, self.bob)
        self.login(self.maja)
        bob = ambassador.user.participant
        page = self.client.get(
            reverse("recognition:person_in_space", args=[self.museum.slug, bob.public_id])
        ).content.decode()
        self.assertIn("An ambassador of the space", page)
        self.assertIn("0 people came through their links · 0 sign-ups · 0 contributions", page)
        self.assertLess(page.index("An ambassador of the space"), page.index("Nothing recorded"))


class InvitationOnSpaceHomeTests(BaseTestCase):
    def test_an_invited_member_finds_the_invitation_on_the_space_home(self):
        from sammen.ambassadors.actions import do_invite_ambassador

        do_invite_ambassador(self.alice, self.museum, self.bob)
        url = reverse("spaces:home", args=[self.museum.slug])
        self.login(self.bob)
        self.assertContains(self.client.get(url), "Answer the invitation")
        self.login(self.maja)
        self.assertNotContains(self.client.get(url), "Answer the invitation")
