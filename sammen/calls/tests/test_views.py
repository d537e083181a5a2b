import csv
import io
import json
import re
from typing import Any

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sammen.accounts.participants import COOKIE_NAME
from sammen.activities.actions import do_answer_activity, do_close_activity
from sammen.calls.actions import do_answer_idea, do_support_idea, do_update_jury
from sammen.calls.models import Idea, IdeaStatus, Score, Support
from sammen.comments.actions import do_add_comment
from sammen.comments.models import Comment
from sammen.testing import BaseTestCase, image_upload, make_user, participant_of
from sammen.testing.calls import make_call, make_idea


def call_url(call, name: str, *args) -> str:
    activity = call.activity
    return reverse(f"calls:{name}", args=[activity.space.slug, activity.slug, *args])


class CallPageTests(BaseTestCase):
    def setUp(self) -> None:
        self.call = make_call(self.museum, self.alice)
        self.idea = make_idea(self.call, self.bob)

    def test_the_activity_page_shows_the_stages_rules_and_ideas(self):
        response = self.client.get(self.call.activity.get_absolute_url())
        self.assertContains(response, "Submitting ideas")
        self.assertContains(response, "The rules of this call")
        self.assertContains(response, "Your name in the exhibition and two tickets.")
        self.assertContains(response, "A lighthouse museum")
        self.assertContains(response, "Sign in to share an idea")

    def test_members_are_invited_to_share_and_outsiders_to_join(self):
        self.login(self.bob)
        self.assertContains(
            self.client.get(self.call.activity.get_absolute_url()), "Share your idea"
        )
        self.login(self.charlie)
        self.assertContains(
            self.client.get(self.call.activity.get_absolute_url()), "Join the space to share ideas"
        )

    def test_the_list_sorts_filters_and_searches_and_answers_htmx_with_the_list_only(self):
        make_idea(self.call, self.maja, "Harbour choir", body="Singing on the quay")
        do_support_idea(participant_of(self.alice), self.idea)
        url = call_url(self.call, "ideas")
        for sort in ["random", "newest", "supported", "discussed", "trending", "nonsense"]:
            self.assertEqual(self.client.get(url, {"sort": sort}).status_code, 200)
        supported = self.client.get(url, {"sort": "supported"}).content.decode()
        self.assertLess(supported.index("A lighthouse museum"), supported.index("Harbour choir"))
        found = self.client.get(url, {"q": "quay"})
        self.assertContains(found, "Harbour choir")
        self.assertNotContains(found, "A lighthouse museum")
        partial = self.client.get(url, {"status": "under_review"}, HTTP_HX_REQUEST="true")
        self.assertContains(partial, 'id="idea-list"')
        self.assertNotContains(partial, "<html")
        self.assertContains(partial, "No ideas match")

    def test_mine_shows_the_viewers_own_ideas(self):
        make_idea(self.call, self.maja, "Harbour choir")
        self.login(self.bob)
        response = self.client.get(call_url(self.call, "ideas"), {"status": "mine"})
        self.assertContains(response, "A lighthouse museum")
        self.assertNotContains(response, "Harbour choir")

    def test_the_random_order_is_stable_for_one_visitor(self):
        for number in range(8):
            make_idea(self.call, self.maja, f"Idea number {number}")
        url = call_url(self.call, "ideas")
        first = re.findall(r"Idea number \d", self.client.get(url).content.decode())
        second = re.findall(r"Idea number \d", self.client.get(url).content.decode())
        self.assertEqual(first, second)

    def test_the_idea_page_shows_script_as_text(self):
        idea = make_idea(self.call, self.maja, "<script>x</script>", body="**bold** <img src=x>")
        response = self.client.get(idea.get_absolute_url())
        self.assertNotContains(response, "<script>x</script>")
        self.assertContains(response, "<strong>bold</strong>")
        self.assertContains(response, "&lt;img src=x&gt;")

    def test_an_idea_of_another_call_is_not_found_through_this_one(self):
        other = make_call(self.museum, self.alice, "Other call")
        foreign = make_idea(other, self.maja)
        response = self.client.get(call_url(self.call, "idea", foreign.pk))
        self.assertEqual(response.status_code, 404)

    def test_blind_calls_hide_the_author_from_everyone_but_the_author(self):
        blind = make_call(self.museum, self.alice, "Blind call", blind=True)
        idea = make_idea(blind, self.bob)
        for viewer in [None, self.alice, self.maja]:
            self.login(viewer)
            response = self.client.get(idea.get_absolute_url())
            self.assertNotContains(response, "By Bob")
            self.assertNotContains(response, ">Bob</a>")
        self.login(self.bob)
        self.assertContains(self.client.get(idea.get_absolute_url()), ">Bob</a>")

    def test_the_idea_list_and_idea_page_make_a_constant_number_of_queries(self):
        self.login(self.bob)
        url = call_url(self.call, "ideas")

        def count(target: str) -> int:
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(target).status_code, 200)
            return len(queries.captured_queries)

        do_add_comment(participant_of(self.alice), self.idea.thread, "First comment")
        few_list, few_page = count(url), count(self.idea.get_absolute_url())
        for number in range(6):
            idea = make_idea(self.call, self.maja, f"More {number}")
            do_support_idea(participant_of(self.bob), idea)
            do_add_comment(participant_of(self.alice), self.idea.thread, f"Comment {number}")
        self.assertEqual(count(url), few_list)
        self.assertEqual(count(self.idea.get_absolute_url()), few_page)


