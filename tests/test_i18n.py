"""Vietnamese first, English second; every message translated."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent


def test_every_message_has_a_vietnamese_translation(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "_l",
                    "-k", "lazy_gettext", "-o", str(pot), "."], cwd=ROOT, check=True, capture_output=True)
    with open(pot, "rb") as fh:
        wanted = {m.id for m in read_po(fh) if m.id}
    with open(ROOT / "server/translations/vi/LC_MESSAGES/messages.po", "rb") as fh:
        catalog = read_po(fh)
    translated = {m.id for m in catalog if m.id and m.string and "fuzzy" not in m.flags}
    missing = sorted(str(m) for m in wanted - translated)
    assert not missing, f"untranslated (run scripts/fill_translations.py): {missing}"


def test_pages_are_vietnamese_by_default_and_english_on_request(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'lang="vi"' in page and "Đăng nhập" in page
    response = client.post("/language", data={"language": "en", "next": "/login"})
    assert response.status_code == 302
    page = client.get("/login").get_data(as_text=True)
    assert 'lang="en"' in page and "Log in" in page


def test_the_language_choice_is_remembered_on_the_account(app, make_user):
    make_user("an")
    first = app.test_client()
    first.login("an")
    first.post("/language", data={"language": "en", "next": "/"})
    other_device = app.test_client()
    other_device.login("an")
    assert 'lang="en"' in other_device.get("/").get_data(as_text=True)


def test_an_unknown_language_falls_back_to_vietnamese(client):
    client.post("/language", data={"language": "fr", "next": "/login"})
    assert 'lang="vi"' in client.get("/login").get_data(as_text=True)


def test_api_errors_follow_accept_language(client):
    vi = client.get("/api/v1/meetings").get_json()["error"]["message"]
    en = client.get("/api/v1/meetings", headers={"Accept-Language": "en"}).get_json()["error"]["message"]
    assert vi == "Vui lòng đăng nhập trước." and en == "Please log in first."


def test_times_are_shown_the_vietnamese_way(app):
    from datetime import datetime, timezone

    from server.i18n import meeting_time
    with app.test_request_context("/"):
        assert meeting_time(datetime(2026, 11, 23, 1, 0, tzinfo=timezone.utc)) == "08:00, Thứ Hai, 23/11/2026"
    with app.test_request_context("/?lang=en"):
        assert meeting_time(datetime(2026, 11, 23, 1, 0, tzinfo=timezone.utc)) == "Monday 23/11/2026, 08:00"
