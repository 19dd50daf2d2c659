"""Rendering a PDF's pages to JPEG with pdf2image: both sizes, pages in parallel, first pages first.

Pure file work (no database, no request): the background job and the benchmark both call render_pages()."""
from __future__ import annotations

import math
import os
import shutil
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from pdf2image import convert_from_path
from PIL import Image

VIEW_WIDTH = 1600
THUMB_WIDTH = 240
HD_FACTOR = 2
MAX_PIXELS = 17_000_000  # no page is ever rendered past this, whatever size it declares
MAX_SIDE = 16_000  # and no side past this (JPEG's own limit is 65,535)
JPEG_OPTIONS = {"quality": 82, "progressive": False, "optimize": False}


class RenderError(Exception):
    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


def target_size(width_pt: float, height_pt: float, width_px: int) -> tuple[int, int]:
    """Pixel size for a page shown width_px wide, shrunk to stay within MAX_PIXELS and MAX_SIDE."""
    w = float(width_px)
    h = w * height_pt / width_pt
    shrink = min(1.0, math.sqrt(MAX_PIXELS / (w * h)), MAX_SIDE / w, MAX_SIDE / h)
    return max(1, int(w * shrink)), max(1, int(h * shrink))


@dataclass
class Settings:
    poppler_path: str | None = None
    workers: int = max(1, os.cpu_count() or 1)
    chunk_pages: int = 6
    timeout_per_page: float = 30.0


# One pdftoppm per core for the whole process, however many documents render at once.
_slots_lock = threading.Lock()
_slots: threading.BoundedSemaphore | None = None


def _slot(workers: int) -> threading.BoundedSemaphore:
    global _slots
    with _slots_lock:
        if _slots is None:
            _slots = threading.BoundedSemaphore(workers)
        return _slots


def _chunks(pages: list[int], size: int) -> list[list[int]]:
    """The first page alone (the tablet shows it at once), then runs of consecutive pages."""
    if not pages:
        return []
    out = [[pages[0]]]
    run: list[int] = []
    for number in pages[1:]:
        if run and (number != run[-1] + 1 or len(run) >= size):
            out.append(run)
            run = []
        run.append(number)
    if run:
        out.append(run)
    return out


def _groups(numbers: list[int], sizes: list[tuple[float, float]], width_px: int) -> Iterable[tuple[int, int, tuple]]:
    """Consecutive pages that render at the same pixel size: one pdftoppm call each."""
    start = numbers[0]
    current = target_size(*sizes[start - 1], width_px)
    previous = start
    for number in numbers[1:]:
        size = target_size(*sizes[number - 1], width_px)
        if size != current or number != previous + 1:
            yield start, previous, current
            start, current = number, size
        previous = number
    yield start, previous, current


def _render_range(pdf: Path, first: int, last: int, size: tuple[int, int], workdir: Path, settings: Settings
                  ) -> list[Path]:
    prefix = f"p{first}"
    paths = convert_from_path(
        str(pdf), first_page=first, last_page=last, size=size, fmt="jpeg", jpegopt=JPEG_OPTIONS,
        output_folder=str(workdir), output_file=prefix, paths_only=True, thread_count=1,
        poppler_path=settings.poppler_path, timeout=settings.timeout_per_page * (last - first + 1),
    )
    if len(paths) != last - first + 1:
        raise RenderError("render_incomplete", f"pages {first}-{last}: got {len(paths)} images")
    return [Path(p) for p in sorted(paths)]


def _check_image(path: Path, expected: tuple[int, int]) -> None:
    # pdf2image can hand back a 1×1 image when poppler gives up on a page; never serve that as a page.
    with Image.open(path) as image:
        width, height = image.size
    if abs(width - expected[0]) > 2 or abs(height - expected[1]) > 2:
        raise RenderError("render_bad_size", f"{path.name}: {width}x{height}, expected {expected}")


def render_chunk(pdf: Path, numbers: list[int], sizes: list[tuple[float, float]], out_dir: Path,
                 settings: Settings, kinds: tuple[tuple[str, int], ...] = (("view", VIEW_WIDTH),
                                                                          ("thumb", THUMB_WIDTH))) -> list[int]:
    """Renders the pages in numbers, every kind; files appear atomically as <n>.<kind>.jpg."""
    slot = _slot(settings.workers)
    with slot:
        workdir = Path(tempfile.mkdtemp(dir=out_dir.parent, prefix=".render-"))
        try:
            for kind, width in kinds:
                for first, last, size in _groups(numbers, sizes, width):
                    for offset, path in enumerate(_render_range(pdf, first, last, size, workdir, settings)):
                        _check_image(path, size)
                        os.replace(path, out_dir / f"{first + offset}.{kind}.jpg")
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    return numbers


def render_pages(pdf: Path, sizes: list[tuple[float, float]], out_dir: Path, settings: Settings,
                 on_progress: Callable[[list[int]], None] | None = None) -> None:
    """Renders every page not yet on disk; calls on_progress(page numbers) as each chunk lands, first pages first."""
    out_dir.mkdir(parents=True, exist_ok=True)
    todo = [n for n in range(1, len(sizes) + 1)
            if not (out_dir / f"{n}.view.jpg").exists() or not (out_dir / f"{n}.thumb.jpg").exists()]
    chunks = _chunks(todo, settings.chunk_pages)
    if not chunks:
        return
    with ThreadPoolExecutor(max_workers=settings.workers) as pool:
        # Submitted in page order; with one slot per core the first chunks are the first to run.
        futures = [pool.submit(render_chunk, pdf, chunk, sizes, out_dir, settings) for chunk in chunks]
        try:
            for future in as_completed(futures):
                done = future.result()
                if on_progress:
                    on_progress(done)
        except BaseException:
            for future in futures:
                future.cancel()
            raise


def render_hd(pdf: Path, number: int, sizes: list[tuple[float, float]], out_dir: Path, settings: Settings) -> Path:
    """A sharper rendering of one page for zooming, made on demand and then kept."""
    target = out_dir / f"{number}.hd.jpg"
    if not target.exists():
        render_chunk(pdf, [number], sizes, out_dir, settings, kinds=(("hd", VIEW_WIDTH * HD_FACTOR),))
    return target
