"""Every URL, for every persona: the status each one gets.

Columns: owner (Alice), moderator (Maja), member (Bob), outsider (Charlie),
anonymous. 302 for anonymous means "sent to sign in" (or, for actions, back).
"""

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.test import override_settings
from django.urls import reverse

from sammen.activities.models import Activity
from sammen.spaces.actions import do_create_invite
from sammen.spaces.models import Invite, Membership
from sammen.testing import BaseTestCase, make_activity, make_member
from sammen.testing.webhooks import quiet_webhook

if TYPE_CHECKING:
    from sammen.accounts.models import User

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
        self.check("GET", reverse("ambassadors:list", args=[slug]), OWNER_ONLY)
        self.check("GET", reverse("recognition:rewards", args=[slug]), OWNER_ONLY)
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
            "ambassadors:list",
            "recognition:rewards",
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
        from sammen.testing.conversations import make_conversation

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


def url_patterns(patterns=None, namespace: str = ""):
    """Yield (namespaced name, pattern) for every URL of the project."""
    from django.urls import URLResolver, get_resolver

    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern.url_patterns, pattern.namespace or namespace)
        elif pattern.name:
            yield f"{namespace}:{pattern.name}", pattern


@override_settings(SAMMEN_REQUIRE_2FA_FOR_OWNERS=True)
class TwoFactorMatrixTests(BaseTestCase):
    """With SAMMEN_REQUIRE_2FA_FOR_OWNERS, management rights need a second factor.

    Every URL of a space, its activities of every kind and their live sessions is
    asked by every persona. Where the owner or the moderator gets another answer
    than a member who wrote nothing (so the URL uses their management rights), they
    are sent to set up two-factor authentication until they have, and then get the
    answer they got before; members get the same answer either way.
    """

    erik: "User"
    values: dict[str, Any]
    activity_of: dict[str, str]
    target_of: dict[str, int]

    # Differences that come from being the only owner, not from managing.
    NOT_MANAGEMENT = {("POST", "/s/harbour-museum/leave/")}

    @classmethod
    def setUpTestData(cls) -> None:
        from sammen.ambassadors.tests.helpers import make_ambassador
        from sammen.comments.actions import do_add_comment
        from sammen.conversations.actions import do_add_statement, do_approve_statement
        from sammen.conversations.models import StatementState
        from sammen.journeys.actions import do_add_plan
        from sammen.live.actions import do_answer_poll, do_ask_question, do_open_poll
        from sammen.meetings.actions import CostInput, do_add_cost_line, do_add_intangible
        from sammen.moderation.actions import do_report
        from sammen.spaces.actions import do_block_member
        from sammen.testing import make_user, participant_of
        from sammen.testing.calls import make_call, make_idea
        from sammen.testing.conversations import make_conversation
        from sammen.testing.journeys import make_journey, rate_all, touchpoints_of
        from sammen.testing.live import join_as, make_poll, make_session
        from sammen.testing.meetings import make_meeting, register

        super().setUpTestData()
        call = make_call(cls.museum, cls.alice)
        idea = make_idea(call, cls.bob)
        comment = do_add_comment(participant_of(cls.bob), idea.thread, "Yes, the lighthouse!")
        conversation = make_conversation(cls.museum, cls.alice)
        statement = do_add_statement(
            participant_of(cls.bob), conversation, "The harbour needs more benches."
        )
        if statement.state != StatementState.SHOWN:
            do_approve_statement(cls.alice, statement)
        session = make_session(cls.museum, cls.alice)
        poll = make_poll(session, cls.alice, kind="text")
        do_open_poll(cls.alice, poll)
        attendee = join_as(session, cls.bob)
        question = do_ask_question(attendee, "When does the ferry leave?")
        response = do_answer_poll(attendee, poll, text="The harbour")
        report = do_report(cls.charlie, cls.museum, idea, "spam")
        dora = make_user("Dora")
        make_member(cls.museum, dora)
        block = do_block_member(cls.alice, cls.museum, dora)
        cls.erik = make_user("Erik")  # a member who wrote nothing: the organisers' yardstick
        make_member(cls.museum, cls.erik)
        invite = do_create_invite(cls.alice, cls.museum)
        journey = make_journey(cls.museum, cls.alice)
        touchpoint = touchpoints_of(journey)[0]
        rate_all(journey, [3, 5], participant_of(cls.bob))
        plan = do_add_plan(cls.alice, touchpoint, "gesture", "A thank-you card")
        # The test-only sample kind registers its activities as reportable.
        sample = make_activity(cls.museum, cls.alice, "Sample things", open_it=True)
        meeting = make_meeting(cls.museum, cls.alice)
        registration = register(meeting, "Bob", participant_of(cls.bob))
        cost = do_add_cost_line(cls.alice, meeting, CostInput("venue", Decimal(100)))
        intangible = do_add_intangible(cls.alice, meeting, "Trust between partners")
        webhook, delivery = quiet_webhook(cls.museum, cls.alice)
        activity_of = {
            "journeys": journey.activity.slug,
            "sample": sample.slug,
            "calls": call.activity.slug,
            "activities": call.activity.slug,
            "conversations": conversation.activity.slug,
            "live": session.activity.slug,
            "meetings": meeting.activity.slug,
        }
        cls.values = {
            "space_slug": cls.museum.slug,
            "idea_id": idea.pk,
            "comment_id": comment.pk,
            "statement_id": statement.pk,
            "stage_id": touchpoint.stage_id,
            "touchpoint_id": touchpoint.pk,
            "poll_id": poll.pk,
            "question_id": question.pk,
            "response_id": response.pk,
            "report_id": report.pk,
            "block_id": block.pk,
            "invite_id": invite.pk,
            "membership_id": Membership.objects.get(space=cls.museum, user=cls.bob).pk,
            "code": session.code,
            "step": "close",
            "token": "not-a-token",
            "plan_id": plan.pk,
            "registration_id": registration.pk,
            "objective_id": meeting.objectives.values_list("pk", flat=True)[0],
            "session_id": meeting.sessions.values_list("pk", flat=True)[0],
            "cost_id": cost.pk,
            "intangible_id": intangible.pk,
            "webhook_id": webhook.pk,
            "delivery_id": delivery.pk,
            "ambassador_id": make_ambassador(cls.museum, cls.bob).pk,
            "public_id": participant_of(cls.bob).public_id,
        }
        cls.activity_of = activity_of
        cls.target_of = {
            "idea": idea.pk,
            "comment": comment.pk,
            "statement": statement.pk,
            "sample": sample.pk,
            "touchpoint": touchpoint.pk,
        }

    def urls(self) -> list[str]:
        """Return every URL about the museum space, filled in with its objects."""
        urls = []
        for name, pattern in url_patterns():
            namespace, _, short_name = name.partition(":")
            keys = set(pattern.pattern.converters)
            if "space_slug" not in keys and "code" not in keys:
                continue
            unknown = keys - set(self.values) - {"activity_slug", "target_id"}
            assert not unknown, f"give {name}'s {unknown} a value in setUpTestData"
            kwargs = {key: self.values[key] for key in keys if key in self.values}
            if "activity_slug" in keys:
                kind = namespace
                if short_name.endswith("statement"):
                    kind = "conversations"
                if short_name.endswith("sample"):
                    kind = "sample"
                if short_name.endswith("touchpoint"):
                    kind = "journeys"
                kwargs["activity_slug"] = self.activity_of.get(kind, self.activity_of["calls"])
            if "target_id" in keys:
                kwargs["target_id"] = self.target_of[short_name.split("_")[-1]]
            urls.append(reverse(name, kwargs=kwargs))
        return urls

    def answers(self, user, urls: list[str]) -> dict[tuple[str, str], tuple[int, str]]:
        """Return the status and redirect of GET and POST on each URL, changing nothing."""
        from django.db import transaction

        self.login(user)
        answers = {}
        for url in urls:
            for method in ["GET", "POST"]:
                with transaction.atomic():
                    call = self.client.get if method == "GET" else self.client.post
                    response = call(url, {}, headers={"sec-fetch-site": "same-origin"})
                    transaction.set_rollback(True)
                location = response.headers.get("Location") or response.headers.get(
                    "HX-Redirect", ""
                )
                answers[method, url] = (response.status_code, location)
        return answers

    def test_organisers_without_two_factor_are_sent_to_set_it_up_everywhere_they_manage(self):
        from allauth.mfa.models import Authenticator

        urls = self.urls()
        self.assertGreater(len(urls), 80)
        setup = reverse("mfa_activate_totp")
        personas = [self.alice, self.maja, self.bob, self.erik]
        with override_settings(SAMMEN_REQUIRE_2FA_FOR_OWNERS=False):
            before = {user: self.answers(user, urls) for user in personas}
        for member in [self.bob, self.erik]:
            self.assertEqual(self.answers(member, urls), before[member], "members are unaffected")
        for organiser in [self.alice, self.maja]:
            managed = [
                key
                for key, answer in before[organiser].items()
                if answer != before[self.erik][key] and key not in self.NOT_MANAGEMENT
            ]
            self.assertGreater(len(managed), 40)
            without = self.answers(organiser, urls)
            for key in managed:
                with self.subTest(organiser=str(organiser), request=key):
                    self.assertEqual(without[key][1], setup)
            Authenticator.objects.create(
                user=organiser, type=Authenticator.Type.TOTP, data={"secret": "x"}
            )
            self.assertEqual(
                self.answers(organiser, urls), before[organiser], "with TOTP they pass"
            )
