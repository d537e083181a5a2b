"""The engine's reads: pages of a discussion, who sees hidden comments, where a comment
is, and Markdown rendered safely once. Built on the test-only sample kind's thread."""

from unittest import mock

from django.core.cache import cache
from django.urls import reverse

from sammen.accounts.models import Participant
from sammen.activities.tests.sample_kind.discussion import do_start_sample_discussion
from sammen.comments import rendering
from sammen.comments.actions import (
    do_add_comment,
    do_delete_comment,
    do_edit_comment,
    do_hide_comment,
)
from sammen.comments.models import Comment, Thread
from sammen.comments.permissions import DiscussionAccess, DiscussionUrls
from sammen.comments.queries import (
    COMMENTS_PER_PAGE,
    CommentPage,
    comment_page_number,
    comments_for,
    page_number_of,
)
from sammen.comments.rendering import MARKDOWN_RULES, markdown_key, render_bodies
from sammen.spaces.permissions import SpaceAccess
from sammen.testing import BaseTestCase, make_activity, participant_of


def viewer_of(
    thread: Thread, participant: Participant | None = None, *, can_moderate: bool = False
) -> DiscussionAccess:
    """Return the discussion as a kind would hand it to the engine, for one viewer."""
    return DiscussionAccess(
        thread=thread,
        urls=DiscussionUrls(
            page="/sample/",
            post="/sample/comments/",
            edit="sample_kind:edit_comment",
            delete="sample_kind:delete_comment",
            helpful="sample_kind:helpful",
        ),
        space_access=SpaceAccess(space=thread.space, role=None),
        participant=participant,
        can_comment=participant is not None,
        can_moderate=can_moderate,
        can_mark_helpful=False,
        title="Storylines",
    )


class DiscussionQueryTests(BaseTestCase):
    def setUp(self) -> None:
        cache.clear()
        self.sample = make_activity(self.museum, self.alice, open_it=True)
        self.thread = do_start_sample_discussion(self.sample, participant_of(self.bob))
        self.writer = participant_of(self.maja)
        self.remarks = [
            do_add_comment(self.writer, self.thread, f"Remark {n}")
            for n in range(1, COMMENTS_PER_PAGE + 6)
        ]

    def bodies(self, page: CommentPage) -> list[str]:
        return [comment.body for comment in page]

    def test_a_page_holds_the_first_comments_each_with_all_its_replies(self):
        do_add_comment(participant_of(self.bob), self.thread, "Reply", parent=self.remarks[0])
        first = comments_for(viewer_of(self.thread))
        self.assertEqual(self.bodies(first), [f"Remark {n}" for n in range(1, 21)])
        self.assertEqual([reply.body for reply in first.comments[0].replies.all()], ["Reply"])
        self.assertEqual((first.number, first.has_next, first.has_previous), (1, True, False))
        second = comments_for(viewer_of(self.thread), "2")
        self.assertEqual(self.bodies(second), [f"Remark {n}" for n in range(21, 26)])
        self.assertEqual((second.has_next, second.has_previous), (False, True))
        self.assertEqual(second.previous_page_number, 1)

    def test_nonsense_page_numbers_mean_the_first_page(self):
        for value in [None, "", "0", "-2", "two", "9" * 30, 0]:
            self.assertEqual(page_number_of(value), 1)
        self.assertEqual(page_number_of("3"), 3)
        self.assertEqual(len(comments_for(viewer_of(self.thread), "99999")), 0)

    def test_hidden_comments_show_to_their_author_and_the_moderators_only(self):
        hidden = self.remarks[0]
        do_hide_comment(self.alice, hidden, "Rude")
        bob = participant_of(self.bob)
        for viewer, sees in [
            (viewer_of(self.thread), False),
            (viewer_of(self.thread, bob), False),
            (viewer_of(self.thread, self.writer), True),
            (viewer_of(self.thread, bob, can_moderate=True), True),
        ]:
            with self.subTest(participant=viewer.participant, moderator=viewer.can_moderate):
                shown = self.bodies(comments_for(viewer))
                self.assertEqual("Remark 1" in shown, sees)

    def test_a_deleted_comment_keeps_its_place_above_its_replies(self):
        reply = do_add_comment(
            participant_of(self.bob), self.thread, "Reply", parent=self.remarks[0]
        )
        do_delete_comment(self.writer, self.remarks[0])
        first = comments_for(viewer_of(self.thread)).comments[0]
        self.assertIsNotNone(first.deleted_at)
        self.assertEqual(list(first.replies.all()), [reply])

    def test_the_page_of_a_comment_is_the_page_that_shows_it(self):
        viewer = viewer_of(self.thread)
        late = self.remarks[COMMENTS_PER_PAGE + 2]
        reply = do_add_comment(participant_of(self.bob), self.thread, "Reply", parent=late)
        self.assertEqual(comment_page_number(viewer, late.pk), 2)
        self.assertEqual(comment_page_number(viewer, str(reply.pk)), 2)
        self.assertEqual(comment_page_number(viewer, self.remarks[0].pk), 1)
        self.assertEqual(comment_page_number(viewer, None), 2)  # the last, where new ones go

    def test_a_comment_that_is_not_there_for_the_viewer_means_the_first_page(self):
        other = do_start_sample_discussion(
            make_activity(self.museum, self.alice, "Elsewhere", open_it=True), self.writer
        )
        elsewhere = do_add_comment(self.writer, other, "Elsewhere")
        late = self.remarks[-1]
        do_hide_comment(self.alice, late, "Rude")
        viewer = viewer_of(self.thread)
        ids: list[str | int] = [elsewhere.pk, late.pk, "nonsense", "0", "9" * 30]
        for comment_id in ids:
            with self.subTest(comment_id=comment_id):
                self.assertEqual(comment_page_number(viewer, comment_id), 1)
        self.assertEqual(comment_page_number(viewer_of(self.thread, self.writer), late.pk), 2)

    def test_a_page_costs_two_queries_however_many_replies(self):
        for remark in self.remarks[:5]:
            for n in range(3):
                do_add_comment(participant_of(self.bob), self.thread, f"Re {n}", parent=remark)
        with self.assertNumQueries(2):  # the comments, then all their replies
            page = comments_for(viewer_of(self.thread))
            for comment in page:
                for reply in comment.replies.all():
                    self.assertTrue(reply.author.public_name)


