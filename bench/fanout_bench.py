"""Page sync fan-out benchmark: the real server's `present` → `room` delta against a bare Flask-SocketIO broadcast.

    .venv/bin/python bench/fanout_bench.py [--sizes 100,500,1000] [--pages 50] [--storm 1000]

In one run:
 1. seeds one SQLite database (a secretary, a chair, max(--sizes, --storm) delegates sharing one precomputed password
    hash, and one meeting per size with exactly that many delegates), starts the real server once to upload a small
    PDF into every meeting (rendered) and to log every tablet in once (their cookies are reused afterwards);
 2. for each N in --sizes: starts the real server (python wsgi.py, same database), lets N simulated tablets in
    --client-procs separate processes connect and `join`; the chair (another process: this one) presents pages
    1..--pages, one every --interval seconds; each tablet notes when every `room` delta arrives; reports delivery
    latency (send time on the chair's clock right before the emit → arrival on the tablet), missing deltas and the
    server's CPU time per delivered delta; then, with the same tablet processes, the same for a bare Flask-SocketIO app
    (the floor: same eventlet listen/backlog/max_size, a `join` that only joins the room, and a `fire` event that
    emits a payload the size of the real delta to the room);
 3. --storm tablets (already logged in) open their connections at the same moment against a fresh real server: how
    many got in, how many failed, the time until every one had its `join` snapshot;
 4. if the p99 ratio at N=500 is above 1.3 (or with --profile always), runs the real server once more at that N under a
    sampling profiler (a thread started before wsgi.py, reading the event loop thread's stack every millisecond;
    server code untouched) and prints where the time goes;
 5. prints a table and, last, `RESULT fanout n=500 p99_ms=<x> floor_p99_ms=<y> ratio=<x/y>`.

Everything listens on 127.0.0.1 and lives in a temporary folder; every process started here is stopped at the end.
Not a test: nothing here runs under pytest. The target (docs/PERFORMANCE.md) is ratio <= 1.3.

The tablets are a minimal Socket.IO v4 client (websocket-client for the handshake, then one thread per process reading
every socket through epoll): python-socketio's threaded Client starts a thread per received message, which on a
2-core machine shared with the server would measure the clients more than the server.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import threading
import time
import warnings
from collections import Counter, deque
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from _common import (PASSWORD, PYTHON, ROOT, ClientProcesses, Server, bench_env, login, machine, migrate, percentile,
                     raise_open_files, seed_app, seed_meeting, seed_users, set_meeting_status, sio_connect, ws_url)

BACKLOG = 2048  # what wsgi.py uses (LISTEN_BACKLOG); passed to both servers
MAX_CONNECTIONS = 10000  # wsgi.py's MAX_CONNECTIONS
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")  # server.concurrency imports eventlet


# ---- the floor: a bare Flask-SocketIO app ----------------------------------------------------------------------------

FLOOR_APP = r'''
import warnings
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
import eventlet
eventlet.monkey_patch()
import json, os
import eventlet.wsgi
from flask import Flask
from flask_socketio import SocketIO, join_room

app = Flask(__name__)
app.config["SECRET_KEY"] = "x"
socketio = SocketIO(app, async_mode="eventlet")
with open(os.environ["FLOOR_PAYLOAD"]) as fh:
    TEMPLATE = json.load(fh)  # a real `room` delta: the same size on the wire


@socketio.on("join")
def join(data):
    join_room("meeting:1")
    return {"ok": True, "snapshot": {"meeting_id": 1, "seq": 0}}


@socketio.on("fire")
def fire(data):
    payload = dict(TEMPLATE, seq=data["seq"])
    payload["data"] = dict(TEMPLATE["data"], page=data["seq"])
    socketio.emit("room", payload, to="meeting:1")
    return {"ok": True, "seq": data["seq"]}


sock = eventlet.listen((os.environ["HOST"], int(os.environ["PORT"])), backlog=int(os.environ["LISTEN_BACKLOG"]))
print("floor listening", flush=True)
eventlet.wsgi.server(sock, app, max_size=int(os.environ["MAX_CONNECTIONS"]), log_output=False, keepalive=True,
                     socket_timeout=None)
'''

# A sampling profiler for the server without touching its code: a real OS thread, started before wsgi.py runs (and so
# before eventlet patches anything), that reads the event loop thread's current stack every millisecond while the file
# PROFILE_FLAG exists, and writes the counts to PROFILE_OUT once a second.
SAMPLER = r'''
import _thread, json, os, runpy, sys, time
_sleep, _now = time.sleep, time.monotonic
MAIN = _thread.get_ident()
FLAG, OUT = os.environ["PROFILE_FLAG"], os.environ["PROFILE_OUT"]
ROOT = os.environ["PROFILE_ROOT"]

def where(code):
    f = code.co_filename
    if f.startswith(ROOT):
        f = f[len(ROOT):].lstrip("/")
    elif "site-packages/" in f:
        f = f.split("site-packages/", 1)[1]
    else:
        f = os.path.basename(f)
    return f"{f}:{code.co_name}"

def write(own, incl):
    with open(OUT + ".tmp", "w") as fh:
        json.dump({"samples": sum(own.values()), "own": own, "incl": incl}, fh)
    os.replace(OUT + ".tmp", OUT)

def sample():
    own, incl, last_write, dirty = {}, {}, _now(), False
    while True:
        if dirty and _now() - last_write > 1:
            write(own, incl)
            last_write, dirty = _now(), False
        if not os.path.exists(FLAG):
            _sleep(0.05)
            continue
        for _ in range(100):
            _sleep(0.001)
            frame = sys._current_frames().get(MAIN)
            if frame is None:
                continue
            dirty = True
            leaf = where(frame.f_code)
            own[leaf] = own.get(leaf, 0) + 1
            seen = set()
            while frame is not None:
                key = where(frame.f_code)
                if key not in seen:
                    seen.add(key)
                    incl[key] = incl.get(key, 0) + 1
                frame = frame.f_back

_thread.start_new_thread(sample, ())
sys.argv = ["wsgi.py"]
sys.path.insert(0, os.getcwd())
runpy.run_path("wsgi.py", run_name="__main__")
'''


# ---- the tablets: worker processes ------------------------------------------------------------------------------------

class Tablet:
    __slots__ = ("name", "cookie", "ws", "got", "snap_seq", "joined_at", "closed")

    def __init__(self, name: str, cookie: str):
        self.name, self.cookie = name, cookie
        self.ws = None
        self.got: dict[int, float] = {}
        self.snap_seq = None
        self.joined_at = None
        self.closed = False


def _on_message(tablet: Tablet, msg, now: float) -> None:
    """One Engine.IO packet: ping → pong, a `room` event → its arrival time by seq."""
    if not msg:
        tablet.closed = True
        return
    if msg == "2":
        tablet.ws.send("3")
    elif msg.startswith("42"):
        event = json.loads(msg[2:])
        if event[0] == "room":
            tablet.got.setdefault(event[1]["seq"], now)
    elif msg.startswith("41") or msg.startswith("1"):
        tablet.closed = True


def _connect_and_join(tablet: Tablet, url: str, meeting_id: int, timeout: float) -> None:
    tablet.ws = sio_connect(url, tablet.cookie, timeout, on_message=lambda msg: _on_message(tablet, msg, time.time()))
    ws = tablet.ws
    ws.send("420" + json.dumps(["join", {"meeting_id": meeting_id}]))
    while True:
        msg = ws.recv()
        if msg.startswith("430"):
            ack = json.loads(msg[3:])[0]
            if not ack.get("ok"):
                raise RuntimeError(f"join refused: {ack}")
            tablet.snap_seq = ack["snapshot"]["seq"]
            tablet.joined_at = time.time()
            return
        _on_message(tablet, msg, time.time())


def tablet_process(accounts: list[tuple[str, str]], conn) -> None:
    """Commands from the bench over a pipe; one reader thread serves every joined socket of this process."""
    import selectors

    sel = selectors.DefaultSelector()
    pending: deque = deque()
    control: deque = deque()  # callables run by the reader thread
    tablets: list[Tablet] = []

    def reader():
        registered: set = set()
        while True:
            while pending:
                t = pending.popleft()
                sel.register(t.ws.sock, selectors.EVENT_READ, t)
                registered.add(t)
            while control:
                control.popleft()(registered)
            if not registered:
                time.sleep(0.02)
                continue
            for key, _ in sel.select(0.02):
                t = key.data
                try:
                    msg = t.ws.recv()
                    _on_message(t, msg, time.time())
                except Exception:  # the connection broke: this tablet misses what follows (counted as missing)
                    t.closed = True
                if t.closed:
                    sel.unregister(key.fileobj)
                    registered.discard(t)

    threading.Thread(target=reader, daemon=True).start()

    while True:
        cmd, *rest = conn.recv()
        if cmd == "connect":
            ws_url, meeting_id, start_at, concurrency, timeout = rest
            tablets = [Tablet(name, cookie) for name, cookie in accounts]
            errors: Counter = Counter()

            def one(t: Tablet):
                delay = start_at - time.time()
                if delay > 0:
                    time.sleep(delay)
                try:
                    _connect_and_join(t, ws_url, meeting_id, timeout)
                    t.ws.settimeout(30)
                    pending.append(t)
                except Exception as exc:  # counted and reported, never retried
                    errors[type(exc).__name__ + (f": {exc}"[:60] if isinstance(exc, RuntimeError) else "")] += 1
                    if t.ws is not None:
                        t.ws.shutdown()
                    t.ws = None

            with ThreadPoolExecutor(max_workers=max(1, min(concurrency, len(tablets)))) as pool:
                list(pool.map(one, tablets))
            while pending:
                time.sleep(0.01)
            conn.send({"ok": sum(1 for t in tablets if t.ws is not None), "errors": dict(errors),
                       "joined_at": [t.joined_at for t in tablets if t.joined_at is not None]})
        elif cmd == "count":
            conn.send(sum(len(t.got) for t in tablets))
        elif cmd == "collect":
            conn.send([(t.snap_seq, t.got, t.closed) for t in tablets if t.ws is not None])
        elif cmd == "drop":
            done = threading.Event()

            def drop(registered, done=done):
                for t in list(registered):
                    sel.unregister(t.ws.sock)
                    registered.discard(t)
                done.set()

            control.append(drop)
            done.wait(30)
            for t in tablets:
                if t.ws is not None:
                    try:
                        t.ws.send("41")
                    except Exception:
                        pass
                    t.ws.shutdown()
            tablets = []
            conn.send(True)
        elif cmd == "quit":
            conn.send(True)
            return


class Tablets(ClientProcesses):
    """The tablet processes and their pipes."""

    def __init__(self, accounts: list[tuple[str, str]], procs: int):
        super().__init__(tablet_process, accounts, procs, name="tablet")

    def connect(self, base: str, meeting_id: int, *, concurrency: int, timeout: float = 60, delay: float = 1.0):
        start_at = time.time() + delay
        parts = self.ask("connect", ws_url(base), meeting_id, start_at, concurrency, timeout)
        errors: Counter = Counter()
        for p in parts:
            errors.update(p["errors"])
        joined = [t for p in parts for t in p["joined_at"]]
        return {"ok": sum(p["ok"] for p in parts), "errors": dict(errors), "start_at": start_at,
                "joined_at": joined}


# ---- set-up ----------------------------------------------------------------------------------------------------------

def make_pdf(path: Path, pages: int) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    for number in range(1, pages + 1):
        c.setFont("Helvetica-Bold", 18)
        c.drawString(72, 770, f"Bao cao kinh te - xa hoi 2026, trang {number}")
        c.setFont("Helvetica", 11)
        for line in range(40):
            c.drawString(72, 730 - line * 16, f"Dong {line + 1}: noi dung muc {number}.{line + 1} cua bao cao.")
        c.showPage()
    c.save()


def prepare(args, tmp: Path, env: dict, pdf: Path) -> dict:
    """Seeds (one meeting per size, exactly that many delegates), uploads the document into every meeting, and logs
    everybody in once."""
    import requests

    migrate(env)
    app = seed_app(env)
    people = seed_users(app, max(args.sizes + [args.storm]))
    secretary_id, chair_id = people["secretary"][0], people["chair"][0]
    meetings = {}
    for n in sorted(set(args.sizes + [args.storm]) - {0}):
        meetings[n] = seed_meeting(app, title=f"Kỳ họp benchmark, {n} đại biểu", status="published", people=(
            [(secretary_id, "secretary", False), (chair_id, "chair", True)]
            + [(user_id, "delegate", True) for user_id, _ in people["delegates"][:n]]))
        meetings[n]["item_id"] = meetings[n]["item_ids"][0]
    seeded = {"meetings": meetings, "delegates": [name for _, name in people["delegates"]]}
    server = Server(env, tmp / "server-setup.log")
    try:
        secretary = requests.Session()
        r = secretary.post(f"{server.base}/api/v1/session", json={"username": "thuky", "password": PASSWORD},
                           timeout=60)
        r.raise_for_status()
        token = r.json()["csrf_token"]
        for n in args.sizes:
            m = seeded["meetings"][n]
            with open(pdf, "rb") as fh:
                r = secretary.post(f"{server.base}/api/v1/agenda-items/{m['item_id']}/documents",
                                   headers={"X-CSRFToken": token},
                                   files={"file": ("bao-cao-kt-xh-2026.pdf", fh, "application/pdf")}, timeout=300)
            if r.status_code != 202:
                raise SystemExit(f"upload refused: {r.status_code} {r.text[:500]}")
            m["document_id"] = r.json()["id"]
        deadline = time.time() + 600
        for n in args.sizes:
            m = seeded["meetings"][n]
            while True:
                doc = secretary.get(f"{server.base}/api/v1/documents/{m['document_id']}", timeout=30).json()
                if doc["status"] == "ready":
                    m["page_count"] = doc["page_count"]
                    break
                if doc["status"] == "failed" or time.time() > deadline:
                    raise SystemExit(f"rendering did not finish: {doc.get('status')} {doc.get('error')}")
                time.sleep(0.1)
        t0 = time.perf_counter()
        with ThreadPoolExecutor(max_workers=8) as pool:
            cookies = [c for c, _ in pool.map(lambda u: login(server.base, u), ["chutoa", *seeded["delegates"]])]
        seeded["login_s"] = time.perf_counter() - t0
        seeded["chair_cookie"], seeded["cookies"] = cookies[0], cookies[1:]
        seeded["listen"] = server.listen_settings()
    finally:
        server.stop()
    set_meeting_status(app, [m["meeting_id"] for m in seeded["meetings"].values()], "in_progress")
    return seeded


# ---- the chair ----------------------------------------------------------------------------------------------------------

def chair_run(base: str, cookie: str, event: str, make_payload, pages: int, interval: float, on_start) -> dict:
    """Connects the chair's console and sends `pages` events on a fixed schedule; returns send times by seq."""
    import socketio

    sio = socketio.Client(reconnection=False)
    sio.connect(base, headers={"Cookie": cookie} if cookie else {}, transports=["websocket"], wait_timeout=30)
    sent: dict[int, float] = {}
    acks: dict[int, tuple[float, dict]] = {}
    done = threading.Event()

    def ack_for(page):
        def callback(ack):
            acks[page] = (time.time(), ack)
            if len(acks) == pages:
                done.set()
        return callback

    try:
        time.sleep(0.5)
        on_start()
        t0 = time.monotonic() + 0.1
        for page in range(1, pages + 1):
            delay = t0 + (page - 1) * interval - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            sent[page] = time.time()
            sio.emit(event, make_payload(page), callback=ack_for(page))
        done.wait(60)
    finally:
        sio.disconnect()
    by_seq, ack_ms, refused = {}, [], []
    for page, t in sent.items():
        if page not in acks:
            refused.append("no ack")
            continue
        at, ack = acks[page]
        if not ack.get("ok"):
            refused.append(ack.get("error", {}).get("code", "?"))
            continue
        by_seq[ack["seq"]] = t
        ack_ms.append((at - t) * 1000)
    return {"by_seq": by_seq, "ack_ms": ack_ms, "refused": refused}


