"""Every conversation URL, for every persona: the status each one gets.

Columns: owner (Alice), moderator (Maja), member (Bob), outsider (Charlie),
anonymous. 302 for anonymous on organiser pages means "sent to sign in".
"""

from django.core.cache import cache
from django.urls import reverse

from sammen.testing import BaseTestCase, participant_of
from sammen.testing.conversations import make_conversation, statements_of

from ..actions import do_set_report_public, do_vote
from ..models import Conversation, Vote

EVERYONE = (200, 200, 200, 200, 200)
ORGANISERS = (200, 200, 403, 403, 302)
ORGANISER_ACTIONS = (302, 302, 403, 403, 302)
PRIVATE_REPORT = (200, 200, 403, 403, 403)
DRAFT_PAGE = (200, 200, 404, 404, 404)
PRIVATE_SPACE = (200, 404, 404, 404, 404)


class ConversationPermissionTests(BaseTestCase):
    open: Conversation
    draft: Conversation
    hidden: Conversation

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.open = make_conversation(cls.museum, cls.alice, "Open talk")
        cls.draft = make_conversation(cls.museum, cls.alice, "Draft talk", open_it=False)
        cls.hidden = make_conversation(cls.quiet_room, cls.alice, "Quiet talk")

    def setUp(self) -> None:
        cache.clear()

    def personas(self):
        return [self.alice, self.maja, self.bob, self.charlie, None]

    def url(self, conversation: Conversation, name: str, *args: object) -> str:
        activity = conversation.activity
        return reverse(f"conversations:{name}", args=[activity.space.slug, activity.slug, *args])

    def check(self, method: str, url: str, expected: tuple[int, ...], data=None) -> None:
        for persona, status in zip(self.personas(), expected, strict=True):
            self.login(persona)
            with self.subTest(url=url, method=method, persona=str(persona or "anonymous")):
                call = self.client.get if method == "GET" else self.client.post
                self.assertEqual(call(url, data or {}).status_code, status)

    def test_participant_pages_are_open_to_everyone_who_may_see_the_activity(self):
        self.check("GET", self.open.activity.get_absolute_url(), EVERYONE)
        self.check("GET", self.url(self.open, "add_statement"), EVERYONE)
        self.check("GET", self.url(self.open, "similar"), EVERYONE, {"text": "harbour"})
        statement = statements_of(self.open)[0]
        self.check(
            "POST", self.url(self.open, "vote"), (302,) * 5, {"statement": statement.pk, "value": 1}
        )

    def test_everyone_who_may_see_the_activity_sees_and_changes_their_own_votes(self):
        statement = statements_of(self.open)[0]
        for persona in [self.alice, self.maja, self.bob, self.charlie]:
            do_vote(participant_of(persona), statement, 1)
        self.check("GET", self.url(self.open, "your_votes"), EVERYONE)
        # Anonymous visitors have no vote to change (no participant cookie).
        change = self.url(self.open, "change_vote", statement.pk)
        self.check("POST", change, (302, 302, 302, 302, 404), {"value": -1})
        self.assertEqual(Vote.objects.filter(statement=statement, value=-1).count(), 4)

    def test_a_drafts_pages_exist_only_for_its_organisers(self):
        self.check("GET", self.draft.activity.get_absolute_url(), DRAFT_PAGE)
        self.check("GET", self.url(self.draft, "add_statement"), (302, 302, 404, 404, 404))
        self.check(
            "POST",
            self.url(self.draft, "vote"),
            (302, 302, 404, 404, 404),
            {"statement": statements_of(self.draft)[0].pk, "value": 1},
        )
        self.check("GET", self.url(self.draft, "settings"), (200, 200, 404, 404, 302))
        self.check("GET", self.url(self.draft, "your_votes"), DRAFT_PAGE)

    def test_organiser_pages_are_for_owners_and_moderators(self):
        self.check("GET", self.url(self.open, "settings"), ORGANISERS)
        self.check("GET", self.url(self.open, "statements"), ORGANISERS)
        statement = statements_of(self.open)[0]
        self.check(
            "POST",
            self.url(self.open, "moderate", statement.pk),
            ORGANISER_ACTIONS,
            {"step": "meta"},
        )
        self.check("POST", self.url(self.open, "recompute"), ORGANISER_ACTIONS)
        self.check(
            "POST", self.url(self.open, "report_visibility"), ORGANISER_ACTIONS, {"public": "0"}
        )

    def test_the_report_and_exports_are_for_organisers_until_made_public(self):
        names = ["report", "export_csv", "export_json", "export_polis"]
        with_statements = {"statements": "on"}
        for name in names:
            self.check("GET", self.url(self.open, name), PRIVATE_REPORT)
        self.check("GET", self.url(self.open, "report"), PRIVATE_REPORT, with_statements)
        do_set_report_public(self.alice, self.open, True)
        for name in names:
            self.check("GET", self.url(self.open, name), EVERYONE)
        self.check("GET", self.url(self.open, "report"), EVERYONE, with_statements)

    def test_nothing_of_a_private_space_exists_for_outsiders(self):
        self.check("GET", self.hidden.activity.get_absolute_url(), PRIVATE_SPACE)
        self.check("GET", self.url(self.hidden, "add_statement"), PRIVATE_SPACE)
        self.check("GET", self.url(self.hidden, "statements"), (200, 404, 404, 404, 302))
        self.check("GET", self.url(self.hidden, "report"), PRIVATE_SPACE)
        self.check(
            "POST",
            self.url(self.hidden, "vote"),
            (302, 404, 404, 404, 404),
            {"statement": statements_of(self.hidden)[0].pk, "value": 1},
        )

    def test_nobodys_votes_in_a_private_space_are_reachable_from_outside(self):
        statement = statements_of(self.hidden)[0]
        for persona in [self.alice, self.maja, self.bob, self.charlie]:
            do_vote(participant_of(persona), statement, 1)
        self.check("GET", self.url(self.hidden, "your_votes"), PRIVATE_SPACE)
        self.check(
            "POST",
            self.url(self.hidden, "change_vote", statement.pk),
            (302, 404, 404, 404, 404),
            {"value": -1},
        )
        self.assertEqual(Vote.objects.filter(statement=statement, value=1).count(), 3)

    def test_statements_of_another_conversation_cannot_be_moderated_through_this_one(self):
        foreign = statements_of(self.hidden)[0]
        self.check(
            "POST",
            self.url(self.open, "moderate", foreign.pk),
            (404, 404, 403, 403, 302),
            {"step": "hide"},
        )
        foreign.refresh_from_db()
        self.assertTrue(foreign.is_shown)

    def test_statements_are_reported_by_people_with_an_account_and_moderated_by_organisers(self):
        seed = statements_of(self.open)[0]  # Alice's own seed statement: hers to hide, not report
        activity = self.open.activity
        report = reverse(
            "moderation:report_statement", args=[self.museum.slug, activity.slug, seed.pk]
        )
        self.check("GET", report, (403, 200, 200, 200, 302))
        hide = reverse("moderation:hide_statement", args=[self.museum.slug, seed.pk])
        restore = reverse("moderation:restore_statement", args=[self.museum.slug, seed.pk])
        self.check("POST", restore, ORGANISER_ACTIONS)  # "not hidden": back to the queue
        self.check("POST", hide, ORGANISER_ACTIONS, {"reason": "Off topic"})
        seed.refresh_from_db()
        self.assertTrue(seed.is_hidden)

    def test_a_private_spaces_statements_are_neither_reported_nor_moderated_from_outside(self):
        seed = statements_of(self.hidden)[0]
        activity = self.hidden.activity
        space = self.quiet_room.slug
        report = reverse("moderation:report_statement", args=[space, activity.slug, seed.pk])
        self.check("POST", report, (403, 404, 404, 404, 302), {"reason": "spam"})
        hide = reverse("moderation:hide_statement", args=[space, seed.pk])
        # Too long a reason: Alice's own hide is refused with a message, so nothing changes.
        self.check("POST", hide, (302, 404, 404, 404, 302), {"reason": "x" * 300})
        seed.refresh_from_db()
        self.assertTrue(seed.is_shown)

    def test_pages_refuse_the_wrong_method(self):
        self.login(self.alice)
        self.assertEqual(self.client.get(self.url(self.open, "vote")).status_code, 405)
        self.assertEqual(self.client.get(self.url(self.open, "recompute")).status_code, 405)
        self.assertEqual(self.client.post(self.url(self.open, "report")).status_code, 405)
        self.assertEqual(self.client.post(self.url(self.open, "similar")).status_code, 405)
        self.assertEqual(self.client.post(self.url(self.open, "your_votes")).status_code, 405)
        statement = statements_of(self.open)[0]
        change = self.url(self.open, "change_vote", statement.pk)
        self.assertEqual(self.client.get(change).status_code, 405)

    def test_an_activity_of_another_kind_has_no_conversation_pages(self):
        from sammen.testing import make_activity

        sample = make_activity(self.museum, self.alice, "Sample", open_it=True)
        self.login(self.alice)
        for name in ["settings", "statements", "report", "add_statement"]:
            url = reverse(f"conversations:{name}", args=[self.museum.slug, sample.slug])
            self.assertEqual(self.client.get(url).status_code, 404)
