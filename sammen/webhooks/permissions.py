from dataclasses import dataclass

from django.shortcuts import get_object_or_404

from sammen.spaces.models import Role
from sammen.spaces.permissions import AnyUser, SpaceAccess, access_space

from .models import Delivery, Webhook


@dataclass(frozen=True)
class WebhookAccess:
    """A webhook as one of its space's owners may use it."""

    space_access: SpaceAccess
    webhook: Webhook


def access_webhooks(user: AnyUser, space_slug: str) -> SpaceAccess:
    """Return the space for its webhooks' pages: owners only (403 for others who see it)."""
    return access_space(user, space_slug, min_role=Role.OWNER)


def access_webhook(user: AnyUser, space_slug: str, webhook_id: int) -> WebhookAccess:
    """Return a webhook of the space for one of its owners; 404 when the space has none such."""
    access = access_webhooks(user, space_slug)
    webhook = get_object_or_404(
        Webhook.objects.select_related("space"), pk=webhook_id, space=access.space
    )
    return WebhookAccess(space_access=access, webhook=webhook)


def access_delivery(access: WebhookAccess, delivery_id: int) -> Delivery:
    return get_object_or_404(
        Delivery.objects.select_related("webhook__space"), pk=delivery_id, webhook=access.webhook
    )
