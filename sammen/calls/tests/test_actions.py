from datetime import timedelta

from django.utils import timezone

from sammen.accounts.actions import do_create_anonymous_participant, do_verify_participant_email
from sammen.accounts.models import User
from sammen.activities.actions import do_close_activity
from sammen.activities.queries import opening_blockers
from sammen.calls.actions import (
    ImageInput,
    do_answer_idea,
    do_edit_idea,
    do_respond_to_co_authorship,
    do_score_idea,
    do_support_idea,
    do_sweep_momentum,
    do_unsupport_idea,
    do_update_call_rules,
    do_update_call_schedule,
    do_update_jury,
    do_withdraw_idea,
)
from sammen.calls.forms import CallRulesForm
from sammen.calls.models import CoAuthor, Evaluator, Idea, IdeaStatus, Score, Support
from sammen.comments.actions import do_add_comment
from sammen.core.errors import ActionRefused
from sammen.core.images import reencode_image
from sammen.notifications.models import Notification
from sammen.recognition.models import Recognition
from sammen.testing import BaseTestCase, image_upload, make_activity, participant_of
from sammen.testing.calls import CALL_RULES, make_call, make_idea


class SubmitIdeaTests(BaseTestCase):
    def setUp(self) -> None:
        self.call = make_call(self.museum, self.alice)

    def test_a_member_publishes_an_idea_with_its_discussion_and_gets_points(self):
        idea = make_idea(self.call, self.bob)
        self.assertEqual(idea.status, IdeaStatus.PUBLISHED)
        self.assertEqual(idea.thread.owner, participant_of(self.bob))
        self.assertTrue(
            Recognition.objects.filter(participant__user=self.bob, deed="idea_submitted").exists()
        )
        self.assertTrue(self.bob.follows.filter(thread=idea.thread).exists())

    def test_followers_of_the_call_are_told(self):
        from sammen.notifications.actions import do_follow

        do_follow(self.maja, activity=self.call.activity)
        with self.captureOnCommitCallbacks(execute=True):
            make_idea(self.call, self.bob)
        self.assertTrue(Notification.objects.filter(user=self.maja, kind="idea_submitted").exists())
        self.assertFalse(Notification.objects.filter(user=self.bob).exists())

    def test_no_ideas_outside_the_submission_stage(self):
        for stage in ["support", "review"]:
            self.call.stage_override = stage
            with self.assertRaises(ActionRefused):
                make_idea(self.call, self.bob)
        self.call.stage_override = ""
        self.call.submissions_paused = True
        with self.assertRaises(ActionRefused):
            make_idea(self.call, self.bob)
        self.assertFalse(Idea.objects.exists())

    def test_no_ideas_once_the_call_is_closed_or_passed_its_date(self):
        self.call.submission_ends_at = timezone.now() - timedelta(minutes=1)
        with self.assertRaises(ActionRefused):
            make_idea(self.call, self.bob)
        self.call.submission_ends_at = None
        do_close_activity(self.alice, self.call.activity)
        self.call.activity.refresh_from_db()
        with self.assertRaises(ActionRefused):
            make_idea(self.call, self.bob)

    def test_empty_text_is_refused(self):
        for title, body in [("", "body"), ("title", "   ")]:
            with self.assertRaises(ActionRefused):
                make_idea(self.call, self.bob, title=title, body=body)
        self.assertFalse(Idea.objects.exists())

    def test_an_idea_builds_on_another_of_the_same_call_only(self):
        first = make_idea(self.call, self.bob)
        second = make_idea(self.call, self.maja, "Lighthouse café", builds_on=first)
        self.assertEqual(list(first.built_upon_by.all()), [second])
        other_call = make_call(self.museum, self.alice, "Other call")
        with self.assertRaises(ActionRefused):
            make_idea(other_call, self.bob, builds_on=first)

    def test_at_most_three_images(self):
        images = [
            ImageInput(reencode_image(image_upload(f"p{n}.png", "PNG"), max_side=100))
            for n in range(4)
        ]
        with self.assertRaises(ActionRefused):
            make_idea(self.call, self.bob, images=images)
        idea = make_idea(self.call, self.bob, images=images[:3])
        self.assertEqual(idea.images.count(), 3)

    def test_co_authors_are_invited_members_who_accept(self):
        with self.captureOnCommitCallbacks(execute=True):
            idea = make_idea(self.call, self.bob, co_authors=[participant_of(self.maja)])
        invitation = CoAuthor.objects.get(idea=idea)
        self.assertIsNone(invitation.accepted_at)
        self.assertTrue(
            Notification.objects.filter(user=self.maja, kind="co_author_invited").exists()
        )
        do_respond_to_co_authorship(participant_of(self.maja), idea, accept=True)
        invitation.refresh_from_db()
        self.assertIsNotNone(invitation.accepted_at)

    def test_outsiders_cannot_be_co_authors(self):
        with self.assertRaises(ActionRefused):
            make_idea(self.call, self.bob, co_authors=[participant_of(self.charlie)])
        self.assertFalse(Idea.objects.exists())

    def test_one_person_cannot_flood_the_call(self):
        for number in range(10):
            make_idea(self.call, self.bob, f"Idea {number}")
        with self.assertRaises(ActionRefused):
            make_idea(self.call, self.bob, "One too many")


