"""Activities opened from one another, shown on both; the kind's hook when answered."""

from dataclasses import replace

from django.db import IntegrityError, transaction
from django.urls import reverse

from sammen.activities.actions import (
    do_answer_activity,
    do_close_activity,
    do_link_activities,
)
from sammen.activities.kinds import get_kind, register_kind
from sammen.activities.models import Activity, ActivityLink, Phase
from sammen.activities.queries import linked_activities
from sammen.audit.models import AuditEntry
from sammen.core.errors import ActionRefused
from sammen.testing import BaseTestCase, make_activity


class LinkTests(BaseTestCase):
    source: Activity
    target: Activity

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.source = make_activity(cls.museum, cls.alice, "Arrival journey", open_it=True)
        cls.target = make_activity(cls.museum, cls.alice, "Better arrival", open_it=True)

    def test_linking_twice_keeps_one_link_and_one_audit_entry(self):
        first = do_link_activities(
            self.alice, self.source, self.target, "touchpoint:12", "The welcome at the desk"
        )
        second = do_link_activities(self.alice, self.source, self.target, "touchpoint:9", "Else")
        self.assertEqual(first.pk, second.pk)
        self.assertEqual(second.anchor, "touchpoint:12")
        self.assertEqual(ActivityLink.objects.count(), 1)
        self.assertEqual(AuditEntry.objects.filter(action="activity.linked").count(), 1)

    def test_the_database_refuses_a_second_link_between_the_same_two(self):
        do_link_activities(self.alice, self.source, self.target)
        with self.assertRaises(IntegrityError), transaction.atomic():
            ActivityLink.objects.create(source=self.source, target=self.target)

    def test_an_activity_is_not_linked_to_itself_nor_across_spaces(self):
        elsewhere = make_activity(self.quiet_room, self.alice, "Private")
        with self.assertRaises(ActionRefused):
            do_link_activities(self.alice, self.source, self.source)
        with self.assertRaises(ActionRefused):
            do_link_activities(self.alice, self.source, elsewhere)
        self.assertFalse(ActivityLink.objects.exists())

    def test_the_link_is_read_both_ways(self):
        do_link_activities(self.alice, self.source, self.target, "touchpoint:12", "The desk")
        from_source = linked_activities(self.source)
        from_target = linked_activities(self.target)
        self.assertEqual([linked.activity for linked in from_source.opened_here], [self.target])
        self.assertEqual(from_source.opened_from, [])
        self.assertEqual([linked.activity for linked in from_target.opened_from], [self.source])
        self.assertEqual(from_target.opened_from[0].anchor_label, "The desk")
        self.assertEqual(
            [linked.activity for linked in from_source.at("touchpoint:12")], [self.target]
        )
        self.assertEqual(from_source.at("touchpoint:13"), [])

    def test_a_draft_is_linked_for_organisers_only(self):
        draft = make_activity(self.museum, self.alice, "A draft call")
        do_link_activities(self.alice, self.source, draft, "touchpoint:1", "Tickets")
        self.assertFalse(linked_activities(self.source))
        self.assertTrue(linked_activities(self.source, drafts=True))

    def test_both_pages_show_the_link(self):
        do_link_activities(self.alice, self.source, self.target, "touchpoint:12", "The desk")
        self.login(self.bob)
        target_page = self.client.get(self.target.get_absolute_url()).text
        self.assertIn("Opened from:", target_page)
        self.assertIn(self.source.get_absolute_url(), target_page)
        self.assertIn("The desk", target_page)
        source_page = self.client.get(self.source.get_absolute_url()).text
        self.assertIn("Opened from this activity", source_page)
        self.assertIn(self.target.get_absolute_url(), source_page)

    def test_a_page_without_links_says_nothing_of_them(self):
        page = self.client.get(self.source.get_absolute_url()).text
        self.assertNotIn("Opened from", page)


class AnsweredHookTests(BaseTestCase):
    def setUp(self) -> None:
        sample = get_kind("sample")
        assert sample is not None
        self.sample = sample
        self.answered: list[int] = []
        register_kind(replace(self.sample, answered=lambda a: self.answered.append(a.pk)))
        self.addCleanup(register_kind, self.sample)
        self.activity = make_activity(self.museum, self.alice, open_it=True)
        do_close_activity(self.alice, self.activity)

    def test_the_kind_hears_of_the_first_answer_once_it_is_committed(self):
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            do_answer_activity(self.alice, self.activity, "We will do it.")
        self.assertEqual(self.answered, [])
        for callback in callbacks:
            callback()
        self.assertEqual(self.answered, [self.activity.pk])

    def test_a_failing_hook_is_logged_and_the_answer_stays_published(self):
        def fail(activity: Activity) -> None:
            raise RuntimeError("the mail server is down")

        register_kind(replace(self.sample, answered=fail))
        with (
            self.assertLogs("django", "ERROR") as logged,
            self.captureOnCommitCallbacks(execute=True),
        ):
            do_answer_activity(self.alice, self.activity, "We will do it.")
        self.assertIn("the mail server is down", logged.output[0])
        self.activity.refresh_from_db()
        self.assertEqual(self.activity.phase, Phase.ANSWERED)

    def test_a_corrected_answer_is_not_announced_again(self):
        with self.captureOnCommitCallbacks(execute=True):
            do_answer_activity(self.alice, self.activity, "We will do it.")
        with self.captureOnCommitCallbacks(execute=True):
            do_answer_activity(self.alice, self.activity, "We will do it in May.")
        self.assertEqual(self.answered, [self.activity.pk])


class AnswerDraftTests(BaseTestCase):
    def test_the_answer_form_starts_from_a_draft_it_is_given(self):
        activity = make_activity(self.museum, self.alice, open_it=True)
        do_close_activity(self.alice, activity)
        self.login(self.alice)
        url = reverse("activities:answer", args=[self.museum.slug, activity.slug])
        page = self.client.get(url, {"draft": "At the desk: a person stays."}).text
        self.assertIn("At the desk: a person stays.</textarea>", page)
        self.assertIn("starts from the draft", page)
        self.assertNotIn("starts from the draft", self.client.get(url).text)
