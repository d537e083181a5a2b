from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sammen.spaces.models import Role
from sammen.spaces.permissions import access_space

from .models import AuditEntry

PAGE_SIZE = 50


@login_required
@require_GET
def audit_log(request: HttpRequest, space_slug: str) -> HttpResponse:
    """Show owners what the space's owners and moderators did, newest first."""
    access = access_space(request.user, space_slug, min_role=Role.OWNER)
    entries = AuditEntry.objects.filter(space=access.space).select_related("actor")
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "audit/log.html", {"access": access, "space": access.space, "page": page}
    )
