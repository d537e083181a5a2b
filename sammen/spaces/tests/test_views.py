from unittest import mock

from django.urls import reverse

from sammen.activities import kinds
from sammen.activities.kinds import installed_kinds
from sammen.spaces.actions import do_create_invite
from sammen.spaces.models import Membership, Role, Space
from sammen.testing import BaseTestCase, image_upload, make_activity


class CreateSpaceViewTests(BaseTestCase):
    url = reverse("spaces:create")

    def form(self, **data):
        return {
            "name": "Dock Festival",
            "slug": "",
            "description": "Music by the water.",
            "visibility": "public",
            "default_language": "en",
            **data,
        }

    def test_it_creates_a_space_and_derives_the_address_from_the_name(self):
        self.login(self.charlie)
        response = self.client.post(self.url, self.form())
        space = Space.objects.get(slug="dock-festival")
        self.assertRedirects(response, space.get_absolute_url(), fetch_redirect_response=False)
        self.assertEqual(Membership.objects.get(space=space).user, self.charlie)

    def test_each_visibility_is_explained_where_it_is_chosen(self):
        self.login(self.charlie)
        response = self.client.get(self.url)
        for value, words in [
            ("public", "become a member in one click"),
            ("invite", "Only people with an invitation link become members."),
            ("private", "Only members see the space and take part in it."),
        ]:
            with self.subTest(value):
                self.assertContains(response, words)
        self.assertContains(response, 'aria-describedby="id_visibility_1_help"')
        self.assertContains(response, 'id="id_visibility_1_help"')

    def test_a_name_like_an_existing_one_gets_a_free_address(self):
        self.login(self.charlie)
        self.client.post(self.url, self.form(name="Harbour Museum"))
        self.assertTrue(Space.objects.filter(slug="harbour-museum-2").exists())

    def test_a_chosen_address_that_is_taken_is_refused_next_to_the_field(self):
        self.login(self.charlie)
        response = self.client.post(self.url, self.form(slug="harbour-museum"))
        self.assertContains(response, "Another space already uses this web address.")
        self.assertEqual(Space.objects.count(), 2)

    def test_bad_input_is_refused_with_a_message_and_changes_nothing(self):
        self.login(self.charlie)
        cases = [
            self.form(name=""),
            self.form(name="x" * 81),
            self.form(slug="Not A Slug!"),
            self.form(slug="admin"),
            self.form(description="x" * 2001),
            self.form(visibility="everyone"),
            self.form(default_language="tlh"),
            self.form(name="Nul\x00byte"),
        ]
        for data in cases:
            response = self.client.post(self.url, data)
            self.assertEqual(response.status_code, 200, data)
            self.assertContains(response, "field__errors")
        self.assertEqual(Space.objects.count(), 2)

    def test_a_logo_is_stored_as_a_reencoded_image(self):
        self.login(self.charlie)
        self.client.post(self.url, {**self.form(), "logo": image_upload("logo.png", "PNG")})
        logo = Space.objects.get(slug="dock-festival").logo
        self.assertTrue(logo.name.startswith("logos/") and logo.name.endswith(".webp"))

    def test_script_in_the_description_is_shown_as_text(self):
        self.login(self.charlie)
        self.client.post(self.url, self.form(description="<script>alert('x')</script>"))
        response = self.client.get(reverse("spaces:home", args=["dock-festival"]))
        self.assertNotContains(response, "<script>alert('x')</script>")
        self.assertContains(response, "&lt;script&gt;")


class SpaceHomeTests(BaseTestCase):
    def test_it_shows_activities_by_phase_and_the_member_count(self):
        make_activity(self.museum, self.alice, "Open storylines", open_it=True)
        make_activity(self.museum, self.alice, "Secret draft")
        response = self.client.get(self.museum.get_absolute_url())
        self.assertContains(response, "Open storylines")
        self.assertNotContains(response, "Secret draft")
        self.assertContains(response, '<span class="stat__number">3</span>')
        self.login(self.maja)
        self.assertContains(self.client.get(self.museum.get_absolute_url()), "Secret draft")

    def test_it_shows_what_the_space_answered_lately(self):
        from sammen.activities.actions import do_answer_activity, do_close_activity

        activity = make_activity(self.museum, self.alice, "Finished call", open_it=True)
        do_close_activity(self.alice, activity)
        do_answer_activity(self.alice, activity, "We chose twelve storylines.")
        response = self.client.get(self.museum.get_absolute_url())
        self.assertContains(response, "Answered lately")
        self.assertContains(response, "We chose twelve storylines.")

    def test_outsiders_may_join_a_public_space_in_one_click(self):
        self.login(self.charlie)
        response = self.client.get(self.museum.get_absolute_url())
        self.assertContains(response, "Join this space")
        self.client.post(reverse("spaces:join", args=[self.museum.slug]))
        self.assertTrue(Membership.objects.filter(space=self.museum, user=self.charlie).exists())

    def test_an_invite_only_space_admits_members_only_with_an_invitation(self):
        """As its help text says: anyone sees it, nobody joins it without an invitation."""
        self.museum.visibility = "invite"
        self.museum.save(update_fields=["visibility"])
        self.login(self.charlie)
        response = self.client.get(self.museum.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "Join this space")
        response = self.client.post(reverse("spaces:join", args=[self.museum.slug]), follow=True)
        self.assertContains(response, "This space can only be joined with an invitation.")
        self.assertFalse(Membership.objects.filter(space=self.museum, user=self.charlie).exists())
        invite = do_create_invite(self.alice, self.museum)
        self.client.post(reverse("spaces:invite", args=[invite.token]))
        self.assertTrue(Membership.objects.filter(space=self.museum, user=self.charlie).exists())

    def test_members_may_leave(self):
        self.login(self.bob)
        response = self.client.post(reverse("spaces:leave", args=[self.museum.slug]))
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
        self.assertFalse(Membership.objects.filter(space=self.museum, user=self.bob).exists())

    def test_a_private_space_does_not_exist_for_outsiders(self):
        self.login(self.charlie)
        self.assertEqual(self.client.get(self.quiet_room.get_absolute_url()).status_code, 404)
        response = self.client.get(reverse("spaces:directory"))
        self.assertNotContains(response, "Quiet Room")
        self.assertContains(response, "Harbour Museum")


