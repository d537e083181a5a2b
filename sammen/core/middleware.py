from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

SUPPORTED_LANGUAGES = {code for code, _name in settings.LANGUAGES}


def language_for(request: HttpRequest) -> str:
    """Return the language to use: the person's preference, else their cookie or browser."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        preferred = getattr(user, "preferred_language", "")
        if preferred in SUPPORTED_LANGUAGES:
            return str(preferred)
    return translation.get_language_from_request(request)


def remember_language(response: HttpResponse, language: str) -> None:
    """Keep `language` in the browser's language cookie, for this visit and later ones."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.HTTPS,
        httponly=True,
    )


class LanguageMiddleware:
    """Activate the language for each request (Django's LocaleMiddleware, plus the profile).

    Runs after authentication, so a signed-in person's preferred language follows
    them to any browser; visitors get their cookie or Accept-Language.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", language)
        return response


class PermissionsPolicyMiddleware:
    """Deny browser features Sammen never uses (camera, microphone, location...)."""

    policy = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.policy)
        return response


# Seconds a browser is asked to wait before trying again when the database is too busy.
BUSY_RETRY_AFTER = 5


def is_busy_database(error: BaseException) -> bool:
    """Return whether `error` says the database could not take the request in time: no
    pooled PostgreSQL connection free within DATABASE_POOL_TIMEOUT, or SQLite still
    locked by another writer after its busy timeout. Both pass when the crowd does."""
    from django.db import OperationalError

    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    if cause is not None and type(cause).__name__ == "PoolTimeout":
        return True
    return "database is locked" in str(error)


def busy_response(request: HttpRequest) -> HttpResponse:
    """Say, in the visitor's language, that the site is too busy this moment (503)."""
    from django.template.loader import render_to_string

    html = render_to_string("503.html", {"LANGUAGE_CODE": getattr(request, "LANGUAGE_CODE", "")})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(BUSY_RETRY_AFTER)
    return response


class BusyDatabaseMiddleware:
    """Answer a request the database could not take in time with 503 and Retry-After,
    not a 500: a crowd arriving at once is no fault of the visitor's or of the code's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return busy_response(request) if is_busy_database(exception) else None
