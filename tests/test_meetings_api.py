"""The secretary's work through the JSON API: meetings, agenda, sites, participants, publishing."""
from __future__ import annotations

import pytest


@pytest.fixture
def secretary(client, make_user):
    make_user("thuky", can_create_meetings=True, full_name="Trần Thị Thu Hà")
    client.login("thuky")
    return client


def _create(client, **over):
    body = {"title": "Phiên họp thường kỳ tháng 12", "organization": "UBND huyện Bình Minh",
            "location": "Phòng họp số 1", "starts_at": "2026-12-01T08:00", **over}
    return client.post("/api/v1/meetings", json=body)


def test_secretary_builds_and_publishes_a_meeting(secretary, app, make_user):
    delegate = make_user("daibieu", full_name="Lê Minh Tuấn")
    response = _create(secretary)
    assert response.status_code == 201
    meeting = response.get_json()
    assert meeting["status"] == "draft" and meeting["my_role"] == "secretary"
    # A time without offset is local (UTC+7).
    assert meeting["starts_at"] == "2026-12-01T01:00:00+00:00"
    mid = meeting["id"]
    first = secretary.post(f"/api/v1/meetings/{mid}/agenda-items",
                           json={"title": "Báo cáo kinh tế – xã hội", "presenter": "Phòng TC-KH",
                                 "planned_minutes": 30}).get_json()
    second = secretary.post(f"/api/v1/meetings/{mid}/agenda-items", json={"title": "Dự toán ngân sách"}).get_json()
    assert (first["number"], second["number"]) == (1, 2)
    site = secretary.post(f"/api/v1/meetings/{mid}/sites", json={"name": "Điểm cầu xã An Bình"}).get_json()
    invited = secretary.post(f"/api/v1/meetings/{mid}/participants",
                             json={"user_id": delegate.id, "role": "delegate", "can_vote": True,
                                   "site_id": site["id"]})
    assert invited.status_code == 201
    assert invited.get_json()["user"]["full_name"] == "Lê Minh Tuấn"
    order = secretary.put(f"/api/v1/meetings/{mid}/agenda-order", json={"item_ids": [second["id"], first["id"]]})
    assert [i["title"] for i in order.get_json()["agenda_items"]] == ["Dự toán ngân sách", "Báo cáo kinh tế – xã hội"]
    assert secretary.put(f"/api/v1/meetings/{mid}/status", json={"status": "published"}).get_json()["status"] == \
        "published"

    full = secretary.get(f"/api/v1/meetings/{mid}").get_json()
    assert [i["number"] for i in full["agenda_items"]] == [1, 2]
    assert full["agenda_items"][0]["title"] == "Dự toán ngân sách"
    assert {p["role"] for p in full["participants"]} == {"secretary", "delegate"}
    assert full["sites"] == [site]


def test_invited_people_see_a_meeting_only_once_published(app, make_meeting, new_client):
    mid, _ = make_meeting(status="draft", people={"d1": "delegate"})
    d1 = new_client()
    d1.login("d1")
    assert d1.get("/api/v1/meetings").get_json()["meetings"] == []
    assert d1.get(f"/api/v1/meetings/{mid}").status_code == 404
    secretary = new_client()
    secretary.login("secretary")
    secretary.put(f"/api/v1/meetings/{mid}/status", json={"status": "published"})
    assert [m["id"] for m in d1.get("/api/v1/meetings").get_json()["meetings"]] == [mid]
    assert d1.get(f"/api/v1/meetings/{mid}").get_json()["my_role"] == "delegate"


@pytest.mark.parametrize("body, field", [
    ({"title": ""}, "title"),
    ({"title": "x" * 301}, "title"),
    ({"organization": None}, "organization"),
    ({"starts_at": "mai lúc 8 giờ"}, "starts_at"),
    ({"starts_at": 12}, "starts_at"),
    ({"title": "Tiêu đề\x00"}, "title"),
])
def test_bad_meeting_input_is_refused_and_changes_nothing(secretary, body, field):
    response = _create(secretary, **body)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid" and error["field"] == field and error["message"]
    assert secretary.get("/api/v1/meetings").get_json()["meetings"] == []


def test_errors_read_well_in_both_languages(secretary):
    vi = _create(secretary, title="").get_json()["error"]["message"]
    en = _create(secretary, title="", ).get_json()["error"]["message"]
    assert vi == en  # same session, same language (Vietnamese by default)
    assert "bắt buộc" in vi
    english = secretary.post("/api/v1/meetings", json={"title": ""}, headers={"Accept-Language": "en-US,en;q=0.9"})
    assert english.get_json()["error"]["message"] == "Title is required."


def test_not_json_is_refused(secretary):
    response = secretary.post("/api/v1/meetings", data="title=x", content_type="text/plain")
    assert response.status_code == 415
    response = secretary.post("/api/v1/meetings", data="[1,2]", content_type="application/json")
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "bad_json"


def test_reorder_must_name_every_item_once(secretary, make_meeting):
    mid, _ = make_meeting(status="draft", items=("A", "B", "C"), secretary="thuky")
    items = secretary.get(f"/api/v1/meetings/{mid}").get_json()["agenda_items"]
    ids = [i["id"] for i in items]
    for bad in ([ids[0], ids[1]], [ids[0], ids[0], ids[1]], ids + [999], "abc", [str(i) for i in ids], None):
        response = secretary.put(f"/api/v1/meetings/{mid}/agenda-order", json={"item_ids": bad})
        assert response.status_code == 400, bad
    after = secretary.get(f"/api/v1/meetings/{mid}").get_json()["agenda_items"]
    assert [i["title"] for i in after] == ["A", "B", "C"]


