"""The shared endpoints over the permission matrix, with the test-only sample kind."""

import json
from typing import Any
from unittest import mock

from django.test import Client
from django.utils import timezone

from sammen.activities.actions import do_close_activity
from sammen.activities.models import Activity
from sammen.api.actions import do_revoke_token
from sammen.api.models import ApiToken
from sammen.api.pagination import encode_cursor
from sammen.testing import BaseTestCase, make_activity, make_api_token

SPACE = "/api/v1/spaces/harbour-museum"


class ApiTestCase(BaseTestCase):
    storylines: Activity
    draft: Activity

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.storylines = make_activity(cls.museum, cls.alice, "Storylines", open_it=True)
        cls.draft = make_activity(cls.museum, cls.alice, "Secret plans")

    def call(
        self, method: str, url: str, secret: str | None, body: Any = None, **headers: str
    ) -> Any:
        client = Client()
        if secret is not None:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
        if body is None:
            return getattr(client, method)(url, **headers)
        return getattr(client, method)(
            url, json.dumps(body), content_type="application/json", **headers
        )


class AuthenticationTests(ApiTestCase):
    def test_calls_without_a_usable_token_get_401_json(self) -> None:
        revoked, revoked_secret = make_api_token(self.bob, [self.museum])
        do_revoke_token(self.bob, revoked)
        expired, expired_secret = make_api_token(self.bob, [self.museum])
        ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
        for secret in [None, "smn_wrong", revoked_secret, expired_secret, "Basic x"]:
            response = self.call("get", f"{SPACE}", secret)
            assert response.status_code == 401, secret
            assert response["Content-Type"].startswith("application/json")
            assert "Bearer" in response.json()["detail"]

    def test_a_signed_in_session_does_not_authenticate_the_api(self) -> None:
        self.login(self.alice)
        response = self.client.get(f"{SPACE}")
        assert response.status_code == 401

    def test_a_token_past_its_rate_limit_gets_429(self) -> None:
        _token, secret = make_api_token(self.bob, [self.museum])
        with mock.patch("sammen.api.auth.CALLS_PER_MINUTE", 2):
            statuses = [self.call("get", SPACE, secret).status_code for _ in range(3)]
        assert statuses == [200, 200, 429]

    def test_a_call_marks_the_token_used(self) -> None:
        token, secret = make_api_token(self.bob, [self.museum])
        self.call("get", SPACE, secret)
        token.refresh_from_db()
        assert token.last_used_at is not None


