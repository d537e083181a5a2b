"""Recomputing opinion maps in the background, debounced: never in a request.

Every vote asks for a recompute after its transaction commits. The first ask in a
quiet conversation enqueues one task to run a few seconds later and marks the
conversation in the cache until then; the asks in between find the mark and do
nothing, as the waiting task will read their votes anyway. A task that finds votes
newer than the ones it read asks again, so the last vote of a burst is never left
out. The mark is only an optimisation: lose it and a second task runs, and the
revision check in do_recompute_opinion_map keeps the newest result.
"""

import logging
from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone
from django_tasks import task

from .models import Conversation, StoredMap, Vote

logger = logging.getLogger(__name__)

# A conversation's map is recomputed at most once in this many seconds (more when a
# recompute itself takes long: never more than half the time goes to recomputing).
MIN_DELAY_SECONDS = 5
MAX_DELAY_SECONDS = 300


def debounce_key(conversation_id: int) -> str:
    return f"conversations:recompute:{conversation_id}"


def delay_for(conversation_id: int) -> int:
    last = StoredMap.objects.filter(pk=conversation_id).values_list("seconds", flat=True).first()
    return int(min(MAX_DELAY_SECONDS, max(MIN_DELAY_SECONDS, 2 * (last or 0))))


def schedule_recompute(conversation_id: int) -> bool:
    """Ask for the conversation's map to be recomputed soon; return True if a task was queued.

    A backend that cannot run tasks later (the immediate one of the test suite) runs the
    recompute at once instead.
    """
    backend = recompute_opinion_map.get_backend()
    if not backend.supports_defer:
        recompute_opinion_map.enqueue(conversation_id)
        return True
    delay = delay_for(conversation_id)
    if not cache.add(debounce_key(conversation_id), 1, timeout=delay):
        return False
    recompute_opinion_map.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
        conversation_id
    )
    return True


def is_stale(conversation: Conversation, stored: StoredMap | None) -> bool:
    """Return whether votes or moderation changed after the stored map was computed."""
    if stored is None:
        return Vote.objects.filter(conversation=conversation).exists()
    if (
        conversation.statements_changed_at
        and conversation.statements_changed_at > stored.computed_at
    ):
        return True
    newer = Vote.objects.filter(conversation=conversation)
    if stored.inputs_until is not None:
        newer = newer.filter(updated_at__gt=stored.inputs_until)
    return newer.exists()


@task()
def recompute_opinion_map(conversation_id: int) -> None:
    """Recompute one conversation's opinion map; ask again if votes arrived meanwhile."""
    from .actions import do_recompute_opinion_map

    conversation = (
        Conversation.objects.filter(pk=conversation_id).select_related("activity__space").first()
    )
    if conversation is None:
        return
    stored = do_recompute_opinion_map(conversation)
    if stored is None or not recompute_opinion_map.get_backend().supports_defer:
        return
    conversation.refresh_from_db(fields=["statements_changed_at"])
    cache.delete(debounce_key(conversation_id))
    if is_stale(conversation, stored):
        schedule_recompute(conversation_id)
