"""A small OpenID Connect provider for the tests, on 127.0.0.1 in a thread of the test run.

It does what an organisation's sign-in service does for Sammen, and no more: its
discovery document, /authorize (which approves at once and sends the browser back with
a code, as if the person had signed in there), /token (an RS256-signed id_token, from a
key made for this run), /userinfo and /jwks. It checks the client's secret, the
redirect address and PKCE, so a test fails if Sammen gets those wrong.
"""

import base64
import hashlib
import json
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.client import HTTPConnection
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client, override_settings
from django.urls import reverse

CLIENT_ID = "sammen-tests"
CLIENT_SECRET = "a-secret-for-the-tests"  # noqa: S105 (a test's own provider)
Environ = dict[str, Any]
StartResponse = Callable[..., Any]


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class Person:
    """Who signs in at the provider: its claims about them."""

    sub: str
    email: str
    email_verified: bool = True
    name: str = ""

    def claims(self) -> dict[str, Any]:
        return {
            "sub": self.sub,
            "email": self.email,
            "email_verified": self.email_verified,
            "name": self.name,
        }


@dataclass
class _Grant:
    person: Person
    redirect_uri: str
    nonce: str | None
    code_challenge: str | None


@dataclass
class OIDCProvider:
    """The provider; `person` is who the next sign-in is."""

    person: Person = field(default_factory=lambda: Person("u-1", "ada@example.org", name="Ada"))
    base_url: str = ""
    authorizations: int = 0
    stop: Callable[[], None] = lambda: None  # stops the server, as if it went down
    _grants: dict[str, _Grant] = field(default_factory=dict)
    _tokens: dict[str, Person] = field(default_factory=dict)
    _key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )

    # The WSGI application.

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        routes = {
            "/.well-known/openid-configuration": self._discovery,
            "/authorize": self._authorize,
            "/token": self._token,
            "/userinfo": self._userinfo,
            "/jwks": self._jwks,
        }
        handler = routes.get(path)
        if handler is None:
            return _json(start_response, {"error": "not_found"}, "404 Not Found")
        return handler(environ, start_response)

    def _discovery(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        return _json(
            start_response,
            {
                "issuer": self.base_url,
                "authorization_endpoint": f"{self.base_url}/authorize",
                "token_endpoint": f"{self.base_url}/token",
                "userinfo_endpoint": f"{self.base_url}/userinfo",
                "jwks_uri": f"{self.base_url}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": ["client_secret_post"],
                "code_challenge_methods_supported": ["S256"],
            },
        )

    def _authorize(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        query = {key: values[0] for key, values in parse_qs(environ["QUERY_STRING"]).items()}
        if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
            return _json(start_response, {"error": "invalid_request"}, "400 Bad Request")
        self.authorizations += 1
        code = secrets.token_urlsafe(16)
        self._grants[code] = _Grant(
            person=self.person,
            redirect_uri=query["redirect_uri"],
            nonce=query.get("nonce"),
            code_challenge=query.get("code_challenge"),
        )
        back = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
        start_response("302 Found", [("Location", back)])
        return [b""]

    def _token(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        form = {k: v[0] for k, v in parse_qs(environ["wsgi.input"].read(length).decode()).items()}
        grant = self._grants.pop(form.get("code", ""), None)
        if (
            grant is None
            or form.get("client_id") != CLIENT_ID
            or form.get("client_secret") != CLIENT_SECRET
            or form.get("redirect_uri") != grant.redirect_uri
            or not _pkce_matches(grant.code_challenge, form.get("code_verifier"))
        ):
            return _json(start_response, {"error": "invalid_grant"}, "400 Bad Request")
        access_token = secrets.token_urlsafe(16)
        self._tokens[access_token] = grant.person
        now = int(time.time())
        claims = {
            **grant.person.claims(),
            "iss": self.base_url,
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
        }
        if grant.nonce:
            claims["nonce"] = grant.nonce
        id_token = jwt.encode(claims, self._key, algorithm="RS256", headers={"kid": "test"})
        return _json(
            start_response,
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": id_token,
            },
        )

    def _userinfo(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        token = environ.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ")
        person = self._tokens.get(token)
        if person is None:
            return _json(start_response, {"error": "invalid_token"}, "401 Unauthorized")
        return _json(start_response, person.claims())

    def _jwks(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self._key.public_key()))
        return _json(start_response, {"keys": [{**jwk, "kid": "test", "use": "sig"}]})

    # For the tests.

    def app_settings(self, provider_id: str = "acme", name: str = "Acme Login") -> dict:
        """Return this provider as one of allauth's apps in SOCIALACCOUNT_PROVIDERS."""
        return {
            "provider_id": provider_id,
            "name": name,
            "client_id": CLIENT_ID,
            "secret": CLIENT_SECRET,
            "settings": {"server_url": self.base_url},
        }

    def approve(self, authorize_url: str) -> str:
        """Visit the /authorize address as a browser would; return where it sends it back to."""
        parts = urlsplit(authorize_url)
        connection = HTTPConnection(parts.netloc, timeout=10)
        try:
            connection.request("GET", f"{parts.path}?{parts.query}")
            response = connection.getresponse()
            response.read()
            assert response.status == 302, response.status
            return str(response.getheader("Location"))
        finally:
            connection.close()


def _pkce_matches(challenge: str | None, verifier: str | None) -> bool:
    if challenge is None:
        return True
    if not verifier:
        return False
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode() == challenge


def _json(start_response: StartResponse, data: dict, status: str = "200 OK") -> Iterable[bytes]:
    body = json.dumps(data).encode()
    start_response(status, [("Content-Type", "application/json")])
    return [body]


@contextmanager
def running_provider(provider_id: str = "acme", name: str = "Acme Login") -> Iterator[OIDCProvider]:
    """Start a provider on a free port of 127.0.0.1 and configure Sammen to use it."""
    provider = OIDCProvider()
    server = make_server(
        "127.0.0.1", 0, provider, server_class=_ThreadingServer, handler_class=_QuietHandler
    )
    provider.base_url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()

    provider.stop = stop
    try:
        with override_settings(
            SOCIALACCOUNT_PROVIDERS={
                "openid_connect": {
                    "APPS": [provider.app_settings(provider_id, name)],
                    "OAUTH_PKCE_ENABLED": True,
                }
            }
        ):
            yield provider
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def unused_address() -> str:
    """Return the address of a port on 127.0.0.1 where nothing listens (a provider that is down)."""
    server = make_server("127.0.0.1", 0, lambda environ, start_response: [])
    port = server.server_port
    server.server_close()
    return f"http://127.0.0.1:{port}"


def sign_in_with(
    client: Client, provider: OIDCProvider, *, provider_id: str = "acme", next_url: str = ""
) -> Any:
    """Sign in through `provider` with Django's test client, as a browser would.

    Press "Sign in with …" (a POST), follow Sammen's redirect to the provider, which
    approves, and follow the provider's redirect back to Sammen's callback; return
    Sammen's answer to that.
    """
    data = {"process": "login"}
    if next_url:
        data["next"] = next_url
    start = client.post(reverse("openid_connect_login", kwargs={"provider_id": provider_id}), data)
    assert start.status_code == 302, start.status_code
    assert start["Location"].startswith(provider.base_url), start["Location"]
    back = urlsplit(provider.approve(start["Location"]))
    return client.get(f"{back.path}?{back.query}")
