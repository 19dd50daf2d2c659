"""The live room over Socket.IO: joining with a snapshot, deltas with sequence numbers, who may send what,
attendance and quorum, presence, the wall screen's link, and sockets closed on logout or removal."""
from __future__ import annotations

import pytest

from server.extensions import socketio


@pytest.fixture
def room(app, make_meeting, new_client):
    mid, ids = make_meeting(status="in_progress", people={"chair": "chair", "d1": "delegate", "d2": "delegate",
                                                         "obs": "observer"})
    clients, sockets = {}, {}

    def connect(username):
        http = new_client()
        http.login(username)
        sock = socketio.test_client(app, flask_test_client=http)
        assert sock.is_connected()
        clients[username], sockets[username] = http, sock
        return http, sock

    return mid, ids, connect


def join(sock, mid):
    return sock.emit("join", {"meeting_id": mid}, callback=True)


def deltas(sock):
    return [m["args"][0] for m in sock.get_received() if m["name"] == "room"]


def _upload(app, http, mid):
    import io
    import time

    from tests import pdfs
    item = http.get(f"/api/v1/meetings/{mid}").get_json()["agenda_items"][0]["id"]
    doc = http.post(f"/api/v1/agenda-items/{item}/documents", data={"file": (io.BytesIO(pdfs.agenda_pdf(5)), "a.pdf")},
                    content_type="multipart/form-data").get_json()
    for _ in range(200):
        if http.get(f"/api/v1/documents/{doc['id']}").get_json()["status"] == "ready":
            return doc["id"], item
        time.sleep(0.05)
    raise AssertionError("not rendered")


def test_join_returns_one_snapshot(room):
    mid, ids, connect = room
    _, d1 = connect("d1")
    ack = join(d1, mid)
    assert ack["ok"] is True
    snap = ack["snapshot"]
    assert snap["seq"] == 0 and snap["meeting_id"] == mid and snap["item"] is None
    assert snap["presentation"]["presenting"] is False
    assert snap["me"]["role"] == "delegate" and snap["me"]["may_present"] is False
    assert "connected" not in snap  # only the chair's and secretary's consoles see who is connected
    quorum = snap["attendance"]["quorum"]
    assert quorum == {"voting_members": 3, "checked_in": 0, "required": 2, "percent": 50, "online_counts": True,
                      "reached": False}


def test_people_outside_the_meeting_cannot_join_and_bad_payloads_change_nothing(room, make_user):
    mid, ids, connect = room
    make_user("stranger")
    _, stranger = connect("stranger")
    assert join(stranger, mid)["error"]["code"] == "not_found"
    _, d1 = connect("d1")
    for payload, code in ((["x"], "bad_payload"), ("abc", "bad_payload"), ({"meeting_id": "x"}, "invalid"),
                          ({"meeting_id": mid, "junk": "x" * 70000}, "payload_too_large")):
        ack = d1.emit("join", payload, callback=True)
        assert ack["ok"] is False and ack["error"]["code"] == code, payload
        assert ack["error"]["message"]
    assert d1.emit("present", {"meeting_id": mid, "document_id": None, "page": 1}, callback=True)["ok"] is False
    assert d1.is_connected()


def test_chair_presents_and_followers_get_numbered_deltas(app, room):
    mid, ids, connect = room
    secretary_http, _ = connect("secretary")
    document_id, item_id = _upload(app, secretary_http, mid)
    _, chair = connect("chair")
    _, d1 = connect("d1")
    join(chair, mid)
    join(d1, mid)
    d1.get_received()
    ack = chair.emit("present", {"meeting_id": mid, "document_id": document_id, "page": 2}, callback=True)
    assert ack == {"ok": True, "seq": 1}
    chair.emit("present", {"meeting_id": mid, "document_id": document_id, "page": 3, "zoom": 1.5,
                           "scroll_x": 0.2, "scroll_y": 0.4}, callback=True)
    got = deltas(d1)
    assert [d["seq"] for d in got] == [1, 2]
    assert got[0]["type"] == "presentation" and got[0]["data"]["page"] == 2
    assert got[0]["data"]["item"]["id"] == item_id  # presenting a document moves to its item
    assert got[1]["data"]["zoom"] == 1.5 and got[1]["data"]["scroll_y"] == 0.4
    # A late joiner gets it all at once.
    _, d2 = connect("d2")
    snap = join(d2, mid)["snapshot"]
    assert snap["seq"] == 2 and snap["presentation"]["page"] == 3 and snap["presentation"]["presenting"]
    assert snap["item"]["id"] == item_id
    # After a gap, sync gives the same picture.
    assert d1.emit("sync", {"meeting_id": mid}, callback=True)["snapshot"]["seq"] == 2


