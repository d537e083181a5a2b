from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """A request as views see it behind django-htmx's middleware."""

    htmx: HtmxDetails
