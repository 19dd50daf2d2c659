"""Document rendering benchmark: the server's pipeline against the bare poppler command line, then page serving.

    .venv/bin/python bench/render_bench.py [--pages 100] [--tablets 200] [--workers <cpu count>]

In one run:
 1. makes a PDF agenda (text, tables, embedded photos) of --pages pages in a temporary folder;
 2. times `pdftoppm -jpeg` at the pipeline's view size on --workers parallel processes (best of --runs), and
    `pdftoppm -png` against `-jpeg` on a 10-page subset;
 3. times server.documents.render.render_pages() (both sizes, same workers; best of --runs) and its time to first page,
    with a breakdown of where the time goes (thumbnails, pdfinfo calls, number of poppler calls);
 4. starts a real server (python wsgi.py on 127.0.0.1, its own SQLite database and folders), uploads the PDF through the
    API, waits until it is ready, then lets --tablets simulated tablets (own logins, in separate client processes) fetch
    every thumbnail and view page, and reports throughput and latency;
 5. prints a table and, last, `RESULT render ratio=<pipeline s / pdftoppm s> pages_per_s=<pipeline pages per second>`.

Not a test: nothing here runs under pytest. The target (docs/PERFORMANCE.md) is ratio <= 1.5.
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from _common import PASSWORD, Server, bench_env, machine, migrate, percentile, seed_app, seed_meeting, seed_users


# ---- 1. the agenda PDF -----------------------------------------------------------------------------------------------

def _photos(folder: Path, count: int = 6, size: tuple[int, int] = (1400, 930)) -> list[Path]:
    """Photo-like JPEGs: smooth gradients, blurred shapes and sensor noise, so they compress and decode like photos."""
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(20261123)
    paths = []
    w, h = size
    for i in range(count):
        top = tuple(rng.randrange(40, 220) for _ in range(3))
        bottom = tuple(rng.randrange(20, 200) for _ in range(3))
        gradient = Image.linear_gradient("L").resize((w, h))
        image = Image.composite(Image.new("RGB", (w, h), bottom), Image.new("RGB", (w, h), top), gradient)
        draw = ImageDraw.Draw(image)
        for _ in range(40):
            x, y, r = rng.randrange(w), rng.randrange(h), rng.randrange(20, 220)
            colour = tuple(rng.randrange(256) for _ in range(3))
            if rng.random() < 0.5:
                draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
            else:
                draw.rectangle((x - r, y - r // 2, x + r, y + r // 2), fill=colour)
        image = image.filter(ImageFilter.GaussianBlur(6))
        noise = Image.effect_noise((w, h), 28).convert("RGB")
        image = Image.blend(image, noise, 0.18)
        path = folder / f"photo{i}.jpg"
        image.save(path, quality=88)
        paths.append(path)
    return paths


def _chart(folder: Path, index: int) -> Path:
    """A bar chart as a PNG (flat colours, like charts pasted into reports)."""
    from PIL import Image, ImageDraw

    rng = random.Random(index)
    image = Image.new("RGB", (1200, 600), "white")
    draw = ImageDraw.Draw(image)
    draw.line((80, 540, 1160, 540), fill="black", width=3)
    draw.line((80, 40, 80, 540), fill="black", width=3)
    for k in range(12):
        value = rng.randrange(60, 480)
        x = 110 + k * 88
        draw.rectangle((x, 540 - value, x + 55, 540), fill=(30 + 15 * k, 90, 200 - 10 * k))
    path = folder / f"chart{index}.png"
    image.save(path)
    return path


def make_agenda_pdf(path: Path, pages: int) -> None:
    """A People's Committee report: letterhead, numbered sections, paragraphs, tables, photos and charts."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas
    from reportlab.platypus import Frame, Image as RLImage, Paragraph, Spacer, Table, TableStyle

    fonts = Path("/usr/share/fonts/truetype/dejavu")
    if (fonts / "DejaVuSerif.ttf").exists():
        pdfmetrics.registerFont(TTFont("Body", str(fonts / "DejaVuSerif.ttf")))
        pdfmetrics.registerFont(TTFont("Body-Bold", str(fonts / "DejaVuSerif-Bold.ttf")))
        body_font, bold_font = "Body", "Body-Bold"
    else:  # without DejaVu the Vietnamese accents are lost, the work stays similar
        body_font, bold_font = "Times-Roman", "Times-Bold"
    folder = path.parent / "images"
    folder.mkdir(exist_ok=True)
    photos = _photos(folder)
    charts = [_chart(folder, i) for i in range(3)]

    body = ParagraphStyle("body", fontName=body_font, fontSize=11, leading=15, alignment=TA_JUSTIFY, spaceAfter=6)
    heading = ParagraphStyle("h", fontName=bold_font, fontSize=12.5, leading=17, spaceBefore=4, spaceAfter=6)
    centre = ParagraphStyle("c", parent=body, alignment=TA_CENTER)
    caption = ParagraphStyle("cap", parent=body, fontSize=9, leading=12, alignment=TA_CENTER)
    cell = ParagraphStyle("cell", fontName=body_font, fontSize=8.5, leading=10.5)
    rng = random.Random(7)
    words = ("kinh tế xã hội ngân sách nhà nước đầu tư công giải ngân kế hoạch năm 2026 chỉ tiêu tăng trưởng thu chi "
             "nông thôn mới chuyển đổi số hạ tầng giao thông y tế giáo dục an sinh lao động việc làm môi trường đất "
             "đai quy hoạch cải cách hành chính dịch vụ công trực tuyến quốc phòng an ninh trật tự đô thị").split()

    def sentence(n: int) -> str:
        text = " ".join(rng.choice(words) for _ in range(n))
        return text[0].upper() + text[1:] + "."

    def paragraph() -> Paragraph:
        return Paragraph(" ".join(sentence(rng.randrange(10, 22)) for _ in range(rng.randrange(3, 6))), body)

    def table() -> Table:
        rows = [[Paragraph(t, cell) for t in ("STT", "Chỉ tiêu", "Đơn vị", "Kế hoạch 2026", "Thực hiện", "Tỷ lệ %")]]
        for k in range(1, 13):
            plan = rng.randrange(100, 99_000)
            done = int(plan * rng.uniform(0.6, 1.2))
            rows.append([Paragraph(x, cell) for x in (str(k), sentence(rng.randrange(3, 7)), "tỷ đồng",
                                                      f"{plan:,}".replace(",", "."), f"{done:,}".replace(",", "."),
                                                      f"{100 * done / plan:.1f}")])
        result = Table(rows, colWidths=[10 * mm, 62 * mm, 20 * mm, 26 * mm, 26 * mm, 20 * mm], repeatRows=1)
        result.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                                    ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.85, 0.88, 0.95)),
                                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
        return result

    width, height = A4
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setTitle("Báo cáo tình hình kinh tế – xã hội năm 2026")
    section = 0
    for number in range(1, pages + 1):
        story: list = []
        if number == 1:
            letterhead = Table([[Paragraph("<b>ỦY BAN NHÂN DÂN<br/>HUYỆN THỬ NGHIỆM</b>", centre),
                                 Paragraph("<b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br/>Độc lập – Tự do – Hạnh phúc",
                                           centre)],
                                [Paragraph("Số: 215/BC-UBND", centre),
                                 Paragraph("<i>Thử Nghiệm, ngày 23 tháng 11 năm 2026</i>", centre)]],
                               colWidths=[70 * mm, 100 * mm])
            story += [letterhead, Spacer(1, 10 * mm),
                      Paragraph("<b>BÁO CÁO</b><br/>Tình hình thực hiện nhiệm vụ phát triển kinh tế – xã hội, "
                                "quốc phòng – an ninh năm 2026 và kế hoạch năm 2027", centre), Spacer(1, 6 * mm)]
        section += 1
        story.append(Paragraph(f"{section}. {sentence(rng.randrange(5, 10))[:-1].upper()}", heading))
        story.append(paragraph())
        kind = number % 4
        if kind == 1:
            photo = photos[number % len(photos)]
            story += [RLImage(str(photo), width=150 * mm, height=100 * mm),
                      Paragraph(f"Hình {number}: {sentence(8)}", caption)]
        elif kind == 2:
            story += [table(), Spacer(1, 3 * mm)]
        elif kind == 3:
            story += [RLImage(str(charts[number % len(charts)]), width=150 * mm, height=75 * mm),
                      Paragraph(f"Biểu đồ {number}: {sentence(6)}", caption)]
        story += [paragraph() for _ in range(6)]
        frame = Frame(22 * mm, 18 * mm, width - 42 * mm, height - 38 * mm, showBoundary=0)
        frame.addFromList(story, pdf)  # whatever does not fit is dropped: exactly one PDF page per number
        pdf.setFont(body_font, 9)
        pdf.drawCentredString(width / 2, 10 * mm, str(number))
        pdf.showPage()
    pdf.save()


