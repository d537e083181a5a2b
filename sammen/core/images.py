"""Check uploaded images and re-encode them, so what we store is a plain bitmap.

Decoding and re-encoding with Pillow drops metadata (location, camera serial
numbers), defeats files that pretend to be images, and means nothing but WebP
is ever served from the media folder.
"""

import io
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
# The same, for a file input's `accept`: the browser offers only these.
ACCEPTED_TYPES = "image/jpeg,image/png,image/webp,image/gif"


def reencode_image(upload: UploadedFile, *, max_side: int) -> ContentFile:
    """Return the upload as a WebP no larger than `max_side` pixels, or raise ValidationError."""
    if upload.size is not None and upload.size > settings.SAMMEN_MAX_IMAGE_BYTES:
        raise ValidationError(
            _("The image is too large. Use one of at most %(size)s MB.")
            % {"size": settings.SAMMEN_MAX_IMAGE_BYTES // (1024 * 1024)},
            code="too_large",
        )
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            if image.format not in ACCEPTED_FORMATS:
                raise ValidationError(_("Upload a JPEG, PNG, WebP or GIF image."), code="format")
            if image.width * image.height > settings.SAMMEN_MAX_IMAGE_PIXELS:
                raise ValidationError(
                    _("The image has too many pixels. Use a smaller image."), code="pixels"
                )
            image.seek(0)
            image.load()
            upright = ImageOps.exif_transpose(image)
            has_alpha = upright.mode in {"RGBA", "LA", "PA"} or "transparency" in upright.info
            flat = upright.convert("RGBA" if has_alpha else "RGB")
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("This file is not an image we can read. Upload a JPEG, PNG, WebP or GIF image."),
            code="invalid",
        ) from None
    flat.thumbnail((max_side, max_side))
    buffer = io.BytesIO()
    flat.save(buffer, "WEBP", quality=85, method=4)
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.webp")
