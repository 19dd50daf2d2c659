"""'My annotated copy': the document's pages with the author's own notes drawn on them, as one PDF."""
from __future__ import annotations

import io
import json
import textwrap

from flask_babel import gettext as _
from PIL import Image, ImageDraw, ImageFont

from server.annotations.service import own_annotations
from server.documents import storage
from server.documents.service import get_document
from server.errors import Conflict, Forbidden
from server.models import User

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _rgb(color: str, alpha: int) -> tuple[int, int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16), alpha


def _draw(page: Image.Image, notes) -> Image.Image:
    width, height = page.size
    layer = Image.new("RGBA", page.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    try:
        font = ImageFont.truetype(FONT, max(12, width // 70))
    except OSError:
        font = ImageFont.load_default()
    for note in notes:
        data = json.loads(note.data)
        if note.kind == "note":
            x, y = data["x"] * width, data["y"] * height
            lines = textwrap.wrap(data["text"], 40)[:12]
            box_w = max(font.getlength(line) for line in lines) + 24
            box_h = (len(lines)) * font.size * 1.3 + 20
            draw.rectangle([x, y, x + box_w, y + box_h], fill=(255, 249, 196, 235), outline=(200, 160, 0, 255))
            for i, line in enumerate(lines):
                draw.text((x + 12, y + 10 + i * font.size * 1.3), line, font=font, fill=(40, 40, 40, 255))
            continue
        alpha = 255 if note.kind == "ink" else 110
        base = data["width"] * width
        points = [(p[0] * width, p[1] * height, p[2] if len(p) > 2 else 0.5) for p in data["points"]]
        if len(points) == 1:
            x, y, pressure = points[0]
            r = base * (0.5 + pressure) / 2
            draw.ellipse([x - r, y - r, x + r, y + r], fill=_rgb(data["color"], alpha))
        for (x1, y1, p1), (x2, y2, p2) in zip(points, points[1:]):
            # Pen pressure makes the line thicker, as on paper.
            draw.line([x1, y1, x2, y2], fill=_rgb(data["color"], alpha), width=max(1, int(base * (0.5 + (p1 + p2) / 2))))
    return Image.alpha_composite(page.convert("RGBA"), layer).convert("RGB")


def annotated_copy(user: User, document_id: int) -> tuple[bytes, str]:
    document = get_document(user, document_id)
    if document.is_confidential:
        raise Forbidden(_("Confidential documents can only be read on screen; they cannot be downloaded."),
                        code="confidential")
    version = document.current
    if version.status != "ready":
        raise Conflict(_("The document is still being prepared."), code="not_ready")
    notes = own_annotations(user, document, version.id)
    pages = []
    for number in range(1, version.page_count + 1):
        with Image.open(storage.page_path(version.sha256, number, "view")) as image:
            page = image.convert("RGB")
        pages.append(_draw(page, [n for n in notes if n.page == number]))
    out = io.BytesIO()
    pages[0].save(out, "PDF", save_all=True, append_images=pages[1:], resolution=150.0)
    return out.getvalue(), f"{document.title[:80]} - ban ghi chu.pdf"
