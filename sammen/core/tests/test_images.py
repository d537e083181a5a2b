import contextlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from sammen.core.images import reencode_image
from sammen.testing import image_upload


def test_it_turns_any_accepted_image_into_a_small_webp_without_metadata():
    for name, image_format in [("a.jpg", "JPEG"), ("a.png", "PNG"), ("a.gif", "GIF")]:
        result = reencode_image(
            image_upload(name, image_format, size=(1200, 600), with_location=True), max_side=300
        )
        with Image.open(io.BytesIO(result.read())) as stored:
            assert stored.format == "WEBP"
            assert stored.size == (300, 150)
            assert len(stored.getexif()) == 0
        assert str(result.name).endswith(".webp")


def test_it_keeps_transparency():
    buffer = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(buffer, "PNG")
    result = reencode_image(SimpleUploadedFile("t.png", buffer.getvalue()), max_side=50)
    with Image.open(io.BytesIO(result.read())) as stored:
        assert stored.mode == "RGBA"


@pytest.mark.parametrize(
    "content",
    [
        b"<html><script>alert(1)</script></html>",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>',
        b"%PDF-1.4 not an image",
        b"",
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,  # a PNG signature with nothing valid after it
    ],
)
def test_it_refuses_files_that_are_not_images(content):
    with pytest.raises(ValidationError):
        reencode_image(SimpleUploadedFile("x.png", content), max_side=100)


@override_settings(SAMMEN_MAX_IMAGE_PIXELS=10_000)
def test_it_refuses_images_with_too_many_pixels():
    with pytest.raises(ValidationError, match="too many pixels"):
        reencode_image(image_upload(size=(200, 100)), max_side=100)


@override_settings(SAMMEN_MAX_IMAGE_BYTES=100)
def test_it_refuses_oversized_files():
    with pytest.raises(ValidationError, match="too large"):
        reencode_image(image_upload(size=(200, 100)), max_side=100)


def test_it_refuses_other_image_formats():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "BMP")
    with pytest.raises(ValidationError, match="JPEG, PNG, WebP or GIF"):
        reencode_image(SimpleUploadedFile("x.bmp", buffer.getvalue()), max_side=100)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2048))
def test_random_bytes_never_crash_it(content):
    with contextlib.suppress(ValidationError):
        reencode_image(SimpleUploadedFile("x.jpg", content), max_side=64)
