from decimal import Decimal

from sammen.activities.actions import (
    MeasureInput,
    do_answer_activity,
    do_close_activity,
    do_create_activity,
    do_delete_activity,
    do_open_activity,
    do_reopen_activity,
    do_update_activity,
    do_update_brief,
)
from sammen.activities.forms import BriefForm
from sammen.activities.models import Activity, Brief, Phase
from sammen.activities.queries import opening_blockers
from sammen.audit.models import AuditEntry
from sammen.core.errors import ActionRefused
from sammen.testing import COMPLETE_BRIEF, MEASURES, BaseTestCase, make_activity


class CreateActivityTests(BaseTestCase):
    def test_it_creates_a_draft_with_an_empty_brief_and_a_free_address(self):
        first = do_create_activity(self.alice, self.museum, title="Storylines!")
        second = do_create_activity(self.alice, self.museum, title="Storylines?")
        self.assertEqual((first.slug, second.slug), ("storylines", "storylines-2"))
        self.assertEqual(first.phase, Phase.DRAFT)
        self.assertEqual(first.brief.goal, "")
        self.assertTrue(AuditEntry.objects.filter(action="activity.created").exists())

    def test_the_same_address_in_another_space_is_fine(self):
        one = do_create_activity(self.alice, self.museum, title="Storylines")
        two = do_create_activity(self.alice, self.quiet_room, title="Storylines")
        self.assertEqual(one.slug, two.slug)

    def test_an_unknown_format_is_refused(self):
        with self.assertRaises(ActionRefused):
            do_create_activity(self.alice, self.museum, title="X", kind="sorcery")
        self.assertFalse(Activity.objects.exists())


class BriefTests(BaseTestCase):
    def test_an_incomplete_brief_blocks_opening_and_says_what_is_missing(self):
        activity = make_activity(self.museum, self.alice, complete=False)
        blockers = opening_blockers(activity)
        self.assertIn("“Goal”", blockers[0])
        self.assertIn("“Success measures”", blockers[0])
        with self.assertRaises(ActionRefused):
            do_open_activity(self.alice, activity)
        activity.refresh_from_db()
        self.assertEqual(activity.phase, Phase.DRAFT)

    def test_what_blocks_opening_is_named_with_the_labels_the_form_shows(self):
        activity = make_activity(self.museum, self.alice, complete=False)
        form = BriefForm()
        blocker = opening_blockers(activity)[0]
        for part in Brief.TEXT_PARTS:
            with self.subTest(part):
                self.assertIn(f"“{form.fields[part].label}”", blocker)
        self.assertIn("Why would they take part?", blocker)
        self.assertNotIn("why they would take part", blocker)

    def test_a_brief_needs_a_chosen_format_before_it_opens(self):
        activity = make_activity(self.museum, self.alice, kind="")
        self.assertEqual(opening_blockers(activity), ["Choose a format for the activity."])
        with self.assertRaises(ActionRefused):
            do_open_activity(self.alice, activity)

    def test_a_kind_can_add_its_own_conditions(self):
        activity = make_activity(self.museum, self.alice, "BLOCK me")
        self.assertEqual(opening_blockers(activity), ["The sample title must not say BLOCK."])

    def test_saving_replaces_the_measures_in_order(self):
        activity = make_activity(self.museum, self.alice)
        do_update_brief(
            self.alice,
            activity,
            texts=COMPLETE_BRIEF,
            measures=[MeasureInput("B", Decimal(2)), MeasureInput("A", Decimal(1), "%")],
            self_check={"new_ideas": "yes", "unknown": "yes", "agreement": "perhaps"},
        )
        brief = activity.brief
        self.assertEqual([m.measure for m in brief.measures.all()], ["B", "A"])
        self.assertEqual(brief.self_check, {"new_ideas": "yes"})

    def test_at_most_eight_measures(self):
        activity = make_activity(self.museum, self.alice)
        with self.assertRaises(ActionRefused):
            do_update_brief(
                self.alice,
                activity,
                texts=COMPLETE_BRIEF,
                measures=[MeasureInput(str(n), Decimal(n)) for n in range(9)],
                self_check={},
            )
        self.assertEqual(activity.brief.measures.count(), 1)

    def test_an_open_activity_keeps_a_complete_brief_and_its_format(self):
        activity = make_activity(self.museum, self.alice, open_it=True)
        with self.assertRaises(ActionRefused):
            do_update_brief(
                self.alice,
                activity,
                texts={**COMPLETE_BRIEF, "goal": ""},
                measures=MEASURES,
                self_check={},
            )
        with self.assertRaises(ActionRefused):
            do_update_brief(self.alice, activity, texts=COMPLETE_BRIEF, measures=[], self_check={})
        with self.assertRaises(ActionRefused):
            do_update_brief(
                self.alice,
                activity,
                texts=COMPLETE_BRIEF,
                measures=MEASURES,
                self_check={},
                kind="",
            )
        activity.refresh_from_db()
        self.assertEqual((activity.brief.goal, activity.kind), (COMPLETE_BRIEF["goal"], "sample"))