class EditAndWithdrawTests(BaseTestCase):
    def setUp(self) -> None:
        self.call = make_call(self.museum, self.alice)
        self.idea = make_idea(self.call, self.bob)

    def test_the_author_edits_while_submissions_are_open(self):
        do_edit_idea(participant_of(self.bob), self.idea, title="Better title", body="More")
        self.idea.refresh_from_db()
        self.assertEqual(self.idea.title, "Better title")

    def test_nobody_else_edits_and_nobody_edits_after_submissions(self):
        with self.assertRaises(ActionRefused):
            do_edit_idea(participant_of(self.maja), self.idea, title="Hijack", body="x")
        self.call.stage_override = "support"
        with self.assertRaises(ActionRefused):
            do_edit_idea(participant_of(self.bob), self.idea, title="Late", body="x")
        self.idea.refresh_from_db()
        self.assertEqual(self.idea.title, "A lighthouse museum")

    def test_an_idea_nobody_touched_is_removed_when_withdrawn(self):
        self.assertFalse(do_withdraw_idea(participant_of(self.bob), self.idea))
        self.assertFalse(Idea.objects.filter(pk=self.idea.pk).exists())

    def test_an_idea_others_supported_stays_visible_as_withdrawn(self):
        do_support_idea(participant_of(self.maja), self.idea)
        self.assertTrue(do_withdraw_idea(participant_of(self.bob), self.idea))
        self.idea.refresh_from_db()
        self.assertEqual(self.idea.status, IdeaStatus.WITHDRAWN)

    def test_an_idea_with_comments_stays_visible_as_withdrawn(self):
        do_add_comment(participant_of(self.maja), self.idea.thread, "Nice")
        self.assertTrue(do_withdraw_idea(participant_of(self.bob), self.idea))

    def test_only_the_author_withdraws(self):
        with self.assertRaises(ActionRefused):
            do_withdraw_idea(participant_of(self.maja), self.idea)


