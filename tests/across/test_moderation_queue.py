from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sammen.calls.models import Idea
from sammen.comments.actions import do_add_comment, do_delete_comment
from sammen.comments.models import Comment
from sammen.moderation.actions import do_hide, do_report
from sammen.moderation.models import Report, Resolution
from sammen.spaces.actions import do_block_member
from sammen.spaces.models import Block
from sammen.testing import BaseTestCase, make_space, make_user, moderation_url, participant_of
from sammen.testing.calls import make_call, make_idea


class QueueTestCase(BaseTestCase):
    def setUp(self) -> None:
        cache.clear()
        self.call = make_call(self.museum, self.alice)
        self.idea = make_idea(self.call, self.bob, "Cheap boats for sale")
        self.comment = do_add_comment(participant_of(self.bob), self.idea.thread, "Buy my boats!")
        self.queue = moderation_url("queue", self.museum.slug)


class QueuePageTests(QueueTestCase):
    def test_only_owners_and_moderators_see_the_queue(self):
        expected = {"alice": 200, "maja": 200, "bob": 403, "charlie": 403, None: 302}
        for name, status in expected.items():
            with self.subTest(viewer=name):
                self.login(getattr(self, name) if name else None)
                self.assertEqual(self.client.get(self.queue).status_code, status)

    def test_a_private_space_has_no_queue_for_outsiders(self):
        self.login(self.charlie)
        url = moderation_url("queue", self.quiet_room.slug)
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_reports_are_grouped_by_what_they_are_about_with_an_excerpt_and_a_link(self):
        do_report(self.charlie, self.museum, self.idea, "spam", "Selling boats")
        do_report(self.alice, self.museum, self.idea, "spam")
        do_report(self.charlie, self.museum, self.comment, "offensive")
        self.login(self.maja)
        response = self.client.get(self.queue)
        self.assertContains(response, 'id="reported-idea-', count=1)
        self.assertContains(response, f'id="reported-comment-{self.comment.pk}"', count=1)
        self.assertContains(response, "2 reports")
        self.assertContains(response, "1 report<")
        self.assertContains(response, "Selling boats")
        self.assertContains(response, "Buy my boats!")
        self.assertContains(response, f'href="{self.idea.get_absolute_url()}"')
        self.assertContains(
            response,
            f'href="{self.idea.get_absolute_url()}?comment={self.comment.pk}#comment-{self.comment.pk}"',
        )
        self.assertContains(response, 'value="Spam or advertising"')  # the reason most gave
        self.assertContains(response, moderation_url("hide_idea", self.museum.slug, self.idea.pk))
        self.assertContains(response, "Block the author")

    def test_the_space_header_counts_the_reports_waiting_for_organisers_only(self):
        do_report(self.charlie, self.museum, self.idea, "spam")
        do_report(self.charlie, self.museum, self.comment, "spam")
        self.login(self.maja)
        response = self.client.get(self.museum.get_absolute_url())
        self.assertContains(response, self.queue)
        self.assertContains(response, "reports waiting")
        self.login(self.bob)
        self.assertNotContains(self.client.get(self.museum.get_absolute_url()), self.queue)

    def test_a_blind_call_keeps_the_author_from_the_queue_too(self):
        blind = make_call(self.museum, self.alice, "Blind call", blind=True)
        idea = make_idea(blind, self.bob, "Secret story")
        do_report(self.charlie, self.museum, idea, "spam")
        self.login(self.alice)
        response = self.client.get(self.queue)
        self.assertContains(response, "Secret story")
        self.assertContains(response, "By an anonymous author")
        self.assertNotContains(response, "By Bob")
        self.assertNotContains(response, "Block the author")

    def test_reports_about_something_deleted_can_still_be_dismissed(self):
        report = do_report(self.charlie, self.museum, self.comment, "spam")
        do_delete_comment(participant_of(self.bob), self.comment)
        self.login(self.maja)
        response = self.client.get(self.queue)
        self.assertContains(response, "Its author deleted this comment.")
        self.assertContains(response, moderation_url("dismiss_report", self.museum.slug, report.pk))
        self.assertNotContains(
            response, moderation_url("hide_comment", self.museum.slug, self.comment.pk)
        )

    def test_the_queue_makes_a_constant_number_of_queries(self):
        self.login(self.maja)
        do_report(self.charlie, self.museum, self.idea, "spam")
        do_report(self.charlie, self.museum, self.comment, "spam")
        do_hide(self.maja, make_idea(self.call, self.bob, "Hidden idea"), "Spam")
        do_block_member(self.maja, self.museum, make_user("Spammer"), "")

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(self.queue).status_code, 200)
            return len(queries.captured_queries)

        few = count()
        for number in range(4):
            author = make_user(f"Author{number}")
            idea = make_idea(self.call, author, f"Idea {number}")
            comment = do_add_comment(participant_of(author), idea.thread, f"Comment {number}")
            do_report(self.charlie, self.museum, idea, "spam")
            do_report(self.alice, self.museum, comment, "offensive")
            do_hide(self.alice, make_idea(self.call, author, f"Hidden {number}"), "Spam")
            do_block_member(self.alice, self.museum, make_user(f"Blocked{number}"), "")
        self.assertEqual(count(), few)