# ---- 2. the bare poppler command line --------------------------------------------------------------------------------

def split(first: int, last: int, parts: int) -> list[tuple[int, int]]:
    """first..last in `parts` contiguous ranges of near-equal length."""
    count = last - first + 1
    parts = max(1, min(parts, count))
    out, start = [], first
    for k in range(parts):
        length = count // parts + (1 if k < count % parts else 0)
        out.append((start, start + length - 1))
        start += length
    return out


def same_size_runs(first: int, last: int, sizes_px: list[tuple[int, int]]) -> list[tuple[int, int, tuple[int, int]]]:
    runs = []
    for n in range(first, last + 1):
        if runs and runs[-1][2] == sizes_px[n - 1] and runs[-1][1] == n - 1:
            runs[-1] = (runs[-1][0], n, runs[-1][2])
        else:
            runs.append((n, n, sizes_px[n - 1]))
    return runs


def run_pdftoppm(pdf: Path, out: Path, first: int, last: int, sizes_px, workers: int, fmt: str) -> float:
    """Seconds for `workers` pdftoppm processes rendering first..last between them (each a contiguous range)."""
    from server.documents.render import JPEG_OPTIONS

    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    jpegopt = ",".join(f"{k}={'y' if v is True else 'n' if v is False else v}" for k, v in JPEG_OPTIONS.items())

    def worker(a: int, b: int) -> None:
        for f, l, (w, h) in same_size_runs(a, b, sizes_px):
            cmd = ["pdftoppm", f"-{fmt}", *(["-jpegopt", jpegopt] if fmt == "jpeg" else []),
                   "-scale-to-x", str(w), "-scale-to-y", str(h), "-f", str(f), "-l", str(l), str(pdf),
                   str(out / f"p{a}")]
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for future in [pool.submit(worker, a, b) for a, b in split(first, last, workers)]:
            future.result()
    elapsed = time.perf_counter() - start
    expected = last - first + 1
    made = len(list(out.iterdir()))
    if made != expected:
        raise SystemExit(f"pdftoppm made {made} files, expected {expected}")
    return elapsed


