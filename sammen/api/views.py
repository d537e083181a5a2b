from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sammen.accounts.views import signed_in_user
from sammen.core.errors import ActionRefused

from .actions import do_create_token, do_revoke_token
from .docs import operations_by_tag
from .forms import WRITE, TokenForm
from .permissions import access_token
from .queries import tokens_of
from .site import sammen_api


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """List the person's tokens and create one, whose secret this response shows once."""
    user = signed_in_user(request)
    form = TokenForm(request.POST or None, user=user)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = do_create_token(
                user,
                name=form.cleaned_data["name"],
                spaces=list(form.cleaned_data["spaces"]),
                can_write=form.cleaned_data["access"] == WRITE,
                expires_at=timezone.now() + timedelta(days=form.cleaned_data["lifetime"]),
            )
        except ActionRefused as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            form = TokenForm(user=user)
    response = render(
        request,
        "api/tokens.html",
        {"form": form, "secret": secret, "tokens": tokens_of(user), "now": timezone.now()},
    )
    add_never_cache_headers(response)  # the secret must not stay in any cache
    return response


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    user = signed_in_user(request)
    token = access_token(user, token_id)
    do_revoke_token(user, token)
    messages.success(request, _("The token “%(name)s” no longer works.") % {"name": token.name})
    return redirect("api:tokens")


@require_GET
def api_docs(request: HttpRequest) -> HttpResponse:
    """Show the API's reference, rendered from its OpenAPI schema."""
    schema: dict[str, Any] = sammen_api().get_openapi_schema()
    return render(
        request,
        "api/docs.html",
        {
            "info": schema["info"],
            "tags": operations_by_tag(schema),
            "schema_url": request.build_absolute_uri("/api/openapi.json"),
        },
    )
