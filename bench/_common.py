"""What the benchmarks share: a temporary server set-up (environment, migrations, seeding straight into the database),
a real server process on a free port, logins, the minimal Socket.IO handshake of the simulated tablets, and the
measurements (CPU time from /proc, percentiles, the machine).

    from _common import Server, bench_env, migrate, seed_app, seed_users, seed_meeting, login, ...

    env = bench_env(tmp)                                    # SQLite in tmp, or bench_env(tmp, database_url=...)
    migrate(env)
    app = seed_app(env)                                     # create_app for seeding in this process
    people = seed_users(app, 500)                           # {"secretary", "chair": (id, username), "delegates": [...]}
    m = seed_meeting(app, title=..., status="in_progress", people=[(user_id, role, can_vote), ...])
    server = Server(env, tmp / "server.log")                # python wsgi.py, own process group, answers HTTP
    cookie, csrf = login(server.base, "daibieu0001")
    server.cpu(); server.listen_settings(); server.stop()

Not a test and not part of the server: nothing here is imported by server/ or collected by pytest."""
from __future__ import annotations

import multiprocessing as mp
import os
import platform
import re
import resource
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
VENV_BIN = Path(sys.executable).parent
PYTHON = str(VENV_BIN / "python")
HOST = "127.0.0.1"
PASSWORD = "bench-mat-khau-123"

# The server runs wsgi.py through this launcher, which records what eventlet is actually given (listen backlog and
# max_size, the two settings that decide whether a room of tablets gets in) in the server's log, then runs wsgi.py
# unchanged. Patching first is what wsgi.py does itself, so nothing is imported earlier than it would be.
LAUNCHER = r'''
import warnings
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
import eventlet
eventlet.monkey_patch()
import runpy, sys, os
import eventlet.wsgi

_listen, _server = eventlet.listen, eventlet.wsgi.server

def listen(addr, *args, **kwargs):
    backlog = kwargs.get("backlog", args[1] if len(args) > 1 else 50)
    print(f"bench: eventlet.listen backlog={backlog}", flush=True)
    return _listen(addr, *args, **kwargs)

def server(sock, site, *args, **kwargs):
    print(f"bench: eventlet.wsgi.server max_size={kwargs.get('max_size', 1024)}", flush=True)
    return _server(sock, site, *args, **kwargs)

eventlet.listen, eventlet.wsgi.server = listen, server
sys.argv = ["wsgi.py"]
sys.path.insert(0, os.getcwd())
runpy.run_path("wsgi.py", run_name="__main__")
'''


# ---- the machine and measurements --------------------------------------------------------------------------------------

