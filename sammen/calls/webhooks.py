"""The open call's webhook events: an idea submitted, an idea answered."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from sammen.activities.webhooks import activity_data, timestamp
from sammen.webhooks.actions import absolute
from sammen.webhooks.registry import register_webhook_event

from .models import Idea

IDEA_SUBMITTED = "idea.submitted"
IDEA_ANSWERED = "idea.answered"


def register_events() -> None:
    register_webhook_event(IDEA_SUBMITTED, _("An idea was submitted"))
    register_webhook_event(IDEA_ANSWERED, _("An idea was answered"))


def idea_data(idea_id: int) -> dict[str, Any]:
    """Return the idea as webhook events show it, read once it is committed.

    The author is named as the idea's page names them: not at all in blind mode
    before the final answer.
    """
    idea = Idea.objects.select_related("call__activity__space", "author__user").get(pk=idea_id)
    return {
        "activity": activity_data(idea.call.activity),
        "idea": {
            "id": idea.pk,
            "title": idea.title,
            "url": absolute(idea.get_absolute_url()),
            "author": None if idea.author_is_hidden() else idea.author.public_name,
            "status": idea.status,
            "answer": idea.answer or None,
            "created_at": timestamp(idea.created_at),
            "answered_at": timestamp(idea.answered_at),
        },
    }
