"""Whatever an owner types into the webhook form: created when sound, else a clear message."""

import ipaddress
import socket
from unittest import mock

from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from sammen.testing import BaseTestCase
from sammen.webhooks.models import URL_MAX_LENGTH, Webhook
from sammen.webhooks.network import check_target
from sammen.webhooks.registry import webhook_events

PRIVATE = ipaddress.ip_network("10.0.0.0/8")


def fake_getaddrinfo(host, port, *args, **kwargs):
    """Resolve without the network: literal addresses as they are, "*.lan" privately."""
    try:
        address = str(ipaddress.ip_address(host))
    except ValueError:
        if not host or len(host) > 253:
            raise socket.gaierror from None
        address = "10.0.0.1" if host.endswith(".lan") else "93.184.215.14"
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    return [(family, socket.SOCK_STREAM, 6, "", (address, port))]


hosts = st.one_of(
    st.sampled_from(["hooks.example", "printer.lan", "127.0.0.1", "[::1]", "169.254.169.254"]),
    st.sampled_from(["[::ffff:10.0.0.1]", "8.8.8.8", "[2606:4700::1]", "xn--bcher-kva.example"]),
    st.from_regex(r"[a-z0-9-]{1,20}(\.[a-z]{2,6}){1,2}", fullmatch=True),
    st.text(max_size=30),
)
urls = st.one_of(
    st.text(max_size=600),
    st.builds(
        lambda scheme, credentials, host, port, path: f"{scheme}{credentials}{host}{port}{path}",
        st.sampled_from(["https://", "http://", "HTTPS://", "ftp://", "javascript:", "//", ""]),
        st.sampled_from(["", "", "user:pw@", "@"]),
        hosts,
        st.sampled_from(["", ":443", ":8443", ":0", ":99999", ":x"]),
        st.one_of(st.just("/"), st.text(max_size=40).map(lambda text: "/" + text)),
    ),
    st.just("https://hooks.example/" + "a" * URL_MAX_LENGTH),
)
event_lists = st.lists(
    st.one_of(
        st.sampled_from([event.key for event in webhook_events()]),
        st.sampled_from(["ping", "", "idea.*", "x" * 100]),
        st.text(max_size=20),
    ),
    max_size=5,
)


class WebhookFormInputTests(HypothesisTestCase, BaseTestCase):
    @settings(
        max_examples=150,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(url=urls, events=event_lists)
    def test_any_input_creates_a_sound_webhook_or_is_refused_with_a_message(self, url, events):
        self.client.force_login(self.alice)
        with mock.patch("sammen.webhooks.network.socket.getaddrinfo", fake_getaddrinfo):
            response = self.client.post(
                reverse("webhooks:list", args=[self.museum.slug]), {"url": url, "events": events}
            )
            created = list(Webhook.objects.filter(space=self.museum))
            if response.status_code == 302:
                self.assertEqual(len(created), 1)
                webhook = created[0]
                check_target(webhook.url)  # raises if Sammen would not send to it
                self.assertTrue(webhook.url.lower().startswith("https://"))
                self.assertTrue(webhook.events)
                self.assertLessEqual(set(webhook.events), set(events))
            else:
                self.assertEqual(response.status_code, 200)
                self.assertEqual(created, [])
                self.assertTrue(response.context["form"].errors)
