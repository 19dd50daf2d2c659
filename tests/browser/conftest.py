"""A real server process (wsgi.py on eventlet, as in production) and a real headless Chromium."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import make_app

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "tests" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic"]

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The server on a free port with its own SQLite database; yields (base_url, app for seeding)."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (make test installs it when run as root)")
    from flask_migrate import upgrade

    folder = tmp_path_factory.mktemp("live")
    url = f"sqlite:///{folder / 'live.sqlite3'}"
    app = make_app(url, folder)
    with app.app_context():
        upgrade()
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": url, "INSTANCE_PATH": str(folder / "instance"), "SECRET_KEY": "test-secret",
           "UPLOAD_FOLDER": str(folder / "uploads"), "PORT": str(port), "HOST": "127.0.0.1",
           "SHOW_DEMO_ACCOUNTS": "0", "LOGIN_DELAY_SECONDS": "0"}
    env.pop("REDIS_URL", None)
    log = open(folder / "server.log", "w")
    process = subprocess.Popen([sys.executable, str(ROOT / "wsgi.py")], cwd=ROOT, env=env, stdout=log,
                               stderr=subprocess.STDOUT)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if process.poll() is not None:
                raise RuntimeError((folder / "server.log").read_text())
            time.sleep(0.1)
    else:
        process.kill()
        raise RuntimeError("server did not start: " + (folder / "server.log").read_text())
    yield f"http://127.0.0.1:{port}", app
    process.terminate()
    process.wait(timeout=10)
    log.close()


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def new_tablet(chromium, live_server):
    """A separate browser context (own cookies) at tablet size; landscape 1280×800 unless told otherwise."""
    base_url, _ = live_server
    contexts = []

    def make(width: int = 1280, height: int = 800):
        context = chromium.new_context(viewport={"width": width, "height": height}, base_url=base_url,
                                       locale="vi-VN", has_touch=True)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
