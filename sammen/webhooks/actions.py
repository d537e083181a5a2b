"""Every write of webhooks: owners' changes, emitting events, and recording attempts.

Apps emit with `emit(space, event, data)` inside their action; once the action's
transaction commits, each active webhook of the space that subscribes to the event gets
a `Delivery` and a task that sends it (tasks.py).
"""

import json
import logging
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sammen.accounts.models import User
from sammen.audit.actions import do_log_audit_entry
from sammen.core.errors import ActionRefused
from sammen.spaces.models import Space

from .audit_actions import AuditAction
from .models import (
    ERROR_MAX_LENGTH,
    RESPONSE_EXCERPT_MAX_LENGTH,
    Delivery,
    DeliveryStatus,
    Webhook,
)
from .network import UnsafeTarget, check_target
from .registry import PING, UnknownWebhookEvent, is_registered_event
from .signing import new_secret

logger = logging.getLogger(__name__)

MAX_WEBHOOKS_PER_SPACE = 10
# A delivery is tried at most this many times; after attempt n fails, the next waits
# BACKOFF_FIRST * BACKOFF_FACTOR ** (n - 1): 1, 4, 16 and 64 minutes.
MAX_ATTEMPTS = 5
BACKOFF_FIRST = timedelta(minutes=1)
BACKOFF_FACTOR = 4
# Finished deliveries are kept this long in the log (a daily job forgets older ones).
KEEP_DELIVERIES = timedelta(days=30)
# After this many deliveries in a row fail (each after all its attempts), the webhook
# is turned off and the space's owners are emailed.
DISABLE_AFTER_FAILURES = 5


def backoff(attempt: int) -> timedelta:
    """Return how long to wait after attempt `attempt` (1, 2, ...) failed."""
    return BACKOFF_FIRST * BACKOFF_FACTOR ** (attempt - 1)


def absolute(url: str) -> str:
    """Return a path of the site as the full address receivers can follow."""
    return f"{settings.SAMMEN_BASE_URL}{url}" if url.startswith("/") else url


def check_events(events: list[str]) -> list[str]:
    if not events:
        raise ActionRefused(_("Choose at least one event."), field="events")
    if not all(is_registered_event(event) for event in events):
        raise ActionRefused(_("Choose among the events offered."), field="events")
    return sorted(set(events))


def check_webhook_url(url: str) -> None:
    """Refuse an address Sammen would not send to now (it is checked again on each delivery)."""
    try:
        check_target(url)
    except UnsafeTarget as refusal:
        raise ActionRefused(refusal.message, field="url") from None


def do_create_webhook(actor: User, space: Space, *, url: str, events: list[str]) -> Webhook:
    """Add a webhook to the space, with a new secret, once its address proves public."""
    events = check_events(events)
    check_webhook_url(url)
    duplicate = _("This space has a webhook for this address already.")
    if Webhook.objects.filter(space=space, url=url).exists():
        raise ActionRefused(duplicate, field="url")
    if Webhook.objects.filter(space=space).count() >= MAX_WEBHOOKS_PER_SPACE:
        raise ActionRefused(
            _("A space has at most %(count)s webhooks.") % {"count": MAX_WEBHOOKS_PER_SPACE}
        )
    try:
        with transaction.atomic():
            webhook = Webhook.objects.create(
                space=space, url=url, secret=new_secret(), events=events, created_by=actor
            )
            do_log_audit_entry(actor, space, AuditAction.WEBHOOK_CREATED, webhook)
    except IntegrityError:  # the same address added twice at the same moment
        raise ActionRefused(duplicate, field="url") from None
    return webhook


def do_update_webhook_events(actor: User, webhook: Webhook, events: list[str]) -> None:
    events = check_events(events)
    with transaction.atomic():
        Webhook.objects.filter(pk=webhook.pk).update(events=events)
        webhook.events = events
        do_log_audit_entry(actor, webhook.space, AuditAction.WEBHOOK_UPDATED, webhook)


