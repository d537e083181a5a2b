"""What each kind brings to the API: its routers, registered from its apps.py ready().

The shared API (sammen.api.site) mounts every registered router under /api/v1/ when
the URLs are first built; it never names a kind. A kind's router puts its paths under
an activity ("/spaces/{space_slug}/activities/{activity_slug}/ideas") and finds the
activity with `sammen.api.permissions.api_activity()`, then checks its own access.
"""

from dataclasses import dataclass

from ninja import Router


@dataclass(frozen=True)
class ApiRouter:
    prefix: str
    router: Router
    tag: str


api_routers: dict[str, ApiRouter] = {}


def register_api_router(prefix: str, router: Router, *, tag: str) -> None:
    """Mount `router` at /api/v1/<prefix>, its operations listed under `tag` in the docs.

    Registering the same tag twice replaces the first (apps' ready() may run again in
    tests); the router of a tag is mounted once.
    """
    api_routers[tag] = ApiRouter(prefix=prefix, router=router, tag=tag)


def registered_routers() -> list[ApiRouter]:
    return list(api_routers.values())