def raise_open_files() -> int:
    """The soft limit of open files up to the hard one (a thousand tablets are a thousand sockets on each side);
    inherited by every process started afterwards. Returns the new limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(p / 100 * (len(ordered) - 1)))))]


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process, from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine(poppler: bool = False) -> dict:
    cpu = ram = "?"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
        kb = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal")))
        ram = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    info = {"nproc": os.cpu_count(), "cpu": cpu, "ram": ram, "os": platform.platform(),
            "python": platform.python_version()}
    if poppler:
        info["poppler"] = subprocess.run(["pdftoppm", "-v"], capture_output=True, text=True).stderr.splitlines()[0]
    return info


# ---- the server's database: environment, migrations, seeding ----------------------------------------------------------

def bench_env(folder: Path, database_url: str | None = None, **extra: str) -> dict:
    """The environment of every server process of one run: its own database (SQLite in folder unless given), instance
    and upload folders, no Redis, no demo accounts."""
    env = {**os.environ, "DATABASE_URL": database_url or f"sqlite:///{folder / 'b.sqlite3'}",
           "INSTANCE_PATH": str(folder / "inst"), "UPLOAD_FOLDER": str(folder / "up"), "SECRET_KEY": "bench-secret",
           "SHOW_DEMO_ACCOUNTS": "0", "PYTHONWARNINGS": "ignore", **extra}
    env.pop("REDIS_URL", None)
    return env


def migrate(env: dict) -> None:
    subprocess.run([str(VENV_BIN / "flask"), "--app", "server:create_app", "db", "upgrade"], cwd=ROOT, env=env,
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def seed_app(env: dict):
    """The application, in this process, for seeding and checking the database (threading mode: no eventlet here)."""
    from server import create_app
    from server.config import normalise_database_url

    return create_app({"INSTANCE_PATH": env["INSTANCE_PATH"],
                       "SQLALCHEMY_DATABASE_URI": normalise_database_url(env["DATABASE_URL"]),
                       "UPLOAD_FOLDER": env["UPLOAD_FOLDER"], "SECRET_KEY": env["SECRET_KEY"],
                       "SOCKETIO_ASYNC_MODE": "threading", "REDIS_URL": None})


def seed_users(app, delegates: int, *, secretary: bool = True, chair: bool = True, width: int = 4) -> dict:
    """Accounts sharing one precomputed password hash (scrypt once, not once per account): `thuky` (may create
    meetings), `chutoa`, and `daibieu0001`... Returns (id, username) pairs: {"secretary", "chair", "delegates"}."""
    from werkzeug.security import generate_password_hash

    from server.extensions import db
    from server.models import User

    with app.app_context():
        shared = generate_password_hash(PASSWORD)
        made = {}
        if secretary:
            made["secretary"] = User(username="thuky", full_name="Thư ký Bench", password_hash=shared,
                                     can_create_meetings=True)
        if chair:
            made["chair"] = User(username="chutoa", full_name="Chủ tọa Bench", password_hash=shared)
        people = [User(username=f"daibieu{k:0{width}d}", full_name=f"Đại biểu {k:0{width}d}", password_hash=shared)
                  for k in range(1, delegates + 1)]
        db.session.add_all([*made.values(), *people])
        db.session.commit()
        out = {"secretary": None, "chair": None, **{k: (u.id, u.username) for k, u in made.items()},
               "delegates": [(u.id, u.username) for u in people]}
        db.engine.dispose()
    return out


def seed_meeting(app, *, title: str, people: list[tuple[int, str, bool]], status: str = "published",
                 items: tuple[str, ...] = ("Báo cáo kinh tế – xã hội năm 2026",)) -> dict:
    """One meeting with its agenda items and participants (user_id, role, can_vote), straight into the database.
    Returns {"meeting_id", "item_ids", "participant_ids": {user_id: participant_id}}."""
    from server.extensions import db
    from server.models import AgendaItem, Meeting, Participant
    from server.models.types import utcnow

    with app.app_context():
        meeting = Meeting(title=title, organization="UBND huyện Thử Nghiệm", location="Phòng họp 1",
                          starts_at=utcnow(), status=status)
        meeting.items = [AgendaItem(position=k, title=t) for k, t in enumerate(items)]
        meeting.participants = [Participant(user_id=u, role=role, can_vote=can_vote) for u, role, can_vote in people]
        db.session.add(meeting)
        db.session.commit()
        out = {"meeting_id": meeting.id, "item_ids": [i.id for i in meeting.items],
               "participant_ids": {p.user_id: p.id for p in meeting.participants}}
        db.engine.dispose()
    return out


def set_meeting_status(app, meeting_ids: list[int], status: str) -> None:
    from server.extensions import db
    from server.models import Meeting

    with app.app_context():
        for meeting_id in meeting_ids:
            db.session.get(Meeting, meeting_id).status = status
        db.session.commit()
        db.engine.dispose()


# ---- a real server process ---------------------------------------------------------------------------------------------

class Server:
    """A server process (python wsgi.py through LAUNCHER unless argv is given) in its own process group on a free
    port, ready once it answers HTTP at ready_path; stop() stops the group."""

    def __init__(self, env: dict, log: Path, argv: list[str] | None = None, ready_path: str = "/api/v1/session",
                 ready_timeout: float = 60):
        import requests

        self.port = free_port()
        self.base = f"http://{HOST}:{self.port}"
        self.env = {**env, "PORT": str(self.port), "HOST": HOST}
        self.log_path = log
        self._log = open(log, "ab")
        self.proc = subprocess.Popen(argv or [PYTHON, "-c", LAUNCHER], cwd=ROOT, env=self.env, stdout=self._log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        self.pid = self.proc.pid
        deadline = time.monotonic() + ready_timeout
        while time.monotonic() < deadline:
            try:
                requests.get(self.base + ready_path, timeout=1)
                return
            except requests.RequestException:
                if self.proc.poll() is not None:
                    raise SystemExit(f"a server stopped at start; see {log}")
                time.sleep(0.1)
        self.stop()
        raise SystemExit(f"a server did not answer within {ready_timeout:.0f} s; see {log}")

    def cpu(self) -> float:
        return cpu_seconds(self.pid)

    def listen_settings(self) -> dict:
        """What LAUNCHER recorded (backlog, max_size) and what the kernel applies: a listen backlog is capped by
        net.core.somaxconn; `ss` shows the effective one as the listening socket's Send-Q."""
        text = self.log_path.read_text(errors="replace")
        found = {k: int(v) for k, v in re.findall(r"bench: eventlet\.\S+ (backlog|max_size)=(\d+)", text)}
        try:
            found["somaxconn"] = int(Path("/proc/sys/net/core/somaxconn").read_text())
            out = subprocess.run(["ss", "-ltnH", f"sport = :{self.port}"], capture_output=True, text=True).stdout
            if out.split():
                found["effective_backlog"] = int(out.split()[2])
        except (OSError, ValueError, IndexError):
            pass
        return found

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.pid, signal.SIGTERM)  # its own process group, started above
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.pid, signal.SIGKILL)
                self.proc.wait()
        if not self._log.closed:
            self._log.close()