def test_only_the_chair_or_the_named_presenter_presents(app, room):
    mid, ids, connect = room
    secretary_http, _ = connect("secretary")
    document_id, _ = _upload(app, secretary_http, mid)
    _, chair = connect("chair")
    _, d1 = connect("d1")
    _, obs = connect("obs")
    present = {"meeting_id": mid, "document_id": document_id, "page": 1}
    assert d1.emit("present", present, callback=True)["error"]["code"] == "not_presenter"
    assert d1.emit("set_item", {"meeting_id": mid, "item_id": None}, callback=True)["error"]["code"] == "not_chair"
    assert d1.emit("set_presenter", {"meeting_id": mid, "user_id": ids["d1"]}, callback=True)["ok"] is False
    assert chair.emit("set_presenter", {"meeting_id": mid, "user_id": ids["d1"]}, callback=True)["ok"]
    assert d1.emit("present", present, callback=True)["ok"]
    assert obs.emit("present", present, callback=True)["error"]["code"] == "not_presenter"
    assert chair.emit("present", {**present, "page": 99}, callback=True)["error"]["field"] == "page"
    assert chair.emit("present", {**present, "zoom": 100}, callback=True)["error"]["field"] == "zoom"


def test_pointer_is_passed_on_not_stored_and_rate_limited(app, room):
    mid, ids, connect = room
    _, chair = connect("chair")
    _, d1 = connect("d1")
    join(chair, mid)
    join(d1, mid)
    d1.get_received()
    assert chair.emit("pointer", {"meeting_id": mid, "x": 0.5, "y": 0.25, "page": 1}, callback=True)["ok"]
    pointers = [m["args"][0] for m in d1.get_received() if m["name"] == "pointer"]
    assert pointers == [{"meeting_id": mid, "x": 0.5, "y": 0.25, "page": 1}]
    assert chair.emit("pointer", {"meeting_id": mid, "x": 2, "y": 0}, callback=True)["error"]["code"] == "bad_pointer"
    assert d1.emit("pointer", {"meeting_id": mid, "x": 0.1, "y": 0.1}, callback=True)["ok"] is False
    answers = [chair.emit("pointer", {"meeting_id": mid, "x": 0.1, "y": 0.1}, callback=True) for _ in range(60)]
    assert any(a["ok"] is False and a["error"]["code"] == "rate_limited" for a in answers)
    assert chair.emit("sync", {"meeting_id": mid}, callback=True)["snapshot"]["seq"] == 0  # nothing stored


def test_attendance_and_quorum(app, room):
    mid, ids, connect = room
    secretary_http, secretary = connect("secretary")
    d1_http, d1 = connect("d1")
    _, d2 = connect("d2")
    join(d1, mid)
    assert d1.emit("check_in", {"meeting_id": mid, "status": "present"}, callback=True)["ok"]
    assert d2.emit("check_in", {"meeting_id": mid, "status": "absent"}, callback=True)["ok"] is False  # self: no
    assert d2.emit("check_in", {"meeting_id": mid, "status": "online"}, callback=True)["ok"]
    delta = deltas(d1)[-1]
    assert delta["type"] == "attendance" and delta["data"]["quorum"]["checked_in"] == 2
    assert delta["data"]["quorum"]["reached"] is True
    snap = join(secretary, mid)["snapshot"]
    chair_row = next(p for p in snap["attendance"]["participants"] if p["role"] == "chair")
    # The secretary records an absence; it needs a reason.
    url = f"/api/v1/meetings/{mid}/attendance/{chair_row['participant_id']}"
    response = secretary_http.put(url, json={"status": "absent"})
    assert response.status_code == 400 and response.get_json()["error"]["field"] == "reason"
    response = secretary_http.put(url, json={"status": "absent", "reason": "Đi công tác"})
    assert response.status_code == 200
    # Made over HTTP, seen on the tablet's socket.
    last = deltas(d1)[-1]
    assert [p["role"] for p in last["data"]["changed"]] == ["chair"] and "participants" not in last["data"]
    chair_now = last["data"]["changed"][0]
    assert chair_now["status"] == "absent" and chair_now["reason"] == "Đi công tác"
    assert last["data"]["counts"]["absent"] == 1
    # The list of everyone goes to the consoles only; a tablet's snapshot has its own row.
    assert len(snap["attendance"]["participants"]) >= 3
    mine = join(d1, mid)["snapshot"]
    assert [p["participant_id"] for p in mine["attendance"]["participants"]] == [mine["me"]["participant_id"]]
    assert mine["attendance"]["quorum"] == join(secretary, mid)["snapshot"]["attendance"]["quorum"]
    assert d1_http.put(url, json={"status": "present"}).status_code == 403
    # Online members may be left out of the quorum.
    assert secretary_http.put(f"/api/v1/meetings/{mid}/quorum", json={"online_counts": False}).status_code == 200
    quorum = secretary_http.get(f"/api/v1/meetings/{mid}/room").get_json()["attendance"]["quorum"]
    assert quorum["checked_in"] == 1 and quorum["reached"] is False


