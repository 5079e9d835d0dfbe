"""Safe image loading: every still that enters the system comes through here.

Images come from outside (force systems, uploads), so a file may be truncated, not an image at
all, or a decompression bomb. Each case is refused with an error a person can act on.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

#: 50 megapixels: larger than any camera still we expect, far below a decompression bomb.
DEFAULT_MAX_PIXELS = 50_000_000
ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "MPO"})


class ImageError(ValueError):
    """An input that cannot be used as an image, with the reason why."""


def load_image(source: str | Path | bytes, *, max_pixels: int = DEFAULT_MAX_PIXELS) -> np.ndarray:
    """Decode a JPEG, PNG (8/16-bit, alpha, greyscale) or WebP into an upright BGR uint8 array."""
    name = "image" if isinstance(source, bytes) else str(source)
    try:
        data = source if isinstance(source, bytes) else Path(source).read_bytes()
    except OSError as exc:
        raise ImageError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    if not data:
        raise ImageError(f"{name}: the file is empty")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
        except UnidentifiedImageError:
            raise ImageError(f"{name}: not an image (JPEG, PNG or WebP expected)") from None
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageError(f"{name}: too many pixels (limit {max_pixels:,})") from None
        if image.format not in ACCEPTED_FORMATS:
            raise ImageError(f"{name}: {image.format} images are not accepted (JPEG, PNG or WebP)")
        width, height = image.size
        if width * height > max_pixels:
            pixels = width * height
            raise ImageError(
                f"{name}: {width}x{height} is {pixels:,} pixels; the limit is {max_pixels:,}"
            )
        try:
            image.load()
        except (OSError, SyntaxError, ValueError) as exc:
            raise ImageError(f"{name}: the image data is damaged or truncated ({exc})") from None
    return _to_bgr(ImageOps.exif_transpose(image))


def _to_bgr(image: Image.Image) -> np.ndarray:
    """Normalise every mode we accept to 8-bit BGR, the layout OpenCV's models expect."""
    if image.mode in {"I;16", "I;16B", "I;16L", "I"}:
        wide = np.asarray(image, dtype=np.uint32)
        grey = (wide >> 8).astype(np.uint8) if wide.max() > 255 else wide.astype(np.uint8)
        return np.ascontiguousarray(np.repeat(grey[:, :, None], 3, axis=2))
    if image.mode in {"RGBA", "LA", "PA"} or (image.mode == "P" and "transparency" in image.info):
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image.convert("RGBA"), mask=image.convert("RGBA").getchannel("A"))
        image = background
    rgb = np.asarray(image.convert("RGB"), dtype=np.uint8)
    return np.ascontiguousarray(rgb[:, :, ::-1])
