from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "SAMMEN_NAME": settings.SAMMEN_NAME,
        "SAMMEN_TAGLINE": settings.SAMMEN_TAGLINE,
        "LANGUAGE_CHOICES": settings.LANGUAGES,
    }
