"""Sending deliveries, in the task worker: one task per attempt, the next one deferred.

The task re-enqueues itself with `run_after` for the next attempt (the database backend
defers it; the worker picks it up when due), so a waiting retry holds no worker. A
backend that cannot defer (the immediate one the tests use) tries again at once.
"""

import http.client
import ssl
import time
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from sammen.spaces.models import Membership, Role

from .models import Delivery, DeliveryError, Webhook
from .network import UnsafeTarget, check_target, post
from .signing import SIGNATURE_HEADER, signature_header

USER_AGENT = "Sammen-Webhooks/1"


def schedule_attempt(delivery_id: int, attempt: int, wait: timedelta | None = None) -> None:
    """Enqueue attempt `attempt` of a delivery, after `wait` where the backend can defer."""
    attempt_task = deliver_webhook
    if wait is not None and attempt_task.get_backend().supports_defer:
        attempt_task = attempt_task.using(run_after=timezone.now() + wait)
    attempt_task.enqueue(delivery_id, attempt)


def headers_for(delivery: Delivery, body: bytes, attempt: int) -> dict[str, str]:
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "Sammen-Event": delivery.event,
        "Sammen-Delivery": str(delivery.delivery_id),
        "Sammen-Attempt": str(attempt),
        SIGNATURE_HEADER: signature_header(delivery.webhook.secret, int(time.time()), body),
    }


@task()
def deliver_webhook(delivery_id: int, attempt: int) -> None:
    """Make attempt `attempt` of a delivery: check the target again, sign, send, record."""
    from .actions import do_record_attempt, do_stop_delivery

    delivery = (
        Delivery.objects.select_related("webhook")
        .filter(pk=delivery_id, attempts=attempt - 1)
        .first()
    )
    if delivery is None or delivery.is_finished:
        return  # deleted with its webhook, or this attempt ran already
    if not delivery.webhook.is_active:
        do_stop_delivery(delivery_id, attempt, DeliveryError.WEBHOOK_OFF)
        return
    body = delivery.body.encode()
    outcome: dict[str, object] = {}
    try:
        target = check_target(delivery.webhook.url)
        reply = post(target, body, headers_for(delivery, body, attempt))
    except UnsafeTarget:
        outcome["error"] = DeliveryError.UNSAFE_TARGET
    except TimeoutError:
        outcome["error"] = DeliveryError.TIMEOUT
    except ssl.SSLError:
        outcome["error"] = DeliveryError.TLS
    except (http.client.HTTPException, ValueError):
        outcome["error"] = DeliveryError.BAD_RESPONSE
    except OSError:
        outcome["error"] = DeliveryError.CONNECTION
    else:
        outcome = {"status_code": reply.status_code, "excerpt": reply.excerpt}
    wait = do_record_attempt(
        delivery_id,
        attempt,
        status_code=outcome.get("status_code"),  # type: ignore[arg-type]
        excerpt=str(outcome.get("excerpt", "")),
        error=str(outcome.get("error", "")),
    )
    if wait is not None:
        schedule_attempt(delivery_id, attempt + 1, wait)


@task()
def tell_owners_webhook_disabled(webhook_id: int) -> None:
    """Email each owner of the space, in their language, that a webhook was turned off."""
    from .actions import DISABLE_AFTER_FAILURES, absolute

    webhook = Webhook.objects.select_related("space").filter(pk=webhook_id).first()
    if webhook is None:
        return
    owners = [
        membership.user
        for membership in Membership.objects.filter(
            space=webhook.space, role=Role.OWNER
        ).select_related("user")
    ]
    for owner in owners:
        with translation.override(owner.email_language):
            context = {
                "owner": owner,
                "webhook": webhook,
                "space": webhook.space,
                "failures": DISABLE_AFTER_FAILURES,
                "url": absolute(webhook.get_absolute_url()),
            }
            subject = render_to_string("webhooks/email/disabled_subject.txt", context)
            body = render_to_string("webhooks/email/disabled.txt", context)
        send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [owner.email])
