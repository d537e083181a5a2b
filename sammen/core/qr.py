"""QR codes as inline SVG, drawn on the server (segno), for every app that shows one."""

import segno
from django.utils.html import escape

# segno writes the colours as SVG attributes, so a code stays dark on light wherever it
# is shown (the live kind's join card checks them against its design tokens).
QR_DARK, QR_LIGHT = "#111", "#fff"


def qr_svg(text: str, *, label: str = "", svgclass: str | None = None) -> str:
    """Return `text` as an SVG QR code (dark modules as one path), labelled when `label` is."""
    code = segno.make(text, error="m", micro=False)
    svg = code.svg_inline(
        scale=1, border=2, dark=QR_DARK, light=QR_LIGHT, omitsize=True, svgclass=svgclass
    )
    if label:
        svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
    return svg
