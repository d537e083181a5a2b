from django.test import override_settings
from django.urls import reverse

from sammen.accounts.models import User
from sammen.accounts.sso import SIGNED_IN_WITH
from sammen.audit.models import AuditEntry
from sammen.core.errors import ActionRefused
from sammen.spaces.actions import do_require_sso
from sammen.spaces.models import Role
from sammen.spaces.permissions import access_space, space_access_for
from sammen.testing import PASSWORD, BaseTestCase, make_member, make_user
from sammen.testing.oidc import Person, running_provider, sign_in_with


class SingleSignOnTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.running = running_provider()
        self.provider = self.running.__enter__()
        self.addCleanup(self.running.__exit__, None, None, None)

    def sign_in_with_sso(self, user, next_url=""):
        self.provider.person = Person(f"sub-{user.pk}", user.email, name=user.display_name)
        return sign_in_with(self.client, self.provider, next_url=next_url)

    def sign_in_with_password(self, user):
        self.client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
        self.assertEqual(self.client.session["_auth_user_id"], str(user.pk))

    def require(self):
        self.museum.sso_provider = "acme"
        self.museum.save(update_fields=["sso_provider"])

    def edit_url(self):
        return reverse("spaces:edit", args=[self.museum.slug])

    def sso_url(self):
        return reverse("spaces:require_sso", args=[self.museum.slug])


class RequiringTests(SingleSignOnTestCase):
    def test_the_settings_page_offers_the_requirement_only_when_a_provider_is_configured(self):
        self.login(self.alice)
        self.assertContains(self.client.get(self.edit_url()), "Single sign-on for organisers")
        self.running.__exit__(None, None, None)
        self.assertNotContains(self.client.get(self.edit_url()), "Single sign-on for organisers")
        self.running = running_provider()
        self.provider = self.running.__enter__()

    def test_an_owner_who_did_not_sign_in_with_it_cannot_require_it(self):
        self.sign_in_with_password(self.alice)
        response = self.client.post(self.sso_url(), {"provider": "acme"})
        self.assertContains(response, "Sign in with Acme Login first", status_code=400)
        self.museum.refresh_from_db()
        self.assertEqual(self.museum.sso_provider, "")
        self.assertFalse(AuditEntry.objects.filter(action="space.sso_required").exists())

    def test_an_owner_signed_in_with_it_requires_it_and_keeps_their_tools(self):
        self.sign_in_with_sso(self.alice)
        response = self.client.post(self.sso_url(), {"provider": "acme"})
        self.assertRedirects(response, self.edit_url())
        self.museum.refresh_from_db()
        self.assertEqual(self.museum.sso_provider, "acme")
        self.assertTrue(AuditEntry.objects.filter(action="space.sso_required").exists())
        self.assertContains(self.client.get(self.edit_url()), "You signed in with Acme Login")

    def test_a_provider_this_site_does_not_have_is_refused(self):
        self.sign_in_with_sso(self.alice)
        for value in ["nobody", "acme\x00", "x" * 500, "<script>"]:
            with self.subTest(value=value):
                response = self.client.post(self.sso_url(), {"provider": value})
                self.assertEqual(response.status_code, 400)
        self.museum.refresh_from_db()
        self.assertEqual(self.museum.sso_provider, "")

    def test_moderators_members_and_outsiders_cannot_change_it(self):
        for user, status in [(self.maja, 403), (self.bob, 403), (self.charlie, 403)]:
            with self.subTest(user=user):
                self.login(user)
                response = self.client.post(self.sso_url(), {"provider": ""})
                self.assertEqual(response.status_code, status)
        self.login(None)
        response = self.client.post(self.sso_url(), {"provider": ""})
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("account_login"), response["Location"])

    def test_the_action_refuses_a_session_without_the_provider(self):
        with self.assertRaises(ActionRefused):
            do_require_sso(self.alice, self.museum, "acme")
        self.museum.refresh_from_db()
        self.assertEqual(self.museum.sso_provider, "")

    def test_lifting_the_requirement_gives_password_sessions_their_tools_back(self):
        self.require()
        self.sign_in_with_sso(self.alice)
        response = self.client.post(self.sso_url(), {"provider": ""})
        self.assertRedirects(response, self.edit_url())
        self.museum.refresh_from_db()
        self.assertEqual(self.museum.sso_provider, "")
        self.assertTrue(AuditEntry.objects.filter(action="space.sso_lifted").exists())
        self.client.post(reverse("account_logout"))
        self.sign_in_with_password(self.maja)
        members = reverse("spaces:members", args=[self.museum.slug])
        self.assertEqual(self.client.get(members).status_code, 200)