def best(fn, runs: int) -> tuple[float, list[float]]:
    times = [fn() for _ in range(runs)]
    return min(times), times


# ---- 3. the server's pipeline ----------------------------------------------------------------------------------------

class CallCounter:
    """Counts and times pdf2image's subprocesses (pdfinfo, pdftoppm) during a pipeline run."""

    def __init__(self):
        self.lock = threading.Lock()
        self.calls: dict[str, list[float]] = {}

    def __enter__(self):
        import pdf2image.pdf2image as p2i

        self._module = p2i
        self._popen = p2i.Popen
        self._info = p2i.pdfinfo_from_path
        counter = self

        def info(*args, **kwargs):
            start = time.perf_counter()
            try:
                return counter._info(*args, **kwargs)
            finally:
                counter.add("pdfinfo", time.perf_counter() - start)

        def popen(args, *a, **kw):
            # pdf2image runs `pdftoppm -v` (its version check) before every rendering too.
            counter.add("spawn " + Path(args[0]).name + (" -v" if "-v" in args else ""), 0.0)
            return counter._popen(args, *a, **kw)

        p2i.pdfinfo_from_path = info
        p2i.Popen = popen
        return self

    def add(self, name: str, seconds: float) -> None:
        with self.lock:
            self.calls.setdefault(name, []).append(seconds)

    def __exit__(self, *exc):
        self._module.Popen = self._popen
        self._module.pdfinfo_from_path = self._info


