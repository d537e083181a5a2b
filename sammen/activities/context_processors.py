from django.http import HttpRequest
from django.urls import reverse

from .kinds import installed_kinds


def kind_stylesheets(request: HttpRequest) -> dict[str, list[str]]:
    """Give every page the stylesheets the installed kinds bring."""
    return {"KIND_STYLESHEETS": [kind.stylesheet for kind in installed_kinds() if kind.stylesheet]}


def join_with_code(request: HttpRequest) -> dict[str, str]:
    """Give every page the address where people join with a code, when a kind has one."""
    for kind in installed_kinds():
        if kind.join_url_name:
            return {"JOIN_URL": reverse(kind.join_url_name)}
    return {}