class SubmitIdeaViewTests(BaseTestCase):
    def setUp(self) -> None:
        self.call = make_call(self.museum, self.alice)
        self.url = call_url(self.call, "submit")

    def post(self, **data):
        return self.client.post(self.url, {"title": "Lighthouse", "body": "A museum", **data})

    def test_a_member_submits_an_idea_with_an_image(self):
        self.login(self.bob)
        response = self.post(images=image_upload("p.jpg"), image_description_1="The lighthouse")
        idea = Idea.objects.get()
        self.assertRedirects(response, idea.get_absolute_url(), fetch_redirect_response=False)
        picture = idea.images.get()
        self.assertTrue(picture.image.name.endswith(".webp"))
        self.assertEqual(picture.description, "The lighthouse")

    def test_bad_input_is_refused_and_nothing_is_saved(self):
        self.login(self.bob)
        cases: list[dict[str, Any]] = [
            {"title": ""},
            {"title": "x" * 141},
            {"body": "x" * 5001},
            {"body": "   "},
            {"title": "Two\nlines"},
            {"images": SimpleUploadedFile("x.jpg", b"<html>", "image/jpeg")},
            {"images": [image_upload(f"{n}.jpg") for n in range(4)]},
            {"builds_on": "999999"},
            {"co_authors": [str(participant_of(self.charlie).pk)]},
        ]
        for data in cases:
            response = self.post(**data)
            self.assertEqual(response.status_code, 200, data)
        self.assertFalse(Idea.objects.exists())

    def test_outsiders_and_anonymous_visitors_cannot_submit(self):
        self.login(self.charlie)
        response = self.post()
        self.assertRedirects(
            response, self.call.activity.get_absolute_url(), fetch_redirect_response=False
        )
        self.login(None)
        self.assertEqual(self.post().status_code, 302)
        self.assertFalse(Idea.objects.exists())

    def test_nobody_submits_outside_the_submission_stage(self):
        self.call.stage_override = "support"
        self.call.save(update_fields=["stage_override"])
        self.login(self.bob)
        self.post()
        self.assertFalse(Idea.objects.exists())

    def test_the_author_edits_and_others_cannot(self):
        idea = make_idea(self.call, self.bob)
        url = call_url(self.call, "edit_idea", idea.pk)
        self.login(self.maja)
        self.assertEqual(self.client.post(url, {"title": "Hijack", "body": "x"}).status_code, 403)
        self.login(self.bob)
        self.client.post(url, {"title": "Renamed", "body": "Better"})
        idea.refresh_from_db()
        self.assertEqual(idea.title, "Renamed")

    def test_withdrawing_an_untouched_idea_removes_it(self):
        idea = make_idea(self.call, self.bob)
        self.login(self.maja)
        self.assertEqual(
            self.client.post(call_url(self.call, "withdraw_idea", idea.pk)).status_code, 403
        )
        self.login(self.bob)
        self.client.post(call_url(self.call, "withdraw_idea", idea.pk))
        self.assertFalse(Idea.objects.filter(pk=idea.pk).exists())