def run_pipeline(pdf: Path, sizes, out: Path, workers: int, chunk_pages: int, kinds=None) -> tuple[float, float]:
    """(seconds until every page is on disk, seconds until page 1 was announced)."""
    from server.documents import render

    if out.exists():
        shutil.rmtree(out)
    first_page = []
    start = time.perf_counter()

    def on_progress(done):
        if 1 in done and not first_page:
            first_page.append(time.perf_counter() - start)

    settings = render.Settings(poppler_path=None, workers=workers, chunk_pages=chunk_pages)
    if kinds is None:
        render.render_pages(pdf, sizes, out, settings, on_progress)
    else:  # a variant for the breakdown: the same chunks, only the given kinds
        original = render.render_chunk

        def only(pdf_, numbers, sizes_, out_dir, settings_, kinds_=None):
            return original(pdf_, numbers, sizes_, out_dir, settings_, kinds=kinds)

        render.render_chunk = only
        try:
            render.render_pages(pdf, sizes, out, settings, on_progress)
        finally:
            render.render_chunk = original
    elapsed = time.perf_counter() - start
    return elapsed, (first_page[0] if first_page else float("nan"))


# ---- 4. a real server and its tablets --------------------------------------------------------------------------------

def tablet_process(base: str, usernames: list[str], document_id: int, deadline_s: float, barrier, results) -> None:
    """One client process: a thread per tablet; all log in, wait for every process, then fetch all pages."""
    import requests

    def login(username):
        session = requests.Session()
        r = session.post(f"{base}/api/v1/session", json={"username": username, "password": PASSWORD}, timeout=120)
        r.raise_for_status()
        return session

    with ThreadPoolExecutor(max_workers=len(usernames)) as pool:
        sessions = list(pool.map(login, usernames))
    barrier.wait(timeout=600)
    start = time.perf_counter()
    stop_at = start + deadline_s

    kinds: dict[str, int] = {}
    lock = threading.Lock()

    def tablet(session):
        latencies: list[tuple[str, float]] = []
        served = size = errors = 0
        t0 = time.perf_counter()
        doc = session.get(f"{base}/api/v1/documents/{document_id}", timeout=60)
        latencies.append(("json", time.perf_counter() - t0))
        doc.raise_for_status()
        pages = doc.json()["pages"]
        # What the reader does: the strip of thumbnails first, then every page.
        urls = [("thumb", p["thumb"]) for p in pages] + [("view", p["view"]) for p in pages]
        for kind, url in urls:
            if time.perf_counter() > stop_at:
                break
            t0 = time.perf_counter()
            why = ""
            try:
                r = session.get(base + url, timeout=60)
                body = r.content
                ok = r.status_code == 200 and body[:3] == b"\xff\xd8\xff"
                why = "" if ok else f"HTTP {r.status_code}"
            except requests.RequestException as exc:
                ok, body, why = False, b"", type(exc).__name__
            latencies.append((kind, time.perf_counter() - t0))
            if ok:
                served += 1
                size += len(body)
            else:
                errors += 1
                with lock:
                    kinds[why] = kinds.get(why, 0) + 1
        return latencies, served, size, errors, len(urls)

    latencies, served, size, errors, wanted = [], 0, 0, 0, 0
    with ThreadPoolExecutor(max_workers=len(sessions)) as pool:
        for future in as_completed([pool.submit(tablet, s) for s in sessions]):
            lat, sv, sz, er, wn = future.result()
            latencies += lat
            served += sv
            size += sz
            errors += er
            wanted += wn
    results.put({"start": start, "end": time.perf_counter(), "latencies": latencies, "served": served,
                 "bytes": size, "errors": errors, "wanted": wanted, "error_kinds": kinds})