def do_enable_webhook(actor: User, webhook: Webhook) -> None:
    """Turn a webhook on again, with a clean slate of failures."""
    with transaction.atomic():
        Webhook.objects.filter(pk=webhook.pk).update(
            is_active=True, consecutive_failures=0, disabled_at=None
        )
        do_log_audit_entry(actor, webhook.space, AuditAction.WEBHOOK_ENABLED, webhook)
    webhook.refresh_from_db()


def do_disable_webhook(actor: User, webhook: Webhook) -> None:
    with transaction.atomic():
        Webhook.objects.filter(pk=webhook.pk).update(is_active=False)
        do_log_audit_entry(actor, webhook.space, AuditAction.WEBHOOK_DISABLED, webhook)
    webhook.refresh_from_db()


def do_delete_webhook(actor: User, webhook: Webhook) -> None:
    """Delete a webhook and its delivery log; deliveries still queued are dropped."""
    with transaction.atomic():
        do_log_audit_entry(actor, webhook.space, AuditAction.WEBHOOK_DELETED, webhook)
        webhook.delete()


def do_show_webhook_secret(actor: User, webhook: Webhook) -> str:
    """Return the webhook's secret to an owner, and note in the audit log that they read it."""
    do_log_audit_entry(actor, webhook.space, AuditAction.WEBHOOK_SECRET_SHOWN, webhook)
    return webhook.secret


def body_of(event: str, event_id: uuid.UUID, space: Space, data: dict[str, Any]) -> str:
    payload = {
        "id": str(event_id),
        "event": event,
        "created_at": timezone.now().isoformat(timespec="seconds"),
        "space": {
            "slug": space.slug,
            "name": space.name,
            "url": absolute(space.get_absolute_url()),
        },
        "data": data,
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def queue_delivery(webhook: Webhook, event: str, event_id: uuid.UUID, body: str) -> Delivery:
    from .tasks import schedule_attempt

    delivery = Delivery.objects.create(webhook=webhook, event=event, event_id=event_id, body=body)
    schedule_attempt(delivery.pk, 1)
    return delivery


EventData = dict[str, Any] | Callable[[], dict[str, Any]]


def send_event(space_id: int, event: str, data: EventData) -> list[Delivery]:
    """Queue the event for each active webhook of the space that subscribes to it."""
    webhooks = [
        webhook
        for webhook in Webhook.objects.filter(space_id=space_id, is_active=True).select_related(
            "space"
        )
        if webhook.subscribes_to(event)
    ]
    if not webhooks:
        return []
    event_id = uuid.uuid4()
    body = body_of(event, event_id, webhooks[0].space, data() if callable(data) else data)
    return [queue_delivery(webhook, event, event_id, body) for webhook in webhooks]


def emit(space: Space | int, event: str, data: EventData) -> None:
    """Tell the space's webhooks that `event` happened, once the caller's transaction commits.

    `data` is the event's own part of the body, or a function that returns it, called
    after the commit and only when a webhook wants the event (so a busy action pays
    nothing for a space without webhooks). It must be JSON as it is: ids, titles,
    absolute URLs, timestamps and public display names, nothing personal beyond those.
    A failure here is logged and leaves the caller's change alone.
    """
    if not is_registered_event(event):
        raise UnknownWebhookEvent(f"No app registers the webhook event {event!r}.")
    space_id = space if isinstance(space, int) else space.pk
    transaction.on_commit(partial(send_event, space_id, event, data), robust=True)


def do_ping_webhook(actor: User, webhook: Webhook) -> Delivery:
    """Send the webhook a test event, once (no retries, and it counts as no failure)."""
    if not webhook.is_active:
        raise ActionRefused(_("Turn the webhook on before you send a test ping."))
    event_id = uuid.uuid4()
    data = {"message": "Hello from Sammen.", "sent_by": actor.display_name}
    body = body_of(PING, event_id, webhook.space, data)
    return queue_delivery(webhook, PING, event_id, body)


def do_redeliver(actor: User, delivery: Delivery) -> Delivery:
    """Send a delivery's event again, as a new delivery with the same event id and body."""
    webhook = delivery.webhook
    if not webhook.is_active:
        raise ActionRefused(_("Turn the webhook on before you send anything again."))
    if not delivery.is_finished:
        raise ActionRefused(_("This delivery is still being tried. Wait until it ends."))
    return queue_delivery(webhook, delivery.event, delivery.event_id, delivery.body)


def max_attempts_of(delivery: Delivery) -> int:
    return 1 if delivery.event == PING else MAX_ATTEMPTS


def do_record_attempt(
    delivery_id: int,
    attempt: int,
    *,
    status_code: int | None = None,
    excerpt: str = "",
    error: str = "",
    now: datetime | None = None,
) -> timedelta | None:
    """Record how attempt `attempt` went; return how long to wait before the next, or None.

    A status in 2xx is a success. A failure is retried with back-off until MAX_ATTEMPTS;
    a delivery that fails for good counts against its webhook, which is turned off after
    DISABLE_AFTER_FAILURES in a row (its owners are emailed once). An attempt recorded
    already (a task run twice) changes nothing.
    """
    now = now or timezone.now()
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update()
            .filter(pk=delivery_id, attempts=attempt - 1)
            .first()
        )
        if delivery is None or delivery.is_finished:
            return None
        delivery.attempts = attempt
        delivery.last_attempt_at = now
        delivery.status_code = status_code
        delivery.response_excerpt = excerpt[:RESPONSE_EXCERPT_MAX_LENGTH]
        delivery.error = error[:ERROR_MAX_LENGTH]
        succeeded = status_code is not None and 200 <= status_code < 300
        wait = None
        if succeeded:
            delivery.status = DeliveryStatus.SUCCEEDED
        elif attempt < max_attempts_of(delivery):
            wait = backoff(attempt)
            delivery.status = DeliveryStatus.RETRYING
        else:
            delivery.status = DeliveryStatus.FAILED
        delivery.next_attempt_at = now + wait if wait is not None else None
        delivery.finished_at = None if wait is not None else now
        delivery.save(
            update_fields=[
                "attempts",
                "last_attempt_at",
                "status_code",
                "response_excerpt",
                "error",
                "status",
                "next_attempt_at",
                "finished_at",
            ]
        )
        if delivery.event != PING:
            if succeeded:
                Webhook.objects.filter(pk=delivery.webhook_id, consecutive_failures__gt=0).update(
                    consecutive_failures=0
                )
            elif wait is None:
                count_failure(delivery.webhook_id, now)
    return wait


