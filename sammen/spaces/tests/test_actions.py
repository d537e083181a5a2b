from datetime import timedelta

from django.utils import timezone

from sammen.audit.models import AuditEntry
from sammen.core.errors import ActionRefused
from sammen.spaces.actions import (
    do_accept_invite,
    do_change_role,
    do_create_invite,
    do_create_space,
    do_join_space,
    do_leave_space,
    do_remove_member,
    do_revoke_invite,
)
from sammen.spaces.models import Invite, Membership, Role, Space
from sammen.testing import BaseTestCase, make_user


class CreateSpaceTests(BaseTestCase):
    def test_the_creator_becomes_its_first_owner_and_it_is_logged(self):
        space = do_create_space(self.charlie, name="Dock Festival", slug="dock-festival")
        self.assertEqual(Membership.objects.get(space=space).role, Role.OWNER)
        self.assertEqual(Membership.objects.get(space=space).user, self.charlie)
        self.assertTrue(AuditEntry.objects.filter(space=space, action="space.created").exists())

    def test_a_taken_web_address_is_refused_and_nothing_is_created(self):
        with self.assertRaises(ActionRefused):
            do_create_space(self.charlie, name="Copy", slug="harbour-museum")
        self.assertFalse(Space.objects.filter(name="Copy").exists())
        self.assertFalse(Membership.objects.filter(user=self.charlie).exists())

    def test_one_person_cannot_create_endless_spaces_in_a_day(self):
        for number in range(10):
            do_create_space(self.charlie, name=f"Space {number}", slug=f"space-{number}")
        with self.assertRaises(ActionRefused):
            do_create_space(self.charlie, name="One too many", slug="one-too-many")


class MembershipTests(BaseTestCase):
    def test_joining_a_public_space_twice_makes_one_membership(self):
        do_join_space(self.charlie, self.museum)
        do_join_space(self.charlie, self.museum)
        self.assertEqual(Membership.objects.filter(space=self.museum, user=self.charlie).count(), 1)

    def test_invite_only_and_private_spaces_cannot_be_joined_without_an_invitation(self):
        self.museum.visibility = "invite"
        for space in [self.museum, self.quiet_room]:
            with self.assertRaises(ActionRefused):
                do_join_space(self.charlie, space)
        self.assertFalse(Membership.objects.filter(user=self.charlie).exists())

    def test_the_only_owner_cannot_leave_or_be_demoted(self):
        with self.assertRaises(ActionRefused):
            do_leave_space(self.alice, self.museum)
        owner = Membership.objects.get(space=self.museum, user=self.alice)
        with self.assertRaises(ActionRefused):
            do_change_role(self.alice, owner, Role.MEMBER)
        owner.refresh_from_db()
        self.assertEqual(owner.role, Role.OWNER)

    def test_a_second_owner_lets_the_first_step_down(self):
        maja = Membership.objects.get(space=self.museum, user=self.maja)
        do_change_role(self.alice, maja, Role.OWNER)
        do_leave_space(self.alice, self.museum)
        self.assertFalse(Membership.objects.filter(space=self.museum, user=self.alice).exists())

    def test_role_changes_are_logged_with_before_and_after(self):
        bob = Membership.objects.get(space=self.museum, user=self.bob)
        do_change_role(self.alice, bob, Role.MODERATOR)
        entry = AuditEntry.objects.get(action="member.role_changed", target_id=str(self.bob.pk))
        self.assertEqual(entry.details, {"previous": "member", "role": "moderator"})
        self.assertEqual(entry.actor, self.alice)

    def test_an_unknown_role_is_refused(self):
        bob = Membership.objects.get(space=self.museum, user=self.bob)
        with self.assertRaises(ActionRefused):
            do_change_role(self.alice, bob, "emperor")

    def test_owners_are_demoted_before_they_can_be_removed(self):
        owner = Membership.objects.get(space=self.museum, user=self.alice)
        with self.assertRaises(ActionRefused):
            do_remove_member(self.alice, owner)
        do_remove_member(self.alice, Membership.objects.get(space=self.museum, user=self.bob))
        self.assertFalse(Membership.objects.filter(space=self.museum, user=self.bob).exists())


class InviteTests(BaseTestCase):
    def test_an_invitation_brings_people_in_with_its_role(self):
        invite = do_create_invite(self.alice, self.quiet_room, role=Role.MODERATOR, max_uses=2)
        membership = do_accept_invite(self.charlie, invite)
        self.assertEqual(membership.role, Role.MODERATOR)
        invite.refresh_from_db()
        self.assertEqual(invite.use_count, 1)

    def test_it_stops_at_its_use_limit(self):
        invite = do_create_invite(self.alice, self.quiet_room, max_uses=1)
        do_accept_invite(self.charlie, invite)
        with self.assertRaisesMessage(ActionRefused, "used up"):
            do_accept_invite(self.bob, invite)
        self.assertFalse(Membership.objects.filter(space=self.quiet_room, user=self.bob).exists())

    def test_a_member_accepting_again_uses_nothing(self):
        invite = do_create_invite(self.alice, self.quiet_room, max_uses=1)
        do_accept_invite(self.charlie, invite)
        do_accept_invite(self.charlie, invite)
        invite.refresh_from_db()
        self.assertEqual(invite.use_count, 1)

    def test_expired_and_withdrawn_invitations_do_not_work(self):
        expired = do_create_invite(self.alice, self.quiet_room)
        Invite.objects.filter(pk=expired.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
        with self.assertRaisesMessage(ActionRefused, "expired"):
            do_accept_invite(self.charlie, expired)
        withdrawn = do_create_invite(self.alice, self.quiet_room)
        do_revoke_invite(self.alice, withdrawn)
        with self.assertRaisesMessage(ActionRefused, "withdrawn"):
            do_accept_invite(self.charlie, withdrawn)
        self.assertFalse(
            Membership.objects.filter(space=self.quiet_room, user=self.charlie).exists()
        )

    def test_invitations_cannot_make_owners_or_last_forever(self):
        with self.assertRaises(ActionRefused):
            do_create_invite(self.alice, self.museum, role=Role.OWNER)
        with self.assertRaises(ActionRefused):
            do_create_invite(self.alice, self.museum, days=366)
        with self.assertRaises(ActionRefused):
            do_create_invite(self.alice, self.museum, max_uses=0)
        self.assertFalse(Invite.objects.exists())

    def test_many_new_members_share_a_limited_invitation_fairly(self):
        invite = do_create_invite(self.alice, self.quiet_room, max_uses=3)
        people = [make_user(f"Guest{number}") for number in range(5)]
        accepted = 0
        for person in people:
            try:
                do_accept_invite(person, invite)
                accepted += 1
            except ActionRefused:
                pass
        invite.refresh_from_db()
        self.assertEqual((accepted, invite.use_count), (3, 3))
