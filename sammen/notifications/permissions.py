from django.shortcuts import get_object_or_404

from sammen.accounts.models import User

from .models import Notification


def access_notification(user: User, notification_id: int) -> Notification:
    """Return the person's own notification; anyone else's is a 404, as a missing one is."""
    return get_object_or_404(Notification, pk=notification_id, user=user)
