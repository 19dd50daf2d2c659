"""The vote screens of the organisers over HTTP: the meeting page's vote preparation (the chair and the secretary; the
others only see announced results, filled in by votes-prepare.js) and the chair's console vote panel, in Vietnamese
and in English."""
from __future__ import annotations

import json
import re


def _config(page: str, element_id: str) -> dict:
    match = re.search(rf'<script type="application/json" id="{element_id}">(.*?)</script>', page, re.S)
    assert match, element_id
    return json.loads(match.group(1))


def test_the_meeting_page_offers_vote_preparation_to_organisers_only(make_meeting, new_client):
    mid, _ = make_meeting(status="in_progress", people={"chair": "chair", "d1": "delegate"})
    for username in ("secretary", "chair"):
        http = new_client()
        http.login(username)
        page = http.get(f"/meetings/{mid}").get_data(as_text=True)
        assert 'id="vote-form"' in page and 'id="vote-new"' in page and "/static/js/votes-prepare.js" in page
        config = _config(page, "votes-config")
        assert config["can_prepare"] and config["organiser"]
        assert config["votes_api"] == f"/api/v1/meetings/{mid}/votes" and config["vote_api"] == "/api/v1/votes/"
        assert [label for _, label in config["item_choices"]] == ["1. Báo cáo kinh tế – xã hội", "2. Dự toán ngân sách"]
        assert config["words"]["rules"]["members"] == "Quá nửa tổng số đại biểu"
        assert "Quá nửa tổng số đại biểu (thường dùng ở HĐND)" in page
    delegate = new_client()
    delegate.login("d1")
    page = delegate.get(f"/meetings/{mid}").get_data(as_text=True)
    assert 'id="vote-form"' not in page and 'id="vote-new"' not in page
    assert _config(page, "votes-config")["organiser"] is False  # announced results only, shown by the script


def test_a_closed_meeting_lists_votes_without_the_form(make_meeting, new_client):
    mid, _ = make_meeting(status="closed")
    http = new_client()
    http.login("secretary")
    page = http.get(f"/meetings/{mid}").get_data(as_text=True)
    assert 'id="votes"' in page and 'id="vote-form"' not in page


def test_the_console_has_the_vote_panel_in_the_chosen_language(make_meeting, new_client):
    mid, _ = make_meeting(status="in_progress", people={"chair": "chair"})
    http = new_client()
    http.login("chair")
    page = http.get(f"/meetings/{mid}/console").get_data(as_text=True)
    for hook in ('id="vote-panel"', 'id="vote-close"', 'id="vote-publish"', 'id="vote-cancel"',
                 'id="vote-close-confirm"', 'id="vote-cancel-reason"', "/static/js/console.js"):
        assert hook in page, hook
    strings = _config(page, "console-config")["strings"]["vote"]
    assert strings["open"] == "Mở biểu quyết" and strings["rerun"] == "Biểu quyết lại"
    assert "Kết thúc biểu quyết" in page and "Công bố kết quả" in page
    http.post("/language", data={"language": "en", "next": "/"})
    page = http.get(f"/meetings/{mid}/console").get_data(as_text=True)
    assert _config(page, "console-config")["strings"]["vote"]["open"] == "Open the vote"
    assert "Announce the result" in page
