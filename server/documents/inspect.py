"""What a file really is, from its content, and whether a PDF is safe to render. Nothing here trusts the file name."""
from __future__ import annotations

import re
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _

from server.documents import poppler
from server.errors import Invalid

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OOXML_PARTS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}
ODF_TYPES = {"application/vnd.oasis.opendocument.text": "odt",
             "application/vnd.oasis.opendocument.spreadsheet": "ods",
             "application/vnd.oasis.opendocument.presentation": "odp"}


def sniff(path: Path) -> str:
    """'pdf', 'jpeg', 'png', 'office' or 'unknown'."""
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" in head:  # the header may follow a little junk, as readers allow
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(OLE2):
        return "office"  # .doc, .xls, .ppt
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = archive.namelist()
                if "mimetype" in names and archive.read("mimetype").decode(errors="replace").strip() in ODF_TYPES:
                    return "office"
                if "[Content_Types].xml" in names and any(n.startswith(p) for n in names for p in OOXML_PARTS):
                    return "office"
        except (zipfile.BadZipFile, OSError, KeyError):
            return "unknown"
    return "unknown"


@dataclass
class PdfFacts:
    pages: int
    sizes: list[tuple[float, float]]  # points, width × height as displayed (rotation applied)


_PAGES = re.compile(r"^Pages:\s+(\d+)", re.M)
_SIZE = re.compile(r"^Page\s+(\d+)\s+size:\s+([\d.]+)\s+x\s+([\d.]+)", re.M)
_ROT = re.compile(r"^Page\s+(\d+)\s+rot:\s+(\d+)", re.M)


def _pdfinfo(path: Path, *extra: str, timeout: float) -> str:
    try:
        result = subprocess.run([poppler.binary("pdfinfo"), *extra, str(path)], capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise Invalid(_("The PDF takes too long to read; it may be damaged. Save it again as PDF and retry."),
                      code="pdf_timeout") from None
    err = result.stderr.decode(errors="replace")
    if result.returncode != 0:
        if "Invalid page count 0" in err or "first page (1) can not be after the last page (0)" in err:
            raise Invalid(_("This PDF has no pages."), code="pdf_empty")
        if "Incorrect password" in err or "password" in err.lower():
            raise Invalid(_("This PDF is protected by a password. Remove the password (print or save it as a new PDF) "
                            "and upload it again."), code="pdf_encrypted")
        raise Invalid(_("This file cannot be opened as a PDF; it may be damaged. Save it again as PDF and retry."),
                      code="pdf_unreadable")
    return result.stdout.decode(errors="replace")


def inspect_pdf(path: Path, *, max_pages: int, max_side_points: float, timeout: float = 60) -> PdfFacts:
    """Opens the PDF with poppler and reads every page's size before anything is rendered."""
    info = _pdfinfo(path, timeout=timeout)
    match = _PAGES.search(info)
    pages = int(match.group(1)) if match else 0
    if pages < 1:
        raise Invalid(_("This PDF has no pages."), code="pdf_empty")
    if pages > max_pages:
        raise Invalid(_("This PDF has %(n)d pages; at most %(max)d are allowed. Split it into several documents.",
                        n=pages, max=max_pages), code="pdf_too_many_pages")
    details = _pdfinfo(path, "-f", "1", "-l", str(pages), timeout=timeout)
    sizes = {int(n): (float(w), float(h)) for n, w, h in _SIZE.findall(details)}
    rotations = {int(n): int(r) for n, r in _ROT.findall(details)}
    result = []
    for number in range(1, pages + 1):
        if number not in sizes:
            raise Invalid(_("Page %(n)d of this PDF cannot be read.", n=number), code="pdf_unreadable")
        width, height = sizes[number]
        if rotations.get(number, 0) % 180 == 90:
            width, height = height, width
        if not (1 <= width <= max_side_points and 1 <= height <= max_side_points):
            raise Invalid(_("Page %(n)d of this PDF has an impossible size (%(w)d × %(h)d points).",
                            n=number, w=int(width), h=int(height)), code="pdf_page_size")
        if max(width, height) / min(width, height) > 50:
            raise Invalid(_("Page %(n)d of this PDF is too narrow to display (%(w)d × %(h)d points).",
                            n=number, w=int(width), h=int(height)), code="pdf_page_size")
        result.append((width, height))
    return PdfFacts(pages=pages, sizes=result)