def fanout(tablets: Tablets, server: Server, n: int, meeting_id: int, chair_cookie: str, event: str, make_payload,
           args, profile_flag: Path | None = None) -> dict:
    joined = tablets.connect(server.base, meeting_id, concurrency=25)
    if joined["ok"] != n:
        print(f"    warning: {joined['ok']} of {n} tablets joined ({joined['errors']})", flush=True)
    cpu = {}

    def on_start():
        cpu["before"] = server.cpu()
        if profile_flag:
            profile_flag.touch()

    sent = chair_run(server.base, chair_cookie, event, make_payload, args.pages, args.interval, on_start)
    expected = n * len(sent["by_seq"])
    last, last_change = -1, time.time()
    while True:  # until every delta arrived, or nothing moved for 10 s
        got = sum(tablets.ask("count"))
        if got >= expected:
            break
        if got != last:
            last, last_change = got, time.time()
        elif time.time() - last_change > 10:
            break
        time.sleep(0.1)
    cpu["after"] = server.cpu()
    if profile_flag:
        profile_flag.unlink(missing_ok=True)
    parts = [row for p in tablets.ask("collect") for row in p]
    latencies, missing, stray = [], 0, 0
    dropped = sum(1 for *_, closed in parts if closed)
    for snap_seq, got, _closed in parts:
        for seq, t in sent["by_seq"].items():
            if seq <= snap_seq:
                continue
            if seq in got:
                latencies.append((got[seq] - t) * 1000)
            else:
                missing += 1
        stray += sum(1 for seq in got if seq not in sent["by_seq"])
    missing += (n - len(parts)) * len(sent["by_seq"])  # tablets that never joined missed everything
    tablets.ask("drop")
    delivered = len(latencies)
    return {"joined": joined["ok"], "join_errors": joined["errors"], "latencies": latencies, "missing": missing,
            "dropped": dropped, "stray": stray, "refused": sent["refused"], "ack_ms": sent["ack_ms"],
            "cpu_s": cpu["after"] - cpu["before"], "delivered": delivered,
            "cpu_us_per_recipient": (cpu["after"] - cpu["before"]) / max(1, n * args.pages) * 1e6}


