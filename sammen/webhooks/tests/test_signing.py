import hashlib
import hmac

from django.test import SimpleTestCase

from sammen.webhooks.signing import new_secret, signature, signature_header, verify

SECRET = "3f" * 32
BODY = b'{"event":"ping"}'


class SignatureTests(SimpleTestCase):
    def test_the_signature_is_hmac_sha256_of_the_timestamp_a_dot_and_the_body(self):
        """The digest is what any HMAC library computes from the documented message."""
        expected = hmac.new(SECRET.encode(), b'1700000000.{"event":"ping"}', hashlib.sha256)
        self.assertEqual(signature(SECRET, 1700000000, BODY), expected.hexdigest())

    def test_the_header_names_the_timestamp_and_the_scheme(self):
        header = signature_header(SECRET, 1700000000, BODY)
        self.assertEqual(header, f"t=1700000000,v1={signature(SECRET, 1700000000, BODY)}")

    def test_it_verifies_its_own_header(self):
        header = signature_header(SECRET, 1700000000, BODY)
        self.assertTrue(verify(SECRET, header, BODY, now=1700000100))

    def test_it_refuses_a_changed_body_another_secret_or_an_old_timestamp(self):
        header = signature_header(SECRET, 1700000000, BODY)
        self.assertFalse(verify(SECRET, header, b'{"event":"pong"}', now=1700000000))
        self.assertFalse(verify("00" * 32, header, BODY, now=1700000000))
        self.assertFalse(verify(SECRET, header, BODY, now=1700000000 + 301))
        self.assertFalse(verify(SECRET, "t=x,v1=00", BODY, now=1700000000))
        self.assertFalse(verify(SECRET, "", BODY, now=1700000000))

    def test_a_replayed_signature_with_a_new_timestamp_fails(self):
        """The timestamp is signed: moving it forward breaks the signature."""
        digest = signature(SECRET, 1700000000, BODY)
        self.assertFalse(verify(SECRET, f"t=1700000500,v1={digest}", BODY, now=1700000500))

    def test_each_secret_is_new_and_long(self):
        first, second = new_secret(), new_secret()
        self.assertNotEqual(first, second)
        self.assertEqual(len(first), 64)
