"""Single sign-on through OpenID Connect: which providers this site has, and which of
them the current session signed in with.

Providers come from SAMMEN_OIDC_PROVIDERS (settings.py) and from the "Social
applications" an operator adds in the admin; allauth blends both. The providers a
session signed in with are read from allauth's record of the session's
authentications, and put on the user object of each request (`user_of`), so the
permission functions, which see only a user, can ask `signed_in_with(user)`.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, cast
from urllib.parse import urlsplit

from allauth.account.authentication import get_authentication_records
from allauth.socialaccount.adapter import get_adapter
from django.contrib.auth import get_user
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

if TYPE_CHECKING:
    from .models import User

AnyUser = TypeVar("AnyUser", bound=AbstractBaseUser | AnonymousUser)
OIDC = "openid_connect"
# The attribute a request's user carries: the providers this session signed in with.
SIGNED_IN_WITH = "sammen_signed_in_with"


@dataclass(frozen=True)
class Provider:
    """One OpenID Connect provider people can sign in with: its id in URLs, and its name."""

    id: str
    name: str


def sso_providers() -> list[Provider]:
    """Return the configured OpenID Connect providers, in the order an operator gave them."""
    providers: dict[str, Provider] = {}
    for app in get_adapter().list_apps(None, provider=OIDC):
        if app.provider == OIDC and app.provider_id and app.provider_id not in providers:
            providers[app.provider_id] = Provider(id=app.provider_id, name=app.name)
    return list(providers.values())


def sso_provider(provider_id: str) -> Provider | None:
    """Return the configured provider with this id, or None when there is none (any more)."""
    return next((p for p in sso_providers() if p.id == provider_id), None)


def providers_of_session(request: HttpRequest, user: AbstractBaseUser) -> frozenset[str]:
    """Return the providers with which this session proved to be `user`."""
    return frozenset(
        str(record["provider"])
        for record in get_authentication_records(request, user)
        if record.get("method") == "socialaccount" and record.get("provider")
    )


def note_sign_in(request: HttpRequest, user: AnyUser) -> AnyUser:
    """Put on `user` the providers this session signed in with, and return it."""
    if isinstance(user, AbstractBaseUser):
        setattr(user, SIGNED_IN_WITH, providers_of_session(request, user))
    return user


def user_of(request: HttpRequest) -> "User | AnonymousUser":
    """Return the request's user, as django.contrib.auth.get_user does, noting how they signed in.

    For requests served without the middleware (the live sessions' lean handler).
    """
    return cast("User | AnonymousUser", note_sign_in(request, get_user(request)))


def signed_in_with(user: object) -> frozenset[str]:
    """Return the providers the session of this request's user signed in with.

    A user object that did not come from a request (a test's, a command's) has none:
    where single sign-on is required, it counts as not signed in through it.
    """
    return getattr(user, SIGNED_IN_WITH, frozenset())


def sso_form_origins() -> list[str]:
    """Return the origins of the providers' sign-in pages, for the form-action policy.

    A "Sign in with …" button posts to Sammen, which redirects to the provider; browsers
    apply the Content-Security-Policy's form-action to that redirect too. The sign-in
    page is taken to live where the provider's server_url (its issuer) does, as it does
    with the common providers; `form_origin` in an app's settings says otherwise.
    """
    origins: list[str] = []
    for app in get_adapter().list_apps(None, provider=OIDC):
        url = app.settings.get("form_origin") or app.settings.get("server_url") or ""
        parts = urlsplit(str(url))
        if parts.scheme in {"http", "https"} and parts.netloc:
            origin = f"{parts.scheme}://{parts.netloc}"
            if origin not in origins:
                origins.append(origin)
    return origins


# Set on a request whose page shows a "Sign in with …" button (the sso_login_url tag).
SHOWS_SSO_BUTTON = "sammen_shows_sso_button"


def personal_sso_data(user: "User") -> dict[str, Any]:
    """Return the sign-in services linked to the account, and what each said, for "Download
    my data"."""
    from allauth.socialaccount.models import SocialAccount

    return {
        "connected_accounts": [
            {
                "provider": account.provider,
                "id_there": account.uid,
                "linked": account.date_joined.isoformat(),
                "last_sign_in": account.last_login.isoformat(),
                "what_it_said": account.extra_data,
            }
            for account in SocialAccount.objects.filter(user=user).order_by("date_joined")
        ]
    }