class ReadTests(ApiTestCase):
    def test_spaces_lists_only_the_tokens_spaces(self) -> None:
        _token, secret = make_api_token(self.alice, [self.quiet_room])
        response = self.call("get", "/api/v1/spaces", secret)
        assert [space["slug"] for space in response.json()["items"]] == ["quiet-room"]
        assert response.json()["items"][0]["role"] == "owner"

    def test_a_space_outside_the_token_is_404(self) -> None:
        _token, secret = make_api_token(self.alice, [self.quiet_room])
        assert self.call("get", SPACE, secret).status_code == 404
        assert self.call("get", f"{SPACE}/activities", secret).status_code == 404
        assert self.call("get", f"{SPACE}/activities/storylines", secret).status_code == 404

    def test_drafts_show_to_organisers_only(self) -> None:
        _token, member = make_api_token(self.bob, [self.museum])
        _token, owner = make_api_token(self.alice, [self.museum])
        seen = self.call("get", f"{SPACE}/activities", member).json()["items"]
        assert [row["slug"] for row in seen] == ["storylines"]
        seen = self.call("get", f"{SPACE}/activities", owner).json()["items"]
        assert {row["slug"] for row in seen} == {"storylines", "secret-plans"}
        assert self.call("get", f"{SPACE}/activities/secret-plans", member).status_code == 404
        assert self.call("get", f"{SPACE}/activities/secret-plans", owner).status_code == 200

    def test_an_activity_comes_with_its_brief_and_measures(self) -> None:
        _token, secret = make_api_token(self.bob, [self.museum])
        body = self.call("get", f"{SPACE}/activities/storylines", secret).json()
        assert body["brief"]["goal"].startswith("An exhibition")
        assert body["brief"]["measures"][0]["measure"] == "Storylines submitted"
        assert body["phase"] == "open"

    def test_the_cursor_walks_every_row_once(self) -> None:
        for number in range(4):
            make_activity(self.museum, self.alice, f"More {number}", open_it=True)
        _token, secret = make_api_token(self.bob, [self.museum])
        seen: list[str] = []
        url = f"{SPACE}/activities?limit=2"
        while url:
            body = self.call("get", url, secret).json()
            seen += [row["slug"] for row in body["items"]]
            url = (
                f"{SPACE}/activities?limit=2&cursor={body['next_cursor']}"
                if body["next_cursor"]
                else ""
            )
        assert len(seen) == 5
        assert len(set(seen)) == 5

    def test_since_and_until_filter_by_time(self) -> None:
        _token, secret = make_api_token(self.bob, [self.museum])
        future = "2999-01-01T00:00:00Z"
        assert self.call("get", f"{SPACE}/activities?since={future}", secret).json()["items"] == []
        rows = self.call("get", f"{SPACE}/activities?until={future}", secret).json()["items"]
        assert len(rows) == 1

    def test_bad_cursors_and_limits_are_422_with_a_message(self) -> None:
        _token, secret = make_api_token(self.bob, [self.museum])
        for query in [
            "cursor=abc",
            f"cursor={encode_cursor(1)}x%00",
            "limit=0",
            "limit=101",
            "since=0001-01-01T00:00:00%2B14:00",
            "until=9999-12-31T23:59:59-14:00",
            "since=yesterday",
        ]:
            response = self.call("get", f"{SPACE}/activities?{query}", secret)
            assert response.status_code == 422, query
            assert response.json()["detail"]

    def test_an_unchanged_read_answers_304_to_its_etag(self) -> None:
        _token, secret = make_api_token(self.bob, [self.museum])
        first = self.call("get", f"{SPACE}/activities/storylines", secret)
        etag = first["ETag"]
        again = self.call("get", f"{SPACE}/activities/storylines", secret, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304
        assert again["ETag"] == etag
        do_close_activity(self.alice, self.storylines)
        changed = self.call(
            "get", f"{SPACE}/activities/storylines", secret, HTTP_IF_NONE_MATCH=etag
        )
        assert changed.status_code == 200
        assert "Authorization" in changed["Vary"]


class AnswerTests(ApiTestCase):
    url = f"{SPACE}/activities/storylines/answer"

    def test_the_answer_matrix(self) -> None:
        do_close_activity(self.alice, self.storylines)
        _t, owner_read = make_api_token(self.alice, [self.museum])
        _t, owner_write = make_api_token(self.alice, [self.museum], write=True)
        _t, member_write = make_api_token(self.bob, [self.museum], write=True)
        _t, wrong_space = make_api_token(self.alice, [self.quiet_room], write=True)
        body = {"answer": "We chose three storylines."}
        assert self.call("post", self.url, None, body).status_code == 401
        assert self.call("post", self.url, wrong_space, body).status_code == 404
        assert self.call("post", self.url, owner_read, body).status_code == 403
        assert self.call("post", self.url, member_write, body).status_code == 403
        self.storylines.refresh_from_db()
        assert self.storylines.answer == ""
        response = self.call("post", self.url, owner_write, body)
        assert response.status_code == 200
        assert response.json()["phase"] == "answered"
        assert self.call("get", self.url, member_write).json()["answer"] == body["answer"]

    def test_answering_an_open_activity_or_with_bad_text_is_422(self) -> None:
        _t, owner = make_api_token(self.alice, [self.museum], write=True)
        response = self.call("post", self.url, owner, {"answer": "Too soon"})
        assert response.status_code == 422
        assert "Close the activity" in response.json()["detail"]
        for bad in [{"answer": ""}, {"answer": "a\x00b"}, {"answer": "x" * 10_001}, {}, []]:
            assert self.call("post", self.url, owner, bad).status_code == 422
        self.storylines.refresh_from_db()
        assert self.storylines.answer == ""

    def test_refusals_speak_the_callers_language(self) -> None:
        _t, owner = make_api_token(self.alice, [self.museum], write=True)
        response = self.call(
            "post", self.url, owner, {"answer": "Te vroeg"}, HTTP_ACCEPT_LANGUAGE="nl"
        )
        assert response.status_code == 422
        assert "Close the activity" not in response.json()["detail"]


class DocsTests(ApiTestCase):
    def test_the_schema_and_its_docs_page_need_no_token(self) -> None:
        schema = self.client.get("/api/openapi.json").json()
        assert "/api/v1/spaces/{space_slug}/activities" in schema["paths"]
        response = self.client.get("/api/docs/")
        self.assertContains(response, "GET /api/v1/spaces/{space_slug}/activities")
        self.assertNotContains(response, "cdn")

    def test_shared_code_names_no_kind_but_the_kinds_register_theirs(self) -> None:
        paths = self.client.get("/api/openapi.json").json()["paths"]
        assert any(path.endswith("/ideas") for path in paths)
        assert any(path.endswith("/statements") for path in paths)
