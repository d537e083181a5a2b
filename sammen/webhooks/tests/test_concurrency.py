"""Two owners adding the same address at once: one webhook, and a clear message for the other."""

from django.test import TransactionTestCase

from sammen.core.errors import ActionRefused
from sammen.testing import in_parallel, make_space, make_user
from sammen.webhooks.models import Webhook

from .test_network import resolving

PARALLEL = 6


class ParallelWebhookTests(TransactionTestCase):
    def test_the_same_address_added_at_once_is_kept_once(self):
        owner = make_user("Olga")
        space = make_space(owner, "Busy Museum")

        def add(_number: int) -> str:
            from sammen.webhooks.actions import do_create_webhook

            try:
                do_create_webhook(
                    owner, space, url="https://hooks.example/in", events=["report.filed"]
                )
            except ActionRefused as refusal:
                return refusal.message
            return "created"

        with resolving({"hooks.example": ["93.184.215.14"]}):
            outcomes = in_parallel(PARALLEL, add)
        self.assertEqual(outcomes.count("created"), 1)
        self.assertEqual(
            set(outcomes) - {"created"}, {"This space has a webhook for this address already."}
        )
        self.assertEqual(Webhook.objects.filter(space=space).count(), 1)
