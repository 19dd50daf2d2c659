"""CPU work that must not stall the event loop.

Under eventlet every socket shares one OS thread: a password hash (~0.1 s of scrypt) or a watermark (~50 ms of Pillow)
run inline would freeze every tablet meanwhile. tpool runs them in real threads; both release the GIL, so they also
use the other cores. Outside eventlet (tests, the command line) they simply run."""
from __future__ import annotations

from eventlet import patcher, tpool


def off_the_event_loop(function, *args, **kwargs):
    if patcher.is_monkey_patched("thread"):
        return tpool.execute(function, *args, **kwargs)
    return function(*args, **kwargs)
