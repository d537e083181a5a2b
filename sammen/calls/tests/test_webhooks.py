"""The open call's webhook events: an idea submitted and an idea answered, sent on commit."""

import json

from sammen.calls.actions import do_answer_idea
from sammen.testing import BaseTestCase
from sammen.testing.calls import make_call, make_idea
from sammen.testing.webhooks import make_webhook, webhook_receiver


class IdeaEventTests(BaseTestCase):
    def test_submitting_an_idea_sends_it_with_its_author_s_public_name(self):
        call = make_call(self.museum, self.alice)
        with webhook_receiver() as receiver:
            make_webhook(self.museum, self.alice, receiver.url, "idea.submitted")
            with self.captureOnCommitCallbacks(execute=True):
                idea = make_idea(call, self.bob, "A lighthouse museum")
        self.assertEqual(len(receiver.requests), 1)
        self.assertEqual(receiver.requests[0].headers["Sammen-Event"], "idea.submitted")
        data = json.loads(receiver.requests[0].body)["data"]
        self.assertEqual(data["activity"]["id"], call.activity.pk)
        self.assertEqual(data["idea"]["id"], idea.pk)
        self.assertEqual(data["idea"]["title"], "A lighthouse museum")
        self.assertEqual(data["idea"]["author"], "Bob")
        self.assertEqual(data["idea"]["status"], "published")
        self.assertEqual(data["idea"]["url"], f"http://127.0.0.1:8000{idea.get_absolute_url()}")
        self.assertNotIn("bob@example.org", receiver.requests[0].body.decode())

    def test_in_blind_mode_the_author_stays_unnamed(self):
        call = make_call(self.museum, self.alice, blind=True)
        with webhook_receiver() as receiver:
            make_webhook(self.museum, self.alice, receiver.url, "idea.submitted")
            with self.captureOnCommitCallbacks(execute=True):
                make_idea(call, self.bob)
        data = json.loads(receiver.requests[0].body)["data"]
        self.assertIsNone(data["idea"]["author"])
        self.assertNotIn("Bob", receiver.requests[0].body.decode())

    def test_answering_an_idea_sends_its_status_and_the_answer(self):
        call = make_call(self.museum, self.alice)
        idea = make_idea(call, self.bob)
        with webhook_receiver() as receiver:
            make_webhook(self.museum, self.alice, receiver.url, "idea.answered")
            with self.captureOnCommitCallbacks(execute=True):
                do_answer_idea(self.alice, idea, status="selected", text="We build it in May.")
        self.assertEqual([r.headers["Sammen-Event"] for r in receiver.requests], ["idea.answered"])
        data = json.loads(receiver.requests[0].body)["data"]
        self.assertEqual(
            (data["idea"]["status"], data["idea"]["answer"]), ("selected", "We build it in May.")
        )
        self.assertIsNotNone(data["idea"]["answered_at"])
