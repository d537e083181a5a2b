"""Every URL, for every persona: the status each one gets.

Columns: owner (Alice), moderator (Maja), member (Bob), outsider (Charlie),
anonymous. 302 for anonymous means "sent to sign in" (or, for actions, back).
"""

from django.urls import reverse

from sammen.activities.models import Activity
from sammen.spaces.actions import do_create_invite
from sammen.spaces.models import Invite, Membership
from sammen.testing import BaseTestCase, make_activity

OWNER_ONLY = (200, 403, 403, 403, 302)
ORGANISERS = (200, 200, 403, 403, 302)
EVERYONE = (200, 200, 200, 200, 200)
SIGNED_IN = (200, 200, 200, 200, 302)
PRIVATE_OWNER_PAGE = (200, 404, 404, 404, 302)


class PermissionMatrixTests(BaseTestCase):
    draft: Activity
    open: Activity
    private_draft: Activity
    invite: Invite
    bob_membership: Membership

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.draft = make_activity(cls.museum, cls.alice, "Draft")
        cls.open = make_activity(cls.museum, cls.alice, "Open", open_it=True)
        cls.private_draft = make_activity(cls.quiet_room, cls.alice, "Hidden")
        cls.invite = do_create_invite(cls.alice, cls.museum)
        cls.bob_membership = Membership.objects.get(space=cls.museum, user=cls.bob)

    def personas(self):
        return [self.alice, self.maja, self.bob, self.charlie, None]

    def check(self, method: str, url: str, expected: tuple[int, ...], data=None) -> None:
        for persona, status in zip(self.personas(), expected, strict=True):
            self.login(persona)
            with self.subTest(url=url, method=method, persona=str(persona or "anonymous")):
                call = self.client.get if method == "GET" else self.client.post
                response = call(url, data or {})
                self.assertEqual(response.status_code, status)

    def test_site_pages(self):
        self.check("GET", reverse("home"), EVERYONE)
        self.check("GET", reverse("spaces:directory"), EVERYONE)
        self.check("GET", reverse("spaces:create"), SIGNED_IN)
        self.check("GET", reverse("core:healthz"), EVERYONE)
        self.check("GET", reverse("account_login"), (302, 302, 302, 302, 200))
        self.check("GET", reverse("account_signup"), (302, 302, 302, 302, 200))

    def test_account_pages(self):
        for name in ["accounts:profile", "accounts:download_data", "accounts:delete"]:
            self.check("GET", reverse(name), SIGNED_IN)
        for name in ["account_email", "account_change_password", "mfa_index"]:
            self.check("GET", reverse(name), SIGNED_IN)

    def test_public_space_pages(self):
        slug = self.museum.slug
        self.check("GET", reverse("spaces:home", args=[slug]), EVERYONE)
        self.check("GET", reverse("spaces:edit", args=[slug]), OWNER_ONLY)
        self.check("GET", reverse("spaces:delete", args=[slug]), OWNER_ONLY)
        self.check("GET", reverse("audit:log", args=[slug]), OWNER_ONLY)
        self.check("GET", reverse("spaces:members", args=[slug]), ORGANISERS)
        self.check("GET", reverse("spaces:invites", args=[slug]), ORGANISERS)
        self.check("GET", reverse("activities:new", args=[slug]), ORGANISERS)
        self.check("GET", self.invite.get_absolute_url(), EVERYONE)

    def test_private_space_pages_do_not_exist_for_outsiders(self):
        slug = self.quiet_room.slug
        self.check("GET", reverse("spaces:home", args=[slug]), (200, 404, 404, 404, 404))
        for name in [
            "spaces:edit",
            "spaces:members",
            "spaces:invites",
            "audit:log",
            "activities:new",
            "spaces:delete",
        ]:
            self.check("GET", reverse(name, args=[slug]), PRIVATE_OWNER_PAGE)
        self.check("GET", self.private_draft.get_absolute_url(), (200, 404, 404, 404, 404))
        self.check("POST", reverse("spaces:join", args=[slug]), (302, 404, 404, 404, 302))

    def test_activity_pages(self):
        slug = self.museum.slug
        self.check("GET", self.open.get_absolute_url(), EVERYONE)
        self.check("GET", self.draft.get_absolute_url(), (200, 200, 404, 404, 404))
        for name in ["activities:brief", "activities:settings", "activities:answer"]:
            self.check("GET", reverse(name, args=[slug, self.open.slug]), ORGANISERS)
            self.check(
                "GET", reverse(name, args=[slug, self.draft.slug]), (200, 200, 404, 404, 302)
            )

    def test_actions_refuse_the_wrong_roles(self):
        slug = self.museum.slug
        self.check(
            "POST",
            reverse("activities:check_brief", args=[slug, self.open.slug]),
            (200, 200, 403, 403, 302),
        )
        self.check(
            "POST",
            reverse("spaces:change_role", args=[slug, self.bob_membership.pk]),
            (302, 403, 403, 403, 302),
            {"role": "member"},
        )
        self.check(
            "POST",
            reverse("spaces:revoke_invite", args=[slug, self.invite.pk]),
            (302, 302, 403, 403, 302),
        )
        self.check(
            "POST",
            reverse("activities:phase", args=[slug, self.open.slug]),
            (302, 302, 403, 403, 302),
            {"step": "unknown"},
        )

    def test_conversation_pages(self):
        """The conversation kind's own pages; conversations/tests/test_permissions.py has all."""
        from sammen.conversations.tests.factories import make_conversation

        conversation = make_conversation(self.museum, self.alice, "Talk")
        args = [self.museum.slug, conversation.activity.slug]
        self.check("GET", conversation.activity.get_absolute_url(), EVERYONE)
        self.check("GET", reverse("conversations:add_statement", args=args), EVERYONE)
        for name in ["conversations:settings", "conversations:statements"]:
            self.check("GET", reverse(name, args=args), ORGANISERS)
        self.check("GET", reverse("conversations:report", args=args), (200, 200, 403, 403, 403))
        self.check("POST", reverse("conversations:recompute", args=args), (302, 302, 403, 403, 302))

    def test_pages_refuse_the_wrong_method(self):
        self.login(self.alice)
        self.assertEqual(
            self.client.get(reverse("spaces:join", args=["harbour-museum"])).status_code, 405
        )
        self.assertEqual(
            self.client.post(reverse("spaces:home", args=["harbour-museum"])).status_code, 405
        )
        self.assertEqual(self.client.get(reverse("core:set_language")).status_code, 405)

    def test_unknown_slugs_are_not_found(self):
        self.login(self.alice)
        self.assertEqual(self.client.get("/s/no-such-space/").status_code, 404)
        self.assertEqual(self.client.get("/s/harbour-museum/a/no-such-activity/").status_code, 404)
        self.assertEqual(self.client.get("/s/harbour-museum/members/999999/role/").status_code, 405)
