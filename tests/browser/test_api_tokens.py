"""The token page in a browser: create a token, copy it once, revoke it; and the API
reference, on a phone and on a desktop."""

from playwright.sync_api import expect

from sammen.accounts.actions import do_create_account
from sammen.api.models import ApiToken
from sammen.testing import PASSWORD, make_space

from .conftest import DESKTOP, PHONE
from .test_co_author_picker import sign_in


def test_a_person_creates_copies_and_revokes_a_token(screens, assert_accessible):
    owner = do_create_account("curator@example.org", PASSWORD, "Carla Curator")
    make_space(owner, "Harbour Museum")
    make_space(owner, "Summer Festival")
    for viewport, label in [(PHONE, "phone"), (DESKTOP, "desktop")]:
        page = screens.open(viewport)
        sign_in(page, "curator@example.org")
        page.goto("/accounts/tokens/")
        assert_accessible(page)
        page.get_by_label("Name").fill(f"Newsroom graphic ({label})")
        page.get_by_label("Harbour Museum").check()
        page.get_by_label("Read and write").check()
        page.get_by_role("button", name="Create the token").click()
        secret = page.locator("#token-secret")
        expect(secret).to_have_value(ApiToken.objects.latest("pk").shown + secret.input_value()[8:])
        assert secret.input_value().startswith("smn_")
        screens.shot(page, f"created-{label}")
        assert_accessible(page)
        page.goto("/accounts/tokens/")
        expect(page.locator("#token-secret")).to_have_count(0)
        page.get_by_role("button", name="Revoke").first.click()
        expect(page.get_by_text("no longer works")).to_be_visible()
        screens.shot(page, f"revoked-{label}")
        docs = screens.open(viewport)
        docs.goto("/api/docs/")
        expect(docs.get_by_role("heading", name="Sammen API v1")).to_be_visible()
        screens.shot(docs, f"docs-{label}")
        assert_accessible(docs)
    assert ApiToken.objects.filter(revoked_at__isnull=False).count() == 2
