"""Live room pages over HTTP: the chair's console (chair and secretary only), the wall screen by its room link, and the
wall's page images (only the presented version of its own meeting, never a confidential document); the meeting page's
live-room parts for each role."""
from __future__ import annotations

import io
import time

import pytest

from server.extensions import socketio
from tests import pdfs


def _upload(http, mid, *, item_index=0, confidentiality="none", pages=3):
    item = http.get(f"/api/v1/meetings/{mid}").get_json()["agenda_items"][item_index]["id"]
    doc = http.post(f"/api/v1/agenda-items/{item}/documents",
                    data={"file": (io.BytesIO(pdfs.agenda_pdf(pages)), "a.pdf"), "confidentiality": confidentiality},
                    content_type="multipart/form-data").get_json()
    for _ in range(200):
        body = http.get(f"/api/v1/documents/{doc['id']}").get_json()
        if body["status"] == "ready":
            return body
        time.sleep(0.05)
    raise AssertionError("not rendered")


@pytest.fixture
def live(app, make_meeting, new_client):
    mid, ids = make_meeting(status="in_progress", people={"chair": "chair", "d1": "delegate"})
    clients = {}

    def login(username):
        if username not in clients:
            clients[username] = new_client()
            clients[username].login(username)
        return clients[username]

    return mid, ids, login


def _present(app, http, mid, document_id, page=1):
    sock = socketio.test_client(app, flask_test_client=http)
    sock.emit("join", {"meeting_id": mid}, callback=True)
    ack = sock.emit("present", {"meeting_id": mid, "document_id": document_id, "page": page}, callback=True)
    assert ack["ok"], ack
    sock.disconnect()


def test_console_is_for_the_chair_and_the_secretary_only(live, make_user):
    mid, _, login = live
    for username in ("chair", "secretary"):
        page = login(username).get(f"/meetings/{mid}/console")
        assert page.status_code == 200, username
        html = page.get_data(as_text=True)
        assert 'id="console-agenda"' in html and 'id="presenter-select"' in html and 'id="quorum-bar"' in html
        assert "/static/js/console.js" in html
    assert login("d1").get(f"/meetings/{mid}/console").status_code == 404
    make_user("stranger")
    assert login("stranger").get(f"/meetings/{mid}/console").status_code == 404
    assert login("chair").get(f"/meetings/{mid + 999}/console").status_code == 404


def test_meeting_page_shows_each_role_its_live_room_parts(live):
    mid, _, login = live
    delegate = login("d1").get(f"/meetings/{mid}").get_data(as_text=True)
    assert 'id="check-in-present"' in delegate and 'id="check-in-online"' in delegate
    assert 'id="console-link"' not in delegate and 'id="wall-link-create"' not in delegate
    chair = login("chair").get(f"/meetings/{mid}").get_data(as_text=True)
    assert 'id="console-link"' in chair and 'id="check-in-present"' in chair and 'id="wall-link-create"' not in chair
    secretary = login("secretary").get(f"/meetings/{mid}").get_data(as_text=True)
    assert 'id="console-link"' in secretary and 'id="wall-link-create"' in secretary
    assert 'id="check-in-present"' not in secretary  # the secretary serves the meeting and does not check in


def test_wall_page_with_a_live_link_only(live):
    mid, _, login = live
    secretary = login("secretary")
    link = secretary.post(f"/api/v1/meetings/{mid}/wall-links").get_json()
    anonymous = secretary.application.test_client()
    page = anonymous.get(f"/wall/{link['token']}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="wall-stage"' in html and 'id="wall-attendance"' in html and "Phiên họp thường kỳ tháng 11" in html
    assert anonymous.get("/wall/doan-bua").status_code == 404
    assert secretary.delete(f"/api/v1/wall-links/{link['id']}").status_code == 204
    assert anonymous.get(f"/wall/{link['token']}").status_code == 404


def test_wall_page_images_only_of_the_presented_document_of_its_meeting(app, live, make_meeting):
    mid, _, login = live
    secretary, chair = login("secretary"), login("chair")
    doc = _upload(secretary, mid)
    link = secretary.post(f"/api/v1/meetings/{mid}/wall-links").get_json()
    wall = app.test_client()
    url = f"/wall/{link['token']}/pages/{doc['version_id']}"
    assert wall.get(f"{url}/1").status_code == 404  # nothing presented yet
    _present(app, chair, mid, doc["id"], page=2)
    image = wall.get(f"{url}/2")
    assert image.status_code == 200 and image.mimetype == "image/jpeg" and image.data[:2] == b"\xff\xd8"
    assert wall.get(f"{url}/3").status_code == 200  # the next page may be fetched ahead
    assert wall.get(f"{url}/4").status_code == 404  # past the end
    assert wall.get(f"/wall/doan-bua/pages/{doc['version_id']}/2").status_code == 404

    # Another meeting's version is not reachable through this link, even while it is presented there.
    other_mid, _ = make_meeting(status="in_progress", people={"chair": "chair"}, title="Phiên khác")
    other = _upload(secretary, other_mid)
    _present(app, chair, other_mid, other["id"])
    assert wall.get(f"/wall/{link['token']}/pages/{other['version_id']}/1").status_code == 404

    # A confidential document is never served to a wall screen.
    secret = _upload(secretary, mid, item_index=1, confidentiality="mat")
    _present(app, chair, mid, secret["id"])
    refused = wall.get(f"/wall/{link['token']}/pages/{secret['version_id']}/1")
    assert refused.status_code == 403 and refused.mimetype != "image/jpeg"
    # The earlier document is no longer the one presented.
    assert wall.get(f"{url}/2").status_code == 404

    # A revoked link serves nothing.
    _present(app, chair, mid, doc["id"], page=1)
    assert wall.get(f"{url}/1").status_code == 200
    secretary.delete(f"/api/v1/wall-links/{link['id']}")
    assert wall.get(f"{url}/1").status_code == 404


def test_viewer_joins_the_room_only_while_the_meeting_is_open(app, live, make_meeting):
    mid, _, login = live
    secretary = login("secretary")
    doc = _upload(secretary, mid)
    html = login("d1").get(f"/meetings/{mid}/documents/{doc['id']}").get_data(as_text=True)
    assert 'id="follow-toggle"' in html and 'id="follow-banner"' in html and 'id="pointer-dot"' in html
    assert '"room": {' in html
    draft_mid, _ = make_meeting(status="draft", people={"chair": "chair"})
    draft_doc = _upload(secretary, draft_mid)
    html = secretary.get(f"/meetings/{draft_mid}/documents/{draft_doc['id']}").get_data(as_text=True)
    assert 'id="follow-toggle"' not in html and '"room": null' in html
