"""What the middleware would give a request that skipped it (see sammen/live/asgi.py)."""

from collections.abc import Callable
from functools import wraps
from importlib import import_module
from typing import Any

from django.conf import settings
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils import translation
from django_htmx.middleware import HtmxDetails

from sammen.accounts.middleware import two_factor_setup_response
from sammen.accounts.permissions import TwoFactorRequired
from sammen.accounts.sso import user_of
from sammen.core.middleware import busy_response, is_busy_database, language_for

from ..asgi import lean


def prepare_bare_request(request: HttpRequest) -> None:
    """Give a request served without middleware its session, user, language and htmx details.

    Raise DisallowedHost for a Host header not in ALLOWED_HOSTS, as CommonMiddleware does
    (the handler answers 400)."""
    if hasattr(request, "user"):
        return
    request.get_host()
    engine = import_module(settings.SESSION_ENGINE)
    request.session = engine.SessionStore(request.COOKIES.get(settings.SESSION_COOKIE_NAME))
    request.user = user_of(request)  # with how they signed in (single sign-on)
    translation.activate(language_for(request))
    request.LANGUAGE_CODE = translation.get_language()
    request.htmx = HtmxDetails(request)  # type: ignore[attr-defined]


def lean_capable(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let a participant's write also be served without middleware, with the same checks;
    mark it so htmx posts to it are (asgi.py)."""

    @lean("POST")
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if hasattr(request, "user"):
            return view(request, *args, **kwargs)  # the normal stack did all this
        prepare_bare_request(request)
        csrf = CsrfViewMiddleware(lambda _request: HttpResponse())
        # All three steps, as the middleware takes them: without process_request a form the
        # view renders would carry a token made from a new secret, which the browser never
        # gets, so the next post from that form would be refused.
        csrf.process_request(request)
        refusal = csrf.process_view(request, view, args, kwargs)
        if refusal is not None:
            return refusal
        try:
            response = view(request, *args, **kwargs)
        except TwoFactorRequired:  # what OwnerTwoFactorMiddleware does on the normal stack
            response = two_factor_setup_response(request)
        except OperationalError as error:  # what BusyDatabaseMiddleware does there
            if not is_busy_database(error):
                raise
            response = busy_response(request)
        csrf.process_response(request, response)  # sets the cookie if a secret was made
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Cache-Control", "private, no-store")
        return response

    return wrapper
