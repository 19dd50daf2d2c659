"""Votes through the socket and HTTP: who may open, cast, close and see what; one ballot per person; secret ballots
keep no link; cancel and run again; the countdown; results as CSV and JSON."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from server.extensions import db, socketio
from server.models import Vote, VoteEvent, VoteReceipt, VoteTally
from server.models.types import utcnow
from tests.test_room import deltas, join


@pytest.fixture
def hall(app, make_meeting, new_client):
    """In progress: chair and d1..d3 vote, d4 has no vote, an observer; chair, d1 and d2 checked in."""
    mid, ids = make_meeting(status="in_progress", people={
        "chair": "chair", "d1": "delegate", "d2": "delegate", "d3": "delegate", "d4": "delegate", "obs": "observer"},
        voting=("chair", "delegate"))
    people, sockets = {}, {}
    with app.app_context():
        from server.models import Participant
        db.session.execute(sa.update(Participant).where(Participant.user_id == ids["d4"]).values(can_vote=False))
        db.session.commit()
    for name in ("secretary", "chair", "d1", "d2", "d3", "d4", "obs"):
        http = new_client()
        http.login(name)
        people[name] = http
        sockets[name] = socketio.test_client(app, flask_test_client=http)
        join(sockets[name], mid)
    for name in ("chair", "d1", "d2"):
        assert sockets[name].emit("check_in", {"meeting_id": mid, "status": "present"}, callback=True)["ok"]
    return mid, ids, people, sockets


def make_vote(people, mid, **over):
    body = {"question": "Thông qua Tờ trình dự toán ngân sách năm 2027?", "kind": "yes_no", "rule": "members",
            **over}
    response = people["secretary"].post(f"/api/v1/meetings/{mid}/votes", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def cast(sock, vote_id, option_ids, ballot_id=None):
    return sock.emit("vote_cast", {"vote_id": vote_id, "ballot_id": ballot_id or str(uuid.uuid4()),
                                   "choices": option_ids}, callback=True)


def option(vote, code):
    return next(o["id"] for o in vote["options"] if o["code"] == code)


def test_opening_is_refused_below_quorum(app, make_meeting, new_client):
    mid, ids = make_meeting(status="in_progress", people={"chair": "chair", "d1": "delegate", "d2": "delegate"})
    secretary = new_client()
    secretary.login("secretary")
    vote = secretary.post(f"/api/v1/meetings/{mid}/votes", json={"question": "Q?", "kind": "yes_no"}).get_json()
    response = secretary.post(f"/api/v1/votes/{vote['id']}/open", headers={"Accept-Language": "en"})
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "no_quorum" and "0 of 3" in error["message"] and "at least 2" in error["message"]
    assert secretary.get(f"/api/v1/votes/{vote['id']}").get_json()["status"] == "draft"


def test_a_named_vote_from_opening_to_announcement(app, hall):
    mid, ids, people, sockets = hall
    vote = make_vote(people, mid)
    # A prepared vote is hidden from delegates until it opens.
    assert people["d1"].get(f"/api/v1/votes/{vote['id']}").status_code == 404
    assert sockets["d1"].emit("vote_open", {"vote_id": vote["id"]}, callback=True)["error"]["code"] == "not_found"
    sockets["d1"].get_received()
    opened = sockets["chair"].emit("vote_open", {"vote_id": vote["id"]}, callback=True)
    assert opened["ok"] and opened["vote"]["eligible_count"] == 3 and opened["vote"]["members_count"] == 4
    room_votes = [d for d in deltas(sockets["d1"]) if d["type"] == "vote"]
    assert room_votes[-1]["data"]["status"] == "open" and room_votes[-1]["data"]["question"].startswith("Thông qua")

    yes, no = option(vote, "yes"), option(vote, "no")
    for name, choice in (("chair", yes), ("d1", yes), ("d2", no)):
        ack = cast(sockets[name], vote["id"], [choice])
        assert ack["ok"] and ack["counted"] and ack["duplicate"] is False
    for name in ("d3", "d4", "obs", "secretary"):  # not checked in / no vote / observer / secretary
        assert cast(sockets[name], vote["id"], [yes])["error"]["code"] == "not_eligible"
    # Live: the chair sees who has voted (a named vote); nobody sees counts before it closes.
    voters = people["chair"].get(f"/api/v1/votes/{vote['id']}/voters").get_json()
    assert len(voters["voted"]) == 3 and voters["not_voted"] == []
    assert people["d1"].get(f"/api/v1/votes/{vote['id']}/voters").status_code == 403
    assert people["chair"].get(f"/api/v1/votes/{vote['id']}").get_json()["result"] is None
    mine = people["d1"].get(f"/api/v1/votes/{vote['id']}").get_json()["my_ballot"]
    assert mine["choices"] == [yes]

    closed = sockets["chair"].emit("vote_close", {"vote_id": vote["id"]}, callback=True)["vote"]
    result = closed["result"]
    assert [o["count"] for o in result["options"]] == [2, 1, 0]
    # 2 yes of 4 voting members is not more than half: not passed under the members rule.
    assert result["passed"] is False and result["needed"] == 3 and result["not_voted"] == 0
    assert people["d1"].get(f"/api/v1/votes/{vote['id']}").get_json()["result"] is None  # not yet announced
    assert cast(sockets["d3"], vote["id"], [yes])["error"]["code"] == "vote_closed"
    published = people["chair"].post(f"/api/v1/votes/{vote['id']}/publish").get_json()
    assert published["status"] == "published"
    seen = people["d1"].get(f"/api/v1/votes/{vote['id']}").get_json()["result"]
    assert {row["full_name"]: row["choices"] for row in seen["named"]} == {"Chair": [yes], "D1": [yes], "D2": [no]}
    csv_text = people["d1"].get(f"/api/v1/votes/{vote['id']}/result.csv").get_data(as_text=True)
    assert "Đồng ý,2" in csv_text and "D2,Không đồng ý" in csv_text
    assert people["d1"].get(f"/api/v1/votes/{vote['id']}/result.json").get_json()["result"]["ballots"] == 3


def test_one_ballot_per_person_resends_are_harmless(app, hall):
    mid, ids, people, sockets = hall
    vote = make_vote(people, mid)
    people["chair"].post(f"/api/v1/votes/{vote['id']}/open")
    yes, no = option(vote, "yes"), option(vote, "no")
    ballot = str(uuid.uuid4())
    acks = [cast(sockets["d1"], vote["id"], [yes], ballot) for _ in range(3)]
    assert all(a["ok"] for a in acks) and [a["duplicate"] for a in acks] == [False, True, True]
    http = people["d1"].post(f"/api/v1/votes/{vote['id']}/ballots", json={"ballot_id": ballot, "choices": [yes]})
    assert http.status_code == 200 and http.get_json()["duplicate"] is True
    again = cast(sockets["d1"], vote["id"], [no])
    assert again["ok"] is False and again["error"]["code"] == "already_voted"
    for bad in ([], [yes, no], [999999], ["yes"], None):
        assert cast(sockets["d2"], vote["id"], bad)["error"]["field"] == "choices"
    assert sockets["d2"].emit("vote_cast", {"vote_id": vote["id"], "ballot_id": "x", "choices": [yes]},
                              callback=True)["error"]["field"] == "ballot_id"
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(VoteReceipt)) == 1
        assert db.session.scalar(sa.select(VoteTally.count).where(VoteTally.option_id == yes)) == 1


def test_a_secret_vote_keeps_no_link_between_voter_and_choice(app, hall):
    mid, ids, people, sockets = hall
    vote = make_vote(people, mid, secret=True, allow_change=True, rule="cast")
    assert vote["allow_change"] is False  # a secret vote cannot offer it
    people["chair"].post(f"/api/v1/votes/{vote['id']}/open")
    yes, abstain = option(vote, "yes"), option(vote, "abstain")
    for name, choice in (("chair", yes), ("d1", yes), ("d2", abstain)):
        assert cast(sockets[name], vote["id"], [choice])["ok"]
    with app.app_context():
        receipts = db.session.scalars(sa.select(VoteReceipt)).all()
        assert len(receipts) == 3 and all(r.choices is None and r.cast_at is None for r in receipts)
        tallies = {t.option_id: t.count for t in db.session.scalars(sa.select(VoteTally))}
        assert tallies[yes] == 2 and tallies[abstain] == 1
        assert not hasattr(VoteTally, "user_id") and not hasattr(VoteTally, "created_at")
    assert people["d1"].get(f"/api/v1/votes/{vote['id']}").get_json()["my_ballot"]["choices"] is None
    people["chair"].post(f"/api/v1/votes/{vote['id']}/close")
    published = people["chair"].post(f"/api/v1/votes/{vote['id']}/publish").get_json()
    assert "named" not in published["result"]
    assert published["result"]["passed"] is True  # 2 of 3 ballots cast: more than half


def test_a_named_vote_may_allow_changing_until_it_closes(app, hall):
    mid, ids, people, sockets = hall
    vote = make_vote(people, mid, allow_change=True)
    people["chair"].post(f"/api/v1/votes/{vote['id']}/open")
    yes, no = option(vote, "yes"), option(vote, "no")
    cast(sockets["d1"], vote["id"], [yes])
    assert cast(sockets["d1"], vote["id"], [no])["ok"]
    closed = people["chair"].post(f"/api/v1/votes/{vote['id']}/close").get_json()
    assert [o["count"] for o in closed["result"]["options"]] == [0, 1, 0]


def test_choice_votes_and_electing_up_to_k(app, hall):
    mid, ids, people, sockets = hall
    vote = make_vote(people, mid, kind="multi", max_choices=2, rule="cast",
                     options=["Nguyễn Văn A", "Trần Thị B", "Lê Văn C"])
    assert [o["label"] for o in vote["options"]] == ["Nguyễn Văn A", "Trần Thị B", "Lê Văn C"]
    people["chair"].post(f"/api/v1/votes/{vote['id']}/open")
    a, b, c = (o["id"] for o in vote["options"])
    assert cast(sockets["d1"], vote["id"], [a, b, c])["error"]["field"] == "choices"  # at most 2
    cast(sockets["chair"], vote["id"], [a, b])
    cast(sockets["d1"], vote["id"], [a, c])
    cast(sockets["d2"], vote["id"], [a])
    result = people["chair"].post(f"/api/v1/votes/{vote['id']}/close").get_json()["result"]
    assert result["elected"] == [a] and result["passed"]  # b and c have 1 of 3 ballots: not more than half
    bad = people["secretary"].post(f"/api/v1/meetings/{mid}/votes", json={"question": "Q", "kind": "single",
                                                                           "options": ["Một"]})
    assert bad.status_code == 400 and bad.get_json()["error"]["field"] == "options"


def test_who_may_run_a_vote(app, hall):
    mid, ids, people, sockets = hall
    vote = make_vote(people, mid)
    for name in ("d1", "obs"):
        assert people[name].post(f"/api/v1/votes/{vote['id']}/open").status_code == 404  # a draft is hidden
    people["chair"].post(f"/api/v1/votes/{vote['id']}/open")
    for name in ("d1", "obs", "d4"):
        assert sockets[name].emit("vote_close", {"vote_id": vote["id"]}, callback=True)["error"]["code"] == "not_chair"
    assert people["d1"].post(f"/api/v1/meetings/{mid}/votes", json={"question": "Q?"}).status_code == 403
    # The chair can make one on the spot.
    ack = sockets["chair"].emit("vote_create", {"meeting_id": mid, "question": "Biểu quyết tại chỗ?"}, callback=True)
    assert ack["ok"] and ack["vote"]["status"] == "draft"
    assert people["chair"].post(f"/api/v1/votes/{ack['vote']['id']}/open").get_json()["error"]["code"] == \
        "another_open"


def test_cancel_with_a_reason_run_again_and_the_log_is_only_appended(app, hall):
    mid, ids, people, sockets = hall
    vote = make_vote(people, mid)
    people["chair"].post(f"/api/v1/votes/{vote['id']}/open")
    cast(sockets["d1"], vote["id"], [option(vote, "yes")])
    assert people["chair"].post(f"/api/v1/votes/{vote['id']}/cancel", json={}).status_code == 400
    cancelled = people["chair"].post(f"/api/v1/votes/{vote['id']}/cancel",
                                     json={"reason": "Mất kết nối điểm cầu"}).get_json()
    assert cancelled["status"] == "cancelled" and cancelled["cancel_reason"] == "Mất kết nối điểm cầu"
    rerun = people["chair"].post(f"/api/v1/votes/{vote['id']}/rerun").get_json()
    assert rerun["status"] == "draft" and rerun["rerun_of_id"] == vote["id"] and rerun["id"] != vote["id"]
    with app.app_context():
        events = db.session.scalars(sa.select(VoteEvent).where(VoteEvent.vote_id == vote["id"])
                                    .order_by(VoteEvent.id)).all()
        assert [e.action for e in events] == ["created", "opened", "cancelled"]
        before = [(e.id, e.action, e.detail, e.at) for e in events]
        assert db.session.scalar(sa.select(sa.func.count()).select_from(VoteReceipt).where(
            VoteReceipt.vote_id == vote["id"])) == 1  # the old ballots are kept
    people["chair"].post(f"/api/v1/votes/{rerun['id']}/open")
    people["chair"].post(f"/api/v1/votes/{rerun['id']}/close")
    with app.app_context():
        events = db.session.scalars(sa.select(VoteEvent).where(VoteEvent.vote_id == vote["id"])
                                    .order_by(VoteEvent.id)).all()
        assert [(e.id, e.action, e.detail, e.at) for e in events] == before


def test_the_countdown_closes_the_vote_and_late_ballots_are_refused(app, hall):
    from server.votes import service
    mid, ids, people, sockets = hall
    vote = make_vote(people, mid, countdown_seconds=10)
    people["chair"].post(f"/api/v1/votes/{vote['id']}/open")
    with app.app_context():
        row = db.session.get(Vote, vote["id"])
        row.closes_at = utcnow() - timedelta(seconds=1)  # as if ten seconds had passed
        db.session.commit()
    assert cast(sockets["d1"], vote["id"], [option(vote, "yes")])["error"]["code"] == "vote_closed"
    service.start_countdown(app, vote["id"])
    import time
    for _ in range(100):
        if people["chair"].get(f"/api/v1/votes/{vote['id']}").get_json()["status"] == "closed":
            break
        time.sleep(0.05)
    assert people["chair"].get(f"/api/v1/votes/{vote['id']}").get_json()["status"] == "closed"


def test_late_joiners_and_the_wall_screen_get_the_vote_in_the_snapshot(app, hall):
    mid, ids, people, sockets = hall
    vote = make_vote(people, mid)
    people["chair"].post(f"/api/v1/votes/{vote['id']}/open")
    cast(sockets["d1"], vote["id"], [option(vote, "yes")])
    link = people["secretary"].post(f"/api/v1/meetings/{mid}/wall-links").get_json()
    wall = socketio.test_client(app, auth={"wall_token": link["token"]})
    snap = join(wall, mid)["snapshot"]
    assert snap["vote"]["status"] == "open" and snap["vote"]["voted_count"] == 1 and snap["vote"]["result"] is None
    late = socketio.test_client(app, flask_test_client=people["d2"])
    assert join(late, mid)["snapshot"]["vote"]["my_ballot"] is None
    people["chair"].post(f"/api/v1/votes/{vote['id']}/close")
    assert join(wall, mid)["snapshot"]["vote"]["result"] is None  # closed, not yet announced
    people["chair"].post(f"/api/v1/votes/{vote['id']}/publish")
    assert join(wall, mid)["snapshot"]["vote"]["result"]["ballots"] == 1


def test_progress_reaches_the_room_paced_not_per_ballot(app, hall):
    import time
    mid, ids, people, sockets = hall
    vote = make_vote(people, mid)
    people["chair"].post(f"/api/v1/votes/{vote['id']}/open")
    sockets["d3"].get_received()
    for name in ("chair", "d1", "d2"):
        cast(sockets[name], vote["id"], [option(vote, "yes")])
    time.sleep(0.6)
    progress = [m["args"][0] for m in sockets["d3"].get_received() if m["name"] == "vote_progress"]
    assert progress and progress[-1] == {"vote_id": vote["id"], "voted": 3, "eligible": 3}
    assert len(progress) < 3  # three ballots in a burst: one or two messages, not three
