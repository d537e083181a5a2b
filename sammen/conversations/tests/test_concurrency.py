"""No lost or double-counted vote, with many people voting at the same moment."""

import threading
from collections.abc import Callable
from functools import partial

from django.db import close_old_connections, connection
from django.test import TransactionTestCase

from sammen.accounts.actions import do_create_account, do_create_anonymous_participant
from sammen.accounts.models import Participant
from sammen.testing import make_space
from sammen.testing.conversations import make_conversation, statements_of

from ..actions import do_vote
from ..models import Vote, Voter

PEOPLE = 30


def at_once(jobs: list[Callable[[], None]]) -> list[BaseException]:
    """Run the jobs in threads released together; return what went wrong in them."""
    start = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(job: Callable[[], None]) -> None:
        try:
            start.wait()
            job()
        except BaseException as error:  # reported by the test, in its own thread
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


class ConcurrentVoteTests(TransactionTestCase):
    def setUp(self) -> None:
        owner = do_create_account("owner@example.org", "x" * 12, "Owner")
        space = make_space(owner, "Busy Harbour")
        self.conversation = make_conversation(space, owner)
        self.statement = statements_of(self.conversation)[0]

    def test_thirty_people_voting_at_once_each_count_once_with_their_own_number(self):
        people = [do_create_anonymous_participant() for _n in range(PEOPLE)]

        def vote_twice(participant: Participant) -> Callable[[], None]:
            def vote() -> None:
                # Impatient people press twice, and change their mind.
                do_vote(participant, self.statement, 1)
                do_vote(participant, self.statement, -1)

            return vote

        self.assertEqual(at_once([vote_twice(p) for p in people]), [])
        votes = Vote.objects.filter(statement=self.statement)
        self.assertEqual(votes.count(), PEOPLE)
        self.assertEqual(set(votes.values_list("value", flat=True)), {-1})
        numbers = sorted(
            Voter.objects.filter(conversation=self.conversation).values_list("number", flat=True)
        )
        self.assertEqual(numbers, list(range(PEOPLE)))

    def vote(self, participant: Participant, value: int) -> None:
        do_vote(participant, self.statement, value)

    def test_one_person_voting_from_ten_tabs_at_once_has_one_vote(self):
        person = do_create_anonymous_participant()
        values = [1, -1, 0, 1, -1, 0, 1, -1, 0, 1]
        jobs: list[Callable[[], None]] = [partial(self.vote, person, value) for value in values]
        self.assertEqual(at_once(jobs), [])
        self.assertEqual(Vote.objects.filter(participant=person).count(), 1)
        self.assertEqual(Voter.objects.filter(participant=person).count(), 1)
