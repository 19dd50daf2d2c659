"""A real server process (wsgi.py on eventlet, as in production) on a free port, with its own database."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    def __init__(self, folder: Path, database_url: str, **env):
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "DATABASE_URL": database_url, "INSTANCE_PATH": str(folder / "instance"),
                    "SECRET_KEY": "test-secret", "UPLOAD_FOLDER": str(folder / "uploads"), "PORT": str(self.port),
                    "HOST": "127.0.0.1", "SHOW_DEMO_ACCOUNTS": "0", "LOGIN_DELAY_SECONDS": "0", **env}
        self.env.pop("REDIS_URL", None)
        self.process: subprocess.Popen | None = None
        self.log_path = folder / "server.log"

    def start(self, timeout: float = 30) -> "ServerProcess":
        log = open(self.log_path, "a")
        self.process = subprocess.Popen([sys.executable, str(ROOT / "wsgi.py")], cwd=ROOT, env=self.env,
                                        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        deadline = time.time() + timeout
        while time.time() < deadline:
            # Ready when it answers HTTP, not merely when the port is open (start-up work runs in between).
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=2) as probe:
                    probe.sendall(b"GET /api/v1/session HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                    if probe.recv(12).startswith(b"HTTP/1."):
                        return self
            except OSError:
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("server did not start:\n" + self.log_path.read_text())

    def kill(self) -> None:
        """kill -9 of the whole process group: the server and the pdftoppm processes it started."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
