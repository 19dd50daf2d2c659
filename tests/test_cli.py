"""`flask users ...` and `flask seed-demo`."""
from __future__ import annotations

import sqlalchemy as sa

from server.extensions import db
from server.models import Meeting, Participant, User


def test_users_create_list_set_password_disable(app, client):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "bichngoc", "--name", "Phạm Bích Ngọc", "--organizer",
                                 "--password", "mat-khau-dai"])
    assert result.exit_code == 0, result.output
    assert "bichngoc" in runner.invoke(args=["users", "list"]).output
    client.login("bichngoc", "mat-khau-dai")
    result = runner.invoke(args=["users", "set-password", "bichngoc", "--password", "mat-khau-moi-1"])
    assert result.exit_code == 0, result.output
    assert client.get("/api/v1/meetings").status_code == 401  # the old session ended with the old password
    client.login("bichngoc", "mat-khau-moi-1")
    assert runner.invoke(args=["users", "disable", "bichngoc"]).exit_code == 0
    assert client.get("/api/v1/meetings").status_code == 401
    assert "DISABLED" in runner.invoke(args=["users", "list"]).output


def test_users_create_refuses_bad_input_clearly(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "Có Dấu", "--name", "X", "--password", "12345678"])
    assert result.exit_code != 0 and "Tên đăng nhập" in result.output
    result = runner.invoke(args=["users", "create", "ngan", "--name", "X", "--password", "123"])
    assert result.exit_code != 0 and "ít nhất 8" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_seed_demo_creates_the_meeting_once(app, client):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0 and "thuky" in first.output
    second = runner.invoke(args=["seed-demo"])
    assert "already" in second.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == 1
        meeting = db.session.scalar(sa.select(Meeting))
        roles = [p.role for p in meeting.participants]
        assert roles.count("secretary") == 1 and roles.count("chair") == 1 and roles.count("observer") == 1
        delegates = [p for p in meeting.participants if p.role == "delegate"]
        assert len(delegates) == 6 and sum(not p.can_vote for p in delegates) == 1
        assert 4 <= len(meeting.items) <= 5 and meeting.status == "published"
        assert db.session.scalar(sa.select(sa.func.count(Participant.id))) == 9
    client.login("pct1", "demo1234")
    meetings = client.get("/api/v1/meetings").get_json()["meetings"]
    assert [m["title"] for m in meetings] == ["Phiên họp thường kỳ tháng 11 năm 2026 của UBND huyện Bình Minh"]
    # Its documents went through the real upload path and render.
    items = client.get(f"/api/v1/meetings/{meetings[0]['id']}/documents").get_json()["agenda_items"]
    documents = [d for item in items for d in item["documents"]]
    assert len(documents) == 3 and [d["confidentiality"] for d in documents].count("mat") == 1
    from tests.test_documents import wait_ready
    for document in documents:
        assert wait_ready(client, document["id"])["status"] == "ready"
    # Two votes prepared for the chair to open: hidden from delegates until then, listed for the secretary.
    assert client.get(f"/api/v1/meetings/{meetings[0]['id']}/votes").get_json()["votes"] == []
    secretary = app.test_client()
    secretary.login("thuky", "demo1234")
    prepared = secretary.get(f"/api/v1/meetings/{meetings[0]['id']}/votes").get_json()["votes"]
    assert [(v["status"], v["kind"], v["secret"]) for v in prepared] == [("draft", "yes_no", False),
                                                                          ("draft", "yes_no", True)]
