"""A URLconf for the tests of one-time email links: pages that take a token, and nothing else."""

from django.http import HttpRequest, HttpResponse
from django.urls import path


def opened(request: HttpRequest, token: str, space: str = "") -> HttpResponse:
    return HttpResponse(token)


urlpatterns = [
    path("confirm/<str:token>/", opened, name="confirm"),
    path("s/<slug:space>/confirm/<str:token>/", opened, name="confirm_in_space"),
]