def login(base: str, username: str, password: str = PASSWORD, timeout: float = 600) -> tuple[str, str]:
    """Logs in once over HTTP: the Cookie header for every later connection, and the CSRF token."""
    import requests

    with requests.Session() as http:
        r = http.post(f"{base}/api/v1/session", json={"username": username, "password": password}, timeout=timeout)
        r.raise_for_status()
        return "; ".join(f"{c.name}={c.value}" for c in http.cookies), r.json()["csrf_token"]


# ---- the simulated tablets' Socket.IO handshake -------------------------------------------------------------------------

def ws_url(base: str) -> str:
    return base.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"


def sio_connect(url: str, cookie: str | None, timeout: float, on_message=None, auth: dict | None = None):
    """A Socket.IO v4 connection over a bare websocket (websocket-client): the Engine.IO open, then the namespace
    connect. Messages that arrive before the connect's answer go to on_message(msg). Returns the websocket;
    PermissionError when the server refuses the connection."""
    import json

    import websocket

    ws = websocket.create_connection(url, timeout=timeout, suppress_origin=True,
                                     header=[f"Cookie: {cookie}"] if cookie else [],
                                     sockopt=((socket.IPPROTO_TCP, socket.TCP_NODELAY, 1),))
    try:
        opening = ws.recv()
        if not opening.startswith("0"):
            raise RuntimeError(f"engine.io open: {opening[:80]!r}")
        ws.send("40" + (json.dumps(auth) if auth else ""))
        while True:
            msg = ws.recv()
            if msg.startswith("40"):
                return ws
            if msg.startswith("44"):
                raise PermissionError("connect refused")
            if msg == "2":
                ws.send("3")
            elif on_message is not None:
                on_message(msg)
    except BaseException:
        ws.close()
        raise


class ClientProcesses:
    """Simulated clients in other processes (spawned, so nothing of this process leaks in), the accounts dealt to them
    round-robin by position; each process answers one command at a time over its pipe."""

    def __init__(self, target, accounts: list, procs: int, name: str = "client"):
        ctx = mp.get_context("spawn")
        procs = max(1, min(procs, len(accounts)))
        self.name = name
        self.pipes, self.procs = [], []
        for k in range(procs):
            parent, child = ctx.Pipe()
            p = ctx.Process(target=target, args=(accounts[k::procs], child), daemon=True)
            p.start()
            self.pipes.append(parent)
            self.procs.append(p)

    def ask_each(self, cmds: list[tuple], timeout: float = 600) -> list:
        """One command per process (in the order of the processes); their answers in the same order."""
        for pipe, cmd in zip(self.pipes, cmds):
            pipe.send(cmd)
        out = []
        for pipe in self.pipes:
            if not pipe.poll(timeout):
                raise SystemExit(f"a {self.name} process did not answer {cmds[0][0]!r} within {timeout} s")
            out.append(pipe.recv())
        return out

    def ask(self, *cmd, timeout: float = 600) -> list:
        return self.ask_each([cmd] * len(self.pipes), timeout)

    def close(self) -> None:
        try:
            self.ask("quit", timeout=30)
        except (SystemExit, OSError, EOFError):
            pass
        for p in self.procs:
            p.join(timeout=10)
            if p.is_alive():
                p.kill()
