from pathlib import PurePosixPath

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.static import serve

from sammen.accounts.actions import do_set_preferred_language

from .http import safe_next_url
from .middleware import remember_language

SUPPORTED_LANGUAGES = {code for code, _name in settings.LANGUAGES}
SERVED_MEDIA_SUFFIXES = {".webp"}


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language, and remember it in the profile of a signed-in person."""
    language = request.POST.get("language", "")
    next_url = safe_next_url(
        request, request.POST.get("next") or request.headers.get("referer"), reverse("home")
    )
    response = HttpResponseRedirect(next_url)
    if language not in SUPPORTED_LANGUAGES:
        return response
    if request.user.is_authenticated:
        do_set_preferred_language(request.user, language)
    remember_language(response, language)
    return response


def serve_upload(
    request: HttpRequest, path: str, *, cache_control: str = "public, max-age=86400"
) -> HttpResponseBase:
    """Serve an uploaded image. Only the re-encoded WebP files Sammen writes are served."""
    if PurePosixPath(path).suffix.lower() not in SERVED_MEDIA_SUFFIXES:
        raise Http404
    response = serve(request, path, document_root=str(settings.MEDIA_ROOT))
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = cache_control
    return response


@require_GET
def serve_media(request: HttpRequest, path: str) -> HttpResponseBase:
    """Serve avatars, logos and covers, which anyone may see (ideas' images are the
    calls app's: they follow their idea's visibility)."""
    return serve_upload(request, path)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Answer load balancers: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