class SupportViewTests(BaseTestCase):
    def test_members_support_with_htmx_and_a_second_click_changes_nothing(self):
        call = make_call(self.museum, self.alice)
        idea = make_idea(call, self.bob)
        self.login(self.maja)
        url = call_url(call, "support", idea.pk)
        for _click in range(2):
            response = self.client.post(url, {"support": "1"}, HTTP_HX_REQUEST="true")
            self.assertContains(response, f'id="support-{idea.pk}"')
            self.assertNotContains(response, "<html")
        idea.refresh_from_db()
        self.assertEqual(idea.support_count, 1)
        self.client.post(url, {"support": "0"}, HTTP_HX_REQUEST="true")
        idea.refresh_from_db()
        self.assertEqual(idea.support_count, 0)

    def test_in_a_members_call_outsiders_are_told_to_join(self):
        call = make_call(self.museum, self.alice)
        idea = make_idea(call, self.bob)
        for persona in [self.charlie, None]:
            self.login(persona)
            response = self.client.post(call_url(call, "support", idea.pk), follow=True)
            self.assertContains(response, "to support ideas")
        self.assertFalse(Support.objects.exists())

    def test_anyone_supports_once_per_browser_without_an_account(self):
        call = make_call(self.museum, self.alice, supporters="anyone")
        idea = make_idea(call, self.bob)
        url = call_url(call, "support", idea.pk)
        response = self.client.post(url)
        self.assertIn(COOKIE_NAME, response.cookies)
        self.client.post(url)
        idea.refresh_from_db()
        self.assertEqual(idea.support_count, 1)
        self.client.cookies.clear()
        self.client.post(url)
        idea.refresh_from_db()
        self.assertEqual(idea.support_count, 2)

    def test_anonymous_support_is_rate_limited_per_network(self):
        call = make_call(self.museum, self.alice, supporters="anyone")
        ideas = [make_idea(call, self.bob, f"Idea {n}") for n in range(3)]
        from sammen.calls.views import support

        support.NEW_PARTICIPANTS_PER_IP_PER_HOUR, previous = (
            2,
            support.NEW_PARTICIPANTS_PER_IP_PER_HOUR,
        )
        try:
            for _visitor in range(3):
                self.client.cookies.clear()
                self.client.post(call_url(call, "support", ideas[0].pk))
        finally:
            support.NEW_PARTICIPANTS_PER_IP_PER_HOUR = previous
        ideas[0].refresh_from_db()
        self.assertEqual(ideas[0].support_count, 2)

    def test_a_verified_email_support_goes_through_a_one_time_link(self):
        call = make_call(self.museum, self.alice, supporters="verified_email")
        idea = make_idea(call, self.bob)
        response = self.client.post(call_url(call, "support", idea.pk))
        self.assertRedirects(
            response, call_url(call, "support_email", idea.pk), fetch_redirect_response=False
        )
        self.client.post(call_url(call, "support_email", idea.pk), {"email": "Fan@Example.org"})
        self.assertEqual(mail.outbox[-1].to, ["fan@example.org"])
        link = re.search(r"http://testserver(/\S+)", str(mail.outbox[-1].body))
        assert link is not None
        confirm_page = self.client.get(link.group(1))
        self.assertContains(confirm_page, "fan@example.org")
        idea.refresh_from_db()
        self.assertEqual(idea.support_count, 0)  # opening the link alone does not count
        self.client.post(link.group(1))
        idea.refresh_from_db()
        self.assertEqual(idea.support_count, 1)
        self.client.cookies.clear()
        self.client.post(link.group(1))  # the same address in another browser
        idea.refresh_from_db()
        self.assertEqual(idea.support_count, 1)

    def test_a_forged_or_expired_link_is_refused(self):
        call = make_call(self.museum, self.alice, supporters="verified_email")
        make_idea(call, self.bob)
        response = self.client.get(call_url(call, "confirm_support", "forged-token"), follow=True)
        self.assertContains(response, "not valid or has expired")
        self.assertFalse(Support.objects.exists())

    def test_signed_in_people_need_no_email_link(self):
        call = make_call(self.museum, self.alice, supporters="verified_email")
        idea = make_idea(call, self.bob)
        self.login(self.charlie)
        self.client.post(call_url(call, "support", idea.pk))
        idea.refresh_from_db()
        self.assertEqual(idea.support_count, 1)