def seed(env: dict, tablets: int) -> tuple[int, list[str]]:
    """Secretary, delegates and a published meeting with one agenda item, straight into the server's database."""
    app = seed_app(env)
    people = seed_users(app, tablets, chair=False, width=3)
    meeting = seed_meeting(app, title="Kỳ họp thứ 9 (benchmark)", status="published", people=(
        [(people["secretary"][0], "secretary", False)] + [(u, "delegate", True) for u, _ in people["delegates"]]))
    return meeting["item_ids"][0], [name for _, name in people["delegates"]]


def serve_and_fetch(args, pdf: Path, tmp: Path) -> dict:
    import requests

    env = bench_env(tmp, RENDER_WORKERS=str(args.workers), RENDER_CHUNK_PAGES=str(args.chunk_pages))
    migrate(env)
    item_id, usernames = seed(env, args.tablets)
    server = Server(env, tmp / "server.log")
    base = server.base
    out: dict = {"server_log": str(tmp / "server.log")}
    try:
        secretary = requests.Session()
        r = secretary.post(f"{base}/api/v1/session", json={"username": "thuky", "password": PASSWORD}, timeout=30)
        r.raise_for_status()
        token = r.json()["csrf_token"]
        start = time.perf_counter()
        with open(pdf, "rb") as fh:
            r = secretary.post(f"{base}/api/v1/agenda-items/{item_id}/documents", headers={"X-CSRFToken": token},
                               files={"file": ("bao-cao-kt-xh-2026.pdf", fh, "application/pdf")}, timeout=300)
        if r.status_code != 202:
            raise SystemExit(f"upload refused: {r.status_code} {r.text[:500]}")
        out["upload_s"] = time.perf_counter() - start
        document_id = r.json()["id"]
        first = None
        while True:
            doc = secretary.get(f"{base}/api/v1/documents/{document_id}", timeout=30).json()
            if first is None and doc["pages_ready"] >= 1:
                first = time.perf_counter() - start
            if doc["status"] == "ready":
                break
            if doc["status"] == "failed" or time.perf_counter() - start > 600:
                raise SystemExit(f"rendering did not finish: {doc.get('status')} {doc.get('error')}")
            time.sleep(0.05)
        out["ready_s"] = time.perf_counter() - start
        out["first_page_s"] = first if first is not None else out["ready_s"]

        # The tablets: separate client processes, a thread per tablet in each.
        procs = max(1, min(args.client_procs, args.tablets))
        groups = [usernames[k::procs] for k in range(procs)]
        ctx = mp.get_context("spawn")
        barrier = ctx.Barrier(procs + 1)
        results = ctx.Queue()
        login_start = time.perf_counter()
        clients = [ctx.Process(target=tablet_process, args=(base, g, document_id, args.fetch_seconds, barrier, results))
                   for g in groups]
        for c in clients:
            c.start()
        barrier.wait(timeout=600)
        out["login_s"] = time.perf_counter() - login_start
        parts = [results.get(timeout=args.fetch_seconds + 300) for _ in clients]
        for c in clients:
            c.join(timeout=30)
        latencies = [x for p in parts for x in p["latencies"]]
        out.update({
            "wall_s": max(p["end"] for p in parts) - min(p["start"] for p in parts),
            "served": sum(p["served"] for p in parts), "bytes": sum(p["bytes"] for p in parts),
            "errors": sum(p["errors"] for p in parts), "wanted": sum(p["wanted"] for p in parts),
            "error_kinds": {k: sum(p["error_kinds"].get(k, 0) for p in parts)
                            for k in {k for p in parts for k in p["error_kinds"]}},
            "lat_all": [s for _, s in latencies if _ != "json"],
            "lat_view": [s for k, s in latencies if k == "view"],
            "lat_thumb": [s for k, s in latencies if k == "thumb"],
            "lat_json": [s for k, s in latencies if k == "json"],
        })
        return out
    finally:
        server.stop()


