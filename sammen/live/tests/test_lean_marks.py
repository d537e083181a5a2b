"""Which requests take the lean path is said on the views themselves (asgi.lean)."""

import re
from collections.abc import Iterator
from typing import Any

from django.test import SimpleTestCase, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RoutePattern

from ..asgi import (
    LEAN_MARK,
    LONGEST_REMEMBERED_PATH,
    is_lean,
    lean_route_starts,
    remembered_lean_method,
)

CODE = "AB12CD"


def scope(method: str, path: str, *, htmx: bool = True, root_path: str = "") -> dict[str, Any]:
    headers = [(b"host", b"testserver"), (b"cookie", b"a=b")]
    if htmx:
        headers.append((b"hx-request", b"true"))
    return {
        "type": "http",
        "method": method,
        "path": path,
        "root_path": root_path,
        "headers": headers,
    }


def sample_for(converter: Any) -> str:
    """Return a value for a path converter: a number, a code, a slug or a UUID."""
    for sample in ("7", CODE, "harbour", "5c3e1a3e-8f1b-4d8e-9a39-0d6a2a8d6f11"):
        if re.fullmatch(converter.regex, sample):
            return sample
    raise AssertionError(f"no sample value for {converter!r}")


def routes(
    patterns: list[Any] | None = None, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, Any]]:
    """Yield (name, an example path, view) for every path() in the URLconf."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if not isinstance(entry.pattern, RoutePattern):
            continue  # re_path(): no lean view is one
        route = str(entry.pattern)
        for name, converter in entry.pattern.converters.items():
            route = re.sub(rf"<(\w+:)?{name}>", sample_for(converter), route)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from routes(entry.url_patterns, prefix + route, inner)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}", f"/{prefix}{route}", entry.callback


class LeanMarkTests(SimpleTestCase):
    def setUp(self) -> None:
        remembered_lean_method.cache_clear()

    def marked(self) -> dict[str, tuple[str, str]]:
        return {
            name: (getattr(view, LEAN_MARK), path)
            for name, path, view in routes()
            if getattr(view, LEAN_MARK, None) is not None
        }

    def test_the_stream_and_the_participants_htmx_writes_are_marked_and_nothing_else(self):
        self.assertEqual(
            {name: method for name, (method, _path) in self.marked().items()},
            {
                "live:events": "GET",
                "live:ask": "POST",
                "live:upvote": "POST",
                "live:answer": "POST",
                "live:react": "POST",
            },
        )

    def test_every_view_marked_lean_is_resolved_as_lean(self):
        for name, (method, path) in self.marked().items():
            with self.subTest(name=name, path=path):
                self.assertEqual(resolve(path).view_name, name)
                self.assertTrue(is_lean(scope(method, path)))
                # And again, from the remembered resolution.
                self.assertTrue(is_lean(scope(method, path)))

    def test_live_views_that_are_not_marked_take_the_full_stack(self):
        for method, path in [
            ("GET", f"/live/{CODE}/"),
            ("POST", f"/live/{CODE}/join/"),
            ("POST", f"/live/{CODE}/name/"),
            ("GET", "/s/harbour/a/friday/live/present/"),
            ("POST", "/s/harbour/a/friday/live/polls/7/open/"),
            ("GET", "/join/"),
        ]:
            with self.subTest(method=method, path=path):
                self.assertFalse(is_lean(scope(method, path)))

    def test_a_write_is_lean_only_for_an_htmx_post(self):
        write = f"/live/{CODE}/polls/7/answer/"
        self.assertTrue(is_lean(scope("POST", write)))
        self.assertFalse(is_lean(scope("GET", write)))
        self.assertFalse(is_lean(scope("POST", write, htmx=False)))
        for method in ("HEAD", "PUT", "DELETE", "OPTIONS"):
            self.assertFalse(is_lean(scope(method, write)), method)

    def test_the_stream_is_lean_only_for_a_get(self):
        stream = f"/live/{CODE}/events/"
        self.assertTrue(is_lean(scope("GET", stream, htmx=False)))
        for method in ("POST", "HEAD", "PUT"):
            self.assertFalse(is_lean(scope(method, stream)), method)

    def test_other_paths_and_other_kinds_of_connection_take_the_full_stack(self):
        for path in ["/", "/nowhere/", f"/live/{CODE}/events", f"/live/{CODE}/events/x/"]:
            self.assertFalse(is_lean(scope("GET", path)), path)
        self.assertFalse(is_lean({**scope("GET", f"/live/{CODE}/events/"), "type": "websocket"}))
        self.assertFalse(is_lean({"type": "lifespan"}))

    def test_pages_outside_the_lean_routes_are_answered_without_the_resolver(self):
        self.assertEqual(lean_route_starts(), ("/live/",))
        for path in ["/", "/s/harbour/a/plans/ideas/17/", "/accounts/login/"]:
            self.assertFalse(is_lean(scope("GET", path)), path)
        self.assertEqual(remembered_lean_method.cache_info().currsize, 0)

    def test_a_long_path_is_resolved_but_not_remembered(self):
        long_code = "x" * LONGEST_REMEMBERED_PATH
        self.assertTrue(is_lean(scope("GET", f"/live/{long_code}/events/")))
        self.assertEqual(remembered_lean_method.cache_info().currsize, 0)

    def test_the_path_is_read_below_the_application_s_root(self):
        self.assertTrue(is_lean(scope("GET", f"/sammen/live/{CODE}/events/", root_path="/sammen")))
        with override_settings(FORCE_SCRIPT_NAME="/sammen"):
            self.assertTrue(is_lean(scope("GET", f"/sammen/live/{CODE}/events/")))
            self.assertFalse(is_lean(scope("GET", f"/live/{CODE}/events/x/")))
