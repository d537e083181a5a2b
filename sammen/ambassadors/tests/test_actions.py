from datetime import timedelta

from django.utils import timezone

from sammen.accounts.actions import do_create_anonymous_participant
from sammen.activities.kinds import metrics_of
from sammen.activities.models import Activity
from sammen.activities.tests.sample_kind.recognition import do_thank_sample_helper
from sammen.ambassadors.actions import (
    do_answer_invitation,
    do_invite_ambassador,
    do_link_visitor,
    do_merge_arrivals,
    do_record_visit,
    do_withdraw_ambassador,
)
from sammen.ambassadors.models import Ambassador, Arrival, Visit, new_visitor_key
from sammen.ambassadors.queries import figures_by_ambassador, figures_of_activity
from sammen.audit.models import AuditEntry
from sammen.core.errors import ActionRefused
from sammen.notifications.models import Notification
from sammen.testing import BaseTestCase, make_activity, make_user, participant_of

from .helpers import make_ambassador


class InvitationTests(BaseTestCase):
    def test_an_owner_invites_a_member_who_is_told_and_it_is_logged(self):
        with self.captureOnCommitCallbacks(execute=True):
            ambassador = do_invite_ambassador(self.alice, self.museum, self.bob)
        self.assertEqual(ambassador.state, "invited")
        self.assertTrue(Notification.objects.filter(user=self.bob, kind="ambassador_invited"))
        self.assertTrue(AuditEntry.objects.filter(action="ambassador.invited"))

    def test_only_owners_invite_and_only_members_are_invited(self):
        with self.assertRaises(ActionRefused):
            do_invite_ambassador(self.maja, self.museum, self.bob)
        with self.assertRaises(ActionRefused):
            do_invite_ambassador(self.alice, self.museum, self.charlie)
        self.assertFalse(Ambassador.objects.exists())

    def test_a_second_invitation_is_refused(self):
        do_invite_ambassador(self.alice, self.museum, self.bob)
        with self.assertRaises(ActionRefused):
            do_invite_ambassador(self.alice, self.museum, self.bob)

    def test_the_invited_person_alone_accepts_or_declines_once(self):
        ambassador = do_invite_ambassador(self.alice, self.museum, self.bob)
        with self.assertRaises(ActionRefused):
            do_answer_invitation(self.maja, ambassador, accept=True)
        do_answer_invitation(self.bob, ambassador, accept=False)
        ambassador.refresh_from_db()
        self.assertEqual(ambassador.state, "declined")
        with self.assertRaises(ActionRefused):
            do_answer_invitation(self.bob, ambassador, accept=True)

    def test_a_withdrawn_ambassador_can_be_invited_again_with_the_same_link(self):
        ambassador = make_ambassador(self.museum, self.bob)
        do_withdraw_ambassador(self.alice, ambassador)
        ambassador.refresh_from_db()
        self.assertEqual(ambassador.state, "withdrawn")
        again = do_invite_ambassador(self.alice, self.museum, self.bob)
        self.assertEqual(
            (again.pk, again.token, again.state), (ambassador.pk, ambassador.token, "invited")
        )

    def test_only_owners_withdraw(self):
        ambassador = make_ambassador(self.museum, self.bob)
        with self.assertRaises(ActionRefused):
            do_withdraw_ambassador(self.maja, ambassador)


def _try(work):
    try:
        work()
    except ActionRefused:
        return False
    return True


