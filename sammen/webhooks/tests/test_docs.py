"""The verification snippet in docs/webhooks.md checks a real delivery, as published."""

import re
from pathlib import Path
from typing import Any

from sammen.testing import BaseTestCase, make_activity
from sammen.testing.webhooks import make_webhook, webhook_receiver

DOC = Path(__file__).resolve().parents[3] / "docs" / "webhooks.md"


def published_snippet() -> str:
    """Return the Python block that follows the marker in docs/webhooks.md."""
    text = DOC.read_text()
    found = re.search(r"runs this very code[^\n]*\n```python\n(.*?)\n```", text, re.DOTALL)
    assert found is not None, "docs/webhooks.md lost its verification snippet"
    return found.group(1)


class DocumentedSnippetTests(BaseTestCase):
    def test_the_documented_snippet_accepts_a_real_delivery_and_refuses_a_forged_one(self):
        namespace: dict[str, Any] = {}
        exec(compile(published_snippet(), str(DOC), "exec"), namespace)  # noqa: S102
        verify = namespace["verify_sammen_signature"]
        with webhook_receiver() as receiver:
            webhook = make_webhook(self.museum, self.alice, receiver.url)
            with self.captureOnCommitCallbacks(execute=True):
                make_activity(self.museum, self.alice, open_it=True)
        request = receiver.requests[0]
        header = request.headers["Sammen-Signature"]
        self.assertTrue(verify(webhook.secret, header, request.body))
        self.assertFalse(verify(webhook.secret, header, request.body + b" "))
        self.assertFalse(verify("f" * 64, header, request.body))
        self.assertFalse(verify(webhook.secret, header, request.body, tolerance=-1))
        self.assertFalse(verify(webhook.secret, "v1=abc", request.body))