# ---- 5. report -------------------------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--tablets", type=int, default=200)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--chunk-pages", type=int, default=None,
                        help="pages per pdftoppm call in the pipeline (default: the server's RENDER_CHUNK_PAGES)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each rendering; the best counts")
    parser.add_argument("--client-procs", type=int, default=2, help="client processes the tablets are spread over")
    parser.add_argument("--fetch-seconds", type=float, default=300, help="the tablets stop asking after this long")
    parser.add_argument("--no-breakdown", action="store_true", help="skip the pipeline cost breakdown")
    parser.add_argument("--no-server", action="store_true", help="skip the real server and the tablets")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    if args.chunk_pages is None:
        from server.config import load

        with tempfile.TemporaryDirectory() as scratch:
            args.chunk_pages = load(scratch, {"SECRET_KEY": "x"})["RENDER_CHUNK_PAGES"]
    if shutil.which("pdftoppm") is None:
        raise SystemExit("pdftoppm not found: apt-get install poppler-utils")

    from server.documents.render import THUMB_WIDTH, VIEW_WIDTH, target_size

    tmp = Path(tempfile.mkdtemp(prefix="render-bench-"))
    try:
        info = machine(poppler=True)
        load_start = os.getloadavg()[0]
        print(f"machine: {info['nproc']} CPUs ({info['cpu']}), {info['ram']} RAM, {info['os']}, {info['poppler']}",
              flush=True)
        pdf = tmp / "agenda.pdf"
        t0 = time.perf_counter()
        make_agenda_pdf(pdf, args.pages)
        print(f"[1] agenda PDF: {args.pages} pages, {pdf.stat().st_size / 1e6:.1f} MB, made in "
              f"{time.perf_counter() - t0:.1f} s", flush=True)

        from server import create_app
        from server.documents.inspect import inspect_pdf

        app = create_app({"INSTANCE_PATH": str(tmp / "inspect"), "UPLOAD_FOLDER": str(tmp / "inspect" / "up"),
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'inspect.sqlite3'}", "SECRET_KEY": "x",
                          "SOCKETIO_ASYNC_MODE": "threading", "REDIS_URL": None})
        with app.app_context():
            facts = inspect_pdf(pdf, max_pages=2000, max_side_points=14400)
        sizes = facts.sizes
        view_px = [target_size(w, h, VIEW_WIDTH) for w, h in sizes]
        thumb_px = [target_size(w, h, THUMB_WIDTH) for w, h in sizes]
        n = facts.pages

        # 2. bare poppler
        subprocess.run(["pdftoppm", "-jpeg", "-scale-to-x", "64", "-scale-to-y", "-1", "-f", "1", "-l", "1",
                        str(pdf), str(tmp / "warm")], check=True)  # page cache and fonts warm for everyone
        cli_s, cli_runs = best(lambda: run_pdftoppm(pdf, tmp / "cli", 1, n, view_px, args.workers, "jpeg"), args.runs)
        print(f"[2] pdftoppm -jpeg {view_px[0][0]}x{view_px[0][1]}, {args.workers} processes: "
              f"{', '.join(f'{t:.2f}' for t in cli_runs)} s", flush=True)
        subset = min(10, n)
        jpg10, _ = best(lambda: run_pdftoppm(pdf, tmp / "j10", 1, subset, view_px, args.workers, "jpeg"), args.runs)
        png10, _ = best(lambda: run_pdftoppm(pdf, tmp / "p10", 1, subset, view_px, args.workers, "png"), 1)
        print(f"    {subset} pages: jpeg {jpg10:.2f} s, png {png10:.2f} s ({png10 / jpg10:.1f}x)", flush=True)

        # 3. the pipeline
        runs = [run_pipeline(pdf, sizes, tmp / f"pipe{k}", args.workers, args.chunk_pages) for k in range(args.runs)]
        pipe_s, pipe_first = min(runs)
        print(f"[3] render_pages (chunk_pages={args.chunk_pages}, {args.workers} workers): "
              f"{', '.join(f'{t:.2f}' for t, _ in runs)} s; first page {pipe_first:.2f} s", flush=True)

        breakdown = {}
        if not args.no_breakdown:
            thumbs_cli, _ = best(lambda: run_pdftoppm(pdf, tmp / "cli-t", 1, n, thumb_px, args.workers, "jpeg"),
                                 args.runs)
            view_only, _ = best(lambda: run_pipeline(pdf, sizes, tmp / "pv", args.workers, args.chunk_pages,
                                                     kinds=(("view", VIEW_WIDTH),))[0], args.runs)
            with CallCounter() as calls:
                run_pipeline(pdf, sizes, tmp / "pc", args.workers, args.chunk_pages)
            # What a thumbnail would cost made from the view JPEG instead of by a second poppler pass.
            from PIL import Image

            t0 = time.perf_counter()
            for number in range(1, n + 1):
                with Image.open(tmp / "pc" / f"{number}.view.jpg") as image:
                    image.draft("RGB", thumb_px[number - 1])
                    image.convert("RGB").resize(thumb_px[number - 1], Image.LANCZOS).save(
                        tmp / "pil-thumb.jpg", quality=82)
            pil_thumbs = time.perf_counter() - t0
            info_times = []
            for _ in range(10):
                t0 = time.perf_counter()
                subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True)
                info_times.append(time.perf_counter() - t0)
            breakdown = {"thumbs_cli": thumbs_cli, "view_only": view_only, "pil_thumbs": pil_thumbs,
                         "pdftoppm_calls": len(calls.calls.get("spawn pdftoppm", [])),
                         "version_calls": len(calls.calls.get("spawn pdftoppm -v", [])),
                         "pdfinfo_calls": len(calls.calls.get("pdfinfo", [])),
                         "pdfinfo_s": statistics.median(info_times),
                         "pdfinfo_total": sum(calls.calls.get("pdfinfo", []))}
            print(f"    breakdown: pdftoppm thumbs alone {thumbs_cli:.2f} s; pipeline views only {view_only:.2f} s; "
                  f"{breakdown['pdftoppm_calls']} pdftoppm + {breakdown['version_calls']} pdftoppm -v + "
                  f"{breakdown['pdfinfo_calls']} pdfinfo calls, "
                  f"pdfinfo {breakdown['pdfinfo_s'] * 1000:.0f} ms each", flush=True)
            sweep = {}
            for chunk in sorted({4, args.chunk_pages, 13, -(-n // args.workers)}):
                sweep[chunk] = best(lambda: run_pipeline(pdf, sizes, tmp / "ps", args.workers, chunk)[0], 2)[0]
            breakdown["sweep"] = sweep
            print("    chunk_pages sweep (best of 2): "
                  + ", ".join(f"{c}: {t:.2f} s" for c, t in sweep.items()), flush=True)

        # 4. the real server
        served = None
        if not args.no_server:
            print(f"[4] server: {args.tablets} tablets ...", flush=True)
            served = serve_and_fetch(args, pdf, tmp / "srv")

        # 5. the table
        ratio = pipe_s / cli_s
        rows = [
            ("machine", f"{info['nproc']} CPUs, {info['cpu']}, {info['ram']}, {info['poppler']}"),
            ("load average", f"{load_start:.2f} at start, {os.getloadavg()[0]:.2f} at end (1 min)"),
            ("document", f"{n} pages A4, {pdf.stat().st_size / 1e6:.1f} MB; view {view_px[0][0]}x{view_px[0][1]}, "
                         f"thumb {thumb_px[0][0]}x{thumb_px[0][1]} JPEG"),
            ("pdftoppm -jpeg (views)", f"{cli_s:.2f} s best of {args.runs} ({n / cli_s:.1f} pages/s), "
                                       f"{args.workers} processes"),
            ("pdftoppm -png, 10 pages", f"{png10:.2f} s vs jpeg {jpg10:.2f} s: {png10 / jpg10:.1f}x slower"),
            ("pipeline render_pages", f"{pipe_s:.2f} s best of {args.runs} ({n / pipe_s:.1f} pages/s), views + "
                                      f"thumbs, chunk_pages={args.chunk_pages}"),
            ("pipeline first page", f"{pipe_first:.2f} s"),
            ("ratio pipeline/pdftoppm", f"{ratio:.2f} (target <= 1.5)"),
        ]
        if breakdown:
            rows += [
                ("  pdftoppm thumbs alone", f"{breakdown['thumbs_cli']:.2f} s"),
                ("  pipeline views only", f"{breakdown['view_only']:.2f} s "
                                          f"(ratio {breakdown['view_only'] / cli_s:.2f})"),
                ("  thumbs from view JPEGs", f"{breakdown['pil_thumbs']:.2f} s on one core (Pillow draft + resize)"),
                ("  poppler calls", f"{breakdown['pdftoppm_calls']} pdftoppm + {breakdown['version_calls']} "
                                    f"pdftoppm -v + {breakdown['pdfinfo_calls']} pdfinfo "
                                    f"({breakdown['pdfinfo_s'] * 1000:.0f} ms each, "
                                    f"{breakdown['pdfinfo_total']:.2f} s summed over workers)"),
                ("  chunk_pages sweep", ", ".join(f"{c}: {t:.2f} s" for c, t in breakdown["sweep"].items())),
            ]
        if served:
            lat = served["lat_all"]
            rows += [
                ("server upload -> ready", f"{served['ready_s']:.2f} s (upload answered {served['upload_s']:.2f} s, "
                                           f"first page {served['first_page_s']:.2f} s)"),
                ("tablets logged in", f"{args.tablets} in {served['login_s']:.1f} s ({args.client_procs} client "
                                      f"processes)"),
                ("pages served", f"{served['served']} of {served['wanted']} wanted in {served['wall_s']:.1f} s, "
                                 f"{served['errors']} errors"
                                 + "".join(f", {k}: {c}" for k, c in sorted(served["error_kinds"].items()))),
                ("throughput", f"{served['served'] / served['wall_s']:.0f} pages/s, "
                               f"{served['bytes'] / served['wall_s'] / 1e6:.1f} MB/s"),
                ("latency all p50/p95/p99", " / ".join(f"{percentile(lat, p) * 1000:.0f}" for p in (50, 95, 99))
                 + " ms"),
                ("latency view p50/p95/p99", " / ".join(f"{percentile(served['lat_view'], p) * 1000:.0f}"
                                                        for p in (50, 95, 99)) + " ms"),
                ("latency thumb p50/p95/p99", " / ".join(f"{percentile(served['lat_thumb'], p) * 1000:.0f}"
                                                         for p in (50, 95, 99)) + " ms"),
                ("document JSON p50/p99", " / ".join(f"{percentile(served['lat_json'], p) * 1000:.0f}"
                                                     for p in (50, 99)) + " ms"),
            ]
        width = max(len(k) for k, _ in rows)
        print()
        for key, value in rows:
            print(f"{key.ljust(width)}  {value}")
        print(f"RESULT render ratio={ratio:.2f} pages_per_s={n / pipe_s:.1f}")
    finally:
        if args.keep:
            print(f"(kept {tmp})", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
