"""Socket.IO handlers. The live room (issue 4) builds on this: only logged-in users connect."""
from __future__ import annotations

from flask_login import current_user
from flask_socketio import SocketIO, join_room

from server.realtime.broadcast import user_room


def register(socketio: SocketIO) -> None:
    @socketio.on("connect")
    def _connect(auth=None):
        if not current_user.is_authenticated:
            return False  # refused: the client sees connect_error
        join_room(user_room(current_user.id))
        return True
