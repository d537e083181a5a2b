import json
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from sammen.accounts.models import User
from sammen.api.actions import MAX_LIFETIME, do_create_token, do_revoke_token
from sammen.api.models import ApiToken, token_digest
from sammen.api.permissions import token_for
from sammen.core.errors import ActionRefused
from sammen.spaces.models import Space
from sammen.testing import BaseTestCase, make_api_token, make_space, make_user

TOKENS_URL = reverse("api:tokens")


class TokenActionTests(BaseTestCase):
    def test_it_stores_only_the_digest_of_a_recognisable_token(self) -> None:
        token, secret = make_api_token(self.bob, [self.museum])
        assert secret.startswith("smn_")
        assert len(secret) > 40
        token.refresh_from_db()
        assert token.digest == token_digest(secret)
        assert not ApiToken.objects.filter(digest=secret).exists()
        assert secret not in (token.shown, token.name, token.digest)
        assert token_for(secret) == token

    def test_it_refuses_spaces_the_person_does_not_belong_to(self) -> None:
        with self.assertRaises(ActionRefused):
            make_api_token(self.charlie, [self.museum])
        assert not ApiToken.objects.exists()

    def test_it_refuses_no_space_and_expiry_beyond_a_year(self) -> None:
        with self.assertRaises(ActionRefused):
            make_api_token(self.bob, [])
        with self.assertRaises(ActionRefused):
            do_create_token(
                self.bob,
                name="Long",
                spaces=[self.museum],
                can_write=False,
                expires_at=timezone.now() + MAX_LIFETIME + timedelta(days=1),
            )
        assert not ApiToken.objects.exists()

    def test_revoked_expired_unknown_and_malformed_tokens_do_not_work(self) -> None:
        revoked, revoked_secret = make_api_token(self.bob, [self.museum])
        do_revoke_token(self.bob, revoked)
        expired, expired_secret = make_api_token(self.bob, [self.museum])
        ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
        for secret in [revoked_secret, expired_secret, "smn_unknown", "nope", "smn_" + "x" * 500]:
            assert token_for(secret) is None

    def test_revoking_someone_elses_token_is_refused(self) -> None:
        token, _secret = make_api_token(self.bob, [self.museum])
        with self.assertRaises(ActionRefused):
            do_revoke_token(self.alice, token)
        token.refresh_from_db()
        assert token.revoked_at is None


class TokenPageTests(BaseTestCase):
    def test_anonymous_visitors_are_sent_to_sign_in(self) -> None:
        response = self.client.get(TOKENS_URL)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]

    def test_it_offers_only_the_persons_spaces(self) -> None:
        make_space(self.charlie, "Charlies Garage")
        self.login(self.bob)
        response = self.client.get(TOKENS_URL)
        self.assertContains(response, "Harbour Museum")
        self.assertNotContains(response, "Charlies Garage")
        self.assertContains(response, "No tokens yet.")

    def test_it_shows_a_new_token_once(self) -> None:
        self.login(self.bob)
        response = self.client.post(
            TOKENS_URL,
            {"name": "Newsroom", "spaces": [self.museum.pk], "access": "write", "lifetime": 30},
        )
        token = ApiToken.objects.get(user=self.bob)
        secret = response.context["secret"]
        assert token_for(secret) == token
        assert token.can_write
        self.assertContains(response, secret)
        assert "no-store" in response["Cache-Control"]
        again = self.client.get(TOKENS_URL)
        self.assertNotContains(again, secret)
        self.assertContains(again, "Newsroom")
        self.assertContains(again, token.shown)

    def test_it_revokes_a_token_and_only_ones_own(self) -> None:
        token, secret = make_api_token(self.bob, [self.museum])
        self.login(self.alice)
        url = reverse("api:revoke_token", args=[token.pk])
        assert self.client.post(url).status_code == 404
        self.login(self.bob)
        response = self.client.post(url, follow=True)
        self.assertContains(response, "no longer works")
        assert token_for(secret) is None
        assert self.client.get(url).status_code == 405

    def test_the_page_speaks_dutch(self) -> None:
        self.bob.preferred_language = "nl"
        self.bob.save(update_fields=["preferred_language"])
        self.login(self.bob)
        response = self.client.get(TOKENS_URL, HTTP_ACCEPT_LANGUAGE="nl")
        self.assertContains(response, "API-tokens")


class TokenFormFuzzTests(HypothesisTestCase):
    bob: User
    space: Space

    @classmethod
    def setUpTestData(cls) -> None:
        cls.bob = make_user("Bob")
        cls.space = make_space(cls.bob, "Bobs Place")

    @settings(max_examples=40, deadline=None)
    @given(
        name=st.text(max_size=120),
        spaces=st.lists(st.one_of(st.text(max_size=30), st.integers()), max_size=3),
        access=st.text(max_size=10),
        lifetime=st.one_of(st.text(max_size=10), st.integers()),
    )
    def test_bad_input_is_refused_with_a_message_and_creates_nothing(
        self, name: str, spaces: list[object], access: str, lifetime: object
    ) -> None:
        self.client.force_login(self.bob)
        response = self.client.post(
            TOKENS_URL,
            {
                "name": name,
                "spaces": [str(s) for s in spaces],
                "access": access,
                "lifetime": str(lifetime),
            },
        )
        assert response.status_code == 200
        if response.context["secret"] is None:
            assert not ApiToken.objects.exists()
            assert response.context["form"].errors
        ApiToken.objects.all().delete()


class TokenDataTests(BaseTestCase):
    def test_download_my_data_lists_tokens_without_their_secret(self) -> None:
        _token, secret = make_api_token(self.bob, [self.museum], write=True)
        self.login(self.bob)
        data = json.loads(self.client.get(reverse("accounts:download_data")).content)
        tokens = data["api_tokens"]
        assert tokens[0]["spaces"] == ["harbour-museum"]
        assert tokens[0]["can_write"]
        assert secret not in json.dumps(data)
