"""``kg serve``: the built review as a local web app that rebuilds itself when an input changes.

One process serves the build folder over HTTP (the standard library's ``ThreadingHTTPServer``)
and watches the review's inputs (:mod:`kg.serve.watch`); a change is rebuilt by a clean child
(:mod:`kg.serve.builder`), and each open page, told over Server-Sent Events, reloads itself
and keeps its zoom, filters and selection. A rebuild that fails shows its one-line error on
every page and the last good build stays served. ``/sparql`` answers SPARQL 1.1 Protocol
queries from the review in memory (:mod:`kg.serve.sparql`); ``/query`` is a page to ask them;
a claim's side panel on the map can change its stances and themes (:mod:`kg.serve.curate`),
and "Save layout" writes the review's layout file (``POST /_kg/layout``).

It is a local server that writes a file, so it is careful: it binds to 127.0.0.1 unless told
otherwise; it answers only requests whose ``Host`` is the address it is bound to (a web page
elsewhere cannot reach it through DNS rebinding); every write carries a token only pages it
served know, and writes one of two files kg.toml names (the claims, the layout), never a
path a request gives; it serves only files inside the build folder; request bodies and queries have
limits. While it runs, ``BUILD/.kg-serve.json`` says where (``kg query`` uses it).
"""

from __future__ import annotations

import contextlib
import gc
import hmac
import json
import os
import re
import secrets
import signal
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from kg.config import load_config
from kg.errors import ConfigError, KgError
from kg.outputs.layout import check_layout, write_layout
from kg.serve.builder import Builder
from kg.serve.pages import inject, render_markdown, render_query_page
from kg.serve.sparql import RESULT_MEDIA, TURTLE, SparqlService
from kg.serve.watch import input_files, snapshot
from kg.store.query import SERVICE, is_update, query_form
from kg.store.served import SERVE_FILE

__all__ = ["ServeOptions", "serve_review"]

RELOAD_DELAY = 2.0
"""Seconds between a rebuild and loading it into the SPARQL worker."""
MEDIA = {
    ".html": "text/html; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".trig": "application/trig",
    ".ttl": "text/turtle",
    ".json": "application/json",
    ".jsonld": "application/ld+json",
    ".csv": "text/csv; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".graphml": "application/xml",
    ".gexf": "application/xml",
    ".xml": "application/xml",
}
VIEW_NAME = re.compile(r"[a-z][a-z0-9-]{0,40}")
"""What a view's name in a saved layout looks like (its page is ``NAME.html``)."""
FORMAT_PARAM = {
    "json": "json",
    "xml": "xml",
    "csv": "csv",
    "tsv": "tsv",
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}


@dataclass(frozen=True)
class ServeOptions:
    """How ``kg serve`` runs: where it listens and its limits."""

    host: str = "127.0.0.1"
    port: int = 8765
    query_timeout: float = 30.0
    max_body: int = 1 << 20
    allow_update: bool = False
    allow_service: bool = False
    poll: float = 0.05


@dataclass
class _State:
    """What the pages are told: the current build's number and the last rebuild's error."""

    build: int = field(default_factory=lambda: secrets.randbelow(1 << 30))
    """Starts anywhere, so a page served by an earlier server reloads from this one."""
    error: str = ""
    changed: threading.Condition = field(default_factory=threading.Condition)

    def publish(self, *, built: bool, error: str) -> None:
        with self.changed:
            if built:
                self.build += 1
            self.error = error
            self.changed.notify_all()

    def as_json(self) -> dict[str, Any]:
        return {"build": self.build, "error": self.error}


