from django.core.cache import cache
from django.urls import reverse

from sammen.calls.models import Call, Idea
from sammen.comments.actions import do_add_comment
from sammen.comments.models import Comment
from sammen.moderation.actions import do_hide
from sammen.moderation.models import Report
from sammen.testing import BaseTestCase, participant_of
from sammen.testing.calls import make_call, make_idea


def report_idea_url(idea: Idea) -> str:
    activity = idea.call.activity
    return reverse("moderation:report_idea", args=[activity.space.slug, activity.slug, idea.pk])


def report_comment_url(call: Call, comment: Comment) -> str:
    activity = call.activity
    return reverse(
        "moderation:report_comment", args=[activity.space.slug, activity.slug, comment.pk]
    )


class ReportPageTests(BaseTestCase):
    def setUp(self) -> None:
        cache.clear()
        self.call = make_call(self.museum, self.alice)
        self.idea = make_idea(self.call, self.bob)
        self.comment = do_add_comment(participant_of(self.bob), self.idea.thread, "Buy my boats!")

    def test_who_may_open_the_report_pages(self):
        expected = {
            "alice": 200,  # owner
            "maja": 200,  # moderator
            "bob": 403,  # the author does not report himself
            "charlie": 200,  # an outsider with an account sees a public space
            None: 302,  # anonymous visitors sign in first
        }
        for name, status in expected.items():
            with self.subTest(viewer=name):
                self.login(getattr(self, name) if name else None)
                for url in [
                    report_idea_url(self.idea),
                    report_comment_url(self.call, self.comment),
                ]:
                    self.assertEqual(self.client.get(url).status_code, status)

    def test_a_visitor_reports_an_idea_with_a_reason_and_a_note(self):
        self.login(self.charlie)
        response = self.client.post(
            report_idea_url(self.idea), {"reason": "off_topic", "note": "Not about the harbour"}
        )
        self.assertRedirects(response, self.idea.get_absolute_url(), fetch_redirect_response=False)
        report = Report.objects.get()
        self.assertEqual((report.target, report.reporter), (self.idea, self.charlie))
        self.assertEqual((report.reason, report.note), ("off_topic", "Not about the harbour"))

    def test_a_member_reports_a_comment_and_returns_to_it(self):
        self.login(self.alice)
        response = self.client.post(
            report_comment_url(self.call, self.comment), {"reason": "spam"}, follow=True
        )
        self.assertContains(response, "The moderators of this space will look at it.")
        self.assertEqual(
            response.redirect_chain[-1][0],
            f"{self.idea.get_absolute_url()}?comment={self.comment.pk}#comment-{self.comment.pk}",
        )
        self.assertEqual(Report.objects.get().target, self.comment)

    def test_reporting_twice_shows_a_kind_message_and_stores_one_report(self):
        self.login(self.charlie)
        self.client.post(report_idea_url(self.idea), {"reason": "spam"})
        response = self.client.post(report_idea_url(self.idea), {"reason": "spam"})
        self.assertContains(response, "You have reported this already.")
        self.assertEqual(Report.objects.count(), 1)

    def test_bad_input_is_refused_next_to_the_field_and_changes_nothing(self):
        self.login(self.charlie)
        cases = [
            {"reason": "boring"},
            {},
            {"reason": "other", "note": "x" * 501},
            {"reason": "other", "note": "bell\x07"},
        ]
        for data in cases:
            with self.subTest(data=data):
                response = self.client.post(report_idea_url(self.idea), data)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "field--invalid")
        self.assertFalse(Report.objects.exists())

    def test_the_idea_page_offers_to_report_to_everyone_signed_in_but_the_author(self):
        for viewer, offered in [(self.charlie, True), (self.maja, True), (self.bob, False)]:
            with self.subTest(viewer=viewer.display_name):
                self.login(viewer)
                page = self.client.get(self.idea.get_absolute_url())
                self.assertEqual(report_idea_url(self.idea) in page.content.decode(), offered)
                self.assertEqual(
                    report_comment_url(self.call, self.comment) in page.content.decode(), offered
                )
        self.login(None)
        self.assertNotContains(
            self.client.get(self.idea.get_absolute_url()), report_idea_url(self.idea)
        )

    def test_organisers_may_hide_right_from_the_report_page(self):
        self.login(self.maja)
        response = self.client.get(report_idea_url(self.idea))
        self.assertContains(
            response, reverse("moderation:hide_idea", args=[self.museum.slug, self.idea.pk])
        )
        self.login(self.charlie)
        self.assertNotContains(self.client.get(report_idea_url(self.idea)), "/moderation/")


class ReportNotFoundTests(BaseTestCase):
    def setUp(self) -> None:
        self.call = make_call(self.museum, self.alice)
        self.idea = make_idea(self.call, self.bob)
        self.comment = do_add_comment(participant_of(self.bob), self.idea.thread, "Hello")

    def test_something_in_a_private_space_does_not_exist_for_outsiders(self):
        quiet_call = make_call(self.quiet_room, self.alice, "Quiet ideas")
        quiet_idea = make_idea(quiet_call, self.alice)
        quiet_comment = do_add_comment(participant_of(self.alice), quiet_idea.thread, "Shh")
        self.login(self.charlie)
        for url in [report_idea_url(quiet_idea), report_comment_url(quiet_call, quiet_comment)]:
            self.assertEqual(self.client.get(url).status_code, 404)
            self.assertEqual(self.client.post(url, {"reason": "spam"}).status_code, 404)
        self.assertFalse(Report.objects.exists())

    def test_forged_ids_from_another_call_or_space_are_not_found(self):
        other_call = make_call(self.museum, self.alice, "Other call")
        quiet_call = make_call(self.quiet_room, self.alice, "Quiet ideas")
        quiet_idea = make_idea(quiet_call, self.alice)
        quiet_comment = do_add_comment(participant_of(self.alice), quiet_idea.thread, "Shh")
        activity = self.call.activity
        forged = [
            reverse(
                "moderation:report_idea", args=[self.museum.slug, activity.slug, quiet_idea.pk]
            ),
            reverse(
                "moderation:report_comment",
                args=[self.museum.slug, activity.slug, quiet_comment.pk],
            ),
            report_comment_url(other_call, self.comment),
            reverse("moderation:report_idea", args=[self.museum.slug, activity.slug, 999_999]),
        ]
        self.login(self.charlie)
        for url in forged:
            with self.subTest(url=url):
                self.assertEqual(self.client.post(url, {"reason": "spam"}).status_code, 404)
        self.assertFalse(Report.objects.exists())

    def test_hidden_things_are_not_found_by_those_who_cannot_see_them(self):
        do_hide(self.maja, self.idea, "Spam")
        self.login(self.charlie)
        self.assertEqual(self.client.get(report_idea_url(self.idea)).status_code, 404)
        self.assertEqual(
            self.client.get(report_comment_url(self.call, self.comment)).status_code, 404
        )
