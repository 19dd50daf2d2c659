"""`may_vote` in a participant's view of a vote (snapshot, HTTP, acknowledgements): whether they are on the list fixed
when it opened, so a tablet shows the buttons or says why not. The public view (`vote` deltas, the wall) has none."""
from __future__ import annotations

from server.extensions import socketio
from tests.test_room import deltas, join
from tests.test_votes import hall, make_vote  # noqa: F401  (hall is a fixture)


def test_may_vote_tells_each_viewer_whether_they_are_on_the_list(app, hall):  # noqa: F811
    mid, ids, people, sockets = hall
    vote = make_vote(people, mid)
    assert sockets["chair"].emit("vote_open", {"vote_id": vote["id"]}, callback=True)["vote"]["may_vote"] is True
    # chair, d1, d2 checked in; d3 not checked in; d4 has no vote; the observer and the secretary never vote.
    seen = {name: join(sockets[name], mid)["snapshot"]["vote"]["may_vote"]
            for name in ("chair", "d1", "d2", "d3", "d4", "obs", "secretary")}
    assert seen == {"chair": True, "d1": True, "d2": True, "d3": False, "d4": False, "obs": False, "secretary": False}
    assert people["d1"].get(f"/api/v1/votes/{vote['id']}").get_json()["may_vote"] is True
    assert people["d3"].get(f"/api/v1/votes/{vote['id']}").get_json()["may_vote"] is False
    # Checking in after it opened does not put d3 on the list.
    assert sockets["d3"].emit("check_in", {"meeting_id": mid, "status": "present"}, callback=True)["ok"]
    assert join(sockets["d3"], mid)["snapshot"]["vote"]["may_vote"] is False
    # The public view carries no viewer's fields.
    sockets["d1"].get_received()
    people["chair"].post(f"/api/v1/votes/{vote['id']}/close")
    closed = [d for d in deltas(sockets["d1"]) if d["type"] == "vote"][-1]["data"]
    assert "may_vote" not in closed and "my_ballot" not in closed
    link = people["secretary"].post(f"/api/v1/meetings/{mid}/wall-links").get_json()
    wall = socketio.test_client(app, auth={"wall_token": link["token"]})
    assert "may_vote" not in join(wall, mid)["snapshot"]["vote"]
