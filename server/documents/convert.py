"""Turning what is not a PDF into one: scanned images (one page) and Office files (LibreOffice, when installed)."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError

from server.documents import storage
from server.errors import Invalid

MAX_IMAGE_PIXELS = 60_000_000  # a scan at 600 dpi of A3 is about 35 MP


def image_to_pdf(path: Path) -> Path:
    try:
        with Image.open(path) as image:
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise Invalid(_("This image is too large (%(w)d × %(h)d pixels).", w=image.width, h=image.height),
                              code="image_too_large")
            image.load()
            rgb = image.convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise Invalid(_("This image cannot be read; it may be damaged."), code="image_unreadable") from None
    fd, name = tempfile.mkstemp(dir=storage.tmp_dir(), prefix="image-", suffix=".pdf")
    with open(fd, "wb") as out:
        # 150 dpi: an A4 scan at that density shows at its paper size.
        rgb.save(out, "PDF", resolution=150.0)
    return Path(name)


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def office_to_pdf(path: Path, timeout: float = 180) -> Path:
    binary = soffice()
    if binary is None:
        raise Invalid(_("Office files cannot be converted on this server: LibreOffice is not installed "
                        "(apt-get install libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui). "
                        "Upload the document as PDF instead."), code="office_unsupported")
    workdir = Path(tempfile.mkdtemp(dir=storage.tmp_dir(), prefix="office-"))
    try:
        source = workdir / "document"
        shutil.copyfile(path, source)
        # A private profile per run: LibreOffice refuses to run twice on one profile.
        profile = (workdir / "profile").as_uri()
        try:
            subprocess.run([binary, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                            "--convert-to", "pdf", "--outdir", str(workdir), str(source)],
                           capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise Invalid(_("Converting this Office file took too long. Save it as PDF and upload that instead."),
                          code="office_timeout") from None
        result = workdir / "document.pdf"
        if not result.exists() or result.stat().st_size == 0:
            raise Invalid(_("This Office file could not be converted; it may be damaged. Save it as PDF and upload "
                            "that instead."), code="office_failed")
        fd, name = tempfile.mkstemp(dir=storage.tmp_dir(), prefix="office-", suffix=".pdf")
        with open(fd, "wb") as out, open(result, "rb") as src:
            shutil.copyfileobj(src, out)
        return Path(name)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