class SupportTests(BaseTestCase):
    def setUp(self) -> None:
        self.call = make_call(self.museum, self.alice)
        self.idea = make_idea(self.call, self.bob)

    def test_support_counts_once_and_can_be_taken_back(self):
        maja = participant_of(self.maja)
        self.assertTrue(do_support_idea(maja, self.idea))
        self.assertFalse(do_support_idea(maja, self.idea))
        self.idea.refresh_from_db()
        self.assertEqual((self.idea.support_count, Support.objects.count()), (1, 1))
        self.assertTrue(do_unsupport_idea(maja, self.idea))
        self.assertFalse(do_unsupport_idea(maja, self.idea))
        self.idea.refresh_from_db()
        self.assertEqual((self.idea.support_count, Support.objects.count()), (0, 0))
        self.assertFalse(Recognition.objects.filter(participant=maja, deed="supported").exists())

    def test_more_support_raises_the_trending_score(self):
        before = self.idea.trending
        do_support_idea(participant_of(self.maja), self.idea)
        do_support_idea(participant_of(self.alice), self.idea)
        self.idea.refresh_from_db()
        self.assertGreater(self.idea.trending, before)

    def test_no_support_after_the_support_stage_or_for_withdrawn_ideas(self):
        self.call.stage_override = "review"
        self.call.save(update_fields=["stage_override"])
        with self.assertRaises(ActionRefused):
            do_support_idea(participant_of(self.maja), self.idea)
        self.call.stage_override = ""
        self.call.save(update_fields=["stage_override"])
        Idea.objects.filter(pk=self.idea.pk).update(status=IdeaStatus.WITHDRAWN)
        with self.assertRaises(ActionRefused):
            do_support_idea(participant_of(self.maja), self.idea)
        self.assertFalse(Support.objects.exists())

    def test_an_anonymous_supporter_keeps_their_support_when_signing_up(self):
        from sammen.accounts.actions import do_attach_participant

        visitor = do_create_anonymous_participant()
        do_support_idea(visitor, self.idea)
        # What the sign-up adapter does: a new account claims the browser's participant.
        newcomer = User.objects.create_user("newcomer@example.org", "pw", display_name="New")
        do_attach_participant(newcomer, visitor)
        visitor.refresh_from_db()
        self.assertEqual(visitor.user, newcomer)
        self.assertTrue(Support.objects.filter(participant__user=newcomer).exists())

    def test_merging_two_supports_of_the_same_idea_keeps_one(self):
        from sammen.accounts.actions import do_merge_participants

        visitor = do_create_anonymous_participant()
        maja = participant_of(self.maja)
        do_support_idea(visitor, self.idea)
        do_support_idea(maja, self.idea)
        do_merge_participants(visitor, maja)
        self.idea.refresh_from_db()
        self.assertEqual(self.idea.support_count, 1)
        self.assertEqual(Support.objects.filter(idea=self.idea).count(), 1)

    def test_a_verified_email_brings_back_the_same_supporter_in_another_browser(self):
        first = do_verify_participant_email(None, "Voter@Example.org ")
        second = do_verify_participant_email(do_create_anonymous_participant(), "voter@example.org")
        self.assertEqual(first, second)
        do_support_idea(first, self.idea)
        self.assertFalse(do_support_idea(second, self.idea))


class MomentumTests(BaseTestCase):
    def setUp(self) -> None:
        self.call = make_call(self.museum, self.alice)
        do_update_call_schedule(
            self.alice,
            self.call,
            submission_ends_at=None,
            support_ends_at=None,
            review_ends_at=None,
            stage_override="",
            submissions_paused=False,
            momentum=[(1, 10), (2, 30)],
            review_dates=[],
        )
        self.idea = make_idea(self.call, self.bob)

    def test_enough_support_in_time_sends_an_idea_to_review(self):
        do_support_idea(participant_of(self.maja), self.idea)
        self.idea.refresh_from_db()
        self.assertEqual((self.idea.momentum_level, self.idea.status), (1, "published"))
        with self.captureOnCommitCallbacks(execute=True):
            do_support_idea(participant_of(self.alice), self.idea)
        self.idea.refresh_from_db()
        self.assertEqual((self.idea.momentum_level, self.idea.status), (2, "under_review"))
        self.assertTrue(
            Notification.objects.filter(user=self.bob, kind="idea_reached_review").exists()
        )

    def test_an_idea_that_misses_a_window_is_archived_kindly(self):
        Idea.objects.filter(pk=self.idea.pk).update(created_at=timezone.now() - timedelta(days=11))
        with self.captureOnCommitCallbacks(execute=True):
            archived = do_sweep_momentum(self.call)
        self.assertEqual([idea.pk for idea in archived], [self.idea.pk])
        self.idea.refresh_from_db()
        self.assertEqual(self.idea.status, IdeaStatus.ARCHIVED)
        notification = Notification.objects.get(user=self.bob, kind="idea_archived")
        self.assertEqual(notification.params["supports"], 1)

    def test_thresholds_must_grow(self):
        with self.assertRaises(ActionRefused):
            do_update_call_schedule(
                self.alice,
                self.call,
                submission_ends_at=None,
                support_ends_at=None,
                review_ends_at=None,
                stage_override="",
                submissions_paused=False,
                momentum=[(10, 30), (5, 60)],
                review_dates=[],
            )
        self.assertEqual(self.call.momentum_stages.count(), 2)

    def test_stage_dates_must_be_in_order(self):
        now = timezone.now()
        with self.assertRaises(ActionRefused):
            do_update_call_schedule(
                self.alice,
                self.call,
                submission_ends_at=now + timedelta(days=5),
                support_ends_at=now + timedelta(days=1),
                review_ends_at=None,
                stage_override="",
                submissions_paused=False,
                momentum=[],
                review_dates=[],
            )


