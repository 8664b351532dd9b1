"""Messages between ``kg serve`` and its processes: each a 4-byte big-endian length, then
that many bytes, over a pipe's file descriptor.

The build zygote (:mod:`kg.serve.builder`) and the SPARQL worker (:mod:`kg.serve.sparql`)
talk this way; the worker's answers are awaited with a deadline, past which the caller
kills it.

>>> import os
>>> r, w = os.pipe()
>>> send_message(w, b"ready")
>>> receive_message(r)
b'ready'
"""

from __future__ import annotations

import os
import select
import struct
import time

__all__ = ["receive_message", "send_message"]

_LENGTH = struct.Struct("!I")


def send_message(fd: int, data: bytes) -> None:
    """Write ``data`` to ``fd`` as one message, all of it."""
    payload = memoryview(_LENGTH.pack(len(data)) + data)
    while payload:
        payload = payload[os.write(fd, payload) :]


def receive_message(fd: int, deadline: float | None = None) -> bytes | None:
    """The next message from ``fd``; None if the pipe closed first, or if ``deadline`` (a
    :func:`time.monotonic` time) passed before it all came."""
    head = _receive_exactly(fd, _LENGTH.size, deadline)
    if head is None:
        return None
    return _receive_exactly(fd, _LENGTH.unpack(head)[0], deadline)


def _receive_exactly(fd: int, size: int, deadline: float | None) -> bytes | None:
    chunks = []
    while size:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                return None
        chunk = os.read(fd, size)
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)
