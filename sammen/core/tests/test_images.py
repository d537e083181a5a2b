import contextlib
import io
import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from sammen.core.forms import MultipleFileInput, MultipleImagesField
from sammen.core.images import ACCEPTED_TYPES, reencode_image
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


# Several images from one input


def several(max_files: int = 3) -> MultipleImagesField:
    return MultipleImagesField(max_files=max_files, max_side=100, required=False)


def test_one_input_takes_several_images_and_offers_only_images():
    html = several().widget.render("images", None)
    assert 'type="file"' in html
    assert "multiple" in html
    assert f'accept="{ACCEPTED_TYPES}"' in html
    assert isinstance(several().widget, MultipleFileInput)


def test_several_images_come_back_re_encoded_in_their_order():
    images = several().clean(
        [image_upload("a.jpg", size=(300, 100)), image_upload("b.png", "PNG", size=(50, 50))]
    )
    sizes = []
    for image in images:
        with Image.open(io.BytesIO(image.read())) as stored:
            assert stored.format == "WEBP"
            sizes.append(stored.size)
    assert sizes == [(100, 33), (50, 50)]
    assert several().clean([]) == []
    assert several().clean(None) == []


def test_too_many_images_are_refused_before_any_is_read():
    with pytest.raises(ValidationError, match=r"Choose at most 2 images: you chose 3\."):
        several(2).clean([SimpleUploadedFile(f"{n}.jpg", b"x") for n in range(3)])


@override_settings(SAMMEN_MAX_IMAGE_BYTES=1000)
def test_each_bad_file_is_named_and_all_are_refused():
    with pytest.raises(ValidationError) as refused:
        several(4).clean(
            [
                image_upload("fine.jpg"),
                SimpleUploadedFile("page.jpg", b"<html></html>"),
                image_upload("huge.jpg", size=(400, 400)),
                SimpleUploadedFile("empty.png", b""),
            ]
        )
    messages = refused.value.messages
    assert len(messages) == 3
    assert messages[0].startswith("page.jpg: This file is not an image we can read.")
    assert messages[1].startswith("huge.jpg: The image is too large.")
    assert messages[2].startswith("empty.png: ")


# The names an upload can arrive with: Django's multipart parser drops a file whose name
# has nothing left after the folders ("/", "a/.."), and the upload refuses to exist.
FILE_NAMES = st.text(min_size=1, max_size=300).filter(
    lambda name: os.path.basename(name) not in {"", ".", ".."}
)


@settings(max_examples=60, deadline=None)
@given(files=st.lists(st.tuples(FILE_NAMES, st.binary(max_size=512)), max_size=5))
def test_any_files_are_read_or_refused_in_words(files):
    uploads = [SimpleUploadedFile(name, content) for name, content in files]
    messages: list[str] = []
    images = []
    try:
        images = several().clean(uploads)
    except ValidationError as refused:
        messages = refused.messages
        assert messages
    assert all(message.strip() for message in messages)
    assert len(images) <= 3
    assert not images or len(images) == len(uploads)