def capture_delta(base: str, cookie: str, payload: dict) -> dict:
    """One real `room` delta as the tablets get it: the chair joins and presents once."""
    import socketio

    got: list[dict] = []
    sio = socketio.Client(reconnection=False)
    sio.on("room", got.append)
    sio.connect(base, headers={"Cookie": cookie}, transports=["websocket"], wait_timeout=30)
    try:
        sio.call("join", {"meeting_id": payload["meeting_id"]}, timeout=30)
        ack = sio.call("present", payload, timeout=30)
        if not ack.get("ok"):
            raise SystemExit(f"present refused: {ack}")
        deadline = time.time() + 10
        while not got and time.time() < deadline:
            time.sleep(0.05)
    finally:
        sio.disconnect()
    if not got:
        raise SystemExit("no `room` delta arrived after present")
    return got[-1]


def print_profile(path: Path, top: int) -> list[str]:
    data = json.loads(path.read_text())
    total = data["samples"] or 1
    idle_keys = [k for k in data["own"] if "eventlet/hubs/" in k and k.endswith((":do_poll", ":wait"))]
    idle = sum(data["own"][k] for k in idle_keys)
    lines = [f"profile: {total} samples of the event loop thread, {100 * (total - idle) / total:.0f} % busy"]
    lines.append("  own time (leaf), % of busy samples:")
    busy = max(1, total - idle)
    for key, c in [kv for kv in sorted(data["own"].items(), key=lambda kv: -kv[1]) if kv[0] not in idle_keys][:top]:
        lines.append(f"    {100 * c / busy:5.1f} %  {key}")
    lines.append("  inclusive (on the stack), % of busy samples:")
    skip = ("runpy", "<", "hubs/hub.py:run", "hubs/poll.py:wait", "greenthread.py:main", "sampler.py")
    for key, c in [kv for kv in sorted(data["incl"].items(), key=lambda kv: -kv[1])
                   if kv[0] not in idle_keys and not any(x in kv[0] for x in skip)][:top * 2]:
        lines.append(f"    {100 * c / busy:5.1f} %  {key}")
    return lines


