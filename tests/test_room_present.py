"""Presenting: the delta says whether the document is confidential, an older version is refused (tablets open the
current one and could not follow), and a presenter whose naming was withdrawn cannot present any more."""
from __future__ import annotations

import io
import time

from server.extensions import socketio
from tests import pdfs
from tests.test_room import deltas, join, room  # noqa: F401  (room is a fixture)
from tests.test_room_pages import _upload


def _wait_ready(http, document_id):
    for _ in range(200):
        body = http.get(f"/api/v1/documents/{document_id}").get_json()
        if body["status"] == "ready":
            return body
        time.sleep(0.05)
    raise AssertionError("not rendered")


def test_the_delta_and_the_snapshot_say_whether_the_document_is_confidential(app, room):
    mid, ids, connect = room
    secretary, _ = connect("secretary")
    public = _upload(secretary, mid)
    secret = _upload(secretary, mid, confidentiality="mat")
    _, chair = connect("chair")
    _, d1 = connect("d1")
    join(chair, mid)
    join(d1, mid)
    d1.get_received()
    assert chair.emit("present", {"meeting_id": mid, "document_id": public["id"], "page": 1}, callback=True)["ok"]
    assert chair.emit("present", {"meeting_id": mid, "document_id": secret["id"], "page": 2}, callback=True)["ok"]
    got = deltas(d1)
    assert [d["data"]["confidential"] for d in got] == [False, True]
    # Presented by reference: the delta names the version and page, never carries the page itself.
    assert got[1]["data"]["version_id"] == secret["version_id"] and got[1]["data"]["page"] == 2
    assert set(got[1]["data"]) == {"presenting", "presenter", "document_id", "version_id", "title", "confidential",
                                   "page", "zoom", "scroll_x", "scroll_y", "item"}
    snap = d1.emit("sync", {"meeting_id": mid}, callback=True)["snapshot"]
    assert snap["presentation"]["confidential"] is True and snap["presentation"]["title"] == got[1]["data"]["title"]
    stopped = chair.emit("stop_presenting", {"meeting_id": mid}, callback=True)
    assert stopped["ok"] and deltas(d1)[-1]["data"]["confidential"] is True  # still says what was shown


def test_an_older_version_is_refused_with_a_clear_error(app, room):
    mid, ids, connect = room
    secretary, _ = connect("secretary")
    first = _upload(secretary, mid)
    replaced = secretary.post(f"/api/v1/documents/{first['id']}/versions",
                              data={"file": (io.BytesIO(pdfs.agenda_pdf(4)), "b.pdf")},
                              content_type="multipart/form-data")
    assert replaced.status_code == 202
    current = _wait_ready(secretary, first["id"])
    assert current["version_id"] != first["version_id"]
    other = _upload(secretary, mid)
    _, chair = connect("chair")
    join(chair, mid)
    present = {"meeting_id": mid, "document_id": first["id"], "page": 1}
    ack = chair.emit("present", {**present, "version_id": first["version_id"]}, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "old_version"
    assert any(words in ack["error"]["message"] for words in ("phiên bản mới hơn", "newer version"))  # the socket's language
    ack = chair.emit("present", {**present, "version_id": other["version_id"]}, callback=True)
    assert ack["error"]["field"] == "version_id"
    snap = chair.emit("sync", {"meeting_id": mid}, callback=True)["snapshot"]
    assert snap["seq"] == 0 and snap["presentation"]["presenting"] is False  # nothing changed
    ack = chair.emit("present", {**present, "version_id": current["version_id"], "page": 4}, callback=True)
    assert ack == {"ok": True, "seq": 1}
    assert chair.emit("present", {**present, "page": 4}, callback=True)["seq"] == 2  # no version_id: the current one


def test_the_named_presenter_presents_until_the_chair_takes_it_back(app, room):
    mid, ids, connect = room
    secretary, _ = connect("secretary")
    doc = _upload(secretary, mid)
    _, chair = connect("chair")
    _, d1 = connect("d1")
    _, d2 = connect("d2")
    join(d2, mid)
    assert chair.emit("set_presenter", {"meeting_id": mid, "user_id": ids["d1"]}, callback=True)["ok"]
    present = {"meeting_id": mid, "document_id": doc["id"], "page": 2}
    d2.get_received()
    assert d1.emit("present", present, callback=True) == {"ok": True, "seq": 2}
    presenter = deltas(d2)[-1]["data"]["presenter"]
    assert presenter["user_id"] == ids["d1"] and presenter["full_name"]
    assert chair.emit("set_presenter", {"meeting_id": mid, "user_id": None}, callback=True)["ok"]
    assert d1.emit("present", present, callback=True)["error"]["code"] == "not_presenter"
    assert chair.emit("present", present, callback=True) == {"ok": True, "seq": 4}
    assert deltas(d2)[-1]["data"]["presenter"] is None


def test_a_wall_screen_is_told_the_document_is_confidential(app, room):
    mid, ids, connect = room
    secretary, _ = connect("secretary")
    secret = _upload(secretary, mid, confidentiality="mat")
    token = secretary.post(f"/api/v1/meetings/{mid}/wall-links").get_json()["token"]
    wall = socketio.test_client(app, auth={"wall_token": token})
    assert wall.is_connected()
    join(wall, mid)
    _, chair = connect("chair")
    join(chair, mid)
    chair.emit("present", {"meeting_id": mid, "document_id": secret["id"], "page": 1}, callback=True)
    assert deltas(wall)[-1]["data"]["confidential"] is True