class DiscussionViewTests(BaseTestCase):
    def setUp(self) -> None:
        self.call = make_call(self.museum, self.alice)
        self.idea = make_idea(self.call, self.bob)
        self.url = call_url(self.call, "comment", self.idea.pk)

    def test_members_comment_and_reply_one_level_deep_with_htmx(self):
        self.login(self.maja)
        response = self.client.post(self.url, {"body": "Lovely"}, HTTP_HX_REQUEST="true")
        self.assertContains(response, 'id="discussion"')
        self.assertContains(response, "Lovely")
        first = Comment.objects.get()
        self.client.post(self.url, {"body": "Thanks", "parent": first.pk})
        reply = Comment.objects.get(body="Thanks")
        self.client.post(self.url, {"body": "Deeper", "parent": reply.pk})
        self.assertEqual(Comment.objects.get(body="Deeper").parent, first)
        self.idea.refresh_from_db()
        self.assertEqual(self.idea.comment_count, 3)

    def test_bad_comments_are_refused(self):
        self.login(self.maja)
        for data in [{"body": ""}, {"body": "x" * 2001}, {"body": "ok", "parent": 999999}]:
            self.client.post(self.url, data)
        self.assertFalse(Comment.objects.exists())
        self.login(self.charlie)
        self.assertEqual(self.client.post(self.url, {"body": "outsider"}).status_code, 403)

    def test_authors_edit_and_delete_their_comments_and_nobody_else_can(self):
        comment = do_add_comment(participant_of(self.maja), self.idea.thread, "Frist")
        edit = call_url(self.call, "edit_comment", comment.pk)
        self.login(self.bob)
        self.assertEqual(self.client.post(edit, {"body": "Hacked"}).status_code, 403)
        self.login(self.maja)
        self.client.post(edit, {"body": "First"})
        comment.refresh_from_db()
        self.assertEqual((comment.body, comment.edited_at is not None), ("First", True))
        self.client.post(call_url(self.call, "delete_comment", comment.pk))
        comment.refresh_from_db()
        self.assertIsNotNone(comment.deleted_at)
        self.idea.refresh_from_db()
        self.assertEqual(self.idea.comment_count, 0)

    def test_the_idea_author_marks_a_comment_helpful(self):
        comment = do_add_comment(participant_of(self.maja), self.idea.thread, "Try the old quay")
        url = call_url(self.call, "helpful", comment.pk)
        self.login(self.alice)
        self.client.post(url, {"helpful": "1"})
        comment.refresh_from_db()
        self.assertIsNone(comment.helpful_at)
        self.login(self.bob)
        self.client.post(url, {"helpful": "1"})
        comment.refresh_from_db()
        self.assertIsNotNone(comment.helpful_at)


class OrganiserViewTests(BaseTestCase):
    def setUp(self) -> None:
        self.call = make_call(self.museum, self.alice, open_it=False)

    def test_the_rules_form_saves_and_refuses_bad_input(self):
        self.login(self.maja)
        url = call_url(self.call, "settings")
        data = {
            "description": "d",
            "scope": "s",
            "criteria": "c",
            "after_selection": "a",
            "reward": "r",
            "supporters": "anyone",
        }
        self.client.post(url, data)
        self.call.refresh_from_db()
        self.assertEqual(self.call.supporters, "anyone")
        for bad in [{"supporters": "robots"}, {"reward": "x" * 5001}]:
            self.assertEqual(self.client.post(url, {**data, **bad}).status_code, 200)
        self.call.refresh_from_db()
        self.assertEqual(self.call.reward, "r")

    def test_the_schedule_form_saves_thresholds_and_review_dates(self):
        self.login(self.alice)
        url = call_url(self.call, "schedule")
        data = {
            "stage_override": "",
            "momentum-TOTAL_FORMS": "2",
            "momentum-INITIAL_FORMS": "0",
            "momentum-0-supports_needed": "100",
            "momentum-0-within_days": "60",
            "momentum-1-supports_needed": "1000",
            "momentum-1-within_days": "365",
            "reviews-TOTAL_FORMS": "1",
            "reviews-INITIAL_FORMS": "0",
            "reviews-0-date": "2027-03-01",
        }
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(
            list(self.call.momentum_stages.values_list("supports_needed", "within_days")),
            [(100, 60), (1000, 365)],
        )
        self.assertEqual(self.call.review_dates.get().date.isoformat(), "2027-03-01")
        bad = {**data, "momentum-1-supports_needed": "50"}
        self.assertEqual(self.client.post(url, bad).status_code, 200)
        self.assertEqual(self.call.momentum_stages.count(), 2)

    def test_members_cannot_reach_the_organiser_pages(self):
        self.call = make_call(self.museum, self.alice, "Open one")
        self.login(self.bob)
        for name in ["settings", "schedule", "jury", "answers"]:
            self.assertEqual(self.client.get(call_url(self.call, name)).status_code, 403)

    def test_answering_from_the_answer_page_tells_the_author(self):
        call = make_call(self.museum, self.alice, "Open one")
        idea = make_idea(call, self.bob)
        self.login(self.maja)
        answers = self.client.get(call_url(call, "answers"))
        self.assertContains(answers, "A lighthouse museum")
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                call_url(call, "answer_idea", idea.pk), {"status": "selected", "text": "Yes!"}
            )
        idea.refresh_from_db()
        self.assertEqual(idea.status, IdeaStatus.SELECTED)
        self.assertTrue(self.bob.notifications.filter(kind="idea_answered").exists())
        self.login(self.bob)
        self.assertEqual(
            self.client.post(
                call_url(call, "answer_idea", idea.pk), {"status": "done", "text": "x"}
            ).status_code,
            403,
        )

    def test_evaluators_score_privately(self):
        call = make_call(self.museum, self.alice, "Open one")
        do_update_jury(self.alice, call, criteria=[("Moving", 2)], evaluators=[self.maja])
        idea = make_idea(call, self.bob)
        do_answer_idea(self.alice, idea, status="under_review", text="In review")
        criterion = call.jury_criteria.get()
        self.login(self.bob)
        self.assertEqual(self.client.get(call_url(call, "score", idea.pk)).status_code, 403)
        self.login(self.maja)
        self.client.post(call_url(call, "score", idea.pk), {f"criterion_{criterion.pk}": "4"})
        self.assertEqual(Score.objects.get().value, 4)
        self.client.post(call_url(call, "score", idea.pk), {f"criterion_{criterion.pk}": "9"})
        self.assertEqual(Score.objects.get().value, 4)