def test_deleting_an_item_renumbers_the_rest(secretary, make_meeting):
    mid, _ = make_meeting(status="draft", items=("A", "B", "C"), secretary="thuky")
    items = secretary.get(f"/api/v1/meetings/{mid}").get_json()["agenda_items"]
    assert secretary.delete(f"/api/v1/agenda-items/{items[0]['id']}").status_code == 204
    after = secretary.get(f"/api/v1/meetings/{mid}").get_json()["agenda_items"]
    assert [(i["number"], i["title"]) for i in after] == [(1, "B"), (2, "C")]


def test_status_follows_the_lifecycle(secretary, make_meeting, new_client):
    mid, _ = make_meeting(status="draft", secretary="thuky", people={"chu": "chair", "d1": "delegate"})
    assert secretary.put(f"/api/v1/meetings/{mid}/status", json={"status": "closed"}).status_code == 409
    assert secretary.put(f"/api/v1/meetings/{mid}/status", json={"status": "nonsense"}).status_code == 400
    assert secretary.put(f"/api/v1/meetings/{mid}/status", json={"status": "published"}).status_code == 200
    chair = new_client()
    chair.login("chu")
    delegate = new_client()
    delegate.login("d1")
    assert delegate.put(f"/api/v1/meetings/{mid}/status", json={"status": "in_progress"}).status_code == 403
    assert chair.put(f"/api/v1/meetings/{mid}/status", json={"status": "in_progress"}).status_code == 200
    assert chair.put(f"/api/v1/meetings/{mid}/status", json={"status": "closed"}).get_json()["status"] == "closed"
    # Closed: the agenda is frozen.
    response = secretary.post(f"/api/v1/meetings/{mid}/agenda-items", json={"title": "Muộn"})
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "meeting_closed"


def test_publishing_needs_an_agenda(secretary, make_meeting):
    mid, _ = make_meeting(status="draft", items=(), secretary="thuky")
    response = secretary.put(f"/api/v1/meetings/{mid}/status", json={"status": "published"})
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "empty_agenda"


def test_participants_rules(secretary, make_meeting, make_user):
    mid, ids = make_meeting(status="draft", secretary="thuky", people={"d1": "delegate"})
    observer = make_user("qs")
    # Invite twice: conflict. Observers never vote.
    assert secretary.post(f"/api/v1/meetings/{mid}/participants",
                          json={"user_id": ids["d1"], "role": "delegate"}).status_code == 409
    created = secretary.post(f"/api/v1/meetings/{mid}/participants",
                             json={"username": "qs", "role": "observer", "can_vote": True}).get_json()
    assert created["can_vote"] is False and created["user"]["id"] == observer.id
    assert secretary.post(f"/api/v1/meetings/{mid}/participants",
                          json={"user_id": 99999, "role": "delegate"}).status_code == 400
    other = make_user("khac")
    assert secretary.post(f"/api/v1/meetings/{mid}/participants",
                          json={"user_id": other.id, "role": "king"}).status_code == 400
    # The last secretary can neither leave nor be demoted.
    meeting = secretary.get(f"/api/v1/meetings/{mid}").get_json()
    me = next(p for p in meeting["participants"] if p["role"] == "secretary")
    assert secretary.delete(f"/api/v1/participants/{me['id']}").get_json()["error"]["code"] == "last_secretary"
    assert secretary.patch(f"/api/v1/participants/{me['id']}", json={"role": "delegate"}).status_code == 409
    d1 = next(p for p in meeting["participants"] if p["role"] == "delegate")
    changed = secretary.patch(f"/api/v1/participants/{d1['id']}", json={"can_vote": False}).get_json()
    assert changed["can_vote"] is False
    assert secretary.delete(f"/api/v1/participants/{d1['id']}").status_code == 204


def test_removing_a_site_keeps_its_people(secretary, make_meeting):
    mid, ids = make_meeting(status="draft", secretary="thuky", people={"d1": "delegate"})
    site = secretary.post(f"/api/v1/meetings/{mid}/sites", json={"name": "Điểm cầu xã"}).get_json()
    assert secretary.post(f"/api/v1/meetings/{mid}/sites", json={"name": "điểm cầu XÃ"}).status_code == 409
    meeting = secretary.get(f"/api/v1/meetings/{mid}").get_json()
    d1 = next(p for p in meeting["participants"] if p["role"] == "delegate")
    secretary.patch(f"/api/v1/participants/{d1['id']}", json={"site_id": site["id"]})
    assert secretary.delete(f"/api/v1/sites/{site['id']}").status_code == 204
    meeting = secretary.get(f"/api/v1/meetings/{mid}").get_json()
    assert meeting["sites"] == [] and any(p["user"]["id"] == ids["d1"] and p["site_id"] is None
                                          for p in meeting["participants"])


def test_only_drafts_can_be_deleted(secretary, make_meeting):
    draft, _ = make_meeting(status="draft", secretary="thuky")
    published, _ = make_meeting(status="published", secretary="thuky")
    assert secretary.delete(f"/api/v1/meetings/{published}").status_code == 409
    assert secretary.delete(f"/api/v1/meetings/{draft}").status_code == 204
    assert secretary.get(f"/api/v1/meetings/{draft}").status_code == 404
