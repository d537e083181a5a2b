"""The conversation's webhook event: a statement added, sent on commit without its author."""

import json

from sammen.conversations.actions import do_add_statement
from sammen.testing import BaseTestCase, participant_of
from sammen.testing.conversations import make_conversation
from sammen.testing.webhooks import make_webhook, webhook_receiver


class StatementEventTests(BaseTestCase):
    def test_adding_a_statement_sends_its_text_and_whether_it_waits_for_approval(self):
        conversation = make_conversation(self.museum, self.alice, moderation="before")
        with webhook_receiver() as receiver:
            make_webhook(self.museum, self.alice, receiver.url, "statement.added")
            with self.captureOnCommitCallbacks(execute=True):
                statement = do_add_statement(
                    participant_of(self.bob), conversation, "The ferry should run at night."
                )
        self.assertEqual(
            [r.headers["Sammen-Event"] for r in receiver.requests], ["statement.added"]
        )
        data = json.loads(receiver.requests[0].body)["data"]
        self.assertEqual(data["activity"]["id"], conversation.activity.pk)
        self.assertEqual(
            data["statement"],
            {
                "id": statement.pk,
                "number": statement.number,
                "text": "The ferry should run at night.",
                "state": "pending",
                "created_at": statement.created_at.isoformat(timespec="seconds"),
            },
        )
        self.assertNotIn("Bob", receiver.requests[0].body.decode())

    def test_seeds_an_organiser_writes_send_nothing(self):
        with webhook_receiver() as receiver:
            make_webhook(self.museum, self.alice, receiver.url, "statement.added")
            with self.captureOnCommitCallbacks(execute=True):
                make_conversation(self.museum, self.alice, open_it=False)
        self.assertEqual(receiver.requests, [])
