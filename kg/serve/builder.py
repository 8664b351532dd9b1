"""Rebuilds for ``kg serve``, each in a clean process forked before the server had threads.

The build forks processes of its own (``kg.build.drawing``, ``kg.load.bib``), and a fork from
a process with threads copies only the forking thread: a lock another thread held stays held
in the child. So :class:`Builder` forks one *zygote* when the server starts, before any
thread; the zygote, single-threaded for its whole life, has the build's modules imported
(drawing's too, ``kg.build.drawing.DRAWING_MODULES``) and forks a fresh child for every
rebuild, which runs ``build_review`` as ``kg build`` would and exits. A rebuild then costs
the build's own work, not an interpreter start and its imports (about 1 s of a seed
rebuild's 1.5 s budget), and nothing a build leaves behind lingers.

>>> builder = Builder(Path("bib/kg.toml"))  # doctest: +SKIP
>>> builder.build().ok  # doctest: +SKIP
True
"""

from __future__ import annotations

import importlib
import json
import os
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.serve.messages import receive_message, send_message

__all__ = ["BuildOutcome", "Builder"]


@dataclass(frozen=True)
class BuildOutcome:
    """How one rebuild ended: ``ok``, and its one-line summary or error, and how long it took."""

    ok: bool
    message: str
    seconds: float


class Builder:
    """A zygote process that runs each rebuild in a child forked from it (see the module)."""

    def __init__(self, config: Path) -> None:
        self._requests_r, self._requests_w = os.pipe()
        self._answers_r, self._answers_w = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the zygote
            os.close(self._requests_w)
            os.close(self._answers_r)
            code = 0
            try:
                _zygote(config, self._requests_r, self._answers_w)
            except BaseException:
                code = 1
            os._exit(code)
        os.close(self._requests_r)
        os.close(self._answers_w)
        self._lock = threading.Lock()

    def build(self) -> BuildOutcome:
        """Run one rebuild and wait for it."""
        start = time.monotonic()
        answer = self.ask({"op": "build"})
        return BuildOutcome(bool(answer["ok"]), str(answer["message"]), time.monotonic() - start)

    def ask(self, request: dict[str, Any]) -> dict[str, Any]:
        """Run one request (``op``: build, claim or curate) in a fresh child and wait for its
        answer: ``{"ok": bool, "message": str, ...}``. Requests run one at a time."""
        with self._lock:
            try:
                send_message(self._requests_w, json.dumps(request).encode())
                answer = receive_message(self._answers_r)
            except OSError:  # the zygote has gone (killed from outside)
                answer = None
        if answer is None:
            return {"ok": False, "message": "the build process ended unexpectedly"}
        result: dict[str, Any] = json.loads(answer)
        return result

    def close(self) -> None:
        """End the zygote (closing its pipe ends it; a kill makes sure)."""
        os.close(self._requests_w)
        os.close(self._answers_r)
        try:
            os.kill(self.pid, signal.SIGTERM)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass


def _zygote(config: Path, requests: int, answers: int) -> None:
    """Wait for a request, fork a child that answers it, pass the answer on; until the pipe
    closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C goes to the server, which ends us
    import kg.build.pipeline
    import kg.serve.curate  # noqa: F401
    from kg.build.drawing import DRAWING_MODULES

    for module in DRAWING_MODULES:  # imported once here, not by each rebuild's drawer
        importlib.import_module(module)

    while (request := receive_message(requests)) is not None:
        read_end, write_end = os.pipe()
        child = os.fork()
        if child == 0:
            os.close(read_end)
            send_message(write_end, json.dumps(_answer(config, json.loads(request))).encode())
            os._exit(0)
        os.close(write_end)
        answer = receive_message(read_end)
        os.close(read_end)
        os.waitpid(child, 0)
        if answer is None:
            lost = {"ok": False, "message": "the build ended without an answer (out of memory?)"}
            answer = json.dumps(lost).encode()
        send_message(answers, answer)


def _answer(config: Path, request: dict[str, Any]) -> dict[str, Any]:
    """One request's answer; every ``KgError`` becomes its one-line message."""
    from kg.build.pipeline import build_review
    from kg.config import load_config
    from kg.errors import KgError
    from kg.serve.curate import CurationEdit, claim_details, curate_claim

    try:
        if request["op"] == "build":
            report = build_review(config)
            counts = ", ".join(f"{n} {name}" for name, n in report.counts.items())
            return {"ok": True, "message": counts}
        review = load_config(config)
        if request["op"] == "claim":
            return {"ok": True, "message": "", "claim": claim_details(review, request["claim"])}
        path = curate_claim(review, CurationEdit.from_json(request["edit"]))
        return {"ok": True, "message": f"wrote {path}"}
    except KgError as error:
        return {"ok": False, "message": str(error).splitlines()[0]}
    except Exception as error:  # a bug in kg: the server keeps serving the last good build
        return {"ok": False, "message": f"kg failed: {type(error).__name__}: {error}"}
