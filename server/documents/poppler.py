"""Poppler's command-line tools, run under a memory limit.

pdf2image takes a folder of binaries (poppler_path); we give it one of small wrappers that cap the address space before
running the real tool, so a hostile PDF cannot take the machine's memory."""
from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from server.errors import Invalid

TOOLS = ("pdftoppm", "pdfinfo")


def missing_message() -> str:
    return _("The server cannot render PDF files: poppler-utils is not installed (apt-get install poppler-utils).")


def wrapper_dir() -> Path:
    """The folder of wrappers, written once per instance and memory limit."""
    limit_mb = int(current_app.config.get("RENDER_MEMORY_MB", 1024))
    folder = Path(current_app.instance_path) / f"poppler-{limit_mb}mb"
    if all((folder / tool).exists() for tool in TOOLS):
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    for tool in TOOLS:
        real = shutil.which(tool)
        if real is None:
            raise Invalid(missing_message(), code="poppler_missing")
        script = folder / tool
        tmp = folder / f".{tool}.tmp"
        tmp.write_text(f'#!/bin/sh\nulimit -v {limit_mb * 1024} 2>/dev/null\nexec "{real}" "$@"\n')
        tmp.chmod(tmp.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        os.replace(tmp, script)
    return folder


def binary(tool: str) -> str:
    return str(wrapper_dir() / tool)
