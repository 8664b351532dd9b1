"""The SPARQL endpoint of ``kg serve``: the built review held in memory by a worker process.

A worker (``python -m kg.serve.sparql GRAPH.TRIG``) loads the review's ``graph.trig`` into an
in-memory pyoxigraph store and answers one query at a time over its standard input and
output. It is a process, not a thread, because pyoxigraph cannot stop a running query: a
query over its time limit ends with the worker, killed, and a new one takes its place. After a
rebuild a new worker loads the new graph while the old one still answers; then they swap in
one step, so no query sees half a review.

The default graph is the union of the review's named graphs, as in ``kg query`` (a copy of
them, which Oxigraph searches faster than their union); a request's ``default-graph-uri`` and
``named-graph-uri`` (SPARQL 1.1 Protocol) narrow it. kg's prefixes are predeclared. A
query's ``# in memory: ORDER BY ...`` line, which some named queries carry, replaces the
``ORDER BY`` that follows it (``kg.store.query.memory_shape``: same order, sorted sooner in
memory).
"""

from __future__ import annotations

import contextlib
import json
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from kg.serve.messages import receive_message, send_message

__all__ = ["Answer", "QueryWorker", "SparqlService", "answer_request", "load_review"]

RESULT_MEDIA = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
TURTLE = "text/turtle"


@dataclass(frozen=True)
class Answer:
    """An HTTP answer to a query: status, media type and body."""

    status: int
    media: str
    body: bytes


