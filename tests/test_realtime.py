"""The socket side of the foundation: only logged-in people connect, and a change made over HTTP reaches them."""
from __future__ import annotations

import os

import pytest
import sqlalchemy as sa

from server.extensions import db, socketio
from server.models import User


def test_anonymous_socket_is_refused(app, client):
    sock = socketio.test_client(app, flask_test_client=client)
    assert not sock.is_connected()


def test_logged_in_socket_connects_and_a_revoked_session_cannot(app, client, make_user):
    make_user("an")
    client.login("an")
    sock = socketio.test_client(app, flask_test_client=client)
    assert sock.is_connected()
    sock.disconnect()
    client.delete("/api/v1/session")
    assert not socketio.test_client(app, flask_test_client=client).is_connected()


def test_http_change_is_pushed_to_the_meetings_room(app, client, make_meeting):
    mid, _ = make_meeting(status="draft")
    client.login("secretary")
    sock = socketio.test_client(app, flask_test_client=client)
    from server.realtime.broadcast import meeting_room
    # Joining rooms is the live room's work (issue 4); here the test enters the room directly.
    sid = socketio.server.manager.sid_from_eio_sid(sock.eio_sid, "/")
    socketio.server.enter_room(sid, meeting_room(mid), namespace="/")
    client.post(f"/api/v1/meetings/{mid}/agenda-items", json={"title": "Nội dung bổ sung"})
    received = sock.get_received()
    assert {"name": "meeting_changed", "args": [{"meeting_id": mid, "what": "agenda"}], "namespace": "/"} in received


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set (CI sets it)")
def test_redis_message_queue_carries_events_between_processes(tmp_path, database_url, _migrated):
    """With REDIS_URL, publish() goes through Redis, so another server process (here: a second app) receives it."""
    import redis
    from socketio import RedisManager

    from tests.conftest import make_app
    app = make_app(database_url, tmp_path, REDIS_URL=os.environ["REDIS_URL"])
    assert isinstance(socketio.server.manager, RedisManager)
    listener = redis.Redis.from_url(os.environ["REDIS_URL"]).pubsub()
    listener.subscribe("flask-socketio")
    listener.get_message(timeout=2)  # the subscribe confirmation
    with app.app_context():
        from server.realtime.broadcast import publish
        publish(42, "meeting_changed", {"meeting_id": 42, "what": "agenda"})
    message = listener.get_message(timeout=5)
    assert message is not None and b"meeting_changed" in message["data"]
    listener.close()


def test_a_cross_site_origin_is_refused_on_a_real_server(tmp_path, make_user, database_url, _migrated):
    """Against wsgi.py on a real port: the same login connects from the server's origin, not from another site."""
    import requests
    import socketio as sio_client
    from flask_migrate import upgrade

    from server.models import User
    from tests.conftest import _HASH, PASSWORD, make_app
    from tests.server_process import ServerProcess

    url = f"sqlite:///{tmp_path / 'origin.sqlite3'}"
    app = make_app(url, tmp_path)
    with app.app_context():
        from server.extensions import db
        upgrade()
        db.session.add(User(username="an", full_name="An", password_hash=_HASH))
        db.session.commit()
    server = ServerProcess(tmp_path, url).start()
    try:
        http = requests.Session()
        assert http.post(f"{server.url}/api/v1/session", json={"username": "an", "password": PASSWORD}).ok
        good = sio_client.Client(http_session=http)
        # Long-polling, so that the Origin header sent is exactly the one given (the websocket library adds its own).
        good.connect(server.url, transports=["polling"], headers={"Origin": server.url}, wait_timeout=5)
        assert good.connected
        good.disconnect()
        evil = sio_client.Client(http_session=http)
        with pytest.raises(sio_client.exceptions.ConnectionError):
            evil.connect(server.url, transports=["polling"], headers={"Origin": "http://evil.example"},
                         wait_timeout=5)
        anonymous = sio_client.Client()
        with pytest.raises(sio_client.exceptions.ConnectionError):
            anonymous.connect(server.url, transports=["websocket"], wait_timeout=5)
    finally:
        server.stop()


def test_socket_errors_speak_the_language_of_the_person_and_a_disabled_account_is_cut_off(app, new_client, make_user):
    """The language is taken at connect (not by loading the user on every event); disabling closes the socket."""
    make_user("english", language="en")
    make_user("viet", language="vi")
    sockets = {}
    for name in ("english", "viet"):
        http = new_client()
        http.login(name)
        sockets[name] = socketio.test_client(app, flask_test_client=http)
    english = sockets["english"].emit("join", {"meeting_id": "x"}, callback=True)
    viet = sockets["viet"].emit("join", {"meeting_id": "x"}, callback=True)
    assert english["error"]["message"] == "Meeting must be a whole number."
    assert viet["error"]["message"] == "Phiên họp phải là số nguyên."
    admin = new_client()
    make_user("admin", is_admin=True)
    admin.login("admin")
    with app.app_context():
        viet_id = db.session.scalar(sa.select(User.id).where(User.username == "viet"))
    assert admin.patch(f"/api/v1/users/{viet_id}", json={"disabled": True}).status_code == 200
    assert not sockets["viet"].is_connected()
    assert sockets["english"].is_connected()
