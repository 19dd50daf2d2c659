"""Who may do what: every role, a stranger and an anonymous visitor against every endpoint.

A stranger gets 404 for a meeting and everything under it, as if it did not exist; an anonymous visitor gets 401
from the API and the login page from the pages."""
from __future__ import annotations

import pytest

ROLES = ("secretary", "chair", "delegate", "observer", "stranger", "anonymous")


def _expect(secretary, chair=403, delegate=403, observer=403, stranger=404, anonymous=401):
    return dict(zip(ROLES, (secretary, chair, delegate, observer, stranger, anonymous)))


EDIT = _expect(200)
CASES = [
    # (method, url, json body, expected status per role)
    ("GET", "/api/v1/meetings/{m}", None, _expect(200, 200, 200, 200)),
    ("PATCH", "/api/v1/meetings/{m}", {"location": "Hội trường B"}, EDIT),
    ("DELETE", "/api/v1/meetings/{m}", None, _expect(409)),  # published: even the secretary cannot delete it
    ("PUT", "/api/v1/meetings/{m}/status", {"status": "in_progress"}, _expect(200, chair=200)),
    ("PUT", "/api/v1/meetings/{m}/status", {"status": "draft"}, _expect(200)),
    ("POST", "/api/v1/meetings/{m}/agenda-items", {"title": "Nội dung mới"}, _expect(201)),
    ("PUT", "/api/v1/meetings/{m}/agenda-order", "reversed", EDIT),
    ("PATCH", "/api/v1/agenda-items/{item}", {"title": "Đổi tên"}, EDIT),
    ("DELETE", "/api/v1/agenda-items/{item}", None, _expect(204)),
    ("POST", "/api/v1/meetings/{m}/sites", {"name": "Điểm cầu mới"}, _expect(201)),
    ("DELETE", "/api/v1/sites/{site}", None, _expect(204)),
    ("POST", "/api/v1/meetings/{m}/participants", {"username": "moi", "role": "delegate"}, _expect(201)),
    ("PATCH", "/api/v1/participants/{delegate_p}", {"can_vote": False}, EDIT),
    ("DELETE", "/api/v1/participants/{delegate_p}", None, _expect(204)),
    ("GET", "/api/v1/users", None, _expect(403, stranger=403)),
    ("POST", "/api/v1/users", {"username": "x1", "full_name": "X", "password": "12345678"},
     _expect(403, stranger=403)),
    ("GET", "/api/v1/directory", None, _expect(200, stranger=403)),
    ("POST", "/api/v1/meetings", {"title": "T", "organization": "O", "starts_at": "2026-12-01T08:00"},
     _expect(201, stranger=403)),
    # pages
    ("GET", "/meetings/{m}", None, _expect(200, 200, 200, 200, anonymous=302)),
    ("GET", "/", None, _expect(200, 200, 200, 200, stranger=200, anonymous=302)),
    ("GET", "/admin/users/", None, _expect(403, stranger=403, anonymous=302)),
]


@pytest.fixture
def world(app, make_meeting, make_user):
    make_user("moi")
    mid, ids = make_meeting(status="published", people={"chair": "chair", "delegate": "delegate",
                                                       "observer": "observer"})
    make_user("stranger", can_create_meetings=False)
    from server.extensions import db
    from server.models import Meeting, Site
    with app.app_context():
        meeting = db.session.get(Meeting, mid)
        meeting.sites.append(Site(name="Điểm cầu xã"))
        db.session.commit()
        return {
            "m": mid,
            "item": meeting.items[0].id,
            "items": [i.id for i in meeting.items],
            "site": meeting.sites[0].id,
            "delegate_p": next(p.id for p in meeting.participants if p.role == "delegate"),
        }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method, url, body, expected", CASES,
                         ids=[f"{c[0]} {c[1]} {c[2] if isinstance(c[2], dict) else ''}" for c in CASES])
def test_access_matrix(app, world, role, method, url, body, expected):
    browser = app.test_client()
    if role != "anonymous":
        browser.login(role if role != "secretary" else "secretary")
    if body == "reversed":
        body = {"item_ids": list(reversed(world["items"]))}
    response = browser.open(url.format(**world), method=method, json=body)
    assert response.status_code == expected[role], response.get_data(as_text=True)[:300]
    if response.status_code >= 400 and url.startswith("/api/"):
        error = response.get_json()["error"]
        assert error["code"] and error["message"]


def test_a_stranger_cannot_tell_a_hidden_meeting_from_a_missing_one(app, world):
    browser = app.test_client()
    browser.login("stranger")
    hidden = browser.get(f"/api/v1/meetings/{world['m']}")
    missing = browser.get("/api/v1/meetings/999999")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.get_json() == missing.get_json()


def test_drafts_are_visible_to_their_secretaries_only(app, make_meeting):
    mid, _ = make_meeting(status="draft", people={"chair": "chair", "delegate": "delegate"})
    for username, status in (("secretary", 200), ("chair", 404), ("delegate", 404)):
        browser = app.test_client()
        browser.login(username)
        assert browser.get(f"/api/v1/meetings/{mid}").status_code == status, username
