"""No lost or double-counted support, with many people supporting at the same moment."""

import threading

from django.db import close_old_connections, connection
from django.test import TransactionTestCase

from sammen.accounts.actions import do_create_account
from sammen.accounts.models import Participant
from sammen.calls.actions import do_support_idea
from sammen.calls.models import Idea, Support
from sammen.testing import make_call, make_idea, make_space, participant_of

SUPPORTERS = 50


class ConcurrentSupportTests(TransactionTestCase):
    def test_fifty_people_supporting_at_once_are_each_counted_exactly_once(self):
        owner = do_create_account("owner@example.org", "x" * 12, "Owner")
        space = make_space(owner, "Busy Museum")
        call = make_call(space, owner, supporters="anyone")
        idea = make_idea(call, owner)
        people = [
            participant_of(do_create_account(f"p{n}@example.org", "x" * 12, f"P{n}"))
            for n in range(SUPPORTERS)
        ]
        start = threading.Barrier(SUPPORTERS)
        errors: list[BaseException] = []

        def support(participant: Participant) -> None:
            try:
                start.wait()
                # Every person presses twice, as impatient people do.
                do_support_idea(participant, idea)
                do_support_idea(participant, idea)
            except BaseException as error:  # reported below, in the test's own thread
                errors.append(error)
            finally:
                close_old_connections()
                connection.close()

        threads = [threading.Thread(target=support, args=(person,)) for person in people]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        self.assertEqual(errors, [])
        idea.refresh_from_db()
        stored = Support.objects.filter(idea=idea).count()
        self.assertEqual(stored, SUPPORTERS)
        self.assertEqual(idea.support_count, stored)
        self.assertEqual(
            Idea.objects.get(pk=idea.pk).support_count,
            Support.objects.filter(idea=idea).values("participant").distinct().count(),
        )
