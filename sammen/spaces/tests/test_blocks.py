from sammen.audit.models import AuditEntry
from sammen.core.errors import ActionRefused
from sammen.spaces.actions import (
    do_accept_invite,
    do_block_member,
    do_create_invite,
    do_join_space,
    do_unblock_member,
)
from sammen.spaces.models import Block, Membership, Role
from sammen.testing import BaseTestCase, make_member, make_user


class BlockActionTests(BaseTestCase):
    def test_blocking_removes_the_membership_and_is_logged_with_the_reason(self):
        block = do_block_member(self.maja, self.museum, self.bob, "  Spam in every comment  ")
        self.assertFalse(Membership.objects.filter(space=self.museum, user=self.bob).exists())
        self.assertEqual(block.reason, "Spam in every comment")
        self.assertEqual(block.blocked_by, self.maja)
        entry = AuditEntry.objects.get(space=self.museum, action="member.blocked")
        self.assertEqual(entry.actor, self.maja)
        self.assertEqual(entry.target_id, str(self.bob.pk))
        self.assertEqual(entry.details, {"reason": "Spam in every comment", "role": "member"})

    def test_a_blocked_person_cannot_join_again(self):
        do_block_member(self.alice, self.museum, self.bob, "")
        with self.assertRaisesMessage(ActionRefused, "have blocked you"):
            do_join_space(self.bob, self.museum)
        self.assertFalse(Membership.objects.filter(space=self.museum, user=self.bob).exists())

    def test_a_blocked_person_cannot_accept_an_invitation(self):
        invite = do_create_invite(self.alice, self.museum)
        do_block_member(self.alice, self.museum, self.charlie, "")
        with self.assertRaisesMessage(ActionRefused, "have blocked you"):
            do_accept_invite(self.charlie, invite)
        invite.refresh_from_db()
        self.assertEqual(invite.use_count, 0)
        self.assertFalse(Membership.objects.filter(space=self.museum, user=self.charlie).exists())

    def test_someone_who_is_not_a_member_can_be_blocked_before_they_join(self):
        do_block_member(self.maja, self.museum, self.charlie, "Harassed members elsewhere")
        with self.assertRaises(ActionRefused):
            do_join_space(self.charlie, self.museum)

    def test_owners_cannot_be_blocked(self):
        second_owner = make_user("Olga")
        make_member(self.museum, second_owner, Role.OWNER)
        for actor in [self.maja, second_owner]:
            with self.assertRaisesMessage(ActionRefused, "Owners cannot be blocked"):
                do_block_member(actor, self.museum, self.alice, "")
        self.assertTrue(Membership.objects.filter(space=self.museum, user=self.alice).exists())
        self.assertFalse(Block.objects.exists())
        self.assertFalse(AuditEntry.objects.filter(action="member.blocked").exists())

    def test_nobody_can_block_themselves(self):
        with self.assertRaisesMessage(ActionRefused, "yourself"):
            do_block_member(self.maja, self.museum, self.maja, "")
        self.assertTrue(Membership.objects.filter(space=self.museum, user=self.maja).exists())

    def test_only_owners_block_moderators(self):
        other_moderator = make_user("Mo")
        make_member(self.museum, other_moderator, Role.MODERATOR)
        with self.assertRaisesMessage(ActionRefused, "Only an owner"):
            do_block_member(self.maja, self.museum, other_moderator, "")
        self.assertTrue(Membership.objects.filter(user=other_moderator).exists())
        do_block_member(self.alice, self.museum, other_moderator, "")
        self.assertFalse(Membership.objects.filter(user=other_moderator).exists())

    def test_blocking_twice_is_refused_kindly(self):
        do_block_member(self.maja, self.museum, self.bob, "")
        with self.assertRaisesMessage(ActionRefused, "already blocked"):
            do_block_member(self.alice, self.museum, self.bob, "")
        self.assertEqual(Block.objects.count(), 1)

    def test_a_reason_longer_than_the_field_is_refused(self):
        with self.assertRaises(ActionRefused):
            do_block_member(self.maja, self.museum, self.bob, "x" * 201)
        self.assertTrue(Membership.objects.filter(space=self.museum, user=self.bob).exists())

    def test_a_block_in_one_space_leaves_other_spaces_alone(self):
        do_block_member(self.alice, self.quiet_room, self.bob, "")
        do_join_space(self.bob, self.museum)
        self.assertTrue(Membership.objects.filter(space=self.museum, user=self.bob).exists())

    def test_lifting_a_block_lets_them_join_again_and_is_logged(self):
        block = do_block_member(self.maja, self.museum, self.bob, "")
        do_unblock_member(self.alice, block)
        self.assertFalse(Block.objects.exists())
        self.assertTrue(
            AuditEntry.objects.filter(
                space=self.museum, action="member.unblocked", actor=self.alice
            ).exists()
        )
        membership = do_join_space(self.bob, self.museum)
        self.assertEqual(membership.role, Role.MEMBER)
