from django.core.cache import cache

from sammen.audit.models import AuditEntry
from sammen.calls.actions import do_hide_idea, do_restore_idea
from sammen.calls.models import Idea
from sammen.comments.actions import do_add_comment, do_delete_comment
from sammen.comments.models import Comment
from sammen.core.errors import ActionRefused
from sammen.moderation.actions import (
    REPORTS_PER_HOUR,
    do_dismiss_report,
    do_hide,
    do_report,
    do_restore,
)
from sammen.moderation.models import Report, Resolution
from sammen.spaces.actions import do_block_member
from sammen.testing import BaseTestCase, make_space, participant_of
from sammen.testing.calls import make_call, make_idea


class ModerationTestCase(BaseTestCase):
    def setUp(self) -> None:
        cache.clear()  # the report rate limit counts in the cache
        self.call = make_call(self.museum, self.alice)
        self.idea = make_idea(self.call, self.bob)
        self.comment = do_add_comment(participant_of(self.bob), self.idea.thread, "Buy my boats!")


class ReportTests(ModerationTestCase):
    def test_anyone_signed_in_reports_an_idea_or_a_comment_with_a_reason(self):
        on_idea = do_report(self.charlie, self.museum, self.idea, "off_topic", " Not a story ")
        on_comment = do_report(self.maja, self.museum, self.comment, "spam")
        self.assertEqual(on_idea.target, self.idea)
        self.assertEqual(on_idea.note, "Not a story")
        self.assertEqual(on_idea.reporter, self.charlie)
        self.assertEqual(on_comment.target, self.comment)
        self.assertEqual(Report.objects.filter(resolved_at__isnull=True).count(), 2)

    def test_a_second_report_of_the_same_thing_is_refused_kindly(self):
        do_report(self.charlie, self.museum, self.idea, "spam")
        with self.assertRaisesMessage(ActionRefused, "You have reported this already"):
            do_report(self.charlie, self.museum, self.idea, "offensive", "Really")
        self.assertEqual(Report.objects.count(), 1)

    def test_one_may_report_again_once_the_first_report_was_dealt_with(self):
        report = do_report(self.charlie, self.museum, self.idea, "spam")
        do_dismiss_report(self.maja, report)
        do_report(self.charlie, self.museum, self.idea, "spam", "It is still spam")
        self.assertEqual(Report.objects.count(), 2)

    def test_an_unknown_reason_is_refused(self):
        with self.assertRaises(ActionRefused) as refused:
            do_report(self.charlie, self.museum, self.idea, "boring")
        self.assertEqual(refused.exception.field, "reason")
        self.assertFalse(Report.objects.exists())

    def test_a_note_over_500_characters_is_refused(self):
        with self.assertRaises(ActionRefused) as refused:
            do_report(self.charlie, self.museum, self.idea, "other", "x" * 501)
        self.assertEqual(refused.exception.field, "note")
        self.assertFalse(Report.objects.exists())

    def test_something_of_another_space_cannot_be_reported_through_this_one(self):
        festival = make_space(self.charlie, "Dock Festival")
        with self.assertRaises(ActionRefused):
            do_report(self.charlie, festival, self.idea, "spam")
        with self.assertRaises(ActionRefused):
            do_report(self.charlie, festival, self.comment, "spam")
        self.assertFalse(Report.objects.exists())

    def test_people_do_not_report_what_they_wrote(self):
        with self.assertRaises(ActionRefused):
            do_report(self.bob, self.museum, self.idea, "spam")
        with self.assertRaises(ActionRefused):
            do_report(self.bob, self.museum, self.comment, "spam")
        self.assertFalse(Report.objects.exists())

    def test_hidden_and_deleted_things_cannot_be_reported(self):
        do_hide(self.maja, self.idea, "Off topic")
        deleted = do_add_comment(participant_of(self.alice), self.idea.thread, "Oops")
        do_delete_comment(participant_of(self.alice), deleted)
        with self.assertRaises(ActionRefused):
            do_report(self.charlie, self.museum, self.idea, "spam")
        with self.assertRaises(ActionRefused):
            do_report(self.charlie, self.museum, deleted, "spam")
        self.assertFalse(Report.objects.exists())

    def test_blocked_people_cannot_report(self):
        do_block_member(self.maja, self.museum, self.charlie, "")
        with self.assertRaises(ActionRefused):
            do_report(self.charlie, self.museum, self.idea, "spam")
        self.assertFalse(Report.objects.exists())

    def test_one_person_cannot_flood_the_queue(self):
        author = participant_of(self.bob)
        comments = [
            do_add_comment(author, self.idea.thread, f"Comment {number}")
            for number in range(REPORTS_PER_HOUR + 1)
        ]
        for comment in comments[:REPORTS_PER_HOUR]:
            do_report(self.charlie, self.museum, comment, "spam")
        with self.assertRaisesMessage(ActionRefused, "many reports"):
            do_report(self.charlie, self.museum, comments[-1], "spam")
        self.assertEqual(Report.objects.count(), REPORTS_PER_HOUR)
        do_report(self.maja, self.museum, comments[-1], "spam")  # others still may