def test_organisers_see_who_is_connected(app, room):
    mid, ids, connect = room
    _, chair = connect("chair")
    join(chair, mid)
    chair.get_received()
    _, d1 = connect("d1")
    join(d1, mid)
    presence = [m["args"][0] for m in chair.get_received() if m["name"] == "presence"]
    assert {"meeting_id": mid, "user_id": ids["d1"], "connected": True} in presence
    assert ids["d1"] in chair.emit("sync", {"meeting_id": mid}, callback=True)["snapshot"]["connected"]
    d1.disconnect()
    presence = [m["args"][0] for m in chair.get_received() if m["name"] == "presence"]
    assert presence[-1] == {"meeting_id": mid, "user_id": ids["d1"], "connected": False}


def test_logging_out_closes_that_logins_sockets(app, room):
    mid, ids, connect = room
    d1_http, d1 = connect("d1")
    join(d1, mid)
    d1_http.delete("/api/v1/session")
    assert not d1.is_connected()


def test_removing_someone_from_the_meeting_closes_their_sockets(app, room):
    mid, ids, connect = room
    secretary_http, _ = connect("secretary")
    _, d2 = connect("d2")
    join(d2, mid)
    meeting = secretary_http.get(f"/api/v1/meetings/{mid}").get_json()
    participant = next(p for p in meeting["participants"] if p["user"]["id"] == ids["d2"])
    assert secretary_http.delete(f"/api/v1/participants/{participant['id']}").status_code == 204
    assert not d2.is_connected()


def test_wall_screen_joins_with_its_link_only_and_goes_dark_when_revoked(app, room):
    mid, ids, connect = room
    secretary_http, _ = connect("secretary")
    link = secretary_http.post(f"/api/v1/meetings/{mid}/wall-links").get_json()
    assert link["token"] and link["url"].endswith(f"/wall/{link['token']}")
    d1_http, _ = connect("d1")
    assert d1_http.post(f"/api/v1/meetings/{mid}/wall-links").status_code == 403
    wall = socketio.test_client(app, auth={"wall_token": link["token"]})
    assert wall.is_connected()
    snap = join(wall, mid)["snapshot"]
    assert snap["me"] is None and "connected" not in snap
    assert join(wall, mid + 1)["ok"] is False  # its own meeting only
    assert wall.emit("check_in", {"meeting_id": mid, "status": "present"}, callback=True)["ok"] is False
    assert not socketio.test_client(app, auth={"wall_token": "doan-bua"}).is_connected()
    assert secretary_http.delete(f"/api/v1/wall-links/{link['id']}").status_code == 204
    assert not wall.is_connected()
    assert not socketio.test_client(app, auth={"wall_token": link["token"]}).is_connected()


def test_a_closed_meeting_is_not_live(app, make_meeting, new_client):
    mid, ids = make_meeting(status="closed", people={"chair": "chair"})
    http = new_client()
    http.login("chair")
    sock = socketio.test_client(app, flask_test_client=http)
    assert join(sock, mid)["ok"]  # still readable
    ack = sock.emit("set_item", {"meeting_id": mid, "item_id": None}, callback=True)
    assert ack["error"]["code"] == "meeting_not_live"
