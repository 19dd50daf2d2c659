"""Vote burst benchmark: N delegates cast a yes/no ballot within one second through the real server.

    .venv/bin/python bench/vote_bench.py [--sizes 500,1000] [--db sqlite,postgresql]

For each database (SQLite in a temporary folder; PostgreSQL in a fresh database `bench_votes_<random>` made through an
admin connection to --pg-url and dropped at the end):
 1. migrates (`flask --app server:create_app db upgrade`), then seeds straight into the database a chair and
    max(--sizes) delegates sharing one precomputed password hash, and per N one meeting in progress with the chair (not a
    voter) and N voting delegates, all checked in (present), with one prepared yes/no vote;
 2. starts the real server (python wsgi.py) once and logs every account in over HTTP, in parallel (logins are slow by
    design: one scrypt check each); the cookies and CSRF tokens are reused for the rest of the run;
 3. for each N: starts the real server afresh; the chair opens the vote over HTTP; N delegates in --client-procs other
    processes connect over websocket (Socket.IO v4) and, at one shared start time, send `vote_cast` with an
    acknowledgement id (what the tablets' `emitWithAck` does), spread evenly over --window seconds (1 s). Each ballot's
    latency is its acknowledgement's arrival minus its send (both on the same client process's clock);
 4. every delegate then sends the SAME ballot (same ballot_id) three times at once: every answer must be ok and
    `duplicate: true`; then a ballot with a new ballot_id: must be refused with `already_voted`;
 5. the chair closes the vote over HTTP and reads it back (GET /api/v1/votes/{id}): the counts must equal what was
    sent, option by option, summing to N; the database must hold exactly N receipts, one per delegate, each with the
    ballot_id first sent, and the tallies must sum to N;
 6. measures, in this process against the same database, what one ballot costs the server: statements, their time, the
    commit, and the socket's user (kept from connect, as the server does), plus a bare commit on this disk.

Prints a table, then `RESULT votes n=500 db=postgresql ...` and, last, `RESULT votes n=500 db=sqlite ack_p99_ms=<x>
exact=<true|false>`. Target (docs/PERFORMANCE.md): every acknowledgement within 500 ms.

Everything listens on 127.0.0.1; every process started here is stopped at the end. Not a test: nothing here runs under
pytest. The delegates are a minimal Socket.IO v4 client (websocket-client for the handshake, one epoll reader thread per
process, one sender thread): python-socketio's threaded client starts a thread per received message, which on a
2-core machine shared with the server would measure the clients more than the server.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import warnings
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VENV_BIN = Path(sys.executable).parent
HOST = "127.0.0.1"

from _common import ClientProcesses, Server, percentile  # noqa: E402  (bench/ is on sys.path)
PASSWORD = "bench-mat-khau-123"
TARGET_MS = 500
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")


# ---- the delegates: worker processes ----------------------------------------------------------------------------------

class Delegate:
    __slots__ = ("index", "cookie", "ws", "acks", "closed")

    def __init__(self, index: int, cookie: str):
        self.index, self.cookie = index, cookie
        self.ws = None
        self.acks: dict[int, tuple[float, dict]] = {}
        self.closed = False


def _on_message(d: Delegate, msg, now: float) -> None:
    if not msg:
        d.closed = True
        return
    if msg == "2":
        d.ws.send("3")
    elif msg.startswith("43"):
        body = msg[2:]
        cut = body.index("[")
        d.acks[int(body[:cut])] = (now, json.loads(body[cut:])[0])
    elif msg.startswith("41") or msg.startswith("1"):
        d.closed = True


def _connect(d: Delegate, ws_url: str, timeout: float) -> None:
    import websocket

    ws = websocket.create_connection(ws_url, timeout=timeout, suppress_origin=True, header=[f"Cookie: {d.cookie}"],
                                     sockopt=((socket.IPPROTO_TCP, socket.TCP_NODELAY, 1),))
    d.ws = ws
    if not ws.recv().startswith("0"):
        raise RuntimeError("engine.io open refused")
    ws.send("40")
    while True:
        msg = ws.recv()
        if msg.startswith("40"):
            return
        if msg.startswith("44"):
            raise PermissionError("connect refused")
        _on_message(d, msg, time.time())


def delegate_process(accounts: list[tuple[int, str]], conn) -> None:
    """Commands from the bench over a pipe. One reader thread reads every socket of this process (epoll)."""
    import selectors

    sel = selectors.DefaultSelector()
    delegates: list[Delegate] = []
    new: list[Delegate] = []
    new_lock = threading.Lock()

    def reader():
        while True:
            with new_lock:
                for d in new:
                    sel.register(d.ws.sock, selectors.EVENT_READ, d)
                new.clear()
            if not sel.get_map():
                time.sleep(0.01)
                continue
            for key, _ in sel.select(0.01):
                d = key.data
                try:
                    _on_message(d, d.ws.recv(), time.time())
                except Exception:
                    d.closed = True
                if d.closed:
                    sel.unregister(key.fileobj)

    threading.Thread(target=reader, daemon=True).start()
    next_id = [0]
    while True:
        cmd, *rest = conn.recv()
        if cmd == "connect":
            ws_url, = rest
            delegates = [Delegate(i, c) for i, c in accounts]
            errors: Counter = Counter()

            def one(d: Delegate):
                try:
                    _connect(d, ws_url, 60)
                    d.ws.settimeout(30)
                except Exception as exc:
                    errors[type(exc).__name__] += 1
                    d.ws = None

            with ThreadPoolExecutor(max_workers=20) as pool:
                list(pool.map(one, delegates))
            with new_lock:
                new.extend(d for d in delegates if d.ws is not None)
            conn.send({"ok": sum(1 for d in delegates if d.ws is not None), "errors": dict(errors)})
        elif cmd == "send":
            # items: (delegate index, offset seconds from start_at, payload); one emit each, with an ack id.
            start_at, items, wait = rest
            by_index = {d.index: d for d in delegates}
            plan = sorted(items, key=lambda x: x[1])
            sent = []
            for index, offset, payload in plan:
                delay = start_at + offset - time.time()
                if delay > 0:
                    time.sleep(delay)
                d = by_index[index]
                next_id[0] += 1
                ack_id = next_id[0]
                t = time.time()
                try:
                    d.ws.send(f"42{ack_id}" + json.dumps(["vote_cast", payload], separators=(",", ":")))
                except Exception:
                    d.closed = True
                sent.append((d, ack_id, t, payload))
            deadline = time.time() + wait
            while time.time() < deadline and not all(ack_id in d.acks or d.closed for d, ack_id, _, _ in sent):
                time.sleep(0.01)
            out = []
            for d, ack_id, t, payload in sent:
                got = d.acks.get(ack_id)
                out.append((d.index, payload["ballot_id"], t, got[0] if got else None, got[1] if got else None))
            conn.send(out)
        elif cmd == "quit":
            for d in delegates:
                if d.ws is not None:
                    try:
                        d.ws.send("41")
                        d.ws.shutdown()
                    except Exception:
                        pass
            conn.send(True)
            return


class Delegates(ClientProcesses):
    """The delegate processes and their pipes."""

    def __init__(self, accounts: list[tuple[int, str]], procs: int):
        super().__init__(delegate_process, accounts, procs, name="delegate")

    def send(self, start_at: float, items: list[tuple[int, float, dict]], wait: float = 60) -> list:
        """Items split by the process holding that delegate (accounts were dealt round-robin by position)."""
        parts: list[list] = [[] for _ in self.pipes]
        for item in items:
            parts[item[0] % len(self.pipes)].append(item)
        return [r for part in self.ask_each([("send", start_at, p, wait) for p in parts], wait + 120) for r in part]


# ---- the server ---------------------------------------------------------------------------------------------------------

# ---- seeding ------------------------------------------------------------------------------------------------------------

def _app(env: dict):
    from server import create_app

    return create_app({"INSTANCE_PATH": env["INSTANCE_PATH"], "SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"],
                       "UPLOAD_FOLDER": env["UPLOAD_FOLDER"], "SECRET_KEY": env["SECRET_KEY"],
                       "SOCKETIO_ASYNC_MODE": "threading", "REDIS_URL": None})


def seed(app, sizes: list[int]) -> dict:
    """The chair, the delegates (one shared hash) and per size a meeting in progress, everyone present, a draft vote."""
    from werkzeug.security import generate_password_hash

    from server.extensions import db
    from server.models import AgendaItem, Attendance, Meeting, Participant, User, Vote, VoteOption
    from server.models.types import utcnow

    with app.app_context():
        shared = generate_password_hash(PASSWORD)  # hashed once: scrypt is slow on purpose
        chair = User(username="chutoa", full_name="Chủ tọa Bench", password_hash=shared)
        delegates = [User(username=f"daibieu{k:04d}", full_name=f"Đại biểu {k:04d}", password_hash=shared)
                     for k in range(1, max(sizes) + 1)]
        db.session.add_all([chair, *delegates])
        db.session.flush()
        meetings = {}
        for n in sorted(set(sizes)):
            meeting = Meeting(title=f"Kỳ họp biểu quyết, {n} đại biểu", organization="HĐND huyện Thử Nghiệm",
                              location="Hội trường", starts_at=utcnow(), status="in_progress")
            meeting.items = [AgendaItem(position=0, title="Nghị quyết dự toán ngân sách năm 2027")]
            meeting.participants = ([Participant(user_id=chair.id, role="chair", can_vote=False)]
                                    + [Participant(user_id=u.id, role="delegate", can_vote=True)
                                       for u in delegates[:n]])
            db.session.add(meeting)
            db.session.flush()
            db.session.add_all([Attendance(meeting_id=meeting.id, participant_id=p.id, status="present")
                                for p in meeting.participants])
            vote = Vote(meeting_id=meeting.id, question="Thông qua Tờ trình dự toán ngân sách năm 2027?",
                        kind="yes_no", rule="members", created_by_id=chair.id,
                        options=[VoteOption(position=i, code=c, label=label) for i, (c, label) in
                                 enumerate((("yes", "Đồng ý"), ("no", "Không đồng ý"),
                                            ("abstain", "Không biểu quyết")))])
            db.session.add(vote)
            db.session.flush()
            meetings[n] = {"meeting_id": meeting.id, "vote_id": vote.id}
        db.session.commit()
        out = {"meetings": meetings, "chair_id": chair.id, "delegate_ids": [u.id for u in delegates],
               "names": [u.username for u in delegates]}
        db.engine.dispose()
    return out


def login(base: str, username: str) -> tuple[str, str]:
    import requests

    with requests.Session() as http:
        r = http.post(f"{base}/api/v1/session", json={"username": username, "password": PASSWORD}, timeout=600)
        r.raise_for_status()
        return "; ".join(f"{c.name}={c.value}" for c in http.cookies), r.json()["csrf_token"]


def chair_http(base: str, cookie: str, csrf: str):
    import requests

    s = requests.Session()
    s.headers.update({"Cookie": cookie, "X-CSRFToken": csrf})
    return s


# ---- one burst ----------------------------------------------------------------------------------------------------------

def db_check(app, vote_id: int, member_ids: list[int], first_ballots: dict[int, str]) -> dict:
    import sqlalchemy as sa

    from server.extensions import db
    from server.models import VoteReceipt, VoteTally

    with app.app_context():
        rows = db.session.execute(sa.select(VoteReceipt.user_id, VoteReceipt.ballot_id)
                                  .where(VoteReceipt.vote_id == vote_id)).all()
        tallies = dict(db.session.execute(sa.select(VoteTally.option_id, VoteTally.count)
                                          .where(VoteTally.vote_id == vote_id)).all())
        db.session.remove()
        db.engine.dispose()
    per_user = Counter(u for u, _ in rows)
    return {"receipts": len(rows), "users_with_one": sum(1 for u in member_ids if per_user[u] == 1),
            "users_more": sum(1 for c in per_user.values() if c > 1),
            "ballot_ids_match": sum(1 for u, b in rows if first_ballots.get(u) == b),
            "tallies": tallies, "tally_sum": sum(tallies.values())}


def run_size(args, env: dict, app, seeded: dict, cookies: dict, n: int, log: Path) -> dict:
    m = seeded["meetings"][n]
    vote_id = m["vote_id"]
    ids = seeded["delegate_ids"][:n]
    server = Server(env, log)
    group = None
    try:
        chair = chair_http(server.base, *cookies["chutoa"])
        r = chair.post(f"{server.base}/api/v1/votes/{vote_id}/open", timeout=120)
        if r.status_code != 200:
            raise SystemExit(f"opening the vote was refused: {r.status_code} {r.text[:300]}")
        opened = r.json()
        options = [o["id"] for o in opened["options"]]
        codes = {o["id"]: o["code"] for o in opened["options"]}
        if opened["eligible_count"] != n:
            raise SystemExit(f"eligible {opened['eligible_count']} != {n}")

        accounts = [(i, cookies[seeded["names"][i]][0]) for i in range(n)]
        group = Delegates(accounts, args.client_procs)
        ws_url = server.base.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
        t0 = time.perf_counter()
        parts = group.ask("connect", ws_url)
        connected = sum(p["ok"] for p in parts)
        connect_s = time.perf_counter() - t0
        if connected != n:
            print(f"    warning: {connected} of {n} connected: {[p['errors'] for p in parts]}", flush=True)
        time.sleep(1.0)  # let the connect storm's writes settle

        # Phase 1: the burst. Delegate i chooses options[i % 3]; sends spread evenly over the window.
        choice = {i: options[i % 3] for i in range(n)}
        ballots = {i: str(uuid.uuid4()) for i in range(n)}
        items = [(i, args.window * i / n, {"vote_id": vote_id, "ballot_id": ballots[i], "choices": [choice[i]]})
                 for i in range(n)]
        order = list(range(n))
        import random
        random.Random(n).shuffle(order)  # who sends when: not by account order
        items = [(i, args.window * k / n, items[i][2]) for k, i in enumerate(order)]
        cpu0 = server.cpu()
        start_at = time.time() + 1.0
        burst = group.send(start_at, items, wait=120)
        cpu1 = server.cpu()
        lat = [(t_ack - t) * 1000 for _, _, t, t_ack, _ in burst if t_ack is not None]
        acked_ok = [a for *_, a in burst if a is not None and a.get("ok") and not a.get("duplicate")]
        refused = Counter(a["error"]["code"] for *_, a in burst if a is not None and not a.get("ok"))
        missing = sum(1 for *_, a in burst if a is None)
        sends = [t for _, _, t, _, _ in burst]
        acks = [t for _, _, _, t, _ in burst if t is not None]
        time.sleep(0.5)

        # Phase 2: the same ballot three times at once from everyone (a tablet resending after a reconnect).
        start2 = time.time() + 0.5
        dup_items = [(i, 0.0, {"vote_id": vote_id, "ballot_id": ballots[i], "choices": [choice[i]]})
                     for i in range(n) for _ in range(3)]
        dups = group.send(start2, dup_items, wait=120)
        dup_ok = sum(1 for *_, a in dups if a and a.get("ok") and a.get("duplicate") and a.get("counted"))
        dup_lat = [(t_ack - t) * 1000 for _, _, t, t_ack, _ in dups if t_ack is not None]
        dup_bad = Counter((a["error"]["code"] if a and not a.get("ok") else ("no ack" if a is None else "new"))
                          for *_, a in dups if not (a and a.get("ok") and a.get("duplicate")))
        time.sleep(2.5)  # the rate limit (5 a second, bursts of 10) refills before the next phase

        # Phase 3: a different ballot_id from everyone who voted: refused with already_voted.
        other = [(i, 0.0, {"vote_id": vote_id, "ballot_id": str(uuid.uuid4()),
                           "choices": [options[(i + 1) % 3]]}) for i in range(n)]
        second = group.send(time.time() + 0.5, other, wait=120)
        already = sum(1 for *_, a in second if a and not a.get("ok") and a["error"]["code"] == "already_voted")
        second_bad = Counter((a["error"]["code"] if a and not a.get("ok") else ("no ack" if a is None else "accepted"))
                             for *_, a in second if not (a and not a.get("ok")
                                                         and a["error"]["code"] == "already_voted"))

        # The tally: close as the chair, read it back.
        closed = chair.post(f"{server.base}/api/v1/votes/{vote_id}/close", timeout=120)
        got = chair.get(f"{server.base}/api/v1/votes/{vote_id}", timeout=120).json()
        result = got.get("result") or {}
        counts = {o["id"]: o["count"] for o in result.get("options", [])}
        sent_counts = Counter(choice[i] for i in range(n))
        http_exact = (closed.status_code == 200 and sum(counts.values()) == n
                      and all(counts.get(o, 0) == sent_counts.get(o, 0) for o in options))
    finally:
        if group is not None:
            group.close()
        server.stop()
    dbc = db_check(app, vote_id, ids, {ids[i]: ballots[i] for i in range(n)})
    db_exact = (dbc["receipts"] == n and dbc["users_with_one"] == n and dbc["users_more"] == 0
                and dbc["ballot_ids_match"] == n and dbc["tally_sum"] == n
                and all(dbc["tallies"].get(o, 0) == sent_counts.get(o, 0) for o in options))
    exact = http_exact and db_exact and len(acked_ok) == n and missing == 0  # the tally
    dedup = dup_ok == 3 * n and already == n and not dup_bad and not second_bad
    span = (max(acks) - min(sends)) if acks else float("nan")
    return {
        "n": n, "connected": connected, "connect_s": connect_s, "lat": lat, "acked": len(acked_ok),
        "refused": dict(refused), "missing": missing, "send_span": max(sends) - min(sends), "span": span,
        "cpu": cpu1 - cpu0, "dup_ok": dup_ok, "dup_bad": dict(dup_bad), "dup_lat": dup_lat, "already": already,
        "second_bad": dict(second_bad), "counts": {codes[o]: counts.get(o) for o in options},
        "sent": {codes[o]: sent_counts.get(o, 0) for o in options}, "http_exact": http_exact, "db": dbc,
        "db_exact": db_exact, "exact": exact, "dedup": dedup,
    }


# ---- where one ballot's time goes (in this process, same database) --------------------------------------------------

def breakdown(app, seeded: dict, n_max: int, count: int = 200) -> dict:
    """cast_ballot as the socket event runs it: a fresh session, the socket's user (kept from connect, merged without a
    query), then the service (its ballot box commits each ballot alone here, as nothing else arrives meanwhile). Statements are counted and timed with engine events; the commit is timed on its own."""
    import sqlalchemy as sa

    from server.extensions import db
    from server.models import User
    from server.votes import service

    meeting_id = seeded["meetings"][n_max]["meeting_id"]
    with app.app_context():
        engine = db.engine
        stats = {"n": 0, "t": 0.0, "commit": 0.0}
        mark: dict = {}
        capture = None

        def before(conn, cursor, statement, parameters, context, executemany):
            mark["q"] = time.perf_counter()

        def after(conn, cursor, statement, parameters, context, executemany):
            if capture is not None:
                capture.append(" ".join(statement.split())[:90])
            stats["n"] += 1
            stats["t"] += time.perf_counter() - mark["q"]

        sa.event.listen(engine, "before_cursor_execute", before)
        sa.event.listen(engine, "after_cursor_execute", after)
        real_commit = engine.dialect.do_commit

        def timed_commit(dbapi_connection):
            t = time.perf_counter()
            real_commit(dbapi_connection)
            stats["commit"] += time.perf_counter() - t

        engine.dialect.do_commit = timed_commit
        try:
            # A new vote in the biggest meeting (the bench's vote there is closed), opened in process.
            from server.models import Vote, VoteOption
            chair = db.session.get(User, seeded["chair_id"])
            vote = Vote(meeting_id=meeting_id, question="Đo thời gian một phiếu", kind="yes_no", rule="members",
                        options=[VoteOption(position=i, code=c, label=c) for i, c in
                                 enumerate(("yes", "no", "abstain"))])
            db.session.add(vote)
            db.session.commit()
            vote_id = vote.id
            with app.test_request_context():
                service.open_vote(chair, vote_id)
                options = [o.id for o in vote.options]
            db.session.remove()
            rows = {"loader": [], "service": [], "total": []}
            queries = {"loader": [], "service": []}
            qtime = {"loader": [], "service": []}
            commits = []
            statements: list[str] = []
            # As the socket keeps them: each user loaded once at connect, detached, merged per event without a query.
            known = {}
            for uid in seeded["delegate_ids"][:count]:
                known[uid] = db.session.get(User, uid)
                db.session.expunge(known[uid])
            db.session.remove()
            for k, uid in enumerate(seeded["delegate_ids"][:count]):
                capture = statements if k == count // 2 else None
                with app.test_request_context():
                    for key in stats:
                        stats[key] = 0
                    t0 = time.perf_counter()
                    user = db.session.merge(known[uid], load=False)
                    t1 = time.perf_counter()
                    q_loader, t_loader = stats["n"], stats["t"]
                    service.cast_ballot(user, vote_id, {"vote_id": vote_id, "ballot_id": str(uuid.uuid4()),
                                                        "choices": [options[k % 3]]})
                    t2 = time.perf_counter()
                    db.session.remove()
                rows["loader"].append(t1 - t0)
                rows["service"].append(t2 - t1)
                rows["total"].append(t2 - t0)
                queries["loader"].append(q_loader)
                queries["service"].append(stats["n"] - q_loader)
                qtime["loader"].append(t_loader)
                qtime["service"].append(stats["t"] - t_loader)
                commits.append(stats["commit"])
        finally:
            engine.dialect.do_commit = real_commit
            sa.event.remove(engine, "before_cursor_execute", before)
            sa.event.remove(engine, "after_cursor_execute", after)
        # A bare commit of one tiny row on the same database (the floor of a durable acknowledgement).
        bare = []
        with engine.connect() as conn:
            conn.execute(sa.text("CREATE TABLE IF NOT EXISTS bench_commit (v INTEGER)"))
            conn.commit()
            for k in range(200):
                t = time.perf_counter()
                conn.execute(sa.text("INSERT INTO bench_commit (v) VALUES (:v)"), {"v": k})
                conn.commit()
                bare.append(time.perf_counter() - t)
            conn.execute(sa.text("DROP TABLE bench_commit"))
            conn.commit()
        db.session.remove()
        db.engine.dispose()
    med = statistics.median
    return {"count": count, "total_ms": med(rows["total"]) * 1000, "loader_ms": med(rows["loader"]) * 1000,
            "service_ms": med(rows["service"]) * 1000, "loader_q": med(queries["loader"]),
            "service_q": med(queries["service"]), "loader_qms": med(qtime["loader"]) * 1000,
            "service_qms": med(qtime["service"]) * 1000, "commit_ms": med(commits) * 1000,
            "commit_p90_ms": percentile(commits, 90) * 1000, "bare_commit_ms": med(bare) * 1000,
            "total_mean_ms": statistics.mean(rows["total"]) * 1000, "statements": statements}


def sqlite_sync_floor(folder: Path, count: int = 200) -> dict:
    """One-row commits on this disk: WAL with synchronous=FULL (the server's setting) against NORMAL."""
    import sqlite3

    out = {}
    for mode in ("FULL", "NORMAL"):
        path = folder / f"sync-{mode}.sqlite3"
        con = sqlite3.connect(path)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute(f"PRAGMA synchronous={mode}")
        con.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)")
        con.commit()
        times = []
        for k in range(count):
            t = time.perf_counter()
            con.execute("INSERT INTO t (v) VALUES (?)", (k,))
            con.commit()
            times.append(time.perf_counter() - t)
        con.close()
        out[mode] = statistics.median(times) * 1000
    return out


