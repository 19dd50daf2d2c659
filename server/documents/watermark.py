"""The per-viewer watermark on confidential pages: who is looking, when, in which meeting."""
from __future__ import annotations

import io
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from PIL import Image, ImageDraw, ImageFont

FONT_CANDIDATES = ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
                   "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                   "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf")
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
INK = (190, 0, 0)
OPACITY = 60  # of 255: readable across the page without hiding the text under it


@lru_cache(maxsize=8)
def _font(size: int):
    for path in FONT_CANDIDATES:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


@lru_cache(maxsize=32)
def _diagonal_mask(line: str, width: int, height: int) -> Image.Image:
    """The repeated diagonal text as an alpha mask; kept, since one viewer reads many pages of one size."""
    size = max(14, width // 28)
    font = _font(size)
    # Rows of text on a square larger than the page, turned 30 degrees as a whole, then cut to the page.
    side = int((width ** 2 + height ** 2) ** 0.5) + size
    layer = Image.new("L", (side, side), 0)
    draw = ImageDraw.Draw(layer)
    step_x = int(font.getlength(line)) + size * 3
    for row, y in enumerate(range(0, side, size * 6)):
        for x in range(-(row % 2) * step_x // 2, side, step_x):
            draw.text((x, y), line, font=font, fill=OPACITY)
    layer = layer.rotate(30, resample=Image.Resampling.BILINEAR)
    left, top = (side - width) // 2, (side - height) // 2
    return layer.crop((left, top, left + width, top + height))


def stamp(path: Path, *, viewer: str, meeting: str, level: str, at: datetime) -> bytes:
    """The page with the viewer's name and the time across it and in a band at the top; JPEG bytes."""
    when = at.astimezone(ZONE).strftime("%d/%m/%Y %H:%M")
    with Image.open(path) as image:
        page = image.convert("RGB")
    width, height = page.size
    page.paste(INK, (0, 0), _diagonal_mask(f"{level} · {viewer}", width, height))
    size = max(12, width // 45)
    font = _font(size)
    band = size * 3 + size // 2
    draw = ImageDraw.Draw(page)
    draw.rectangle([0, 0, width, band], fill=(255, 245, 245))
    draw.line([0, band, width, band], fill=INK, width=max(1, size // 8))
    draw.text((size, size // 2), f"{level} — {viewer} — {when}", font=font, fill=INK)
    title = meeting if font.getlength(meeting) < width - 2 * size else meeting[: max(10, width // size)] + "…"
    draw.text((size, size * 2), title, font=_font(max(10, int(size * 0.8))), fill=(90, 0, 0))
    out = io.BytesIO()
    page.save(out, "JPEG", quality=80)
    return out.getvalue()
