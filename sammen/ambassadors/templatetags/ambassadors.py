from typing import Any

from django import template

from sammen.spaces.models import Space
from sammen.spaces.permissions import AnyUser

from ..queries import ambassador_of

register = template.Library()


@register.inclusion_tag("ambassadors/_your_links.html")
def your_ambassador_links(user: AnyUser, space: Space) -> dict[str, Any]:
    """Point an invited or active ambassador to their page from the space's home."""
    ambassador = ambassador_of(user, space) if user.is_authenticated else None
    shown = ambassador is not None and ambassador.state in {"invited", "active"}
    return {"ambassador": ambassador if shown else None, "space": space}