# ---- per database -------------------------------------------------------------------------------------------------------

def run_db(args, kind: str, tmp: Path) -> dict:
    import sqlalchemy as sa

    folder = tmp / kind
    folder.mkdir()
    admin, dbname = None, None
    if kind == "sqlite":
        url = f"sqlite:///{folder / 'votes.sqlite3'}"
    else:
        dbname = f"bench_votes_{secrets.token_hex(4)}"
        admin = sa.create_engine(args.pg_url.replace("postgresql://", "postgresql+psycopg2://", 1),
                                 isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{dbname}"'))
        url = sa.make_url(args.pg_url).set(database=dbname).render_as_string(hide_password=False)
    env = {**os.environ, "DATABASE_URL": url, "INSTANCE_PATH": str(folder / "instance"),
           "UPLOAD_FOLDER": str(folder / "uploads"), "SECRET_KEY": "bench-votes-secret", "SHOW_DEMO_ACCOUNTS": "0"}
    env.pop("REDIS_URL", None)
    try:
        subprocess.run([str(VENV_BIN / "flask"), "--app", "server:create_app", "db", "upgrade"], cwd=ROOT, env=env,
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        from server.config import normalise_database_url

        env_app = {**env, "DATABASE_URL": normalise_database_url(url)}
        app = _app(env_app)
        seeded = seed(app, args.sizes)
        n_max = max(args.sizes)
        print(f"[{kind}] seeded {n_max} delegates; logging everyone in ...", flush=True)
        server = Server(env, folder / "server-login.log")
        try:
            t0 = time.perf_counter()
            names = ["chutoa", *seeded["names"]]
            with ThreadPoolExecutor(max_workers=args.login_threads) as pool:
                cookies = dict(zip(names, pool.map(lambda u: login(server.base, u), names)))
            login_s = time.perf_counter() - t0
        finally:
            server.stop()
        print(f"[{kind}] {len(names)} logins in {login_s:.1f} s", flush=True)
        runs = {}
        for n in args.sizes:
            print(f"[{kind}] N={n}: burst ...", flush=True)
            r = run_size(args, env, app, seeded, cookies, n, folder / f"server-{n}.log")
            runs[n] = r
            print(f"[{kind}] N={n}: ack p50/p99/max {percentile(r['lat'], 50):.0f} / {percentile(r['lat'], 99):.0f}"
                  f" / {max(r['lat'], default=float('nan')):.0f} ms, acked {r['acked']}/{n}, exact={r['exact']}, "
                  f"duplicates ok {r['dup_ok']}/{3 * n}, already_voted {r['already']}/{n}", flush=True)
        bd = None
        if not args.no_breakdown:
            bd = breakdown(app, seeded, n_max, min(200, n_max))
            print(f"[{kind}] one ballot in process: {bd['total_ms']:.2f} ms median "
                  f"(loader {bd['loader_ms']:.2f} ms / {bd['loader_q']:.0f} statements, service "
                  f"{bd['service_ms']:.2f} ms / {bd['service_q']:.0f} statements, commit {bd['commit_ms']:.2f} ms); "
                  f"bare commit {bd['bare_commit_ms']:.2f} ms", flush=True)
        with app.app_context():
            from server.extensions import db
            db.engine.dispose()
        return {"kind": kind, "login_s": login_s, "logins": len(names), "runs": runs, "breakdown": bd}
    finally:
        if admin is not None:
            with admin.connect() as conn:
                conn.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                     "WHERE datname = :d AND pid <> pg_backend_pid()"), {"d": dbname})
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{dbname}"'))
            admin.dispose()


