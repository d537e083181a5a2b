from django.core.signing import get_cookie_signer
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from sammen.accounts import hooks
from sammen.accounts.actions import (
    do_create_anonymous_participant,
    do_merge_participants,
    do_verify_participant_email,
)
from sammen.accounts.models import Participant, ParticipantEmail
from sammen.accounts.participants import (
    COOKIE_NAME,
    COOKIE_SALT,
    anonymous_participant_from,
    participant_for,
    remember_participant,
)
from sammen.core.errors import ActionRefused
from sammen.testing import PASSWORD, BaseTestCase


class ParticipantCookieTests(BaseTestCase):
    def test_a_remembered_participant_is_recognised_by_its_signed_cookie(self):
        participant = do_create_anonymous_participant()
        response = HttpResponse()
        remember_participant(response, participant)
        cookie = response.cookies[COOKIE_NAME]
        self.assertTrue(cookie["httponly"])
        request = RequestFactory().get("/")
        request.COOKIES[COOKIE_NAME] = cookie.value
        self.assertEqual(anonymous_participant_from(request), participant)

    def test_a_forged_or_malformed_cookie_is_ignored(self):
        participant = do_create_anonymous_participant()
        for value in [str(participant.public_id), "garbage", ""]:
            request = RequestFactory().get("/")
            request.COOKIES[COOKIE_NAME] = value
            self.assertIsNone(anonymous_participant_from(request))

    def test_a_claimed_participant_is_no_longer_anonymous(self):
        participant = Participant.objects.get(user=self.bob)
        signer = get_cookie_signer(salt=COOKIE_NAME + COOKIE_SALT)
        request = RequestFactory().get("/")
        request.COOKIES[COOKIE_NAME] = signer.sign(str(participant.public_id))
        self.assertIsNone(anonymous_participant_from(request))


class MergeAtSignInTests(BaseTestCase):
    def setUp(self) -> None:
        self.merged: list[tuple[Participant, Participant]] = []
        hooks.participant_mergers.append(self.record_merge)

    def tearDown(self) -> None:
        hooks.participant_mergers.remove(self.record_merge)

    def record_merge(self, source: Participant, target: Participant) -> None:
        self.merged.append((source, target))

    def test_signing_in_brings_what_the_browser_did_anonymously_to_the_account(self):
        anonymous = do_create_anonymous_participant("Visitor")
        signer = get_cookie_signer(salt=COOKIE_NAME + COOKIE_SALT)
        self.client.cookies[COOKIE_NAME] = signer.sign(str(anonymous.public_id))
        self.client.post(
            reverse("account_login"), {"login": "bob@example.org", "password": PASSWORD}
        )
        bob = Participant.objects.get(user=self.bob)
        self.assertEqual([(s.pk, t.pk) for s, t in self.merged], [(anonymous.pk, bob.pk)])
        self.assertFalse(Participant.objects.filter(pk=anonymous.pk).exists())

    def test_only_anonymous_participants_are_merged(self):
        bob = Participant.objects.get(user=self.bob)
        alice = Participant.objects.get(user=self.alice)
        do_merge_participants(alice, bob)
        self.assertEqual(self.merged, [])
        self.assertTrue(Participant.objects.filter(pk=alice.pk).exists())


class VerifiedEmailTests(BaseTestCase):
    def test_a_visitor_may_prove_a_second_address(self):
        visitor = do_create_anonymous_participant()
        do_verify_participant_email(visitor, "one@example.org")
        self.assertEqual(do_verify_participant_email(visitor, "two@example.org"), visitor)
        self.assertEqual(ParticipantEmail.objects.filter(participant=visitor).count(), 2)

    def test_proved_addresses_follow_the_visitor_into_their_account(self):
        visitor = do_create_anonymous_participant()
        do_verify_participant_email(visitor, "maja@example.org")
        bobs = Participant.objects.get(user=self.bob)
        do_merge_participants(visitor, bobs)
        elsewhere = do_create_anonymous_participant()
        self.assertEqual(do_verify_participant_email(elsewhere, "Maja@example.org"), bobs)


def request_from(address: str) -> HttpRequest:
    return RequestFactory().post("/", REMOTE_ADDR=address)


class ParticipantForRequestTests(BaseTestCase):
    """The participant who acts: the known one, or a newcomer under a per-network limit."""

    def newcomer(self, bucket: str = "call-new-participant", address: str = "198.51.100.7"):
        return participant_for(request_from(address), None, bucket=bucket, per_hour=2)

    def test_a_known_participant_acts_as_itself_and_uses_up_no_limit(self):
        bobs = Participant.objects.get(user=self.bob)
        for known in [bobs, do_create_anonymous_participant()]:
            with self.subTest(known=known):
                self.assertEqual(
                    participant_for(request_from("198.51.100.7"), known, bucket="x", per_hour=0),
                    (known, False),
                )

    def test_a_visitor_without_one_gets_a_new_anonymous_participant(self):
        participant, created = self.newcomer()
        self.assertTrue(created)
        self.assertTrue(participant.is_anonymous)
        self.assertTrue(Participant.objects.filter(pk=participant.pk).exists())

    def test_newcomers_from_one_network_stop_at_the_limit_and_nothing_is_created(self):
        self.newcomer()
        self.newcomer()
        before = Participant.objects.count()
        with self.assertRaises(ActionRefused) as refused:
            self.newcomer()
        self.assertEqual(
            refused.exception.message, "Too many new visitors from your network. Try again later."
        )
        self.assertEqual(Participant.objects.count(), before)
        self.assertTrue(self.newcomer(address="203.0.113.8")[1])  # another network

    def test_an_ipv6_network_is_one_newcomer_source(self):
        self.newcomer(address="2001:db8:7:7::1")
        self.newcomer(address="2001:db8:7:7::2")
        with self.assertRaises(ActionRefused):
            self.newcomer(address="2001:db8:7:7::3")

    def test_each_kind_counts_its_newcomers_in_its_own_bucket(self):
        self.newcomer("call-new-participant")
        self.newcomer("call-new-participant")
        with self.assertRaises(ActionRefused):
            self.newcomer("call-new-participant")
        self.assertTrue(self.newcomer("conversation-new-participant")[1])
        self.assertTrue(self.newcomer("live-join")[1])
