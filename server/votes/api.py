"""HTTP side of votes: the same services as the socket events; results as CSV and JSON."""
from __future__ import annotations

import csv
import io

from flask import Blueprint, Response
from flask_babel import gettext as _
from flask_login import login_required

from server.api.helpers import json_body, user
from server.errors import Conflict
from server.votes import service
from server.votes.serializers import vote_json_for

bp = Blueprint("votes_api", __name__, url_prefix="/api/v1")


def _json(vote):
    return vote_json_for(user(), vote)


@bp.get("/meetings/<int:meeting_id>/votes")
@login_required
def list_votes(meeting_id: int):
    return {"votes": [_json(v) for v in service.list_votes(user(), meeting_id)]}


@bp.post("/meetings/<int:meeting_id>/votes")
@login_required
def create_vote(meeting_id: int):
    return _json(service.create_vote(user(), meeting_id, json_body())), 201


@bp.get("/votes/<int:vote_id>")
@login_required
def get_vote(vote_id: int):
    return _json(service.get_vote(user(), vote_id))


@bp.patch("/votes/<int:vote_id>")
@login_required
def update_vote(vote_id: int):
    return _json(service.update_vote(user(), vote_id, json_body()))


@bp.delete("/votes/<int:vote_id>")
@login_required
def delete_vote(vote_id: int):
    service.delete_vote(user(), vote_id)
    return "", 204


@bp.post("/votes/<int:vote_id>/open")
@login_required
def open_vote(vote_id: int):
    return _json(service.open_vote(user(), vote_id))


@bp.post("/votes/<int:vote_id>/ballots")
@login_required
def cast(vote_id: int):
    cast = service.cast_ballot(user(), vote_id, json_body())
    return {"vote_id": cast.vote_id, "ballot_id": cast.ballot_id, "counted": True, "duplicate": not cast.new}, (
        201 if cast.new else 200)


@bp.get("/votes/<int:vote_id>/voters")
@login_required
def voters(vote_id: int):
    return service.who_voted(user(), vote_id)


@bp.post("/votes/<int:vote_id>/close")
@login_required
def close(vote_id: int):
    return _json(service.close_vote(user(), vote_id))


@bp.post("/votes/<int:vote_id>/publish")
@login_required
def publish(vote_id: int):
    return _json(service.publish_vote(user(), vote_id))


@bp.post("/votes/<int:vote_id>/cancel")
@login_required
def cancel(vote_id: int):
    return _json(service.cancel_vote(user(), vote_id, json_body().get("reason")))


@bp.post("/votes/<int:vote_id>/rerun")
@login_required
def rerun(vote_id: int):
    return _json(service.rerun_vote(user(), vote_id)), 201


@bp.get("/votes/<int:vote_id>/result.json")
@login_required
def result_json(vote_id: int):
    data = _json(service.get_vote(user(), vote_id))
    if data["result"] is None:
        raise Conflict(_("The result is not available yet."), code="no_result")
    return data


@bp.get("/votes/<int:vote_id>/result.csv")
@login_required
def result_csv(vote_id: int):
    data = result_json(vote_id)
    out = io.StringIO()
    writer = csv.writer(out)
    result = data["result"]
    writer.writerow([_("Question"), data["question"]])
    writer.writerow([_("Outcome"), _("Passed") if result["passed"] else (_("Tie") if result["tie"] else _("Not passed"))])
    writer.writerow([_("Ballots"), result["ballots"], _("Eligible"), result["eligible"], _("Members"), result["members"]])
    writer.writerow([])
    writer.writerow([_("Option"), _("Votes")])
    for option in result["options"]:
        writer.writerow([option["label"], option["count"]])
    if result.get("named"):
        labels = {o["id"]: o["label"] for o in result["options"]}
        writer.writerow([])
        writer.writerow([_("Name"), _("Choice")])
        for row in result["named"]:
            writer.writerow([row["full_name"], "; ".join(labels[c] for c in row["choices"])])
    # A byte-order mark so that Excel opens Vietnamese text correctly.
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename=bieu-quyet-{vote_id}.csv"})
