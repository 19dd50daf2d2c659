"""A real server process (wsgi.py on eventlet, as in production) and a real headless Chromium."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import make_app
from tests.server_process import ServerProcess

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "tests" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic"]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The server on a free port with its own SQLite database; yields (base_url, app for seeding)."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (make test installs it when run as root)")
    from flask_migrate import upgrade

    folder = tmp_path_factory.mktemp("live")
    url = f"sqlite:///{folder / 'live.sqlite3'}"
    app = make_app(url, folder, UPLOAD_FOLDER=str(folder / "uploads"))
    with app.app_context():
        upgrade()
    server = ServerProcess(folder, url).start()
    yield server.url, app
    server.stop()


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
