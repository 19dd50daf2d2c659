"""Entry point. eventlet must patch the standard library before anything else is imported."""
import warnings

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")  # known; we run it on purpose

import eventlet  # noqa: E402

eventlet.monkey_patch()

import os  # noqa: E402
import sys  # noqa: E402

if (os.environ.get("DATABASE_URL") or "").startswith("postgres"):
    # psycopg2 would block the eventlet hub on every query; this makes it yield instead.
    from eventlet.support import psycopg2_patcher  # noqa: E402

    psycopg2_patcher.make_psycopg_green()

from server import create_app  # noqa: E402
from server.extensions import socketio  # noqa: E402

app = create_app()


def serve() -> None:
    """Development and single-process server: eventlet's WSGI server, sized for a full room of tablets."""
    import eventlet.wsgi

    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "5000"))
    # eventlet's defaults (backlog 50, max_size 1024) leave a connect storm of tablets waiting without an error.
    backlog = int(os.environ.get("LISTEN_BACKLOG", "2048"))
    max_connections = int(os.environ.get("MAX_CONNECTIONS", "10000"))
    sock = eventlet.listen((host, port), backlog=backlog)
    # Documents a crash left half-rendered are finished now, never left "processing".
    from server.documents import jobs

    jobs.resume_all(app)
    # Open votes with a countdown close on time even after a restart.
    from server.votes import service as votes

    votes.resume_countdowns(app)
    # Marks this process alive; forgets sockets of processes that stopped (a crash or kill leaves their rows).
    from server.realtime import connections

    with app.app_context():
        connections.heartbeat()
    socketio.start_background_task(connections.keep_alive, app)
    print(f"Phòng họp không giấy / Paperless meeting room: http://{host}:{port}/", flush=True)
    if os.environ.get("SHOW_DEMO_ACCOUNTS", "1") == "1":
        from server import demo

        demo.print_accounts(lambda line: print(line, flush=True))
    eventlet.wsgi.server(sock, app, max_size=max_connections, log_output=os.environ.get("ACCESS_LOG") == "1",
                         keepalive=True, socket_timeout=None)


if __name__ == "__main__":
    sys.exit(serve())
