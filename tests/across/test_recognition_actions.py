from django.db.models import Sum

from sammen.accounts.actions import (
    do_create_anonymous_participant,
    do_delete_account,
    do_merge_participants,
)
from sammen.accounts.models import Participant
from sammen.audit.models import AuditEntry
from sammen.calls import deeds as call_deeds
from sammen.calls.actions import (
    do_answer_idea,
    do_respond_to_co_authorship,
    do_support_idea,
    do_unsupport_idea,
)
from sammen.calls.models import IdeaStatus
from sammen.comments import deeds as comments_deeds
from sammen.comments.actions import do_add_comment, do_mark_helpful
from sammen.core.errors import ActionRefused
from sammen.notifications.kinds import render_notification
from sammen.notifications.models import Notification
from sammen.recognition.actions import (
    BADGES_PER_HOUR,
    do_award_badge,
    do_recognise,
    do_revoke_badge,
)
from sammen.recognition.audit_actions import AuditAction
from sammen.recognition.models import Badge, Recognition
from sammen.recognition.queries import points_by_space, visible_spaces
from sammen.spaces.models import Role
from sammen.testing import BaseTestCase, make_member, participant_of
from sammen.testing.calls import make_call, make_idea


def points_of(participant: Participant) -> int:
    total = Recognition.objects.filter(participant=participant).aggregate(total=Sum("points"))
    return total["total"] or 0


def deeds_of(participant: Participant) -> list[str]:
    return sorted(
        Recognition.objects.filter(participant=participant).values_list("deed", flat=True)
    )


class PointsTests(BaseTestCase):
    def setUp(self) -> None:
        self.call = make_call(self.museum, self.alice)
        self.bob_ = participant_of(self.bob)
        self.maja_ = participant_of(self.maja)

    def test_each_deed_earns_its_points(self):
        idea = make_idea(self.call, self.bob)
        self.assertEqual(points_of(self.bob_), call_deeds.IDEA_SUBMITTED.points)
        do_support_idea(self.maja_, idea)
        self.assertEqual(points_of(self.maja_), call_deeds.SUPPORTED.points)
        with self.captureOnCommitCallbacks(execute=True):
            comment = do_add_comment(self.maja_, idea.thread, "Lovely, with a café on top.")
        self.assertEqual(
            points_of(self.maja_), call_deeds.SUPPORTED.points + comments_deeds.COMMENTED.points
        )
        do_mark_helpful(self.bob_, comment)
        self.assertIn(comments_deeds.COMMENT_HELPFUL.key, deeds_of(self.maja_))
        do_answer_idea(self.alice, idea, status=IdeaStatus.DONE, text="Built and open.")
        self.assertEqual(
            deeds_of(self.bob_),
            sorted(
                [
                    call_deeds.IDEA_SUBMITTED.key,
                    call_deeds.IDEA_SELECTED.key,
                    call_deeds.IDEA_DONE.key,
                ]
            ),
        )
        self.assertEqual(
            points_of(self.bob_),
            call_deeds.IDEA_SUBMITTED.points
            + call_deeds.IDEA_SELECTED.points
            + call_deeds.IDEA_DONE.points,
        )

    def test_one_selected_idea_outweighs_twenty_supports_given(self):
        ideas = [make_idea(self.call, self.alice, f"Alice's idea {n}") for n in range(10)]
        ideas += [make_idea(self.call, self.maja, f"Maja's idea {n}") for n in range(10)]
        charlie = participant_of(self.charlie)
        for idea in ideas:
            self.assertTrue(do_support_idea(charlie, idea))
        selected = make_idea(self.call, self.bob)
        do_answer_idea(self.alice, selected, status=IdeaStatus.SELECTED, text="We build it.")
        self.assertEqual(points_of(charlie), 20 * call_deeds.SUPPORTED.points)
        self.assertGreater(points_of(self.bob_), points_of(charlie))

    def test_the_same_deed_counts_once(self):
        idea = make_idea(self.call, self.bob)
        do_recognise(self.bob_, self.museum, call_deeds.IDEA_SUBMITTED, f"idea:{idea.pk}")
        self.assertTrue(do_support_idea(self.maja_, idea))
        self.assertFalse(do_support_idea(self.maja_, idea))
        do_answer_idea(self.alice, idea, status=IdeaStatus.SELECTED, text="Yes.")
        do_answer_idea(self.alice, idea, status=IdeaStatus.IN_PROGRESS, text="Under way.")
        self.assertEqual(
            deeds_of(self.bob_),
            sorted([call_deeds.IDEA_SUBMITTED.key, call_deeds.IDEA_SELECTED.key]),
        )
        self.assertEqual(deeds_of(self.maja_), [call_deeds.SUPPORTED.key])

    def test_withdrawing_support_takes_its_point_back(self):
        idea = make_idea(self.call, self.bob)
        do_support_idea(self.maja_, idea)
        do_unsupport_idea(self.maja_, idea)
        self.assertEqual(points_of(self.maja_), 0)

    def test_co_authors_share_the_outcome(self):
        idea = make_idea(self.call, self.bob, co_authors=[self.maja_])
        do_respond_to_co_authorship(self.maja_, idea, accept=True)
        do_answer_idea(self.alice, idea, status=IdeaStatus.SELECTED, text="Yes.")
        self.assertEqual(deeds_of(self.maja_), [call_deeds.IDEA_SELECTED.key])

    def test_merging_an_anonymous_participant_keeps_one_entry_per_deed(self):
        first, second = make_idea(self.call, self.alice), make_idea(self.call, self.maja, "Choir")
        visitor = do_create_anonymous_participant()
        do_support_idea(visitor, first)
        do_support_idea(visitor, second)
        do_support_idea(self.bob_, first)
        do_merge_participants(visitor, self.bob_)
        entries = Recognition.objects.filter(participant=self.bob_, deed=call_deeds.SUPPORTED.key)
        self.assertEqual(
            sorted(entries.values_list("source", flat=True)),
            sorted([f"idea:{first.pk}", f"idea:{second.pk}"]),
        )
        self.assertFalse(Recognition.objects.filter(participant_id=visitor.pk).exists())

    def test_points_by_space_leave_out_private_spaces_the_viewer_is_not_in(self):
        make_member(self.quiet_room, self.bob)
        make_idea(make_call(self.quiet_room, self.alice, "Quiet call"), self.bob)
        make_idea(self.call, self.bob)
        for viewer, spaces in [(self.charlie, ["Harbour Museum"]), (self.alice, None)]:
            rows = points_by_space(self.bob_, visible_spaces(viewer))
            names = [row["space__name"] for row in rows]
            self.assertEqual(names, spaces or ["Harbour Museum", "Quiet Room"])


