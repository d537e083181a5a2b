"""The engine's views serve a kind they do not know: the test-only sample kind owns a
thread, includes the discussion on its page and wires the views to its URLs with its
own access (members comment while a sample is open; the thread's owner marks helpful)."""

from typing import Any
from unittest import mock

from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from sammen.accounts.models import User
from sammen.activities.actions import do_close_activity
from sammen.activities.tests.sample_kind.discussion import CLOSED_NOTE, do_start_sample_discussion
from sammen.comments.actions import do_add_comment, do_hide_comment
from sammen.comments.models import Comment
from sammen.comments.queries import COMMENTS_PER_PAGE
from sammen.testing import BaseTestCase, make_activity, participant_of


@override_settings(ROOT_URLCONF="sammen.comments.tests.urls")
class SampleDiscussionTests(BaseTestCase):
    def setUp(self) -> None:
        cache.clear()  # the comment rate limit counts in the cache
        self.sample = make_activity(self.museum, self.alice, open_it=True)
        self.thread = do_start_sample_discussion(self.sample, participant_of(self.bob))
        self.page = self.url("discussion")
        self.post_url = self.url("comment")

    def url(self, name: str, *comment_id: int) -> str:
        return reverse(
            f"sample_kind:{name}", args=[self.museum.slug, self.sample.slug, *comment_id]
        )

    def comment(self, user: User, body: str, **kwargs: Any) -> Comment:
        return do_add_comment(participant_of(user), self.thread, body, **kwargs)

    def test_the_owners_page_shows_the_discussion_with_the_form_for_members(self):
        self.comment(self.bob, "I started this.")
        self.comment(self.maja, "**Nice** <script>x</script>")
        self.login(self.maja)
        response = self.client.get(self.page)
        self.assertContains(response, 'id="discussion"')
        self.assertContains(response, "<strong>Nice</strong>", html=True)
        self.assertNotContains(response, "<script>x</script>")
        self.assertContains(response, f'action="{self.post_url}"')
        self.assertContains(response, "Post comment")
        self.assertContains(response, '<span class="badge">author</span>', count=1, html=True)
        self.assertNotContains(response, "Report")  # the sample lets nobody report comments

    def test_visitors_are_asked_to_sign_in_and_outsiders_read_the_kinds_note(self):
        response = self.client.get(self.page)
        self.assertContains(response, "Sign in to join the discussion")
        self.assertNotContains(response, "Post comment")
        self.login(self.charlie)
        response = self.client.get(self.page)
        self.assertContains(response, CLOSED_NOTE)
        self.assertNotContains(response, "Post comment")

    def test_members_comment_with_htmx_and_get_the_discussion_back(self):
        self.login(self.bob)
        response = self.client.post(
            self.post_url, {"body": "Lovely"}, headers={"HX-Request": "true"}
        )
        self.assertContains(response, 'id="discussion"')
        self.assertContains(response, "Lovely")
        self.assertNotContains(response, "<html")
        self.assertEqual(response.headers["Vary"].count("HX-Request"), 1)
        self.assertEqual(Comment.objects.get().thread, self.thread)

    def test_without_javascript_a_comment_leads_to_its_place_on_the_page(self):
        self.login(self.bob)
        response = self.client.post(self.post_url, {"body": "Lovely"})
        comment = Comment.objects.get()
        self.assertRedirects(
            response,
            f"{self.page}?comment={comment.pk}#comment-{comment.pk}",
            fetch_redirect_response=False,
        )
        self.assertContains(self.client.get(response["Location"]), "Your comment is posted.")

    def test_replies_go_one_level_deep_and_stay_in_their_discussion(self):
        first = self.comment(self.maja, "First")
        self.login(self.bob)
        self.client.post(self.post_url, {"body": "Reply", "parent": first.pk})
        reply = Comment.objects.get(body="Reply")
        self.client.post(self.post_url, {"body": "Deeper", "parent": reply.pk})
        self.assertEqual(Comment.objects.get(body="Deeper").parent, first)
        elsewhere = make_activity(self.museum, self.alice, "Elsewhere", open_it=True)
        stranger = do_add_comment(
            participant_of(self.maja),
            do_start_sample_discussion(elsewhere, participant_of(self.maja)),
            "Elsewhere",
        )
        response = self.client.post(self.post_url, {"body": "Lost", "parent": stranger.pk})
        self.assertRedirects(response, self.page, fetch_redirect_response=False)
        self.assertFalse(Comment.objects.filter(body="Lost").exists())
        page = self.client.get(self.page)
        self.assertContains(page, "You can only reply to a comment in the same discussion.")

    def test_the_kind_decides_who_may_comment(self):
        self.login(self.charlie)  # not a member
        self.assertEqual(self.client.post(self.post_url, {"body": "Hi"}).status_code, 403)
        self.client.logout()
        response = self.client.post(self.post_url, {"body": "Hi"})
        self.assertEqual(response.status_code, 302)
        self.assertIn("/accounts/login/", response["Location"])
        do_close_activity(self.alice, self.sample)
        self.login(self.bob)
        self.assertEqual(self.client.post(self.post_url, {"body": "Hi"}).status_code, 403)
        self.assertContains(self.client.get(self.page), CLOSED_NOTE)
        self.assertFalse(Comment.objects.exists())

    def test_empty_long_and_hasty_comments_are_refused(self):
        self.login(self.bob)
        for body in ["", "   ", "x" * 2001]:
            self.client.post(self.post_url, {"body": body})
        self.assertFalse(Comment.objects.exists())
        with mock.patch("sammen.comments.views.COMMENTS_PER_HOUR", 1):
            self.client.post(self.post_url, {"body": "One"})
            response = self.client.post(
                self.post_url, {"body": "Two"}, headers={"HX-Request": "true"}
            )
        self.assertContains(response, "You wrote many comments in a short time.")
        self.assertEqual(list(Comment.objects.values_list("body", flat=True)), ["One"])

    def test_authors_edit_and_delete_their_comments_and_nobody_else_can(self):
        comment = self.comment(self.maja, "Frist")
        edit = self.url("edit_comment", comment.pk)
        self.login(self.bob)
        self.assertEqual(self.client.get(edit).status_code, 403)
        self.assertEqual(self.client.post(edit, {"body": "Hacked"}).status_code, 403)
        self.assertEqual(self.client.post(self.url("delete_comment", comment.pk)).status_code, 403)
        self.login(self.maja)
        page = self.client.get(edit)
        self.assertContains(page, "Edit your comment")
        self.assertContains(page, f'href="{self.page}?comment={comment.pk}#comment-{comment.pk}"')
        self.client.post(edit, {"body": "First"})
        comment.refresh_from_db()
        self.assertEqual((comment.body, comment.edited_at is not None), ("First", True))
        response = self.client.post(self.url("delete_comment", comment.pk))
        self.assertRedirects(response, self.page, fetch_redirect_response=False)
        comment.refresh_from_db()
        self.assertIsNotNone(comment.deleted_at)

    def test_only_the_threads_owner_marks_a_comment_helpful(self):
        comment = self.comment(self.maja, "Try the old quay")
        helpful = self.url("helpful", comment.pk)
        self.login(self.alice)
        self.assertNotContains(self.client.get(self.page), "Mark as helpful")
        self.client.post(helpful, {"helpful": "1"})
        comment.refresh_from_db()
        self.assertIsNone(comment.helpful_at)
        self.login(self.bob)
        self.assertContains(self.client.get(self.page), "Mark as helpful")
        response = self.client.post(helpful, {"helpful": "1"})
        self.assertRedirects(
            response,
            f"{self.page}?comment={comment.pk}#comment-{comment.pk}",
            fetch_redirect_response=False,
        )
        comment.refresh_from_db()
        self.assertIsNotNone(comment.helpful_at)

    def test_a_comment_is_found_only_through_its_own_owner(self):
        elsewhere = make_activity(self.museum, self.alice, "Elsewhere", open_it=True)
        thread = do_start_sample_discussion(elsewhere, participant_of(self.maja))
        comment = do_add_comment(participant_of(self.maja), thread, "Mine")
        self.login(self.maja)
        self.assertEqual(self.client.get(self.url("edit_comment", comment.pk)).status_code, 404)
        self.assertEqual(self.client.post(self.url("delete_comment", comment.pk)).status_code, 404)

    def test_hidden_comments_show_their_text_to_the_moderators_and_their_author(self):
        comment = self.comment(self.bob, "Shouting")
        do_hide_comment(self.alice, comment, "Rude")
        self.login(self.charlie)
        self.assertNotContains(self.client.get(self.page), "Shouting")
        for user in [self.alice, self.bob]:
            self.login(user)
            response = self.client.get(self.page)
            self.assertContains(response, "Hidden by a moderator: Rude")
            self.assertContains(response, "Shouting")

    def test_more_comments_come_in_pages_and_htmx_gets_the_next_alone(self):
        for n in range(1, COMMENTS_PER_PAGE + 3):
            self.comment(self.maja, f"Remark {n}.")
        response = self.client.get(self.page)
        self.assertContains(response, f'href="{self.page}?comments=2#discussion"')
        more = self.client.get(self.page, {"comments": "2"}, headers={"HX-Request": "true"})
        html = more.content.decode()
        self.assertIn(f"Remark {COMMENTS_PER_PAGE + 1}.", html)
        self.assertNotIn("Remark 1.", html)
        self.assertNotIn('id="discussion"', html)
        self.assertEqual(more.headers["Vary"].count("HX-Request"), 1)
        late = Comment.objects.get(body=f"Remark {COMMENTS_PER_PAGE + 2}.")
        linked = self.client.get(self.page, {"comment": str(late.pk)})
        self.assertContains(linked, "Earlier comments")
        self.assertContains(linked, f'id="comment-{late.pk}"')