class PhaseTests(BaseTestCase):
    def test_an_activity_goes_from_draft_to_answered(self):
        activity = make_activity(self.museum, self.alice)
        do_open_activity(self.alice, activity)
        self.assertEqual((activity.phase, activity.opened_at is not None), (Phase.OPEN, True))
        do_close_activity(self.maja, activity)
        self.assertEqual(activity.phase, Phase.CLOSED)
        do_reopen_activity(self.maja, activity)
        do_close_activity(self.maja, activity)
        do_answer_activity(self.alice, activity, "We heard you.")
        self.assertEqual((activity.phase, activity.answer), (Phase.ANSWERED, "We heard you."))
        actions = list(
            AuditEntry.objects.filter(target_type="activity", target_id=str(activity.pk))
            .order_by("id")
            .values_list("action", flat=True)
        )
        self.assertEqual(
            actions,
            [
                "activity.created",
                "brief.updated",
                "activity.opened",
                "activity.closed",
                "activity.reopened",
                "activity.closed",
                "activity.answered",
            ],
        )

    def test_steps_out_of_order_are_refused(self):
        activity = make_activity(self.museum, self.alice)
        for step in [do_close_activity, do_reopen_activity]:
            with self.assertRaises(ActionRefused):
                step(self.alice, activity)
        with self.assertRaises(ActionRefused):
            do_answer_activity(self.alice, activity, "Too early")
        do_open_activity(self.alice, activity)
        with self.assertRaises(ActionRefused):
            do_open_activity(self.alice, activity)
        with self.assertRaises(ActionRefused):
            do_delete_activity(self.alice, activity)
        self.assertEqual(Activity.objects.get(pk=activity.pk).phase, Phase.OPEN)

    def test_an_empty_answer_is_refused(self):
        activity = make_activity(self.museum, self.alice, open_it=True)
        do_close_activity(self.alice, activity)
        with self.assertRaises(ActionRefused):
            do_answer_activity(self.alice, activity, "   ")
        self.assertEqual(Activity.objects.get(pk=activity.pk).phase, Phase.CLOSED)

    def test_an_answer_can_be_corrected_without_changing_its_date(self):
        activity = make_activity(self.museum, self.alice, open_it=True)
        do_close_activity(self.alice, activity)
        do_answer_activity(self.alice, activity, "First")
        answered_at = activity.answered_at
        do_answer_activity(self.alice, activity, "Corrected")
        self.assertEqual((activity.answer, activity.answered_at), ("Corrected", answered_at))

    def test_dates_must_be_in_order(self):
        from datetime import timedelta

        from django.utils import timezone

        activity = make_activity(self.museum, self.alice)
        now = timezone.now()
        with self.assertRaises(ActionRefused):
            do_update_activity(
                self.alice,
                activity,
                title="T",
                summary="",
                opens_at=now,
                closes_at=now - timedelta(days=1),
            )

    def test_drafts_can_be_deleted(self):
        activity = make_activity(self.museum, self.alice)
        do_delete_activity(self.alice, activity)
        self.assertFalse(Activity.objects.filter(pk=activity.pk).exists())
