"""Every image format we accept loads upright; every bad input is refused with a clear reason."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from openlfr.biometrics.imageio import ImageError, load_image


def _encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def _gradient(width: int = 64, height: int = 32) -> np.ndarray:
    x = np.linspace(0, 255, width, dtype=np.uint8)
    rgb = np.zeros((height, width, 3), dtype=np.uint8)
    rgb[:, :, 0] = x  # red grows to the right
    return rgb


def test_jpeg_png_and_webp_load_as_bgr() -> None:
    rgb = _gradient()
    for fmt in ("JPEG", "PNG", "WEBP"):
        bgr = load_image(_encode(Image.fromarray(rgb), fmt, quality=95))
        assert bgr.shape == (32, 64, 3) and bgr.dtype == np.uint8
        assert bgr[16, 60, 2] > 200 and bgr[16, 60, 0] < 40, fmt  # red lands in channel 2


def test_sixteen_bit_greyscale_png_is_scaled_not_clipped() -> None:
    wide = np.full((10, 10), 32768, dtype=np.uint16)
    bgr = load_image(_encode(Image.fromarray(wide), "PNG"))
    assert bgr.shape == (10, 10, 3)
    assert 120 <= int(bgr[0, 0, 0]) <= 135


def test_greyscale_and_alpha_png_become_three_channels() -> None:
    grey = load_image(_encode(Image.fromarray(np.full((8, 8), 90, np.uint8)), "PNG"))
    assert grey.shape == (8, 8, 3) and int(grey[0, 0, 1]) == 90
    rgba = np.zeros((8, 8, 4), np.uint8)
    rgba[..., 3] = 0  # fully transparent: shows the white background
    assert int(load_image(_encode(Image.fromarray(rgba), "PNG"))[0, 0, 0]) == 255


def test_exif_orientation_is_honoured() -> None:
    image = Image.fromarray(_gradient(64, 32))
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways: display rotated 90 degrees clockwise
    upright = load_image(_encode(image, "JPEG", exif=exif.tobytes()))
    assert upright.shape[:2] == (64, 32)


def test_a_real_32_bit_png_loads(data_dir: Path) -> None:
    image = load_image(data_dir / "stills/misc/32bit.png")
    assert image.ndim == 3 and image.shape[2] == 3


def test_decompression_bomb_is_refused_before_decoding() -> None:
    bomb = _encode(Image.new("L", (9000, 9000)), "PNG")
    assert len(bomb) < 200_000  # tiny on disk, 81 megapixels in memory
    with pytest.raises(ImageError, match="pixels; the limit is"):
        load_image(bomb)


def test_truncated_jpeg_is_refused() -> None:
    data = _encode(Image.fromarray(_gradient(256, 256)), "JPEG")
    with pytest.raises(ImageError, match="damaged or truncated"):
        load_image(data[: len(data) // 2])


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty"), (b"%PDF-1.4 not an image", "not an image")],
)
def test_non_images_are_refused(content: bytes, message: str) -> None:
    with pytest.raises(ImageError, match=message):
        load_image(content)


def test_unaccepted_format_is_named() -> None:
    with pytest.raises(ImageError, match="BMP images are not accepted"):
        load_image(_encode(Image.fromarray(_gradient()), "BMP"))


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ImageError, match="cannot be read"):
        load_image(tmp_path / "nowhere.jpg")
