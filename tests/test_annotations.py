"""Annotations: private by default, shared one by one or all at once, live on the author's other devices and, when
shared, on everyone's; undo and redo; still there after a reconnect; 'my annotated copy' as a PDF."""
from __future__ import annotations

import io
import uuid

import pytest
from pypdf import PdfReader

from server.extensions import socketio
from tests.test_room import _upload, join


@pytest.fixture
def setup(app, make_meeting, new_client):
    mid, ids = make_meeting(status="in_progress", people={"chair": "chair", "d1": "delegate", "d2": "delegate"})
    people = {}
    for name in ("secretary", "d1", "d2"):
        http = new_client()
        http.login(name)
        people[name] = http
    document_id, _ = _upload(app, people["secretary"], mid)
    version_id = people["d1"].get(f"/api/v1/documents/{document_id}").get_json()["version_id"]
    return mid, ids, people, document_id, version_id


def stroke(version_id, **over):
    return {"id": str(uuid.uuid4()), "version_id": version_id, "page": 2, "kind": "ink",
            "points": [[0.1, 0.1, 0.3], [0.2, 0.15, 0.8], [0.3, 0.2, 1.0]], "color": "#1565c0", "width": 0.004, **over}


def test_private_by_default_then_shared(setup):
    mid, ids, people, document_id, version_id = setup
    d1, d2 = people["d1"], people["d2"]
    note = stroke(version_id)
    saved = d1.put(f"/api/v1/annotations/{note['id']}", json=note)
    assert saved.status_code == 200 and saved.get_json()["shared"] is False
    assert saved.get_json()["points"][1] == [0.2, 0.15, 0.8]  # pen pressure kept
    url = f"/api/v1/document-versions/{version_id}/annotations"
    assert [a["id"] for a in d1.get(url).get_json()["annotations"]] == [note["id"]]
    assert d2.get(url).get_json()["annotations"] == []
    d1.put(f"/api/v1/annotations/{note['id']}/shared", json={"shared": True})
    assert [a["author"]["user_id"] for a in d2.get(url).get_json()["annotations"]] == [ids["d1"]]
    # Nobody else may change or delete it.
    assert d2.delete(f"/api/v1/annotations/{note['id']}").status_code == 403
    assert d2.put(f"/api/v1/annotations/{note['id']}", json=note).get_json()["error"]["code"] == "not_author"


def test_share_all_at_once_and_back(setup):
    mid, ids, people, document_id, version_id = setup
    d1, d2 = people["d1"], people["d2"]
    for _ in range(3):
        note = stroke(version_id)
        d1.put(f"/api/v1/annotations/{note['id']}", json=note)
    assert d1.put(f"/api/v1/documents/{document_id}/annotations/shared", json={"shared": True}).get_json() == {
        "changed": 3}
    assert len(d2.get(f"/api/v1/document-versions/{version_id}/annotations").get_json()["annotations"]) == 3
    d1.put(f"/api/v1/documents/{document_id}/annotations/shared", json={"shared": False})
    assert d2.get(f"/api/v1/document-versions/{version_id}/annotations").get_json()["annotations"] == []


def test_live_on_the_authors_other_device_and_when_shared_on_everyones(app, setup):
    mid, ids, people, document_id, version_id = setup
    tablet = socketio.test_client(app, flask_test_client=people["d1"])
    phone = socketio.test_client(app, flask_test_client=people["d1"])
    other = socketio.test_client(app, flask_test_client=people["d2"])
    for sock in (tablet, phone, other):
        join(sock, mid)
        sock.get_received()
    note = stroke(version_id, kind="note", text="Đề nghị làm rõ số liệu thu ngân sách", x=0.6, y=0.3)
    ack = tablet.emit("annotation_save", note, callback=True)
    assert ack["ok"] and ack["annotation"]["text"].startswith("Đề nghị")
    assert [m["args"][0]["id"] for m in phone.get_received() if m["name"] == "annotation"] == [note["id"]]
    assert [m for m in other.get_received() if m["name"] == "annotation"] == []
    assert tablet.emit("annotation_share", {"meeting_id": mid, "id": note["id"], "shared": True}, callback=True)["ok"]
    shared = [m["args"][0] for m in other.get_received() if m["name"] == "annotation"]
    assert shared and shared[-1]["shared"] is True and shared[-1]["deleted"] is False
    # Undo (delete) and redo (save the same id again).
    assert tablet.emit("annotation_delete", {"meeting_id": mid, "id": note["id"]}, callback=True)["ok"]
    assert [m["args"][0]["deleted"] for m in other.get_received() if m["name"] == "annotation"] == [True]
    assert tablet.emit("annotation_save", {**note, "shared": True}, callback=True)["ok"]
    assert len(people["d2"].get(f"/api/v1/document-versions/{version_id}/annotations").get_json()["annotations"]) == 1


def test_bad_annotations_are_refused_and_change_nothing(app, setup):
    mid, ids, people, document_id, version_id = setup
    d1 = people["d1"]
    sock = socketio.test_client(app, flask_test_client=d1)
    cases = [
        ({**stroke(version_id), "id": "not-a-uuid"}, "id"),
        (stroke(version_id, page=99), "page"),
        (stroke(version_id, points=[[1.5, 0.2]]), "points"),
        (stroke(version_id, points=[]), "points"),
        (stroke(version_id, color="red"), "color"),
        (stroke(version_id, kind="laser"), "kind"),
        (stroke(version_id, width=3), "width"),
        (stroke(version_id, kind="note", text="", x=0.1, y=0.1), "text"),
        (stroke(version_id, points=[[0.1, 0.1]] * 5001), None),
    ]
    for payload, field in cases:
        ack = sock.emit("annotation_save", payload, callback=True)
        assert ack["ok"] is False, payload.get("kind")
        if field:
            assert ack["error"].get("field") == field
    assert d1.get(f"/api/v1/document-versions/{version_id}/annotations").get_json()["annotations"] == []


def test_outsiders_see_nothing(setup, make_meeting, new_client):
    mid, ids, people, document_id, version_id = setup
    make_meeting(status="published", secretary="sec2", people={"outsider": "delegate"})
    outsider = new_client()
    outsider.login("outsider")
    assert outsider.get(f"/api/v1/document-versions/{version_id}/annotations").status_code == 404
    note = stroke(version_id)
    assert outsider.put(f"/api/v1/annotations/{note['id']}", json=note).status_code == 404


def test_my_annotated_copy_is_a_pdf_with_my_notes(setup):
    mid, ids, people, document_id, version_id = setup
    d1 = people["d1"]
    plain = d1.get(f"/api/v1/documents/{document_id}/annotated-copy")
    note = stroke(version_id, page=1, points=[[0.1, 0.5, 1.0], [0.9, 0.5, 1.0]], width=0.01, color="#ff0000")
    d1.put(f"/api/v1/annotations/{note['id']}", json=note)
    response = d1.get(f"/api/v1/documents/{document_id}/annotated-copy")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 5
    assert response.data != plain.data  # the red line is on page 1
    image = reader.pages[0].images[0].image.convert("RGB")
    y = image.height // 2
    reds = sum(1 for x in range(image.width) if (lambda p: p[0] > 200 and p[1] < 60 and p[2] < 60)(
        image.getpixel((x, y))))
    assert reds > image.width * 0.7
