"""An owner adds a webhook, copies its secret, pings it and reads the delivery log."""

from playwright.sync_api import expect

from sammen.accounts.actions import do_create_account
from sammen.testing import PASSWORD, make_space
from sammen.testing.webhooks import webhook_receiver
from sammen.webhooks.models import Webhook

from .conftest import DESKTOP
from .test_open_call import sign_in

PHONE_375 = {"width": 375, "height": 740}


def test_an_owner_adds_a_webhook_and_pings_it(screens, assert_accessible):
    owner = do_create_account("owner@example.org", PASSWORD, "Olga Owner")
    space = make_space(owner, "Harbour Museum")
    with webhook_receiver(200, answer=b'{"received": true}') as receiver:
        page = screens.open(viewport=DESKTOP)
        sign_in(page, "owner@example.org")
        page.goto(space.get_absolute_url())
        page.get_by_role("link", name="Webhooks").click()
        expect(page.get_by_text("No webhooks yet.")).to_be_visible()
        assert_accessible(page)
        screens.shot(page, "empty-list")

        page.get_by_label("Address").fill("http://10.0.0.1/hook")
        page.get_by_label("An idea was submitted").check()
        page.get_by_role("button", name="Add the webhook").click()
        expect(page.get_by_text("leads to a private or local network")).to_be_visible()
        screens.shot(page, "refused")

        page.get_by_label("Address").fill(receiver.url)
        page.get_by_label("An idea was submitted").check()
        page.get_by_label("A report was filed").check()
        page.get_by_role("button", name="Add the webhook").click()
        webhook = Webhook.objects.get()
        expect(page.locator("#secret-value")).to_have_value(webhook.secret)
        screens.shot(page, "secret-once")

        page.get_by_role("button", name="Send a test ping").click()
        expect(page.get_by_text("A test ping is on its way.")).to_be_visible()
        expect(page.locator("table code")).to_have_text("200")
        assert receiver.requests[0].headers["Sammen-Event"] == "ping"
        page.get_by_text("What the receiver said").click()
        assert_accessible(page)
        screens.shot(page, "delivery-log")

        page.reload()
        expect(page.locator("#secret-value")).to_have_count(0)
        page.get_by_role("button", name="Show the secret").click()
        expect(page.locator("#secret-value")).to_have_value(webhook.secret)

        phone = screens.open(viewport=PHONE_375)
        sign_in(phone, "owner@example.org")
        phone.goto(webhook.get_absolute_url())
        screens.shot(phone, "phone-detail")
        phone.goto(f"/s/{space.slug}/webhooks/")
        screens.shot(phone, "phone-list")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375

        dutch = screens.open(viewport=DESKTOP, language="nl")
        dutch.goto("/accounts/login/")
        dutch.locator("#id_login").fill("owner@example.org")
        dutch.locator("#id_password").fill(PASSWORD)
        dutch.get_by_role("button", name="Aanmelden").click()
        dutch.wait_for_url("**/")
        dutch.goto(webhook.get_absolute_url())
        expect(dutch.get_by_role("button", name="Stuur een testping")).to_be_visible()
        screens.shot(dutch, "dutch-detail")