def machine() -> dict:
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    kb = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal")))
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram": f"{kb / 1024 / 1024:.1f} GiB", "os": platform.platform(),
            "python": platform.python_version()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="500,1000", help="delegates per burst, comma-separated")
    parser.add_argument("--db", default="sqlite,postgresql", help="sqlite and/or postgresql, comma-separated")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test"),
                        help="admin connection: a database bench_votes_<random> is created through it and dropped")
    parser.add_argument("--window", type=float, default=1.0, help="the ballots' sends are spread over this many s")
    parser.add_argument("--client-procs", type=int, default=4, help="processes the delegates are spread over")
    parser.add_argument("--login-threads", type=int, default=8)
    parser.add_argument("--no-breakdown", action="store_true", help="skip the in-process cost of one ballot")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (server logs)")
    args = parser.parse_args()
    args.sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    dbs = [d.strip() for d in args.db.split(",") if d.strip()]
    if not set(dbs) <= {"sqlite", "postgresql"}:
        raise SystemExit("--db: sqlite and/or postgresql")

    info = machine()
    print(f"machine: {info['nproc']} CPUs ({info['cpu']}), {info['ram']} RAM, {info['os']}, Python {info['python']}; "
          f"load {os.getloadavg()[0]:.2f}", flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="vote-bench-"))
    results = {}
    try:
        floor = sqlite_sync_floor(tmp) if "sqlite" in dbs else None
        if floor:
            print(f"sqlite one-row commit on this disk (WAL): synchronous=FULL {floor['FULL']:.2f} ms, "
                  f"NORMAL {floor['NORMAL']:.2f} ms", flush=True)
        for kind in dbs:
            results[kind] = run_db(args, kind, tmp)
        load_end = os.getloadavg()[0]
    finally:
        if args.keep:
            print(f"(kept {tmp})", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    print()
    print(f"load average (1 min) at the end: {load_end:.2f}; client processes: {args.client_procs}; "
          f"sends spread over {args.window:.1f} s")
    header = ("db", "N", "acked", "ack min ms", "p50 ms", "p99 ms", "max ms", "<=500ms", "last ack after first send s",
              "server CPU ms/ballot", "dup ok", "already_voted", "yes/no/abst", "exact", "dedup")
    rows = []
    for kind, res in results.items():
        for n, r in res["runs"].items():
            within = sum(1 for x in r["lat"] if x <= TARGET_MS)
            rows.append((kind, str(n), f"{r['acked']}/{n}", f"{min(r['lat'], default=float('nan')):.0f}",
                         f"{percentile(r['lat'], 50):.0f}",
                         f"{percentile(r['lat'], 99):.0f}", f"{max(r['lat'], default=float('nan')):.0f}",
                         f"{within}/{n}", f"{r['span']:.2f}", f"{r['cpu'] * 1000 / n:.2f}",
                         f"{r['dup_ok']}/{3 * n}", f"{r['already']}/{n}",
                         "/".join(str(r["counts"][c]) for c in ("yes", "no", "abstain")), str(r["exact"]).lower(),
                         str(r["dedup"]).lower()))
    widths = [max(len(h), *(len(row[k]) for row in rows)) for k, h in enumerate(header)]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths)))
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)))
    for kind, res in results.items():
        print(f"{kind}: {res['logins']} logins in {res['login_s']:.1f} s ({args.login_threads} threads)")
        for n, r in res["runs"].items():
            extra = []
            if r["refused"] or r["missing"]:
                extra.append(f"refused {r['refused']}, no ack {r['missing']}")
            if r["dup_bad"]:
                extra.append(f"duplicates not acknowledged as such: {r['dup_bad']}")
            if r["second_bad"]:
                extra.append(f"second ballots not refused as already_voted: {r['second_bad']}")
            print(f"  N={n}: connected {r['connected']} in {r['connect_s']:.1f} s; sends took {r['send_span']:.2f} s;"
                  f" duplicate resends p50/p99 {percentile(r['dup_lat'], 50):.0f} / {percentile(r['dup_lat'], 99):.0f}"
                  f" ms; sent yes/no/abstain {r['sent']['yes']}/{r['sent']['no']}/{r['sent']['abstain']}; database: "
                  f"{r['db']['receipts']} receipts, tallies sum {r['db']['tally_sum']}, "
                  f"first ballot_id kept {r['db']['ballot_ids_match']}" + ("; " + "; ".join(extra) if extra else ""))
        bd = res["breakdown"]
        if bd:
            print(f"  one ballot in process (median of {bd['count']}): {bd['total_ms']:.2f} ms = the socket's user "
                  f"{bd['loader_ms']:.2f} ms ({bd['loader_q']:.0f} statements, {bd['loader_qms']:.2f} ms in them) + "
                  f"cast_ballot {bd['service_ms']:.2f} ms ({bd['service_q']:.0f} statements, {bd['service_qms']:.2f} "
                  f"ms in them, of which COMMIT {bd['commit_ms']:.2f} ms, p90 {bd['commit_p90_ms']:.2f}); "
                  f"mean {bd['total_mean_ms']:.2f} ms; a bare one-row commit {bd['bare_commit_ms']:.2f} ms")
            print("  its statements: " + " | ".join(bd["statements"]))
    if floor:
        print(f"sqlite one-row commit (WAL) on this disk: synchronous=FULL {floor['FULL']:.2f} ms, "
              f"NORMAL {floor['NORMAL']:.2f} ms")
    lines = []
    for kind in ("postgresql", "sqlite"):
        res = results.get(kind)
        if res and 500 in res["runs"]:
            r = res["runs"][500]
            lines.append(f"RESULT votes n=500 db={kind} ack_p99_ms={percentile(r['lat'], 99):.0f} "
                         f"exact={str(r['exact']).lower()}")
    for line in lines:
        print(line)


if __name__ == "__main__":
    main()