class AttributionTests(BaseTestCase):
    activity: Activity
    other: Activity
    bob_link: Ambassador
    maja_link: Ambassador

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.activity = make_activity(cls.museum, cls.alice, open_it=True)
        cls.other = make_activity(cls.museum, cls.alice, "Second", open_it=True)
        cls.bob_link = make_ambassador(cls.museum, cls.bob)
        cls.maja_link = make_ambassador(cls.museum, cls.maja)

    def test_a_visit_counts_once_a_day_per_visitor(self):
        key = new_visitor_key()
        for _ in range(3):
            do_record_visit(self.bob_link, self.activity, key, None)
        tomorrow = timezone.localdate() + timedelta(days=1)
        do_record_visit(self.bob_link, self.activity, key, None, today=tomorrow)
        self.assertEqual(Visit.objects.filter(ambassador=self.bob_link).count(), 2)
        self.assertEqual(Arrival.objects.count(), 1)

    def test_the_first_link_keeps_the_visitor(self):
        key = new_visitor_key()
        do_record_visit(self.bob_link, self.activity, key, None)
        do_record_visit(self.maja_link, self.other, key, None)
        arrival = Arrival.objects.get()
        self.assertEqual(arrival.ambassador, self.bob_link)
        figures = figures_by_ambassador(self.museum)
        self.assertEqual(
            (figures[self.maja_link.pk].visits, figures[self.maja_link.pk].people), (1, 0)
        )

    def test_a_withdrawn_ambassadors_link_counts_nothing(self):
        do_withdraw_ambassador(self.alice, self.bob_link)
        self.bob_link.refresh_from_db()
        self.assertIsNone(do_record_visit(self.bob_link, self.activity, new_visitor_key(), None))
        self.assertFalse(Visit.objects.exists())

    def test_a_new_participant_counts_as_a_sign_up_and_their_deeds_as_contributions(self):
        key = new_visitor_key()
        do_record_visit(self.bob_link, self.activity, key, None)
        newcomer = do_create_anonymous_participant()
        self.assertEqual(do_link_visitor(key, newcomer), 1)
        do_thank_sample_helper(self.alice, self.activity, newcomer)
        do_thank_sample_helper(self.alice, self.other, newcomer)
        figures = figures_of_activity(self.activity)
        self.assertEqual(
            (figures.visits, figures.people, figures.sign_ups, figures.contributions), (1, 1, 1, 2)
        )

    def test_someone_already_here_is_no_sign_up(self):
        charlie = participant_of(self.charlie)
        do_record_visit(self.bob_link, self.activity, new_visitor_key(), charlie)
        figures = figures_of_activity(self.activity)
        self.assertEqual((figures.people, figures.sign_ups), (1, 0))

    def test_contributions_after_thirty_days_do_not_count(self):
        key = new_visitor_key()
        do_record_visit(self.bob_link, self.activity, key, None)
        newcomer = do_create_anonymous_participant()
        do_link_visitor(key, newcomer)
        Arrival.objects.update(first_seen=timezone.now() - timedelta(days=31))
        do_thank_sample_helper(self.alice, self.activity, newcomer)
        self.assertEqual(figures_of_activity(self.activity).contributions, 0)

    def test_a_participant_counts_for_one_link_per_space(self):
        person = participant_of(make_user("Dana"))
        do_record_visit(self.bob_link, self.activity, new_visitor_key(), person)
        do_record_visit(self.maja_link, self.activity, new_visitor_key(), person)
        self.assertEqual(Arrival.objects.filter(participant=person).get().ambassador, self.bob_link)

    def test_an_anonymous_participant_who_signs_up_keeps_their_arrival(self):
        key = new_visitor_key()
        do_record_visit(self.bob_link, self.activity, key, None)
        anonymous = do_create_anonymous_participant()
        do_link_visitor(key, anonymous)
        dana = participant_of(make_user("Dana"))
        do_merge_arrivals(anonymous, dana)
        self.assertEqual(Arrival.objects.get().participant, dana)
        self.assertEqual(figures_of_activity(self.activity).sign_ups, 1)

    def test_the_figures_are_success_measure_metrics_of_any_kind(self):
        metrics = metrics_of(self.activity)
        self.assertIn("ambassador_people", metrics)
        self.assertIn("ambassador_contributions", metrics)
        do_record_visit(self.bob_link, self.activity, new_visitor_key(), None)
        self.assertEqual(metrics_of(self.activity)["ambassador_people"][1], 1)
