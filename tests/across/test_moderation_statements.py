"""Conversation statements in moderation: reported by participants, acted on from the queue."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from sammen.audit.models import AuditEntry
from sammen.conversations.actions import (
    do_add_statement,
    do_hide_statement,
    do_update_conversation,
)
from sammen.conversations.models import Conversation, Statement, StatementState
from sammen.core.errors import ActionRefused
from sammen.moderation.actions import do_hide, do_report, do_restore
from sammen.moderation.models import Report, Resolution
from sammen.spaces.actions import do_block_member
from sammen.testing import BaseTestCase, make_space, moderation_url, participant_of
from sammen.testing.conversations import SETTINGS, make_conversation, statements_of


def report_url(statement: Statement) -> str:
    activity = statement.conversation.activity
    return reverse(
        "moderation:report_statement", args=[activity.space.slug, activity.slug, statement.pk]
    )


class StatementModerationTestCase(BaseTestCase):
    conversation: Conversation
    statement: Statement

    def setUp(self) -> None:
        cache.clear()
        self.conversation = make_conversation(self.museum, self.alice)
        do_update_conversation(self.alice, self.conversation, **{**SETTINGS, "moderation": "after"})
        # Bob wrote it: shown at once, as the conversation moderates afterwards.
        self.statement = do_add_statement(
            participant_of(self.bob), self.conversation, "Buy cheap boats at bobsboats.example"
        )
        self.statement.conversation = self.conversation
        self.queue = moderation_url("queue", self.museum.slug)


class ReportStatementActionTests(StatementModerationTestCase):
    def test_anyone_signed_in_reports_a_statement_once(self):
        report = do_report(self.charlie, self.museum, self.statement, "spam", " An advert ")
        self.assertEqual((report.target, report.note), (self.statement, "An advert"))
        with self.assertRaisesMessage(ActionRefused, "You have reported this already"):
            do_report(self.charlie, self.museum, self.statement, "spam")
        self.assertEqual(Report.objects.count(), 1)

    def test_what_cannot_be_reported_is_refused_and_nothing_is_stored(self):
        seed = statements_of(self.conversation)[0]
        do_update_conversation(self.alice, self.conversation, **SETTINGS)  # approve first
        waiting = do_add_statement(participant_of(self.bob), self.conversation, "Pay me now")
        hidden = statements_of(self.conversation)[1]
        do_hide_statement(self.alice, hidden, "Off topic")
        festival = make_space(self.charlie, "Dock Festival")
        cases = [
            (self.bob, self.museum, self.statement, "what you wrote yourself"),
            (self.charlie, self.museum, waiting, "no longer shown"),
            (self.charlie, self.museum, hidden, "no longer shown"),
            (self.charlie, festival, seed, "of this space can be reported"),
        ]
        for user, space, target, message in cases:
            with self.subTest(message=message), self.assertRaisesMessage(ActionRefused, message):
                do_report(user, space, target, "spam")
        do_block_member(self.alice, self.museum, self.charlie, "Spam")
        with self.assertRaisesMessage(ActionRefused, "blocked you"):
            do_report(self.charlie, self.museum, seed, "spam")
        self.assertFalse(Report.objects.exists())

    def test_hiding_from_the_queue_uses_the_conversations_own_action_and_closes_reports(self):
        do_report(self.charlie, self.museum, self.statement, "spam")
        do_report(self.alice, self.museum, self.statement, "offensive")
        do_hide(self.maja, self.statement, "Advertising")
        self.statement.refresh_from_db()
        self.assertEqual(self.statement.state, StatementState.HIDDEN)
        self.assertEqual(self.statement.hidden_reason, "Advertising")
        self.assertEqual(self.statement.reviewed_by, self.maja)
        self.assertEqual(
            set(Report.objects.values_list("resolution", flat=True)), {Resolution.HIDDEN}
        )
        entry = AuditEntry.objects.get(action="statement.hidden")
        self.assertEqual((entry.actor, entry.target_id), (self.maja, str(self.statement.pk)))
        # The map leaves it out from now on.
        self.conversation.refresh_from_db()
        self.assertIsNotNone(self.conversation.statements_changed_at)
        with self.assertRaisesMessage(ActionRefused, "hidden this already"):
            do_hide(self.alice, self.statement, "Spam")

    def test_restoring_shows_it_again_and_dismisses_what_was_reported_meanwhile(self):
        do_hide(self.maja, self.statement, "Advertising")
        do_report(self.charlie, self.museum, statements_of(self.conversation)[0], "spam")
        Report.objects.create(
            space=self.museum, reporter=self.alice, target=self.statement, reason="spam"
        )
        do_restore(self.maja, self.statement)
        self.statement.refresh_from_db()
        self.assertEqual((self.statement.state, self.statement.hidden_reason), ("shown", ""))
        self.assertEqual(Report.objects.get(reporter=self.alice).resolution, Resolution.DISMISSED)
        self.assertIsNone(Report.objects.get(reporter=self.charlie).resolved_at)
        self.assertTrue(AuditEntry.objects.filter(action="statement.restored").exists())
        with self.assertRaisesMessage(ActionRefused, "This is not hidden."):
            do_restore(self.maja, self.statement)


class ReportStatementPageTests(StatementModerationTestCase):
    def test_who_may_open_the_report_page(self):
        expected = {"alice": 200, "maja": 200, "bob": 403, "charlie": 200, None: 302}
        for name, status in expected.items():
            with self.subTest(viewer=name):
                self.login(getattr(self, name) if name else None)
                self.assertEqual(self.client.get(report_url(self.statement)).status_code, status)

    def test_a_participant_reports_a_statement_and_returns_to_the_conversation(self):
        self.login(self.charlie)
        page = self.client.get(report_url(self.statement))
        self.assertContains(page, "Report this statement")
        self.assertContains(page, self.statement.text)
        self.assertNotContains(page, "You moderate this space")
        response = self.client.post(
            report_url(self.statement), {"reason": "spam", "note": "An advert"}, follow=True
        )
        self.assertEqual(
            response.redirect_chain[-1][0],
            f"{self.conversation.activity.get_absolute_url()}#take-part",
        )
        self.assertContains(response, "The moderators of this space will look at it.")
        self.assertEqual(Report.objects.get().target, self.statement)

    def test_the_voting_card_and_your_votes_offer_to_report(self):
        self.login(self.charlie)
        card = self.client.get(self.conversation.activity.get_absolute_url())
        shown = card.context["part"].card.statement
        self.assertContains(card, report_url(shown))
        self.client.post(
            reverse("conversations:vote", args=[self.museum.slug, self.conversation.activity.slug]),
            {"statement": self.statement.pk, "value": -1},
        )
        votes = reverse(
            "conversations:your_votes", args=[self.museum.slug, self.conversation.activity.slug]
        )
        self.assertContains(self.client.get(votes), report_url(self.statement))
        self.login(self.bob)  # his own statement, which he agreed with
        self.assertNotContains(self.client.get(votes), report_url(self.statement))

    def test_bad_input_is_refused_next_to_the_field_and_changes_nothing(self):
        self.login(self.charlie)
        for data in [{"reason": "boring"}, {}, {"reason": "spam", "note": "x" * 501}]:
            with self.subTest(data=data):
                response = self.client.post(report_url(self.statement), data)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "errorlist")
        self.assertFalse(Report.objects.exists())

    def test_statements_others_cannot_see_cannot_be_reported(self):
        do_update_conversation(self.alice, self.conversation, **SETTINGS)
        waiting = do_add_statement(participant_of(self.bob), self.conversation, "Pay me now")
        other = make_conversation(self.quiet_room, self.alice, "Quiet talk")
        foreign = statements_of(other)[0]
        activity = self.conversation.activity
        through_this_one = reverse(
            "moderation:report_statement", args=[self.museum.slug, activity.slug, foreign.pk]
        )
        self.login(self.charlie)
        for url in [report_url(waiting), through_this_one, report_url(foreign)]:
            with self.subTest(url=url):
                self.assertEqual(self.client.post(url, {"reason": "spam"}).status_code, 404)
        self.assertFalse(Report.objects.exists())

    def test_an_organiser_may_hide_it_at_once_from_the_report_page(self):
        self.login(self.maja)
        page = self.client.get(report_url(self.statement))
        hide = moderation_url("hide_statement", self.museum.slug, self.statement.pk)
        self.assertContains(page, f'action="{hide}"')
        self.client.post(hide, {"reason": "Advertising"})
        self.statement.refresh_from_db()
        self.assertTrue(self.statement.is_hidden)
        self.assertNotContains(self.client.get(report_url(self.statement)), f'action="{hide}"')


class StatementQueueTests(StatementModerationTestCase):
    def test_a_reported_statement_waits_in_the_queue_with_a_link_to_the_statements_page(self):
        do_report(self.charlie, self.museum, self.statement, "spam", "An advert")
        self.login(self.maja)
        response = self.client.get(self.queue)
        self.assertContains(response, f'id="reported-statement-{self.statement.pk}"')
        self.assertContains(response, ">Statement</span>")
        self.assertContains(response, self.statement.text)
        self.assertContains(response, "An advert")
        statements = reverse(
            "conversations:statements", args=[self.museum.slug, self.conversation.activity.slug]
        )
        link = f"{statements}?number={self.statement.number}#statement-{self.statement.pk}"
        self.assertContains(response, f'href="{link}"')
        self.assertContains(response, escape(self.conversation.activity.title))
        self.assertContains(
            response, moderation_url("hide_statement", self.museum.slug, self.statement.pk)
        )
        self.assertContains(response, "Block the author")
        page = self.client.get(link)
        self.assertContains(page, f'id="statement-{self.statement.pk}"')
        self.assertContains(page, "Only statement")
        self.assertEqual(len(page.context["page"].object_list), 1)

    def test_hiding_and_restoring_from_the_queue(self):
        do_report(self.charlie, self.museum, self.statement, "spam")
        self.login(self.maja)
        hide = moderation_url("hide_statement", self.museum.slug, self.statement.pk)
        response = self.client.post(hide, {"reason": "Advertising"})
        self.assertRedirects(response, f"{self.queue}#hidden", fetch_redirect_response=False)
        queue = self.client.get(self.queue)
        self.assertContains(queue, "No reports are waiting.")
        self.assertContains(queue, f'id="hidden-statement-{self.statement.pk}"')
        self.assertContains(queue, "Advertising")
        restore = moderation_url("restore_statement", self.museum.slug, self.statement.pk)
        self.assertContains(queue, restore)
        self.assertRedirects(self.client.post(restore), self.queue, fetch_redirect_response=False)
        self.statement.refresh_from_db()
        self.assertTrue(self.statement.is_shown)
        response = self.client.post(restore, follow=True)
        self.assertContains(response, "This is not hidden.")

    def test_the_author_learns_why_their_statement_was_taken_out(self):
        do_hide(self.maja, self.statement, "Advertising")
        self.login(self.bob)
        votes = reverse(
            "conversations:your_votes", args=[self.museum.slug, self.conversation.activity.slug]
        )
        response = self.client.get(votes)
        self.assertContains(response, "Your statements others do not see")
        self.assertContains(response, self.statement.text)
        self.assertContains(response, "The organisers took it out of the conversation: Advertising")

    def test_a_missing_reason_is_refused_with_a_message(self):
        self.login(self.maja)
        hide = moderation_url("hide_statement", self.museum.slug, self.statement.pk)
        for data in [{}, {"reason": " "}, {"reason": "x" * 201}, {"reason": "two\nlines"}]:
            with self.subTest(data=data):
                self.assertContains(self.client.post(hide, data, follow=True), "flash--error")
        self.statement.refresh_from_db()
        self.assertTrue(self.statement.is_shown)

    def test_only_the_spaces_organisers_hide_or_restore_and_only_their_statements(self):
        hide = moderation_url("hide_statement", self.museum.slug, self.statement.pk)
        restore = moderation_url("restore_statement", self.museum.slug, self.statement.pk)
        for viewer, status in [(self.bob, 403), (self.charlie, 403), (None, 302)]:
            self.login(viewer)
            for url in [hide, restore]:
                with self.subTest(url=url, viewer=viewer):
                    self.assertEqual(self.client.post(url, {"reason": "x"}).status_code, status)
        festival = make_space(self.charlie, "Dock Festival")
        theirs = statements_of(make_conversation(festival, self.charlie, "Festival talk"))[0]
        self.login(self.maja)
        for name in ["hide_statement", "restore_statement"]:
            url = moderation_url(name, self.museum.slug, theirs.pk)
            with self.subTest(url=url):
                self.assertEqual(self.client.post(url, {"reason": "x"}).status_code, 404)
        self.assertEqual(self.client.get(hide).status_code, 405)
        self.statement.refresh_from_db()
        theirs.refresh_from_db()
        self.assertTrue(self.statement.is_shown)
        self.assertTrue(theirs.is_shown)

    def test_the_queue_reads_the_same_queries_with_more_statements_reported_and_hidden(self):
        do_report(self.charlie, self.museum, self.statement, "spam")
        rude = do_add_statement(participant_of(self.charlie), self.conversation, "Rude remark")
        do_hide(self.alice, rude, "Rude")
        self.login(self.maja)

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(self.queue).status_code, 200)
            return len(queries.captured_queries)

        few = count()
        for number in range(4):
            statement = do_add_statement(
                participant_of(self.bob), self.conversation, f"Advert number {number}"
            )
            do_report(self.charlie, self.museum, statement, "spam")
            do_report(self.alice, self.museum, statement, "offensive")
            other = do_add_statement(
                participant_of(self.charlie), self.conversation, f"Rude remark {number}"
            )
            do_hide(self.alice, other, "Rude")
        self.assertEqual(count(), few)
