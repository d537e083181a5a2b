"""One person's upvotes, sent all at once, stop exactly at their limit."""

from django.test import Client, TransactionTestCase

from sammen.accounts.actions import do_create_account
from sammen.accounts.participants import COOKIE_NAME
from sammen.testing import cache_without_redis, fresh_window, in_parallel, make_space
from sammen.testing.live import join_anonymously, make_session

from ..actions import do_ask_question
from ..models import Attendee, Upvote
from ..views.room import UPVOTES_PER_MINUTE

QUESTIONS = UPVOTES_PER_MINUTE + 10


class ParallelUpvoteTests(TransactionTestCase):
    def test_parallel_upvotes_of_one_attendee_stop_exactly_at_the_limit(self):
        owner = do_create_account("owner@example.org", "x" * 12, "Owner")
        session = make_session(make_space(owner, "Town"), owner)
        room = f"/live/{session.code}/"
        asker = join_anonymously(session)
        questions = [do_ask_question(asker, f"Question {n}?") for n in range(QUESTIONS)]
        browser = Client()
        browser.post(f"{room}join/", {"name": "Pia"})
        cookie = browser.cookies[COOKIE_NAME].value
        pia = Attendee.objects.get(name="Pia")

        def upvote(number: int) -> int:
            client = Client()
            client.cookies[COOKIE_NAME] = cookie
            return client.post(f"{room}questions/{questions[number].pk}/upvote/").status_code

        fresh_window(60)
        with cache_without_redis():
            statuses = in_parallel(QUESTIONS, upvote)
        self.assertEqual(set(statuses), {302})
        self.assertEqual(Upvote.objects.filter(attendee=pia).count(), UPVOTES_PER_MINUTE)