def count_failure(webhook_id: int, now: datetime) -> None:
    """Count a delivery that failed for good; turn the webhook off after too many in a row."""
    Webhook.objects.filter(pk=webhook_id).update(consecutive_failures=F("consecutive_failures") + 1)
    turned_off = Webhook.objects.filter(
        pk=webhook_id, is_active=True, consecutive_failures__gte=DISABLE_AFTER_FAILURES
    ).update(is_active=False, disabled_at=now)
    if turned_off:
        from .tasks import tell_owners_webhook_disabled

        transaction.on_commit(partial(tell_owners_webhook_disabled.enqueue, webhook_id))


def do_stop_delivery(delivery_id: int, attempt: int, error: str) -> None:
    """End a delivery without sending it (its webhook was turned off meanwhile)."""
    Delivery.objects.filter(pk=delivery_id, attempts=attempt - 1).exclude(
        status__in=[DeliveryStatus.SUCCEEDED, DeliveryStatus.FAILED]
    ).update(
        status=DeliveryStatus.FAILED, error=error, finished_at=timezone.now(), next_attempt_at=None
    )


def do_forget_old_deliveries(now: datetime | None = None) -> int:
    """Delete finished deliveries older than KEEP_DELIVERIES; return how many (a daily job)."""
    before = (now or timezone.now()) - KEEP_DELIVERIES
    deleted, _by_model = Delivery.objects.filter(
        finished_at__lt=before,
        status__in=[DeliveryStatus.SUCCEEDED, DeliveryStatus.FAILED],
    ).delete()
    return deleted