class QueryWorker:
    """One worker process holding the review loaded from ``trig`` (see the module)."""

    def __init__(self, trig: Path, *, allow_update: bool = False, wait: bool = True) -> None:
        self.trig = trig
        flags = ["--allow-update"] if allow_update else []
        self._process = subprocess.Popen(
            [sys.executable, "-m", "kg.serve.sparql", str(trig), *flags],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        assert self._process.stdout is not None
        self._out: IO[bytes] = self._process.stdout
        if wait:
            self.wait_loaded()

    def wait_loaded(self) -> None:
        """Wait until the worker has loaded its graph; ``RuntimeError`` if it ended first
        (it could not read the graph, or was stopped)."""
        if receive_message(self._out.fileno()) is None:
            self.close()
            raise RuntimeError(f"the SPARQL worker could not load {self.trig}")

    def stop(self) -> None:
        """Kill the worker; whoever waits for it (:meth:`wait_loaded`) then sees it end."""
        if self._process.poll() is None:
            self._process.kill()

    @property
    def pid(self) -> int:
        """The worker's process id."""
        return self._process.pid

    def ask(self, request: dict[str, Any], timeout: float) -> Answer | None:
        """Send one request; its answer, or None when the limit passed (the worker is then
        killed)."""
        assert self._process.stdin is not None
        try:
            send_message(self._process.stdin.fileno(), json.dumps(request).encode())
        except BrokenPipeError:
            return Answer(500, "text/plain", b"the SPARQL worker has ended")
        deadline = time.monotonic() + timeout
        head = receive_message(self._out.fileno(), deadline)
        body = receive_message(self._out.fileno(), deadline) if head is not None else None
        if head is None or body is None:
            self.close()
            return None
        status, media = json.loads(head)
        return Answer(int(status), str(media), body)

    def close(self) -> None:
        """End the worker."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        for stream in (self._process.stdin, self._process.stdout):
            if stream is not None:
                stream.close()


class SparqlService:
    """The endpoint's worker, replaced after each rebuild and after a query over the limit."""

    def __init__(self, trig: Path, *, timeout: float, allow_update: bool = False) -> None:
        self.timeout = timeout
        self.allow_update = allow_update
        self._lock = threading.Lock()
        self._worker: QueryWorker | None = QueryWorker(trig, allow_update=allow_update)
        self._trig = trig
        self._loads = threading.Lock()
        self._loading: QueryWorker | None = None
        self._paused = False

    @property
    def worker_pid(self) -> int | None:
        """The current worker's process id (for measuring its memory)."""
        worker = self._worker
        return worker.pid if worker is not None else None

    def reload(self, trig: Path) -> bool:
        """Load ``trig`` in a new worker, then swap it in (queries meanwhile go to the old);
        False, loading nothing, if loads are :meth:`paused` or it was paused meanwhile."""
        with self._loads:
            if self._paused:
                return False
            fresh = self._loading = QueryWorker(trig, allow_update=self.allow_update, wait=False)
        try:
            fresh.wait_loaded()
        except RuntimeError:
            with self._loads:
                if self._paused:
                    return False
            raise
        finally:
            with self._loads:
                self._loading = None
        with self._lock:
            old, self._worker, self._trig = self._worker, fresh, trig
        if old is not None:
            old.close()
        return True

    @contextlib.contextmanager
    def paused(self) -> Iterator[None]:
        """No graph is loaded in the block, and a load under way is stopped: a rebuild runs
        (at 10,000 works a load takes a core for longer than the rebuild, whose graph will
        replace the one being loaded anyway). Queries still go to the current worker."""
        with self._loads:
            self._paused = True
            if self._loading is not None:
                self._loading.stop()
        try:
            yield
        finally:
            with self._loads:
                self._paused = False

    def answer(self, request: dict[str, Any]) -> Answer:
        """Answer one request within the time limit; past it, a new worker is started."""
        with self._lock:
            if self._worker is None:
                self._worker = QueryWorker(self._trig, allow_update=self.allow_update)
            answer = self._worker.ask(request, self.timeout)
            if answer is None:
                self._worker = None
                message = f"the query ran past the server's {self.timeout:g} s limit; stopped"
                return Answer(503, "text/plain; charset=utf-8", message.encode())
            return answer

    def close(self) -> None:
        """End the worker."""
        with self._lock:
            if self._worker is not None:
                self._worker.close()
                self._worker = None


def answer_request(
    store: Any, request: dict[str, Any], allow_update: bool
) -> tuple[int, str, bytes]:
    """What the worker answers a request (a ``query`` or ``update``, its ``format``, its
    ``default`` and ``named`` graphs) from ``store``: (status, media type, body)."""
    from pyoxigraph import (
        NamedNode,
        QueryBoolean,
        QueryResultsFormat,
        QuerySolutions,
        RdfFormat,
        serialize,
    )

    from kg.prefixes import PREFIXES
    from kg.store.query import memory_shape

    if "update" in request:
        if not allow_update:
            return 403, "text/plain", b"updates are refused (start kg serve with --allow-update)"
        try:
            store.update(request["update"], prefixes=PREFIXES)
        except SyntaxError as error:
            return 400, "text/plain", str(error).encode()
        return 204, "text/plain", b""
    default = request.get("default") or None
    named = request.get("named") or None
    try:
        result = store.query(
            memory_shape(request["query"]),
            prefixes=PREFIXES,
            default_graph=[NamedNode(g) for g in default] if default else None,
            named_graphs=[NamedNode(g) for g in named] if named else None,
        )
    except (SyntaxError, ValueError) as error:
        return 400, "text/plain; charset=utf-8", str(error).encode()
    except OSError as error:
        return 500, "text/plain; charset=utf-8", f"query failed: {error}".encode()
    fmt = request.get("format", "json")
    if isinstance(result, QuerySolutions | QueryBoolean):
        results_format = {
            "json": QueryResultsFormat.JSON,
            "xml": QueryResultsFormat.XML,
            "csv": QueryResultsFormat.CSV,
            "tsv": QueryResultsFormat.TSV,
        }.get(fmt, QueryResultsFormat.JSON)
        media = RESULT_MEDIA.get(fmt, RESULT_MEDIA["json"])
        body = result.serialize(format=results_format)
        assert isinstance(body, bytes)
        return 200, media, body
    data = serialize(result, format=RdfFormat.TURTLE, prefixes=PREFIXES)
    assert isinstance(data, bytes)
    return 200, TURTLE, data


def main(argv: list[str]) -> None:
    """The worker: load the TriG named in ``argv``, then answer requests until stdin closes
    (or its server has gone: a closed pipe ends it quietly)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the server, which ends us
    with contextlib.suppress(BrokenPipeError):
        _serve(argv)


def load_review(trig: str | Path) -> Any:
    """An in-memory pyoxigraph store holding the review of ``trig``, as the worker holds it."""
    from pyoxigraph import RdfFormat, Store

    store = Store()
    store.bulk_load(path=str(trig), format=RdfFormat.TRIG)
    # The union of the named graphs, copied into the default graph: Oxigraph answers kg's
    # joins about 3 times faster over one graph than over the union of 200 (10,000 works).
    for graph in list(store.named_graphs()):
        store.update(f"ADD {graph} TO DEFAULT")
    return store


def _serve(argv: list[str]) -> None:
    store = load_review(argv[0])
    allow_update = "--allow-update" in argv[1:]
    stdin, stdout = sys.stdin.buffer.fileno(), sys.stdout.buffer.fileno()
    send_message(stdout, b"ready")
    while (message := receive_message(stdin)) is not None:
        status, media, body = answer_request(store, json.loads(message), allow_update)
        # Status and media, then the body as a message of its own: never copied to join them
        # (an answer at 10,000 works can be 160 MB of JSON).
        send_message(stdout, json.dumps([status, media]).encode())
        send_message(stdout, body)


if __name__ == "__main__":
    main(sys.argv[1:])
