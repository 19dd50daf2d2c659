"""Where document files live. Paths are made by the server from SHA-256 digests; upload names never reach the disk."""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO

from flask import current_app

CHUNK = 1024 * 1024


class TooLarge(Exception):
    pass


def root() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


def blob_path(sha256: str) -> Path:
    """A stored file, kept once whatever its name or how often it was uploaded."""
    return root() / "blobs" / sha256[:2] / sha256


def pages_dir(sha256: str) -> Path:
    """Rendered pages of one PDF, shared by every version that has the same content."""
    return root() / "pages" / sha256[:2] / sha256


def page_path(sha256: str, number: int, size: str) -> Path:
    return pages_dir(sha256) / f"{number}.{size}.jpg"


def tmp_dir() -> Path:
    path = root() / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path


def receive(stream: BinaryIO, max_bytes: int) -> tuple[Path, str, int]:
    """Copy an upload to a temporary file, hashing as it goes; stops at max_bytes. Returns (path, sha256, size)."""
    digest = hashlib.sha256()
    size = 0
    fd, name = tempfile.mkstemp(dir=tmp_dir(), prefix="upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            while True:
                chunk = stream.read(CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise TooLarge()
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        os.unlink(name)
        raise
    return Path(name), digest.hexdigest(), size


def keep(temp: Path, sha256: str) -> Path:
    """Move a checked temporary file to its permanent place (or drop it when that content is already kept)."""
    target = blob_path(sha256)
    if target.exists():
        temp.unlink(missing_ok=True)
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(temp, target)
    return target


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def copy_to_temp(path: Path) -> Path:
    fd, name = tempfile.mkstemp(dir=tmp_dir(), prefix="copy-")
    os.close(fd)
    shutil.copyfile(path, name)
    return Path(name)
