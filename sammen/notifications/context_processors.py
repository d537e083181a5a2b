from functools import cache, partial
from typing import Any

from django.http import HttpRequest

from .queries import unread_count


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    """Give templates the signed-in person's unread count, counted once and only when shown.

    Templates call the value, so a page or partial that never shows it costs no query;
    anonymous visitors get nothing.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notification_count": cache(partial(unread_count, user))}
