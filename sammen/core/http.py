from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """A request as views see it behind django-htmx's middleware."""

    htmx: HtmxDetails


def safe_next_url(request: HttpRequest, candidate: str | None, fallback: str) -> str:
    """Return `candidate` if it leads to a page of this site, else `fallback`.

    Use it for every redirect target a request brings (`next`, the Referer): Django's
    url_has_allowed_host_and_scheme refuses other hosts, "//host", "/\\host",
    "javascript:" and, on HTTPS, plain http, so no link can send people elsewhere.
    """
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback
