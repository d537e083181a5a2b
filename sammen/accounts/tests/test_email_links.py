"""The one-time link that proves an address, for every kind: signed per purpose, limited
per network and per address, refused when forged, expired or meant for another flow."""

import re
import time
from unittest import mock

from django.core import mail, signing
from django.http import HttpRequest
from django.test import RequestFactory, override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from sammen.accounts.email_links import (
    LINK_MAX_AGE,
    EmailLinkPurpose,
    OpenedLink,
    read_email_link,
    send_email_link,
)
from sammen.core.errors import ActionRefused
from sammen.testing import BaseTestCase

SUPPORT = EmailLinkPurpose(
    salt="sammen.tests.support",
    bucket="test-support-email",
    url_name="confirm_in_space",
    subject="Confirm your support",
    template="link.txt",
    payload_keys=("i",),
)
TAKE_PART = EmailLinkPurpose(
    salt="sammen.tests.take-part",
    bucket="test-take-part-email",
    url_name="confirm",
    subject="Confirm your address",
    template="link.txt",
)
INVALID = "This link is not valid or has expired. Ask for a new one."
TOO_MANY = "We sent several links already. Check your inbox, or try later."

# The link's page and email, without any kind's: a URLconf of pages that take a token,
# and a one-line template.
links_only = override_settings(
    ROOT_URLCONF="sammen.accounts.tests.link_urls",
    TEMPLATES=[
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {
                "loaders": [
                    (
                        "django.template.loaders.locmem.Loader",
                        {"link.txt": "{{ what }}: {{ link }}"},
                    ),
                ],
            },
        }
    ],
)


def request_from(address: str = "198.51.100.7") -> HttpRequest:
    return RequestFactory().post("/", REMOTE_ADDR=address)


def send(
    purpose: EmailLinkPurpose = TAKE_PART,
    email: str = "visitor@example.org",
    address: str = "198.51.100.7",
) -> str:
    """Send a link of `purpose` and return its token."""
    if purpose is SUPPORT:
        send_email_link(
            request_from(address),
            purpose,
            email,
            url_args=("harbour-museum",),
            payload={"i": 7},
            context={"what": "support"},
        )
    else:
        send_email_link(request_from(address), purpose, email, context={"what": "take part"})
    return token_in(str(mail.outbox[-1].body))


def token_in(body: str) -> str:
    found = re.search(r"/confirm/([^/\s]+)/", body)
    assert found is not None, body
    return found.group(1)


@links_only
class SendingTests(BaseTestCase):
    def test_the_email_goes_to_the_address_lowercased_with_the_purposes_subject_and_page(self):
        send(SUPPORT, " Visitor@Example.ORG ")
        message = mail.outbox[0]
        self.assertEqual(message.to, ["visitor@example.org"])
        self.assertEqual(message.subject, "Confirm your support")
        self.assertRegex(
            str(message.body), r"^support: http://testserver/s/harbour-museum/confirm/[^/]+/$"
        )

    def test_a_link_opens_with_its_address_and_the_ids_of_its_flow(self):
        token = send(SUPPORT, "Visitor@Example.org")
        self.assertEqual(
            read_email_link(SUPPORT, token), OpenedLink("visitor@example.org", {"i": 7})
        )
        self.assertEqual(
            read_email_link(TAKE_PART, send(TAKE_PART)), OpenedLink("visitor@example.org", {})
        )

    def test_a_link_holds_the_address_as_the_links_sent_before_did(self):
        """Links already in inboxes keep working: the address under "e", the ids beside it."""
        token = signing.dumps({"e": "fan@example.org", "i": 12}, salt=SUPPORT.salt)
        self.assertEqual(read_email_link(SUPPORT, token), OpenedLink("fan@example.org", {"i": 12}))

    def test_what_is_not_an_address_is_refused_and_nothing_is_sent(self):
        for email in ["", "no-at-sign", "a@b@c", "x" * 250 + "@example.org"]:
            with self.subTest(email=email), self.assertRaises(ActionRefused) as refused:
                send_email_link(request_from(), TAKE_PART, email)
            self.assertEqual(refused.exception.field, "email")
        self.assertEqual(mail.outbox, [])

    def test_a_flow_must_send_the_ids_its_links_carry(self):
        with self.assertRaises(ValueError):
            send_email_link(request_from(), SUPPORT, "visitor@example.org")
        with self.assertRaises(ValueError):
            send_email_link(request_from(), TAKE_PART, "visitor@example.org", payload={"i": 7})


@links_only
class RefusedLinkTests(BaseTestCase):
    def assert_refused(self, purpose: EmailLinkPurpose, token: str) -> None:
        with self.assertRaises(ActionRefused) as refused:
            read_email_link(purpose, token)
        self.assertEqual(refused.exception.message, INVALID)

    def test_an_expired_link_is_refused(self):
        three_days_ago = time.time() - LINK_MAX_AGE
        with mock.patch("django.core.signing.time.time", return_value=three_days_ago - 5):
            expired = send(SUPPORT)
        with mock.patch("django.core.signing.time.time", return_value=three_days_ago + 60):
            fresh = send(SUPPORT, "other@example.org")
        self.assert_refused(SUPPORT, expired)
        self.assertEqual(read_email_link(SUPPORT, fresh).email, "other@example.org")

    def test_a_forged_link_is_refused(self):
        token = send(SUPPORT)
        value, _timestamp, _signature = token.rsplit(":", 2)
        other_idea = signing.b64_encode(b'{"e":"visitor@example.org","i":8}').decode()
        for forged in [
            "forged",
            "",
            token[:-1] + ("A" if token[-1] != "A" else "B"),
            token.replace(value, other_idea),
            signing.dumps({"e": "visitor@example.org", "i": 7}, key="not-our-secret"),
        ]:
            with self.subTest(token=forged):
                self.assert_refused(SUPPORT, forged)

    def test_a_link_of_another_purpose_is_refused(self):
        self.assert_refused(SUPPORT, send(TAKE_PART))
        self.assert_refused(TAKE_PART, send(SUPPORT))
        same_shape = EmailLinkPurpose(**{**SUPPORT.__dict__, "salt": "sammen.tests.other"})
        self.assert_refused(same_shape, send(SUPPORT))

    def test_a_signed_link_without_what_its_purpose_carries_is_refused(self):
        for data in [
            {"e": "visitor@example.org"},
            {"e": "visitor@example.org", "i": "7"},
            {"e": "visitor@example.org", "i": True},
            {"e": "visitor@example.org", "i": 0},
            {"e": "visitor@example.org", "i": 7, "x": 1},
            {"e": 5, "i": 7},
            {"e": "not an address", "i": 7},
            {"i": 7},
            ["visitor@example.org", 7],
            "visitor@example.org",
        ]:
            with self.subTest(data=data):
                self.assert_refused(SUPPORT, signing.dumps(data, salt=SUPPORT.salt))


@links_only
class LinkLimitTests(BaseTestCase):
    def test_links_from_one_network_stop_at_ten_an_hour(self):
        for number in range(10):
            send(email=f"visitor{number}@example.org")
        with self.assertRaises(ActionRefused) as refused:
            send(email="one-more@example.org")
        self.assertEqual((refused.exception.message, refused.exception.field), (TOO_MANY, "email"))
        self.assertEqual(len(mail.outbox), 10)
        send(email="one-more@example.org", address="203.0.113.8")  # another network
        self.assertEqual(len(mail.outbox), 11)

    def test_links_to_one_address_stop_at_three_an_hour_from_any_network(self):
        for number in range(3):
            send(email="Visitor@example.org", address=f"192.0.2.{number}")
        with self.assertRaises(ActionRefused) as refused:
            send(email="visitor@EXAMPLE.org", address="203.0.113.9")
        self.assertEqual(refused.exception.message, TOO_MANY)
        send(email="someone-else@example.org", address="203.0.113.9")
        self.assertEqual([m.to for m in mail.outbox][-1], ["someone-else@example.org"])
        self.assertEqual(len(mail.outbox), 4)

    def test_each_purpose_counts_in_its_own_bucket(self):
        for _number in range(3):
            send(TAKE_PART)
        with self.assertRaises(ActionRefused):
            send(TAKE_PART)
        send(SUPPORT)  # the same address, for another flow
        self.assertEqual(len(mail.outbox), 4)

    def test_a_purpose_sets_its_own_limits(self):
        strict = EmailLinkPurpose(**{**TAKE_PART.__dict__, "per_address_per_hour": 1})
        send(strict)
        with self.assertRaises(ActionRefused):
            send(strict, address="203.0.113.9")


# Text a link's path segment could hold, and more: any characters, and the pieces of a
# real token (base64url, colons, dots).
odd_text = st.one_of(
    st.text(max_size=300),
    st.text(st.sampled_from("AZaz09-_:.=/%@"), max_size=300),
    st.from_regex(r"\A[-\w]{0,40}:[-\w]{0,12}:[-\w]{0,60}\Z"),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=12,
)
odd_emails = st.one_of(
    st.emails(),
    st.text(max_size=300),
    st.builds("{}@{}".format, st.text(max_size=70), st.text(max_size=70)),
)
FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.differing_executors],
)


@links_only
class OddLinkFuzzTests(HypothesisTestCase):
    @FUZZ
    @given(token=odd_text)
    def test_any_text_as_a_token_is_refused_or_read_never_an_error(self, token):
        for purpose in [SUPPORT, TAKE_PART]:
            try:
                opened = read_email_link(purpose, token)
            except ActionRefused as refused:
                self.assertEqual(refused.message, INVALID)
            else:  # only a token we signed reads, so text alone never does
                self.fail(f"{token!r} read as {opened}")

    @FUZZ
    @given(data=json_values | st.dictionaries(st.sampled_from(["e", "i", "x"]), json_values))
    def test_whatever_a_signed_link_holds_it_is_read_as_an_address_and_ids_or_refused(self, data):
        for purpose in [SUPPORT, TAKE_PART]:
            token = signing.dumps(data, salt=purpose.salt)
            try:
                opened = read_email_link(purpose, token)
            except ActionRefused as refused:
                self.assertEqual(refused.message, INVALID)
            else:
                self.assertEqual(set(opened.payload), set(purpose.payload_keys))
                for value in opened.payload.values():
                    self.assertIs(type(value), int)
                    self.assertGreater(value, 0)
                self.assertEqual(opened.email, data["e"].strip().lower())

    @FUZZ
    @given(email=odd_emails)
    def test_any_address_is_sent_a_link_that_reads_back_or_refused_never_an_error(self, email):
        mail.outbox = []
        try:
            sent_to = send_email_link(request_from(), TAKE_PART, email, context={"what": "fuzz"})
        except ActionRefused as refused:
            self.assertEqual(refused.field, "email")
            self.assertEqual(mail.outbox, [])
        else:
            self.assertEqual(mail.outbox[0].to, [sent_to])
            token = token_in(str(mail.outbox[0].body))
            self.assertEqual(read_email_link(TAKE_PART, token).email, sent_to)