class _App:
    """Everything a request handler needs, shared by the handler threads."""

    def __init__(self, config: Path, options: ServeOptions, builder: Builder) -> None:
        self.config = config
        self.options = options
        self.builder = builder
        self.review = load_config(config)
        self.root = self.review.output.resolve()
        self.claims = self.review.claims.resolve() if self.review.claims else None
        self.token = secrets.token_urlsafe(32)
        self.state = _State()
        self.sparql: SparqlService | None = None
        self.stopping = threading.Event()
        self.reload_wanted = threading.Event()
        self.layout_lock = threading.Lock()
        self.allowed_hosts: set[str] = set()
        self.say: Callable[[str], None] = lambda _: None

    def settings(self) -> dict[str, Any]:
        """What the injected script knows: the token, the build it was served with, the error."""
        return {"token": self.token, **self.state.as_json()}

    def rebuild(self, *, first: bool = False) -> bool:
        """Rebuild (or build, the ``first`` time), tell the pages, then load the new graph
        into the SPARQL worker (a load under way stops for the rebuild, which needs both
        cores)."""
        with self.sparql.paused() if self.sparql is not None else contextlib.nullcontext():
            outcome = self.builder.build()
        what, done = ("build", "built") if first else ("rebuild", "rebuilt")
        if not outcome.ok:
            self.say(f"{what} failed ({outcome.seconds:.1f} s): {outcome.message}")
            self.state.publish(built=False, error=outcome.message)
            return False
        self.say(f"{done} in {outcome.seconds:.1f} s: {outcome.message}")
        self.state.publish(built=True, error="")
        self.reload_wanted.set()
        return True

    def reload_queries(self) -> None:
        """Load each new build into a new SPARQL worker, in a thread of its own: at 10,000
        works it takes longer than a rebuild, and the watcher must not wait for it. A rebuild
        stops a load under way (:meth:`SparqlService.paused`); the newest good build is
        loaded after it."""
        while not self.stopping.is_set():
            if not self.reload_wanted.wait(0.5):
                continue
            # The open pages reload first: loading 10,000 works would slow their reload.
            if self.stopping.wait(RELOAD_DELAY):
                return
            self.reload_wanted.clear()
            if self.sparql is None:
                continue
            try:
                loaded = self.sparql.reload(self.root / "graph.trig")
            except RuntimeError as error:
                self.say(str(error))
                continue
            if not loaded:  # stopped for a rebuild: the newest good build is loaded after it
                self.reload_wanted.set()

    def watch(self, files: list[Path], seen: tuple[Any, ...]) -> None:
        """Poll the inputs (``files``, last seen as ``seen``); rebuild after each change (a
        burst of saves is one rebuild)."""
        while not self.stopping.wait(self.options.poll):
            now = snapshot(files)
            if now == seen:
                continue
            # Wait until the writes stop (an editor's save can be several), briefly.
            while not self.stopping.wait(0.03):
                later = snapshot(files)
                if later == now:
                    break
                now = later
            self.say("an input changed; rebuilding")
            self.rebuild()
            # A change made during the rebuild differs from ``now``: it is rebuilt next.
            listed = input_files(self.config)
            seen = now if listed == files else snapshot(listed)
            files = listed


def serve_review(
    config: Path,
    options: ServeOptions,
    *,
    say: Callable[[str], None] = lambda _: None,
    ready: Callable[[str], None] = lambda _: None,
) -> None:
    """Build the review of ``config``, then serve it until interrupted (see the module).

    ``say`` gets progress lines; ``ready`` the URL once the server answers.
    """
    config = config.resolve()
    files = input_files(config)
    seen = snapshot(files)  # before the first build: a change made during it is rebuilt
    builder = Builder(config)  # forked first, while this process has one thread
    _stop_on(signal.SIGTERM, signal.SIGINT)
    gc.enable()  # the server runs for hours; kg's commands pause the collector, builds still do
    try:
        app = _App(config, options, builder)
        app.say = say
        say("building the review")
        if not app.rebuild(first=True) and not (app.root / "index.html").is_file():
            raise ConfigError(f"nothing to serve, the first build failed: {app.state.error}")
        app.sparql = SparqlService(app.root / "graph.trig", timeout=options.query_timeout,
                                   allow_update=options.allow_update)  # fmt: skip
        app.reload_wanted.clear()  # the first build is the one it loaded
        try:
            server = ThreadingHTTPServer((options.host, options.port), _handler(app))
        except OSError as error:
            raise ConfigError(
                f"cannot listen on {options.host}:{options.port} ({error.strerror}); give"
                " another --port"
            ) from None
        server.daemon_threads = True
        port = server.server_address[1]
        app.allowed_hosts = {f"{options.host}:{port}"}
        if options.host == "127.0.0.1":
            app.allowed_hosts.add(f"localhost:{port}")
        url = f"http://{options.host}:{port}/"
        watcher = threading.Thread(
            target=app.watch, args=(files, seen), name="kg-serve-watch", daemon=True
        )
        watcher.start()
        loader = threading.Thread(target=app.reload_queries, name="kg-serve-load", daemon=True)
        loader.start()
        with _state_file(app, port):
            ready(url)
            try:
                server.serve_forever(poll_interval=0.2)
            except KeyboardInterrupt:
                pass
            finally:
                app.stopping.set()
                with app.state.changed:
                    app.state.changed.notify_all()
                server.server_close()
                app.sparql.close()
    finally:
        builder.close()