class AwardBadgeTests(BaseTestCase):
    def setUp(self) -> None:
        self.bob_ = participant_of(self.bob)

    def award(self, **kwargs):
        arguments = {
            "actor": self.alice,
            "space": self.museum,
            "participant": self.bob_,
            "name": "Storyteller",
            "note": "For the lighthouse.",
        }
        return do_award_badge(**{**arguments, **kwargs})

    def test_an_owner_thanks_a_member_who_is_told_and_the_act_is_audited(self):
        with self.captureOnCommitCallbacks(execute=True):
            badge = self.award(name="  Storyteller  ")
        self.assertEqual(
            (badge.name, badge.note, badge.awarded_by),
            ("Storyteller", "For the lighthouse.", self.alice),
        )
        notification = Notification.objects.get(user=self.bob, kind="badge_awarded")
        self.assertEqual(
            render_notification(notification.kind, notification.params),
            "Harbour Museum thanked you with a badge: Storyteller",
        )
        self.assertIn(str(self.bob_.public_id), notification.url)
        entry = AuditEntry.objects.get(action=AuditAction.BADGE_AWARDED)
        self.assertEqual(
            (entry.space, entry.actor, entry.target_label), (self.museum, self.alice, "Storyteller")
        )
        self.assertEqual(entry.details["to"], "Bob")

    def test_only_owners_give_badges(self):
        for actor in [self.maja, self.bob, self.charlie]:
            with self.subTest(actor=str(actor)), self.assertRaises(ActionRefused):
                self.award(
                    actor=actor,
                    participant=participant_of(self.maja if actor == self.bob else self.bob),
                )
        self.assertFalse(Badge.objects.exists())

    def test_it_refuses_bad_names_and_notes(self):
        for kwargs, field in [
            ({"name": ""}, "name"),
            ({"name": "   "}, "name"),
            ({"name": "x" * 61}, "name"),
            ({"note": "x" * 301}, "note"),
        ]:
            with self.subTest(**kwargs), self.assertRaises(ActionRefused) as refused:
                self.award(**kwargs)
            self.assertEqual(refused.exception.field, field)
        self.award(name="x" * 60, note="x" * 300)
        self.assertEqual(Badge.objects.count(), 1)

    def test_it_refuses_people_who_never_took_part_in_the_space(self):
        charlie = participant_of(self.charlie)
        with self.assertRaises(ActionRefused) as refused:
            self.award(participant=charlie)
        self.assertEqual(refused.exception.field, "space")
        call = make_call(self.museum, self.alice, supporters="anyone")
        do_support_idea(charlie, make_idea(call, self.bob))
        self.award(participant=charlie)
        self.assertTrue(Badge.objects.filter(participant=charlie).exists())

    def test_it_refuses_the_owner_themself_and_people_without_a_profile(self):
        with self.assertRaises(ActionRefused):
            self.award(participant=participant_of(self.alice))
        call = make_call(self.museum, self.alice, supporters="anyone")
        nameless = do_create_anonymous_participant()
        do_support_idea(nameless, make_idea(call, self.maja))
        with self.assertRaises(ActionRefused):
            self.award(participant=nameless)
        do_delete_account(self.bob)
        self.bob_.refresh_from_db()
        with self.assertRaises(ActionRefused):
            self.award()

    def test_the_same_badge_is_given_once_and_owners_give_a_limited_number_an_hour(self):
        self.award()
        with self.assertRaises(ActionRefused):
            self.award(name="storyteller")
        for number in range(BADGES_PER_HOUR - 1):
            self.award(name=f"Thanks {number}")
        with self.assertRaises(ActionRefused):
            self.award(name="One too many")

    def test_owners_take_a_badge_back_and_others_cannot(self):
        badge = self.award()
        for actor in [self.maja, self.bob, self.charlie]:
            with self.assertRaises(ActionRefused):
                do_revoke_badge(actor, badge)
        make_member(self.museum, self.charlie, Role.OWNER)
        self.assertFalse(AuditEntry.objects.filter(action="badge.revoked").exists())
        badge_id = badge.pk
        do_revoke_badge(self.charlie, badge)
        self.assertFalse(Badge.objects.exists())
        entry = AuditEntry.objects.get(action="badge.revoked")
        self.assertEqual((entry.actor, entry.space), (self.charlie, self.museum))
        self.assertEqual(entry.target_id, str(badge_id))
        self.assertEqual(entry.details["badge"], badge.name)