def html_of(comment: Comment) -> str:
    """Return the HTML render_bodies() set on a comment (an attribute the model lacks)."""
    return str(vars(comment)["body_html"])


class RenderedMarkdownTests(BaseTestCase):
    def setUp(self) -> None:
        cache.clear()
        sample = make_activity(self.museum, self.alice, open_it=True)
        self.thread = do_start_sample_discussion(sample, participant_of(self.bob))

    def test_markdown_is_rendered_safely_and_once_for_the_same_text(self):
        comment = do_add_comment(
            participant_of(self.bob), self.thread, "**Bold** <script>x</script>"
        )
        twin = do_add_comment(participant_of(self.bob), self.thread, comment.body)
        with mock.patch.object(
            rendering, "render_markdown", wraps=rendering.render_markdown
        ) as render:
            for _ in range(2):
                comments = list(Comment.objects.filter(pk__in=[comment.pk, twin.pk]))
                render_bodies(comments)
                for rendered in comments:
                    self.assertIn("<strong>Bold</strong>", html_of(rendered))
                    self.assertNotIn("<script>", html_of(rendered))
        self.assertEqual(render.call_count, 1)

    def test_an_edited_comment_is_rendered_from_its_new_text_at_once(self):
        bob = participant_of(self.bob)
        comment = do_add_comment(bob, self.thread, "*Before*")
        render_bodies([comment])
        do_edit_comment(bob, comment, "*After*")
        comment.refresh_from_db()
        render_bodies([comment])
        self.assertEqual(html_of(comment).strip(), "<p><em>After</em></p>")

    def test_the_cache_key_names_the_text_and_the_rules_that_rendered_it(self):
        key = markdown_key("Hello")
        self.assertTrue(key.startswith(f"comments:md:{MARKDOWN_RULES}:"))
        self.assertNotEqual(key, markdown_key("Hello!"))


class SampleUrlTests(BaseTestCase):
    def test_the_sample_kinds_discussion_is_not_among_the_projects_urls(self):
        from django.urls import NoReverseMatch

        with self.assertRaises(NoReverseMatch):
            reverse("sample_kind:discussion", args=["museum", "storylines"])
