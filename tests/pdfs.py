"""Crafted files for the document tests, made here rather than shipped."""
from __future__ import annotations

import io

from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas


def agenda_pdf(pages: int = 3, *, title: str = "Báo cáo", with_image: bool = True) -> bytes:
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    for n in range(1, pages + 1):
        c.setFont("Helvetica-Bold", 28)
        c.drawString(72, 760, f"{title} - trang {n}")
        c.setFont("Helvetica", 11)
        for line in range(40):
            c.drawString(72, 720 - line * 15, f"Dong {line + 1}: noi dung tai lieu phien hop, so lieu kinh te xa hoi.")
        if with_image and n % 2 == 1:
            c.setFillColorRGB(0.1, 0.3, 0.7)
            c.rect(360, 80, 160, 110, fill=1)
            c.setFillColorRGB(0, 0, 0)
        c.showPage()
    c.save()
    return out.getvalue()


def raw_pdf(media_box: str = "0 0 612 792", count_pages: int = 1, content: bytes = b"BT /F1 24 Tf 72 700 Td (Hi) Tj ET"
            ) -> bytes:
    """A minimal hand-written PDF, so that a page may declare any size, or a document no pages."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{3 + i * 2} 0 R" for i in range(count_pages))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {count_pages} >>".encode())
    for i in range(count_pages):
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [{media_box}] /Contents {4 + i * 2} 0 R "
                       f"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>"
                       .encode())
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(agenda_pdf(1))))
    writer.encrypt(user_password="mat-khau", owner_password="chu-so-huu")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def broken_xref_pdf() -> bytes:
    """Wrong offsets in the cross-reference table: damaged, but poppler rebuilds it and reads the pages."""
    data = agenda_pdf(2)
    start = data.rindex(b"startxref")
    return data[:start] + b"startxref\n999\n%%EOF\n"


def png_scan(width: int = 1240, height: int = 1754) -> bytes:
    image = Image.new("RGB", (width, height), "white")
    for y in range(100, height - 100, 40):
        image.paste((30, 30, 30), (100, y, width - 100, y + 8))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def fake_docx() -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()
