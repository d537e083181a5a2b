"""The owners' webhook pages: each URL for each persona, and what each one does."""

from unittest import mock

from django.urls import reverse

from sammen.audit.models import AuditEntry
from sammen.testing import BaseTestCase
from sammen.testing.webhooks import make_webhook, webhook_receiver
from sammen.webhooks.actions import MAX_WEBHOOKS_PER_SPACE, do_disable_webhook
from sammen.webhooks.models import DeliveryStatus, Webhook

from .test_network import resolving

PUBLIC_HOST = {"hooks.example": ["93.184.215.14"]}


class WebhookPageTests(BaseTestCase):
    webhook: Webhook

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        with resolving(PUBLIC_HOST):
            cls.webhook = make_webhook(cls.museum, cls.alice, "https://hooks.example/in")

    def urls(self) -> dict[str, tuple[str, str]]:
        """Every webhook URL, with the method it answers."""
        space, pk = self.museum.slug, self.webhook.pk
        delivery = self.webhook.deliveries.create(
            event="ping", body="{}", status=DeliveryStatus.FAILED, attempts=1
        )
        return {
            "list": ("get", reverse("webhooks:list", args=[space])),
            "detail": ("get", reverse("webhooks:detail", args=[space, pk])),
            "secret": ("post", reverse("webhooks:secret", args=[space, pk])),
            "update": ("post", reverse("webhooks:update", args=[space, pk])),
            "ping": ("post", reverse("webhooks:ping", args=[space, pk])),
            "enable": ("post", reverse("webhooks:enable", args=[space, pk])),
            "disable": ("post", reverse("webhooks:disable", args=[space, pk])),
            "delete": ("get", reverse("webhooks:delete", args=[space, pk])),
            "redeliver": (
                "post",
                reverse("webhooks:redeliver", args=[space, pk, delivery.pk]),
            ),
        }

    def test_only_owners_reach_the_pages(self):
        """Moderators, members and outsiders get 403; anonymous visitors are asked to sign in."""
        for persona, expected in [(self.maja, 403), (self.bob, 403), (self.charlie, 403)]:
            self.login(persona)
            for name, (method, url) in self.urls().items():
                with self.subTest(persona=persona.display_name, url=name):
                    response = getattr(self.client, method)(url)
                    self.assertEqual(response.status_code, expected)
        self.login(None)
        for name, (method, url) in self.urls().items():
            with self.subTest(persona="anonymous", url=name):
                response = getattr(self.client, method)(url)
                self.assertEqual(response.status_code, 302)
                self.assertIn("/accounts/login/", response["Location"])
        self.webhook.refresh_from_db()
        self.assertTrue(self.webhook.is_active)
        self.assertTrue(Webhook.objects.filter(pk=self.webhook.pk).exists())

    def test_a_private_space_s_webhooks_are_not_found_by_outsiders(self):
        self.login(self.charlie)
        response = self.client.get(reverse("webhooks:list", args=[self.quiet_room.slug]))
        self.assertEqual(response.status_code, 404)

    def test_a_webhook_of_another_space_is_not_found(self):
        self.login(self.alice)
        url = reverse("webhooks:detail", args=[self.quiet_room.slug, self.webhook.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
        url = reverse("webhooks:redeliver", args=[self.museum.slug, self.webhook.pk, 999999])
        self.assertEqual(self.client.post(url).status_code, 404)

    def test_the_owner_sees_the_list_and_the_tab(self):
        self.login(self.alice)
        response = self.client.get(reverse("webhooks:list", args=[self.museum.slug]))
        self.assertContains(response, "https://hooks.example/in")
        self.assertContains(response, 'aria-current="page">Webhooks</a>', html=False)
        self.login(self.maja)
        response = self.client.get(self.museum.get_absolute_url())
        self.assertNotContains(response, "/webhooks/")

    def test_the_owner_adds_a_webhook_and_sees_its_secret_once(self):
        self.login(self.alice)
        with resolving({"new.example": ["93.184.215.20"]}):
            response = self.client.post(
                reverse("webhooks:list", args=[self.museum.slug]),
                {
                    "url": " https://new.example/sammen ",
                    "events": ["idea.submitted", "report.filed"],
                },
            )
        webhook = Webhook.objects.get(url="https://new.example/sammen")
        self.assertRedirects(response, webhook.get_absolute_url(), fetch_redirect_response=False)
        self.assertEqual(webhook.events, ["idea.submitted", "report.filed"])
        self.assertEqual(webhook.created_by, self.alice)
        page = self.client.get(webhook.get_absolute_url())
        self.assertContains(page, webhook.secret)
        again = self.client.get(webhook.get_absolute_url())
        self.assertNotContains(again, webhook.secret)
        self.assertContains(again, "Show the secret")
        self.assertTrue(
            AuditEntry.objects.filter(action="webhook.created", target_id=str(webhook.pk)).exists()
        )

    def test_bad_addresses_are_refused_with_a_clear_message(self):
        self.login(self.alice)
        url = reverse("webhooks:list", args=[self.museum.slug])
        cases = [
            ("http://hooks.example/in", "must start with https://"),
            ("https://127.0.0.1/in", "private or local network"),
            ("https://10.0.0.8/in", "private or local network"),
            ("https://[::1]/in", "private or local network"),
            ("https://intranet.example/in", "private or local network"),
            ("https://hooks.example/" + "x" * 500, "at most 500 characters"),
            ("https://hooks.example/in", "has a webhook for this address already"),
            ("not a url", "must start with https://"),
            ("", "This field is required."),
        ]
        with resolving({**PUBLIC_HOST, "intranet.example": ["192.168.4.4"]}):
            for address, message in cases:
                with self.subTest(address=address[:40]):
                    response = self.client.post(url, {"url": address, "events": ["report.filed"]})
                    self.assertContains(response, message, status_code=200)
        self.assertEqual(Webhook.objects.count(), 1)

    def test_events_must_be_chosen_among_those_offered(self):
        self.login(self.alice)
        url = reverse("webhooks:list", args=[self.museum.slug])
        with resolving({"new.example": ["93.184.215.20"]}):
            none = self.client.post(url, {"url": "https://new.example/a"})
            odd = self.client.post(url, {"url": "https://new.example/a", "events": ["ping"]})
        self.assertContains(none, "Choose at least one event.")
        self.assertContains(odd, "Choose among the events offered.")
        self.assertEqual(Webhook.objects.count(), 1)

    def test_a_space_has_a_limited_number_of_webhooks(self):
        self.login(self.alice)
        with resolving({"new.example": ["93.184.215.20"]}):
            for number in range(MAX_WEBHOOKS_PER_SPACE - 1):
                make_webhook(self.museum, self.alice, f"https://new.example/{number}")
            response = self.client.post(
                reverse("webhooks:list", args=[self.museum.slug]),
                {"url": "https://new.example/more", "events": ["report.filed"]},
            )
        self.assertContains(response, "at most 10 webhooks")
        self.assertEqual(Webhook.objects.count(), MAX_WEBHOOKS_PER_SPACE)

    def test_the_owner_reveals_the_secret_on_request_and_it_is_audited(self):
        self.login(self.alice)
        url = reverse("webhooks:secret", args=[self.museum.slug, self.webhook.pk])
        response = self.client.post(url, headers={"HX-Request": "true"})
        self.assertContains(response, self.webhook.secret)
        self.assertNotContains(response, "<html")
        self.assertIn("HX-Request", response["Vary"])
        full = self.client.post(url)
        self.assertContains(full, "<html")
        self.assertEqual(AuditEntry.objects.filter(action="webhook.secret_shown").count(), 2)

    def test_the_owner_changes_the_events(self):
        self.login(self.alice)
        url = reverse("webhooks:update", args=[self.museum.slug, self.webhook.pk])
        response = self.client.post(url, {"events": ["statement.added"]})
        self.assertRedirects(response, self.webhook.get_absolute_url())
        self.webhook.refresh_from_db()
        self.assertEqual(self.webhook.events, ["statement.added"])
        refused = self.client.post(url, {"events": ["nonsense"]})
        self.assertContains(refused, "Choose among the events offered.")
        self.webhook.refresh_from_db()
        self.assertEqual(self.webhook.events, ["statement.added"])

    def test_the_owner_turns_it_off_and_on_again_with_a_clean_slate(self):
        self.login(self.alice)
        Webhook.objects.filter(pk=self.webhook.pk).update(consecutive_failures=3)
        self.client.post(reverse("webhooks:disable", args=[self.museum.slug, self.webhook.pk]))
        self.webhook.refresh_from_db()
        self.assertFalse(self.webhook.is_active)
        page = self.client.get(self.webhook.get_absolute_url())
        self.assertContains(page, "Nothing is sent while it is off.")
        self.client.post(reverse("webhooks:enable", args=[self.museum.slug, self.webhook.pk]))
        self.webhook.refresh_from_db()
        self.assertEqual((self.webhook.is_active, self.webhook.consecutive_failures), (True, 0))

    def test_the_owner_deletes_it_after_confirming(self):
        self.login(self.alice)
        url = reverse("webhooks:delete", args=[self.museum.slug, self.webhook.pk])
        self.assertContains(self.client.get(url), "Delete this webhook?")
        self.assertTrue(Webhook.objects.filter(pk=self.webhook.pk).exists())
        response = self.client.post(url)
        self.assertRedirects(response, reverse("webhooks:list", args=[self.museum.slug]))
        self.assertFalse(Webhook.objects.filter(pk=self.webhook.pk).exists())

    def test_a_test_ping_shows_in_the_delivery_log_with_its_status_code(self):
        self.login(self.alice)
        with webhook_receiver(418, answer=b"I am a teapot") as receiver:
            webhook = make_webhook(self.museum, self.alice, receiver.url)
            response = self.client.post(
                reverse("webhooks:ping", args=[self.museum.slug, webhook.pk]), follow=True
            )
        self.assertContains(response, "A test ping is on its way.")
        self.assertContains(response, "<code>418</code>", html=True)
        self.assertContains(response, "I am a teapot")
        self.assertEqual(len(receiver.requests), 1)

    def test_a_ping_to_a_webhook_that_is_off_is_refused(self):
        self.login(self.alice)
        do_disable_webhook(self.alice, self.webhook)
        with mock.patch("sammen.webhooks.tasks.schedule_attempt") as scheduled:
            response = self.client.post(
                reverse("webhooks:ping", args=[self.museum.slug, self.webhook.pk]), follow=True
            )
        self.assertContains(response, "Turn the webhook on before you send a test ping.")
        scheduled.assert_not_called()

    def test_the_owner_sends_a_failed_delivery_again(self):
        self.login(self.alice)
        with webhook_receiver(500, 200) as receiver:
            webhook = make_webhook(self.museum, self.alice, receiver.url)
            self.client.post(reverse("webhooks:ping", args=[self.museum.slug, webhook.pk]))
            failed = webhook.deliveries.get()
            self.assertEqual(failed.status, DeliveryStatus.FAILED)
            response = self.client.post(
                reverse("webhooks:redeliver", args=[self.museum.slug, webhook.pk, failed.pk]),
                follow=True,
            )
        self.assertContains(response, "The event is on its way again.")
        self.assertEqual(
            list(webhook.deliveries.values_list("status", flat=True)), ["succeeded", "failed"]
        )

    def test_the_delivery_log_is_paged(self):
        self.login(self.alice)
        for _number in range(30):
            self.webhook.deliveries.create(event="ping", body="{}", status="succeeded")
        page = self.client.get(self.webhook.get_absolute_url())
        self.assertEqual(len(page.context["page"].object_list), 25)
        second = self.client.get(self.webhook.get_absolute_url() + "?page=2")
        self.assertEqual(len(second.context["page"].object_list), 5)
        odd = self.client.get(self.webhook.get_absolute_url() + "?page=%00")
        self.assertEqual(odd.status_code, 200)