class ReportTests(BaseTestCase):
    def setUp(self) -> None:
        self.call = make_call(self.museum, self.alice)
        self.idea = make_idea(self.call, self.bob, '=HYPERLINK("http://evil")')
        do_support_idea(participant_of(self.maja), self.idea)
        do_answer_idea(self.alice, self.idea, status="selected", text="Chosen")

    def test_the_report_is_for_organisers_until_the_call_is_answered(self):
        url = call_url(self.call, "report")
        self.login(self.bob)
        self.assertEqual(self.client.get(url).status_code, 403)
        self.login(self.maja)
        response = self.client.get(url)
        self.assertContains(response, "Closing report")
        self.assertContains(response, "<svg")
        do_close_activity(self.alice, self.call.activity)
        do_answer_activity(self.alice, self.call.activity, "We chose one idea.")
        self.login(self.bob)
        self.assertContains(self.client.get(url), "We chose one idea.")

    def test_the_figures_count_what_happened(self):
        from sammen.calls.queries import call_report

        report = call_report(self.call)
        self.assertEqual(
            (report.participants, report.ideas, report.supports, report.answered), (2, 1, 1, 1)
        )
        self.assertEqual(report.answered_share, 1.0)
        self.assertEqual([idea.pk for idea in report.selected], [self.idea.pk])

    def test_exports_hold_no_email_and_no_spreadsheet_formulas(self):
        self.login(self.alice)
        response = self.client.get(call_url(self.call, "export_csv"))
        text = response.content.decode("utf-8-sig")
        self.assertNotIn("@example.org", text)
        row = next(csv.DictReader(io.StringIO(text)))
        self.assertTrue(row["title"].startswith("'="))
        self.assertEqual(row["author"], "Bob")
        data = json.loads(self.client.get(call_url(self.call, "export_json")).content)
        self.assertEqual(data["figures"]["ideas"], 1)
        self.assertNotIn("@example.org", json.dumps(data))

    def test_hidden_ideas_and_their_supports_are_left_out_of_the_figures(self):
        from sammen.calls.actions import do_hide_idea
        from sammen.calls.queries import call_report

        spam = make_idea(self.call, self.maja, "Buy cheap watches")
        do_support_idea(participant_of(self.bob), spam)
        do_hide_idea(self.alice, spam, "Advertising")
        report = call_report(self.call)
        self.assertEqual((report.participants, report.ideas, report.supports), (2, 1, 1))

    def test_the_json_export_gives_the_results_sammen_counted(self):
        from sammen.activities.actions import do_record_results

        measure = self.call.activity.brief.measures.get()
        do_record_results(self.alice, self.call.activity, {measure.pk: ("ideas", None)})
        self.login(self.alice)
        data = json.loads(self.client.get(call_url(self.call, "export_json")).content)
        [exported] = data["success_measures"]
        self.assertEqual((exported["counted_as"], exported["result"]), ("ideas", 1.0))
        self.assertFalse(exported["reached"])

    def test_a_second_member_account_does_not_change_the_report(self):
        make_user("Quiet")
        from sammen.calls.queries import call_report

        self.assertEqual(call_report(self.call).participants, 2)