def ms(values: list[float], p: float) -> str:
    return f"{percentile(values, p):.0f}" if values else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,500,1000", help="tablet counts, comma-separated")
    parser.add_argument("--pages", type=int, default=50, help="pages the chair turns at each size")
    parser.add_argument("--interval", type=float, default=0.2, help="seconds between two pages")
    parser.add_argument("--storm", type=int, default=1000, help="tablets connecting at once (0: skip)")
    parser.add_argument("--client-procs", type=int, default=4, help="processes the tablets are spread over")
    parser.add_argument("--profile", choices=("auto", "always", "never"), default="auto",
                        help="profile the real server at the RESULT size (auto: when the ratio is above 1.3)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs, database)")
    args = parser.parse_args()
    args.sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    result_n = 500 if 500 in args.sizes else args.sizes[len(args.sizes) // 2]

    tmp = Path(tempfile.mkdtemp(prefix="fanout-bench-"))
    servers: list[Server] = []
    tablets = None
    try:
        info = machine()
        load_start = os.getloadavg()[0]
        open_files = raise_open_files()
        print(f"machine: {info['nproc']} CPUs ({info['cpu']}), {info['ram']} RAM, {info['os']}; open files "
              f"{open_files}; load average {load_start:.2f}", flush=True)
        env = bench_env(tmp, LISTEN_BACKLOG=str(BACKLOG), MAX_CONNECTIONS=str(MAX_CONNECTIONS))
        pdf = tmp / "bao-cao.pdf"
        make_pdf(pdf, max(args.pages, 2))
        t0 = time.perf_counter()
        seeded = prepare(args, tmp, env, pdf)
        print(f"[1] seeded {len(seeded['delegates'])} delegates and {len(seeded['meetings'])} meetings, document "
              f"rendered, {len(seeded['cookies']) + 1} logins in {seeded['login_s']:.1f} s "
              f"(setup {time.perf_counter() - t0:.1f} s)", flush=True)
        listen = seeded["listen"]
        print(f"    real server as started: eventlet backlog {listen.get('backlog')}, max_size {listen.get('max_size')};"
              f" kernel somaxconn {listen.get('somaxconn')}, effective listen backlog "
              f"{listen.get('effective_backlog')}", flush=True)
        if listen.get("max_size") != MAX_CONNECTIONS or listen.get("backlog") != BACKLOG:
            raise SystemExit("the server is not running with wsgi.py's connection settings")
        floor_script = tmp / "floor_app.py"
        floor_script.write_text(FLOOR_APP)

        rows = {}
        template = None
        for n in args.sizes:
            m = seeded["meetings"][n]
            accounts = list(zip(seeded["delegates"][:n], seeded["cookies"][:n]))
            tablets = Tablets(accounts, args.client_procs)

            def present(page, m=m):
                return {"meeting_id": m["meeting_id"], "document_id": m["document_id"], "page": page}

            server = Server(env, tmp / f"server-{n}.log")
            servers.append(server)
            if template is None:  # the floor emits a payload of the same shape and size as a real delta
                template = capture_delta(server.base, seeded["chair_cookie"], present(args.pages))
                (tmp / "payload.json").write_text(json.dumps(template, ensure_ascii=False))
            real = fanout(tablets, server, n, m["meeting_id"], seeded["chair_cookie"], "present", present, args)
            server.stop()
            servers.remove(server)
            real["load"] = os.getloadavg()[0]
            print(f"[2] N={n} real server: p50 {ms(real['latencies'], 50)} ms, p99 {ms(real['latencies'], 99)} ms, "
                  f"missing {real['missing']}, joined {real['joined']}, closed by the server {real['dropped']}, "
                  f"{real['cpu_us_per_recipient']:.0f} µs CPU per recipient; load average {real['load']:.2f}", flush=True)

            floor_env = {**env, "FLOOR_PAYLOAD": str(tmp / "payload.json")}
            server = Server(floor_env, tmp / f"floor-{n}.log", [PYTHON, str(floor_script)],
                            ready_path="/socket.io/?EIO=4&transport=polling")
            servers.append(server)
            floor = fanout(tablets, server, n, 1, "", "fire", lambda page: {"seq": page}, args)
            server.stop()
            servers.remove(server)
            print(f"    N={n} floor:       p50 {ms(floor['latencies'], 50)} ms, p99 {ms(floor['latencies'], 99)} ms, "
                  f"missing {floor['missing']}, joined {floor['joined']}, closed by the server {floor['dropped']}, "
                  f"{floor['cpu_us_per_recipient']:.0f} µs CPU per recipient", flush=True)
            tablets.close()
            tablets = None
            rows[n] = (real, floor)

        # 3. the connect storm
        storm = None
        if args.storm:
            m = seeded["meetings"][args.storm]
            accounts = list(zip(seeded["delegates"][:args.storm], seeded["cookies"][:args.storm]))
            tablets = Tablets(accounts, args.client_procs)
            server = Server(env, tmp / "server-storm.log")
            servers.append(server)
            cpu0 = server.cpu()
            joined = tablets.connect(server.base, m["meeting_id"], concurrency=args.storm, timeout=120, delay=2.0)
            cpu1 = server.cpu()
            times = sorted(t - joined["start_at"] for t in joined["joined_at"])
            storm = {"ok": joined["ok"], "failed": args.storm - joined["ok"], "errors": joined["errors"],
                     "all_s": times[-1] if times else float("nan"), "p50_s": percentile(times, 50),
                     "p99_s": percentile(times, 99), "cpu_s": cpu1 - cpu0}
            tablets.ask("drop")
            tablets.close()
            tablets = None
            server.stop()
            servers.remove(server)
            print(f"[3] storm: {storm['ok']} of {args.storm} joined, {storm['failed']} failed {storm['errors'] or ''},"
                  f" all joined after {storm['all_s']:.1f} s", flush=True)

        # 4. the profile
        real, floor = rows[result_n]
        p99, floor_p99 = percentile(real["latencies"], 99), percentile(floor["latencies"], 99)
        ratio = p99 / floor_p99
        profile_lines: list[str] = []
        if args.profile == "always" or (args.profile == "auto" and ratio > 1.3):
            m = seeded["meetings"][result_n]
            sampler = tmp / "sampler.py"
            sampler.write_text(SAMPLER)
            flag, out = tmp / "profile.on", tmp / "profile.json"
            prof_env = {**env, "PROFILE_FLAG": str(flag), "PROFILE_OUT": str(out), "PROFILE_ROOT": str(ROOT)}
            accounts = list(zip(seeded["delegates"][:result_n], seeded["cookies"][:result_n]))
            tablets = Tablets(accounts, args.client_procs)
            server = Server(prof_env, tmp / "server-profile.log", [PYTHON, str(sampler)])
            servers.append(server)

            def present(page, m=m):
                return {"meeting_id": m["meeting_id"], "document_id": m["document_id"], "page": page}

            profiled = fanout(tablets, server, result_n, m["meeting_id"], seeded["chair_cookie"], "present", present,
                              args, profile_flag=flag)
            time.sleep(1.5)  # the sampler writes once a second
            server.stop()
            servers.remove(server)
            tablets.close()
            tablets = None
            profile_lines = [f"profiled run N={result_n}: p50 {ms(profiled['latencies'], 50)} ms, p99 "
                             f"{ms(profiled['latencies'], 99)} ms (the sampler itself costs some)"]
            if out.exists():
                profile_lines += print_profile(out, 15)
            print("[4] " + "\n".join(profile_lines), flush=True)

        # 5. the table
        print()
        print(f"machine: {info['nproc']} CPUs ({info['cpu']}), {info['ram']} RAM; the server and all the tablets' "
              f"processes ({args.client_procs}) share these cores")
        print(f"load average (1 min): {load_start:.2f} at start, {os.getloadavg()[0]:.2f} at end")
        print(f"payload: one `room` delta of {len(json.dumps(template, separators=(',', ':')).encode())} bytes of "
              f"JSON; {args.pages} pages, one every {args.interval * 1000:.0f} ms")
        head = (f"{'N':>5} | {'server':<6} | {'p50 ms':>6} | {'p99 ms':>6} | {'max ms':>6} | {'missing':>7} | "
                f"{'joined':>6} | {'CPU µs/recipient':>16} | {'ack p50/p99 ms':>14}")
        print(head)
        print("-" * len(head))
        for n, (real, floor) in rows.items():
            for name, r in (("real", real), ("floor", floor)):
                print(f"{n:>5} | {name:<6} | {ms(r['latencies'], 50):>6} | {ms(r['latencies'], 99):>6} | "
                      f"{ms(r['latencies'], 100):>6} | {r['missing']:>7} | {r['joined']:>6} | "
                      f"{r['cpu_us_per_recipient']:>16.0f} | "
                      f"{ms(r['ack_ms'], 50) + '/' + ms(r['ack_ms'], 99):>14}"
                      + (f"  refused: {Counter(r['refused'])}" if r["refused"] else "")
                      + (f"  ({r['dropped']} tablets lost their connection)" if r["dropped"] else ""))
            rp99, fp99 = percentile(real["latencies"], 99), percentile(floor["latencies"], 99)
            print(f"{n:>5} | ratio p99 real/floor {rp99 / fp99:.2f}, p50 "
                  f"{percentile(real['latencies'], 50) / percentile(floor['latencies'], 50):.2f}")
        if storm:
            print(f"storm: {args.storm} tablets at once on the real server: {storm['ok']} joined, {storm['failed']} "
                  f"failed{' ' + str(storm['errors']) if storm['errors'] else ''}; every join snapshot after "
                  f"{storm['all_s']:.1f} s (p50 {storm['p50_s']:.1f} s, p99 {storm['p99_s']:.1f} s); server CPU "
                  f"{storm['cpu_s']:.1f} s")
        print(f"RESULT fanout n={result_n} p99_ms={p99:.0f} floor_p99_ms={floor_p99:.0f} ratio={ratio:.2f}")
    finally:
        if tablets is not None:
            tablets.close()
        for server in servers:
            server.stop()
        if args.keep:
            print(f"(kept {tmp})", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