class MembersTests(BaseTestCase):
    def test_owners_change_roles_with_htmx_and_get_the_row_back(self):
        self.login(self.alice)
        bob = Membership.objects.get(space=self.museum, user=self.bob)
        response = self.client.post(
            reverse("spaces:change_role", args=[self.museum.slug, bob.pk]),
            {"role": "moderator"},
            HTTP_HX_REQUEST="true",
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, f'id="member-{bob.pk}"')
        self.assertNotContains(response, "<html")
        bob.refresh_from_db()
        self.assertEqual(bob.role, Role.MODERATOR)

    def test_a_forged_role_is_refused(self):
        self.login(self.alice)
        bob = Membership.objects.get(space=self.museum, user=self.bob)
        self.client.post(
            reverse("spaces:change_role", args=[self.museum.slug, bob.pk]), {"role": "god"}
        )
        bob.refresh_from_db()
        self.assertEqual(bob.role, Role.MEMBER)

    def test_a_membership_of_another_space_cannot_be_reached_through_this_one(self):
        festival_owner = Membership.objects.get(space=self.quiet_room, user=self.alice)
        self.login(self.alice)
        response = self.client.post(
            reverse("spaces:change_role", args=[self.museum.slug, festival_owner.pk]),
            {"role": "member"},
        )
        self.assertEqual(response.status_code, 404)

    def test_moderators_see_the_member_list_but_cannot_change_roles(self):
        self.login(self.maja)
        response = self.client.get(reverse("spaces:members", args=[self.museum.slug]))
        self.assertContains(response, "Bob")
        self.assertNotContains(response, 'name="role"')


class InviteViewTests(BaseTestCase):
    def test_an_organiser_creates_a_link_and_a_new_member_joins_with_it(self):
        self.login(self.alice)
        response = self.client.post(
            reverse("spaces:invites", args=[self.quiet_room.slug]),
            {"role": "member", "days": 7, "max_uses": 5},
        )
        invite = self.quiet_room.invites.get()
        self.assertEqual(response.status_code, 302)
        self.login(self.charlie)
        page = self.client.get(invite.get_absolute_url())
        self.assertContains(page, "Join Quiet Room")
        self.client.post(invite.get_absolute_url())
        self.assertTrue(
            Membership.objects.filter(space=self.quiet_room, user=self.charlie).exists()
        )

    def test_moderators_cannot_invite_moderators(self):
        self.login(self.maja)
        response = self.client.post(
            reverse("spaces:invites", args=[self.museum.slug]),
            {"role": "moderator", "days": 7, "max_uses": 5},
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(self.museum.invites.exists())

    def test_bad_invitation_settings_are_refused(self):
        self.login(self.alice)
        for data in [
            {"role": "member", "days": 0, "max_uses": 5},
            {"role": "member", "days": 7, "max_uses": 100000},
            {"role": "owner", "days": 7, "max_uses": 5},
            {"role": "member", "days": "soon", "max_uses": 5},
        ]:
            response = self.client.post(reverse("spaces:invites", args=[self.museum.slug]), data)
            self.assertEqual(response.status_code, 200)
        self.assertFalse(self.museum.invites.exists())

    def test_anonymous_visitors_are_asked_to_sign_in_before_accepting(self):
        invite = do_create_invite(self.alice, self.quiet_room)
        page = self.client.get(invite.get_absolute_url())
        self.assertContains(page, "Sign in or create an account to accept the invitation.")
        response = self.client.post(invite.get_absolute_url())
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("account_login"), response["Location"])

    def test_an_unknown_token_is_not_found(self):
        self.assertEqual(self.client.get("/invite/not-a-token/").status_code, 404)


class DeleteSpaceTests(BaseTestCase):
    def test_the_owner_deletes_a_space_after_typing_its_address(self):
        self.login(self.alice)
        url = reverse("spaces:delete", args=[self.quiet_room.slug])
        response = self.client.post(url, {"confirm_slug": "quiet"})
        self.assertContains(response, "That is not this space&#x27;s web address.")
        self.client.post(url, {"confirm_slug": "quiet-room"})
        self.assertFalse(Space.objects.filter(slug="quiet-room").exists())


class HomePageTests(BaseTestCase):
    def test_the_home_page_promises_only_the_kinds_this_site_has(self):
        response = self.client.get(reverse("home"))
        for kind in installed_kinds():
            with self.subTest(kind.key):
                self.assertContains(response, str(kind.label))
        self.assertNotContains(response, "customer journeys")
        self.assertNotContains(response, "meetings that start from why")

    def test_a_site_with_one_kind_shows_that_kind_alone(self):
        only_one = {key: kind for key, kind in kinds._kinds.items() if key == "conversation"}
        with mock.patch.dict(kinds._kinds, only_one, clear=True):
            response = self.client.get(reverse("home"))
        self.assertContains(response, "Conversation")
        self.assertNotContains(response, "Open call")
        self.assertNotContains(response, "open calls for ideas")