class HideAndRestoreTests(ModerationTestCase):
    def test_hiding_an_idea_records_why_and_resolves_its_reports(self):
        do_report(self.charlie, self.museum, self.idea, "spam")
        do_report(self.alice, self.museum, self.idea, "off_topic")
        on_comment = do_report(self.charlie, self.museum, self.comment, "spam")
        do_hide(self.maja, self.idea, "  Advertising  ")
        self.idea.refresh_from_db()
        self.assertTrue(self.idea.is_hidden)
        self.assertEqual(self.idea.hidden_by, self.maja)
        self.assertEqual(self.idea.hidden_reason, "Advertising")
        for report in Report.objects.exclude(pk=on_comment.pk):
            self.assertEqual(report.resolution, Resolution.HIDDEN)
            self.assertEqual(report.resolved_by, self.maja)
        on_comment.refresh_from_db()
        self.assertIsNone(on_comment.resolved_at)  # a report of something else stays open
        entry = AuditEntry.objects.get(action="idea.hidden")
        self.assertEqual((entry.actor, entry.target_id), (self.maja, str(self.idea.pk)))
        self.assertEqual(entry.details, {"reason": "Advertising"})

    def test_restoring_an_idea_shows_it_again_and_is_logged(self):
        do_hide(self.maja, self.idea, "Advertising")
        do_restore(self.alice, self.idea)
        self.idea.refresh_from_db()
        self.assertFalse(self.idea.is_hidden)
        self.assertEqual(self.idea.hidden_reason, "")
        self.assertIsNone(self.idea.hidden_by)
        self.assertTrue(
            AuditEntry.objects.filter(action="idea.restored", actor=self.alice).exists()
        )

    def test_hiding_a_comment_resolves_its_reports_and_updates_the_count(self):
        report = do_report(self.charlie, self.museum, self.comment, "spam")
        do_hide(self.maja, self.comment, "Advertising")
        self.comment.refresh_from_db()
        report.refresh_from_db()
        self.idea.refresh_from_db()
        self.assertEqual(self.comment.hidden_reason, "Advertising")
        self.assertEqual(report.resolution, Resolution.HIDDEN)
        self.assertEqual(self.idea.comment_count, 0)
        entry = AuditEntry.objects.get(action="comment.hidden")
        self.assertEqual((entry.actor, entry.target_id), (self.maja, str(self.comment.pk)))

    def test_restoring_a_comment_dismisses_reports_that_came_in_meanwhile(self):
        do_hide(self.maja, self.comment, "Advertising")
        late = Report.objects.create(
            space=self.museum, reporter=self.charlie, target=self.comment, reason="spam"
        )
        do_restore(self.alice, self.comment)
        self.comment.refresh_from_db()
        late.refresh_from_db()
        self.idea.refresh_from_db()
        self.assertIsNone(self.comment.hidden_at)
        self.assertEqual(late.resolution, Resolution.DISMISSED)
        self.assertEqual(self.idea.comment_count, 1)
        self.assertTrue(AuditEntry.objects.filter(action="comment.restored").exists())

    def test_hiding_needs_a_reason_that_fits(self):
        for reason in ["", "   ", "x" * 201]:
            with self.assertRaises(ActionRefused) as refused:
                do_hide(self.maja, self.idea, reason)
            self.assertEqual(refused.exception.field, "reason")
        self.idea.refresh_from_db()
        self.assertFalse(self.idea.is_hidden)
        self.assertFalse(AuditEntry.objects.filter(action="idea.hidden").exists())

    def test_hiding_twice_or_restoring_what_is_shown_is_refused(self):
        with self.assertRaises(ActionRefused):
            do_restore(self.maja, self.comment)
        do_hide(self.maja, self.comment, "Advertising")
        stale = Comment.objects.get(pk=self.comment.pk)
        stale.hidden_at = None  # another moderator's page, loaded before the hide
        with self.assertRaisesMessage(ActionRefused, "hidden this already"):
            do_hide(self.alice, stale, "Spam")
        self.comment.refresh_from_db()
        self.assertEqual(self.comment.hidden_by, self.maja)
        self.assertEqual(AuditEntry.objects.filter(action="comment.hidden").count(), 1)

    def test_a_comment_its_author_deleted_cannot_be_hidden(self):
        do_delete_comment(participant_of(self.bob), self.comment)
        with self.assertRaises(ActionRefused):
            do_hide(self.maja, self.comment, "Spam")

    def test_the_calls_actions_change_nothing_when_there_is_nothing_to_do(self):
        do_hide_idea(self.maja, self.idea, "Advertising")
        do_hide_idea(self.alice, self.idea, "Spam")
        self.assertEqual(Idea.objects.get(pk=self.idea.pk).hidden_by, self.maja)
        do_restore_idea(self.alice, self.idea)
        do_restore_idea(self.alice, self.idea)
        self.assertEqual(AuditEntry.objects.filter(action="idea.hidden").count(), 1)
        self.assertEqual(AuditEntry.objects.filter(action="idea.restored").count(), 1)


class DismissTests(ModerationTestCase):
    def test_dismissing_closes_one_report_leaves_the_target_and_is_logged(self):
        report = do_report(self.charlie, self.museum, self.comment, "offensive")
        other = do_report(self.alice, self.museum, self.comment, "spam")
        do_dismiss_report(self.maja, report)
        report.refresh_from_db()
        other.refresh_from_db()
        self.comment.refresh_from_db()
        self.assertEqual(report.resolution, Resolution.DISMISSED)
        self.assertEqual(report.resolved_by, self.maja)
        self.assertIsNone(other.resolved_at)
        self.assertIsNone(self.comment.hidden_at)
        entry = AuditEntry.objects.get(action="report.dismissed")
        self.assertEqual(entry.target_type, "comment")
        self.assertEqual(entry.details, {"report": report.pk, "reason": "offensive"})

    def test_a_report_is_dismissed_once(self):
        report = do_report(self.charlie, self.museum, self.idea, "spam")
        do_dismiss_report(self.maja, report)
        with self.assertRaisesMessage(ActionRefused, "dealt with"):
            do_dismiss_report(self.alice, report)
        report.refresh_from_db()
        self.assertEqual(report.resolved_by, self.maja)
        self.assertEqual(AuditEntry.objects.filter(action="report.dismissed").count(), 1)