class HideRestoreDismissViewTests(QueueTestCase):
    def test_a_moderator_hides_an_idea_from_the_queue_with_a_reason(self):
        do_report(self.charlie, self.museum, self.idea, "spam")
        self.login(self.maja)
        url = moderation_url("hide_idea", self.museum.slug, self.idea.pk)
        response = self.client.post(url, {"reason": "Advertising"})
        self.assertRedirects(response, f"{self.queue}#hidden", fetch_redirect_response=False)
        self.idea.refresh_from_db()
        self.assertEqual(self.idea.hidden_reason, "Advertising")
        self.assertEqual(Report.objects.get().resolution, Resolution.HIDDEN)
        queue = self.client.get(self.queue)
        self.assertContains(queue, "No reports are waiting.")
        self.assertContains(queue, f'id="hidden-idea-{self.idea.pk}"')
        self.assertContains(queue, moderation_url("restore_idea", self.museum.slug, self.idea.pk))

    def test_hidden_ideas_leave_lists_and_hidden_comments_show_the_reason(self):
        self.login(self.maja)
        self.client.post(
            moderation_url("hide_idea", self.museum.slug, self.idea.pk), {"reason": "Advertising"}
        )
        self.client.post(
            moderation_url("hide_comment", self.museum.slug, self.comment.pk), {"reason": "Rude"}
        )
        self.login(self.charlie)
        ideas = reverse("calls:ideas", args=[self.museum.slug, self.call.activity.slug])
        self.assertNotContains(self.client.get(ideas), "Cheap boats for sale")
        self.assertEqual(self.client.get(self.idea.get_absolute_url()).status_code, 404)
        self.login(self.bob)
        page = self.client.get(self.idea.get_absolute_url())
        self.assertContains(page, "A moderator hid this idea: Advertising.")
        self.assertContains(page, "Hidden by a moderator: Rude")

    def test_restoring_and_hiding_comments_from_the_queue(self):
        self.login(self.alice)
        self.client.post(
            moderation_url("hide_comment", self.museum.slug, self.comment.pk), {"reason": "Rude"}
        )
        self.assertIsNotNone(Comment.objects.get(pk=self.comment.pk).hidden_at)
        response = self.client.post(
            moderation_url("restore_comment", self.museum.slug, self.comment.pk)
        )
        self.assertRedirects(response, self.queue, fetch_redirect_response=False)
        self.assertIsNone(Comment.objects.get(pk=self.comment.pk).hidden_at)
        self.client.post(moderation_url("restore_idea", self.museum.slug, self.idea.pk))
        response = self.client.post(
            moderation_url("restore_idea", self.museum.slug, self.idea.pk), follow=True
        )
        self.assertContains(response, "This is not hidden.")

    def test_a_missing_or_oversized_reason_is_refused_with_a_message(self):
        self.login(self.maja)
        url = moderation_url("hide_idea", self.museum.slug, self.idea.pk)
        for data in [{}, {"reason": "  "}, {"reason": "x" * 201}, {"reason": "two\nlines"}]:
            with self.subTest(data=data):
                response = self.client.post(url, data, follow=True)
                self.assertContains(response, "flash--error")
        self.assertFalse(Idea.objects.get(pk=self.idea.pk).is_hidden)

    def test_a_moderator_dismisses_a_report(self):
        report = do_report(self.charlie, self.museum, self.comment, "spam")
        self.login(self.maja)
        url = moderation_url("dismiss_report", self.museum.slug, report.pk)
        response = self.client.post(url, follow=True)
        self.assertContains(response, "The report is dismissed.")
        report.refresh_from_db()
        self.assertEqual(report.resolution, Resolution.DISMISSED)
        self.assertContains(self.client.post(url, follow=True), "dealt with this report already")

    def test_members_outsiders_and_visitors_cannot_moderate(self):
        report = do_report(self.charlie, self.museum, self.comment, "spam")
        slug = self.museum.slug
        posts = [
            (moderation_url("hide_idea", slug, self.idea.pk), {"reason": "x"}),
            (moderation_url("restore_idea", slug, self.idea.pk), {}),
            (moderation_url("hide_comment", slug, self.comment.pk), {"reason": "x"}),
            (moderation_url("restore_comment", slug, self.comment.pk), {}),
            (moderation_url("dismiss_report", slug, report.pk), {}),
        ]
        for viewer, status in [(self.bob, 403), (self.charlie, 403), (None, 302)]:
            self.login(viewer)
            for url, data in posts:
                with self.subTest(url=url, viewer=viewer):
                    self.assertEqual(self.client.post(url, data).status_code, status)
        self.assertIsNone(Comment.objects.get(pk=self.comment.pk).hidden_at)
        self.assertFalse(Idea.objects.get(pk=self.idea.pk).is_hidden)
        report.refresh_from_db()
        self.assertIsNone(report.resolved_at)

    def test_the_queue_only_takes_get_and_actions_only_take_post(self):
        self.login(self.maja)
        self.assertEqual(self.client.post(self.queue).status_code, 405)
        url = moderation_url("hide_idea", self.museum.slug, self.idea.pk)
        self.assertEqual(self.client.get(url).status_code, 405)

    def test_forged_ids_from_another_space_are_not_found(self):
        festival = make_space(self.charlie, "Dock Festival")
        festival_call = make_call(festival, self.charlie, "Festival ideas")
        their_idea = make_idea(festival_call, self.charlie)
        their_comment = do_add_comment(participant_of(self.charlie), their_idea.thread, "Hi")
        their_report = do_report(self.alice, festival, their_comment, "spam")
        their_block = do_block_member(self.charlie, festival, self.bob, "")
        slug = self.museum.slug  # Maja moderates the museum, not the festival
        forged = [
            (moderation_url("hide_idea", slug, their_idea.pk), {"reason": "x"}),
            (moderation_url("restore_idea", slug, their_idea.pk), {}),
            (moderation_url("hide_comment", slug, their_comment.pk), {"reason": "x"}),
            (moderation_url("restore_comment", slug, their_comment.pk), {}),
            (moderation_url("dismiss_report", slug, their_report.pk), {}),
            (moderation_url("unblock", slug, their_block.pk), {}),
            (moderation_url("hide_idea", slug, 999_999), {"reason": "x"}),
        ]
        self.login(self.maja)
        for url, data in forged:
            with self.subTest(url=url):
                self.assertEqual(self.client.post(url, data).status_code, 404)
        self.assertIsNone(Comment.objects.get(pk=their_comment.pk).hidden_at)
        self.assertFalse(Idea.objects.get(pk=their_idea.pk).is_hidden)
        self.assertTrue(Block.objects.filter(pk=their_block.pk).exists())
        their_report.refresh_from_db()
        self.assertIsNone(their_report.resolved_at)