class EnforcementTests(SingleSignOnTestCase):
    def setUp(self):
        super().setUp()
        self.require()

    def test_a_moderator_signed_in_with_a_password_sees_the_member_view_and_why(self):
        self.sign_in_with_password(self.maja)
        response = self.client.get(self.museum.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "asks its owners and moderators to sign in with Acme Login")
        self.assertNotContains(response, reverse("spaces:members", args=[self.museum.slug]))
        self.assertEqual(response.context["access"].role, Role.MEMBER)

    def test_organisers_pages_explain_the_requirement_instead_of_a_bare_403(self):
        self.sign_in_with_password(self.maja)
        for name in ["spaces:members", "spaces:invites", "moderation:queue"]:
            with self.subTest(name=name):
                response = self.client.get(reverse(name, args=[self.museum.slug]))
                self.assertContains(response, "to use the organisers", status_code=403)
                self.assertContains(response, "Sign in with Acme Login", status_code=403)

    def test_an_owner_signed_in_with_a_password_cannot_reach_the_settings(self):
        self.sign_in_with_password(self.alice)
        response = self.client.get(self.edit_url())
        self.assertContains(response, "Sign in with Acme Login", status_code=403)

    def test_signing_in_with_the_provider_gives_the_tools_back(self):
        self.sign_in_with_password(self.maja)
        members = reverse("spaces:members", args=[self.museum.slug])
        response = self.sign_in_with_sso(self.maja, next_url=members)
        self.assertRedirects(response, members, fetch_redirect_response=False)
        self.assertEqual(self.client.session["_auth_user_id"], str(self.maja.pk))
        self.assertEqual(self.client.get(members).status_code, 200)
        page = self.client.get(self.museum.get_absolute_url())
        self.assertNotContains(page, "asks its owners and moderators")

    def test_members_and_outsiders_see_no_banner(self):
        for user in [self.bob, self.charlie]:
            with self.subTest(user=user):
                self.login(user)
                response = self.client.get(self.museum.get_absolute_url())
                self.assertNotContains(response, "asks its owners and moderators")

    def test_instance_staff_are_not_exempt(self):
        staff = make_user("Sigrid")
        User.objects.filter(pk=staff.pk).update(is_staff=True, is_superuser=True)
        staff.refresh_from_db()
        make_member(self.museum, staff, Role.MODERATOR)
        access = space_access_for(staff, self.museum)
        self.assertEqual(access.role, Role.MEMBER)
        self.assertIsNotNone(access.needs_sso)

    def test_it_applies_to_other_spaces_only_if_they_ask(self):
        self.sign_in_with_password(self.alice)
        quiet = reverse("spaces:edit", args=[self.quiet_room.slug])
        self.assertEqual(self.client.get(quiet).status_code, 200)

    def test_the_permission_functions_demote_a_user_without_the_provider(self):
        with self.assertRaises(Exception) as refusal:
            access_space(self.maja, self.museum.slug, min_role=Role.MODERATOR)
        self.assertEqual(type(refusal.exception).__name__, "PermissionDenied")
        self.assertFalse(space_access_for(self.maja, self.museum).is_organiser)
        setattr(self.maja, SIGNED_IN_WITH, frozenset({"acme"}))
        self.assertTrue(space_access_for(self.maja, self.museum).is_organiser)

    def test_a_requirement_for_a_provider_no_longer_configured_lapses(self):
        self.running.__exit__(None, None, None)
        try:
            self.assertTrue(space_access_for(self.maja, self.museum).is_organiser)
            self.sign_in_with_password(self.alice)
            response = self.client.get(self.edit_url())
            self.assertContains(response, "no longer offers")
        finally:
            self.running = running_provider()
            self.provider = self.running.__enter__()

    @override_settings(LANGUAGE_CODE="en")
    def test_the_explanation_is_translated(self):
        self.sign_in_with_password(self.maja)
        self.client.cookies["sammen_language"] = "da"
        response = self.client.get(reverse("spaces:members", args=[self.museum.slug]))
        self.assertContains(response, "Acme Login", status_code=403)
        self.assertNotContains(response, "to use the organisers", status_code=403)
