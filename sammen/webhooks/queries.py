from django.db.models import Count, Q, QuerySet

from sammen.spaces.models import Space

from .models import Delivery, DeliveryStatus, Webhook


def webhooks_of(space: Space) -> QuerySet[Webhook]:
    """Return the space's webhooks, each with how many deliveries failed for good."""
    return Webhook.objects.filter(space=space).annotate(
        delivery_count=Count("deliveries"),
        failed_count=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)),
    )


def deliveries_of(webhook: Webhook) -> QuerySet[Delivery]:
    """Return the webhook's delivery log, newest first."""
    return Delivery.objects.filter(webhook=webhook).order_by("-created_at", "-id")
