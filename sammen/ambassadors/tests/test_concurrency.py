from django.test import TransactionTestCase

from sammen.ambassadors.actions import do_invite_ambassador, do_record_visit
from sammen.ambassadors.models import Ambassador, Arrival, Visit, new_visitor_key
from sammen.core.errors import ActionRefused
from sammen.spaces.models import Role
from sammen.testing import in_parallel, make_activity, make_member, make_space, make_user

from .helpers import make_ambassador


class ConcurrentAmbassadorTests(TransactionTestCase):
    def setUp(self):
        self.alice = make_user("Alice")
        self.bob = make_user("Bob")
        self.museum = make_space(self.alice, "Harbour Museum")
        make_member(self.museum, self.bob, Role.MEMBER)

    def test_invitations_at_once_make_one_ambassador(self):
        def invite(_: int) -> bool:
            try:
                do_invite_ambassador(self.alice, self.museum, self.bob)
            except ActionRefused:
                return False
            return True

        results = in_parallel(4, invite)
        self.assertEqual(Ambassador.objects.filter(user=self.bob).count(), 1)
        self.assertEqual(results.count(True), 1)

    def test_one_visitor_opening_a_link_at_once_counts_once(self):
        activity = make_activity(self.museum, self.alice, open_it=True)
        ambassador = make_ambassador(self.museum, self.bob)
        key = new_visitor_key()
        in_parallel(4, lambda _: do_record_visit(ambassador, activity, key, None))
        self.assertEqual(Visit.objects.count(), 1)
        self.assertEqual(Arrival.objects.count(), 1)
