"""The QR code, which Python draws, is in the join card's colour tokens."""

from django.test import SimpleTestCase

from sammen.core.qr import QR_DARK, QR_LIGHT, qr_svg
from sammen.core.tests.test_design_tokens import hex_value, resolved, root_tokens


class QrColourTests(SimpleTestCase):
    def test_the_qr_code_is_drawn_in_the_join_cards_colours(self):
        tokens = root_tokens()
        self.assertEqual(hex_value(QR_DARK), hex_value(resolved(tokens, "--presenter-join-text")))
        self.assertEqual(hex_value(QR_LIGHT), hex_value(resolved(tokens, "--presenter-join-bg")))
        svg = qr_svg("https://sammen.example/join")
        self.assertIn(f'stroke="{QR_DARK}"', svg)
        self.assertIn(f'fill="{QR_LIGHT}"', svg)