def _stop_on(*signals: signal.Signals) -> None:
    """End the server as Ctrl-C does on each of ``signals`` (a shell starts a background
    job with SIGINT ignored; a service manager sends SIGTERM)."""

    def stop(number: int, frame: Any) -> None:
        raise KeyboardInterrupt

    for number in signals:
        signal.signal(number, stop)


@contextlib.contextmanager
def _state_file(app: _App, port: int) -> Iterator[None]:
    """``BUILD/.kg-serve.json`` while serving, written in one rename, removed at the end."""
    path = app.root / SERVE_FILE
    state = {
        "url": f"http://{app.options.host}:{port}/sparql",
        "pid": os.getpid(),
        "config": str(app.config),
        "token_free_read": True,
    }
    trial = path.with_name(f"{SERVE_FILE}.{os.getpid()}")
    trial.write_text(json.dumps(state, indent=2) + "\n", encoding="utf-8")
    trial.replace(path)
    try:
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            if json.loads(path.read_text(encoding="utf-8")).get("pid") == os.getpid():
                path.unlink()


def _handler(app: _App) -> type[BaseHTTPRequestHandler]:
    class Handler(_Handler):
        pass

    Handler.app = app
    return Handler


class _Refused(Exception):
    """A request answered with an error status and a one-line reason."""

    def __init__(self, status: HTTPStatus, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class _Handler(BaseHTTPRequestHandler):
    app: _App
    server_version = "kg-serve"
    sys_version = ""
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Requests are not logged: the terminal shows rebuilds."""

    def do_GET(self) -> None:
        self._respond("GET")

    def do_HEAD(self) -> None:
        self._respond("HEAD")

    def do_POST(self) -> None:
        self._respond("POST")

    def _respond(self, method: str) -> None:
        try:
            self._check_host()
            raw_path, _, raw_query = self.path.partition("?")
            params = urllib.parse.parse_qs(raw_query, keep_blank_values=True)
            if method == "POST":
                self._post(raw_path, params)
            else:
                self._get(raw_path, params, head=method == "HEAD")
        except _Refused as refusal:
            self._send(refusal.status, "text/plain; charset=utf-8",
                       (refusal.reason + "\n").encode())  # fmt: skip
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _check_host(self) -> None:
        host = self.headers.get("Host", "")
        if host not in self.app.allowed_hosts:
            raise _Refused(HTTPStatus.MISDIRECTED_REQUEST, f"unknown Host {host!r}")

    def _body(self) -> bytes:
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            raise _Refused(HTTPStatus.LENGTH_REQUIRED, "a request body needs Content-Length")
        if int(length) > self.app.options.max_body:
            raise _Refused(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                f"the body is over the {self.app.options.max_body} byte limit",
            )
        return self.rfile.read(int(length))

    def _send(
        self,
        status: HTTPStatus | int,
        media: str,
        body: bytes,
        *,
        head: bool = False,
        extra: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("X-Frame-Options", "DENY")
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    # GET

    def _get(self, raw_path: str, params: dict[str, list[str]], *, head: bool) -> None:
        app = self.app
        if raw_path == "/sparql":
            self._sparql_get(params, head)
        elif raw_path == "/_kg/events":
            self._events()
        elif raw_path == "/_kg/status":
            self._send(200, "application/json", json.dumps(app.state.as_json()).encode(),
                       head=head)  # fmt: skip
        elif raw_path == "/_kg/claim":
            ident = (params.get("id") or [""])[0]
            answer = app.builder.ask({"op": "claim", "claim": ident})
            status = 200 if answer["ok"] else 404
            self._send(status, "application/json", json.dumps(answer).encode(), head=head)
        elif raw_path in ("/query", "/query.html"):
            page = render_query_page(app.review.title, app.settings())
            self._send(200, MEDIA[".html"], page.encode(), head=head)
        else:
            self._file(raw_path, params, head)

    def _file(self, raw_path: str, params: dict[str, list[str]], head: bool) -> None:
        path = self._inside(raw_path)
        data = path.read_bytes()
        if path.suffix == ".html":
            page = inject(data.decode("utf-8"), self.app.settings())
            self._send(200, MEDIA[".html"], page.encode(), head=head)
        elif path.suffix == ".md" and "raw" not in params:
            page = render_markdown(self.app.review.title, data.decode("utf-8"), self.app.settings())
            self._send(200, MEDIA[".html"], page.encode(), head=head)
        else:
            media = MEDIA.get(path.suffix, "application/octet-stream")
            self._send(200, media, data, head=head)

    def _inside(self, raw_path: str) -> Path:
        """The file of the build folder the path names; anything else is refused.

        Encoded slashes and backslashes are refused outright, as are ``..`` and hidden
        segments (the cache, the lock, this server's state); the resolved path, symbolic
        links followed, must still be inside the build folder.
        """
        lowered = raw_path.lower()
        if "%2f" in lowered or "%5c" in lowered or "\\" in raw_path or "\x00" in raw_path:
            raise _Refused(HTTPStatus.BAD_REQUEST, "encoded slashes are not served")
        path = urllib.parse.unquote(raw_path)
        if "\x00" in path or "\\" in path:
            raise _Refused(HTTPStatus.BAD_REQUEST, "not a path kg serves")
        if path in ("", "/"):
            path = "/index.html"
        segments = path.lstrip("/").split("/")
        if any(s in ("", ".", "..") or s.startswith(".") for s in segments):
            raise _Refused(HTTPStatus.NOT_FOUND, "not found")
        root = self.app.root
        target = (root / Path(*segments)).resolve()
        if not target.is_relative_to(root) or not target.is_file():
            raise _Refused(HTTPStatus.NOT_FOUND, "not found")
        return target

    def _events(self) -> None:
        """Server-Sent Events: the build number and error, again whenever they change."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        state = self.app.state
        last: dict[str, Any] | None = None
        while not self.app.stopping.is_set():
            with state.changed:
                if last == state.as_json():
                    state.changed.wait(15)
                now = state.as_json()
            if now == last:
                self.wfile.write(b": keep-alive\n\n")
            else:
                self.wfile.write(f"data: {json.dumps(now)}\n\n".encode())
                last = now
            self.wfile.flush()
        self.close_connection = True

    # POST

    def _post(self, raw_path: str, params: dict[str, list[str]]) -> None:
        if raw_path == "/sparql":
            self._sparql_post(params)
        elif raw_path == "/_kg/curate":
            self._curate()
        elif raw_path == "/_kg/layout":
            self._save_layout()
        else:
            raise _Refused(
                HTTPStatus.METHOD_NOT_ALLOWED, "only /sparql, /_kg/curate and /_kg/layout take POST"
            )

    def _written_json(self) -> Any:
        """A write's JSON body, once the request carries the pages' token and is in limits."""
        given = self.headers.get("X-KG-Token", "")
        if not hmac.compare_digest(given.encode(), self.app.token.encode()):
            raise _Refused(HTTPStatus.FORBIDDEN, "a write needs the token of a page kg serve sent")
        body = self._body()
        if self.headers.get_content_type() != "application/json":
            raise _Refused(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "send application/json")
        try:
            return json.loads(body)
        except ValueError:
            raise _Refused(HTTPStatus.BAD_REQUEST, "the body is not JSON") from None

    def _curate(self) -> None:
        edit = self._written_json()
        answer = self.app.builder.ask({"op": "curate", "edit": edit})
        status = 200 if answer["ok"] else 400
        self._send(status, "application/json", json.dumps(answer).encode())

    def _save_layout(self) -> None:
        """Write a page's "Save layout" into the review's layout file (the last one kg.toml
        names, or ``layout.json`` beside it); the watcher sees it and rebuilds."""
        app = self.app
        document = self._written_json()
        try:
            views = check_layout(document, "the layout sent")
            for view in views:
                if not VIEW_NAME.fullmatch(view) or not (app.root / f"{view}.html").is_file():
                    raise ConfigError(f"the layout sent: no view {view!r} in this build")
            path = load_config(app.config).layout[-1]
            with app.layout_lock:
                write_layout(path, document)
        except (KgError, OSError) as error:
            message = str(error) if isinstance(error, KgError) else f"cannot write: {error}"
            answer: dict[str, Any] = {"ok": False, "message": message}
            self._send(HTTPStatus.BAD_REQUEST, "application/json", json.dumps(answer).encode())
            return
        pinned = sum(p.pinned for nodes in views.values() for p in nodes.values())
        app.say(f"layout saved to {path} ({pinned} pinned)")
        folder = app.config.parent
        shown = path.relative_to(folder) if path.is_relative_to(folder) else path
        answer = {"ok": True, "file": str(path), "message": f"Saved to {shown} (read by kg.toml)"}
        self._send(HTTPStatus.OK, "application/json", json.dumps(answer).encode())

    # SPARQL 1.1 Protocol

    def _sparql_get(self, params: dict[str, list[str]], head: bool) -> None:
        if "query" not in params:
            raise _Refused(HTTPStatus.BAD_REQUEST, "give the query as ?query=")
        self._query(params["query"][0], params, head=head)

    def _sparql_post(self, params: dict[str, list[str]]) -> None:
        body = self._body()
        media = self.headers.get_content_type()
        if media == "application/x-www-form-urlencoded":
            form = urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
            merged = {**params, **form}
            if "update" in form:
                self._update(form["update"][0])
            elif "query" in form:
                self._query(form["query"][0], merged)
            else:
                raise _Refused(HTTPStatus.BAD_REQUEST, "the form needs query= or update=")
        elif media == "application/sparql-query":
            self._query(body.decode("utf-8", "replace"), params)
        elif media == "application/sparql-update":
            self._update(body.decode("utf-8", "replace"))
        else:
            raise _Refused(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, f"cannot read a {media} body")

    def _update(self, sparql: str) -> None:
        if not self.app.options.allow_update:
            raise _Refused(HTTPStatus.FORBIDDEN, "SPARQL Update is refused: kg serve is read-only")
        self._answer({"update": sparql})

    def _query(self, sparql: str, params: dict[str, list[str]], *, head: bool = False) -> None:
        if is_update(sparql):
            raise _Refused(HTTPStatus.BAD_REQUEST, "this is a SPARQL Update; send it as update=")
        if not self.app.options.allow_service and SERVICE.search(sparql):
            raise _Refused(
                HTTPStatus.FORBIDDEN, "SERVICE is refused (start kg serve with --allow-service)"
            )
        request: dict[str, Any] = {
            "query": sparql,
            "format": self._results_format(params),
            "default": params.get("default-graph-uri", []),
            "named": params.get("named-graph-uri", []),
        }
        if query_form(sparql) in ("CONSTRUCT", "DESCRIBE"):
            request["format"] = "turtle"
        self._answer(request, head=head)

    def _results_format(self, params: dict[str, list[str]]) -> str:
        for name in ("format", "output"):
            if name in params and params[name][0] in FORMAT_PARAM:
                return FORMAT_PARAM[params[name][0]]
        accept = self.headers.get("Accept", "")
        for part in accept.split(","):
            media = part.split(";")[0].strip()
            if media in FORMAT_PARAM:
                return FORMAT_PARAM[media]
            if media == "application/json":
                return "json"
            if media in ("application/xml", "text/xml"):
                return "xml"
        return "json"

    def _answer(self, request: dict[str, Any], *, head: bool = False) -> None:
        assert self.app.sparql is not None
        start = time.monotonic()
        answer = self.app.sparql.answer(request)
        media = answer.media
        if media in RESULT_MEDIA.values() or media == TURTLE:
            media += "; charset=utf-8"
        self._send(answer.status, media, answer.body, head=head,
                   extra={"X-KG-Seconds": f"{time.monotonic() - start:.3f}"})  # fmt: skip