class AnswerTests(BaseTestCase):
    def setUp(self) -> None:
        self.call = make_call(self.museum, self.alice, supporters="anyone")
        self.idea = make_idea(self.call, self.bob)
        do_support_idea(participant_of(self.charlie), self.idea)

    def test_answering_tells_author_supporters_and_followers_and_rewards_outcomes(self):
        from sammen.notifications.actions import do_follow

        do_follow(self.maja, thread=self.idea.thread)
        with self.captureOnCommitCallbacks(execute=True):
            do_answer_idea(self.alice, self.idea, status="selected", text="Yes, we build it.")
        told = set(
            Notification.objects.filter(kind="idea_answered").values_list(
                "user__display_name", flat=True
            )
        )
        self.assertEqual(told, {"Bob", "Maja", "Charlie"})
        self.assertEqual(
            Recognition.objects.get(participant__user=self.bob, deed="idea_selected").points, 100
        )

    def test_an_answer_needs_a_status_and_a_reason(self):
        for status, text in [("maybe", "why"), ("selected", "  ")]:
            with self.assertRaises(ActionRefused):
                do_answer_idea(self.alice, self.idea, status=status, text=text)
        self.idea.refresh_from_db()
        self.assertIsNone(self.idea.answered_at)

    def test_blind_authors_appear_once_answered(self):
        blind_call = make_call(self.museum, self.alice, "Blind call", blind=True)
        idea = make_idea(blind_call, self.bob)
        self.assertTrue(idea.author_is_hidden())
        do_answer_idea(self.alice, idea, status="under_review", text="Looking at it")
        self.assertTrue(idea.author_is_hidden())
        do_answer_idea(self.alice, idea, status="not_selected", text="Not this time")
        self.assertFalse(idea.author_is_hidden())

    def test_blind_mode_cannot_change_once_ideas_arrived(self):
        with self.assertRaises(ActionRefused):
            do_update_call_rules(
                self.alice, self.call, **CALL_RULES, blind=True, supporters="members"
            )


class JuryTests(BaseTestCase):
    def setUp(self) -> None:
        self.call = make_call(self.museum, self.alice)
        do_update_jury(
            self.alice, self.call, criteria=[("Moving", 3), ("New", 1)], evaluators=[self.maja]
        )
        self.idea = make_idea(self.call, self.bob)
        do_answer_idea(self.alice, self.idea, status="under_review", text="In review")
        self.evaluator = Evaluator.objects.get(call=self.call, user=self.maja)

    def test_evaluators_score_ideas_in_review_and_can_change_their_mind(self):
        criteria = {c.name: c.pk for c in self.call.jury_criteria.all()}
        do_score_idea(self.evaluator, self.idea, {criteria["Moving"]: 5, criteria["New"]: 1})
        do_score_idea(self.evaluator, self.idea, {criteria["Moving"]: 4})
        self.assertEqual(
            dict(Score.objects.values_list("criterion__name", "value")), {"Moving": 4, "New": 1}
        )

    def test_scores_stay_between_one_and_five_and_on_this_calls_criteria(self):
        criterion = self.call.jury_criteria.first()
        assert criterion is not None
        for scores in [{criterion.pk: 0}, {criterion.pk: 6}, {999999: 3}]:
            with self.assertRaises(ActionRefused):
                do_score_idea(self.evaluator, self.idea, scores)
        self.assertFalse(Score.objects.exists())

    def test_evaluators_must_be_members(self):
        with self.assertRaises(ActionRefused):
            do_update_jury(self.alice, self.call, criteria=[], evaluators=[self.charlie])

    def test_the_weighted_jury_score_sits_beside_support(self):
        from sammen.calls.queries import jury_summary

        criteria = {c.name: c.pk for c in self.call.jury_criteria.all()}
        do_score_idea(self.evaluator, self.idea, {criteria["Moving"]: 5, criteria["New"]: 1})
        self.assertEqual(jury_summary(self.call)[self.idea.pk], {"score": 4.0, "evaluators": 1})


class OpeningTests(BaseTestCase):
    def test_missing_rules_are_named_with_the_labels_of_the_rules_form(self):
        activity = make_activity(self.museum, self.alice, "Empty rules", kind="call")
        blocker = " ".join(opening_blockers(activity))
        for field in ["description", "scope", "criteria", "after_selection", "reward"]:
            with self.subTest(field):
                self.assertIn(f"“{CallRulesForm.base_fields[field].label}”", blocker)
        self.assertNotIn("what participants get for taking part", blocker)
