"""A long discussion comes in pages: "Show more comments" with htmx, links without it."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sammen.comments.actions import do_add_comment
from sammen.comments.queries import COMMENTS_PER_PAGE
from sammen.testing import BaseTestCase, participant_of
from sammen.testing.calls import make_call, make_idea

SECOND_PAGE = list(range(COMMENTS_PER_PAGE + 1, COMMENTS_PER_PAGE + 6))


class DiscussionPageTests(BaseTestCase):
    def setUp(self) -> None:
        self.call = make_call(self.museum, self.alice)
        self.idea = make_idea(self.call, self.bob)
        self.url = self.idea.get_absolute_url()
        self.comments = [
            do_add_comment(participant_of(self.maja), self.idea.thread, f"Remark number {n}.")
            for n in range(1, COMMENTS_PER_PAGE + 6)
        ]

    def remarks(self, html: str) -> list[int]:
        return [int(number) for number in re.findall(r"Remark number (\d+)\.", html)]

    def test_the_idea_page_shows_the_first_comments_and_offers_more(self):
        response = self.client.get(self.url)
        html = response.content.decode()
        self.assertEqual(self.remarks(html), list(range(1, COMMENTS_PER_PAGE + 1)))
        self.assertContains(response, "Show more comments")
        self.assertContains(response, f'href="{self.url}?comments=2#discussion"')
        self.assertNotContains(response, "Earlier comments")

    def test_htmx_gets_the_next_comments_alone_to_add_below(self):
        response = self.client.get(self.url, {"comments": "2"}, headers={"HX-Request": "true"})
        html = response.content.decode()
        self.assertEqual(self.remarks(html), SECOND_PAGE)
        self.assertNotIn("<html", html)
        self.assertNotIn("Show more comments", html)
        self.assertNotIn("A lighthouse museum", html)
        self.assertEqual(response.headers["Vary"].count("HX-Request"), 1)

    def test_without_javascript_the_next_page_links_back_to_the_earlier_comments(self):
        response = self.client.get(self.url, {"comments": "2"})
        html = response.content.decode()
        self.assertIn("A lighthouse museum", html)
        self.assertEqual(self.remarks(html), SECOND_PAGE)
        self.assertContains(response, f'href="{self.url}?comments=1#discussion"')
        self.assertContains(response, "Earlier comments")

    def test_a_link_to_a_comment_opens_the_page_that_shows_it_with_its_replies(self):
        late = self.comments[COMMENTS_PER_PAGE + 2]
        reply = do_add_comment(participant_of(self.bob), self.idea.thread, "My reply.", parent=late)
        for target in [late, reply]:
            response = self.client.get(self.url, {"comment": str(target.pk)})
            html = response.content.decode()
            self.assertIn(late.body, html)
            self.assertIn("My reply.", html)
            self.assertIn(f'id="comment-{target.pk}"', html)
        for nonsense in ["nonsense", "99999999999999999999999", "0"]:
            first = self.client.get(self.url, {"comment": nonsense}).content.decode()
            self.assertIn("Remark number 1.", first)

    def test_nonsense_page_numbers_show_the_first_page(self):
        for value in ["0", "-3", "two", "99999999999"]:
            response = self.client.get(self.url, {"comments": value})
            self.assertEqual(response.status_code, 200)
            self.assertIn("Remark number 1.", response.content.decode())

    def test_a_comment_posted_with_htmx_shows_on_the_page_it_lands_on(self):
        self.login(self.maja)
        response = self.client.post(
            reverse(
                "calls:comment",
                args=[self.museum.slug, self.call.activity.slug, self.idea.pk],
            ),
            {"body": "The newest word."},
            headers={"HX-Request": "true"},
        )
        self.assertContains(response, "The newest word.")
        self.assertContains(response, "Earlier comments")

    def test_a_comment_posted_without_javascript_leads_to_its_page(self):
        self.login(self.maja)
        response = self.client.post(
            reverse(
                "calls:comment",
                args=[self.museum.slug, self.call.activity.slug, self.idea.pk],
            ),
            {"body": "The newest word."},
        )
        self.assertEqual(response.status_code, 302)
        self.assertIn("?comment=", response["Location"])
        self.assertContains(self.client.get(response["Location"]), "The newest word.")

    def test_the_page_costs_the_same_queries_however_long_the_discussion(self):
        other = make_idea(self.call, self.maja, "Harbour choir")
        do_add_comment(participant_of(self.bob), other.thread, "Only one.")

        def count(url: str) -> int:
            with CaptureQueriesContext(connection) as captured:
                self.assertEqual(self.client.get(url).status_code, 200)
            return len(captured.captured_queries)

        self.login(self.charlie)
        self.assertEqual(count(self.url), count(other.get_absolute_url()))


class RenderedCommentTests(BaseTestCase):
    def test_comments_render_their_markdown_safely_and_an_edit_shows_at_once(self):
        from sammen.comments.actions import do_edit_comment

        call = make_call(self.museum, self.alice)
        idea = make_idea(call, self.bob)
        maja = participant_of(self.maja)
        comment = do_add_comment(maja, idea.thread, "**Bold** <script>x</script>")
        for _ in range(2):  # rendered, then from the cache
            response = self.client.get(idea.get_absolute_url())
            self.assertContains(response, "<strong>Bold</strong>")
            self.assertNotContains(response, "<script>x</script>")
        do_edit_comment(maja, comment, "*Changed*")
        response = self.client.get(idea.get_absolute_url())
        self.assertContains(response, "<em>Changed</em>")
        self.assertNotContains(response, "Bold")

    def test_the_links_between_pages_speak_the_visitors_language(self):
        call = make_call(self.museum, self.alice)
        idea = make_idea(call, self.bob)
        for n in range(COMMENTS_PER_PAGE + 1):
            do_add_comment(participant_of(self.maja), idea.thread, f"Opmerking {n}")
        self.client.cookies["sammen_language"] = "nl"
        self.assertContains(self.client.get(idea.get_absolute_url()), "Meer reacties tonen")
        response = self.client.get(idea.get_absolute_url(), {"comments": "2"})
        self.assertContains(response, "Eerdere reacties")
