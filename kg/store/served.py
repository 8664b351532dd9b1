"""A running ``kg serve`` of the review, found so that ``kg query`` can ask it instead of the
on-disk store.

While it serves, ``kg serve`` writes ``.kg-serve.json`` into the review's build folder::

    {"url": "http://127.0.0.1:PORT/sparql", "pid": PID,
     "config": "/abs/path/kg.toml", "token_free_read": true}

and removes it when it stops. The review is held in memory there, so a named query at
10,000 works answers in well under a second, where a cold ``kg query`` opens the store on
disk and reads it through RocksDB. ``find_served`` trusts the file only when it describes
this review (the same ``kg.toml``), its process is alive, its URL is a loopback HTTP address
and reading needs no token; ``served_endpoint`` then asks the server a trivial question
with a short timeout, so a server that hangs or went away without removing its file costs a
second at most before ``kg query`` reads the store after all.

>>> served = find_served(Path("build"), Path("kg.toml"))  # doctest: +SKIP
>>> endpoint = served_endpoint(served) if served else None  # doctest: +SKIP
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from kg.errors import KgError
from kg.store.remote import DEFAULT_TIMEOUT, RESULTS_TSV, SparqlEndpoint, open_endpoint

__all__ = ["SERVE_FILE", "Served", "find_served", "served_endpoint"]

SERVE_FILE = ".kg-serve.json"
"""The file a running ``kg serve`` keeps in the review's build folder."""

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
PROBE_TIMEOUT = 1.0
"""Seconds a found server has to answer ``ASK {}`` before ``kg query`` reads the store."""


@dataclass(frozen=True)
class Served:
    """A running ``kg serve`` of a review: its SPARQL URL and process."""

    url: str
    pid: int


def find_served(output: Path, config: Path) -> Served | None:
    """The ``kg serve`` serving the review of ``config`` from its build folder ``output``, or
    None: no ``.kg-serve.json`` there, a file that cannot be read or names another review, a
    process no longer running, a URL that is not loopback HTTP, or reads that need a token.
    """
    try:
        recorded = json.loads((output / SERVE_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(recorded, dict):
        return None
    url, pid, served_config = recorded.get("url"), recorded.get("pid"), recorded.get("config")
    if not (isinstance(url, str) and isinstance(pid, int) and isinstance(served_config, str)):
        return None
    if recorded.get("token_free_read") is not True or not _is_loopback_http(url):
        return None
    if not _same_file(Path(served_config), config) or not _is_running(pid):
        return None
    return Served(url, pid)


def served_endpoint(
    served: Served, *, timeout: float = DEFAULT_TIMEOUT, probe_timeout: float = PROBE_TIMEOUT
) -> SparqlEndpoint | None:
    """The server of ``served`` as a SPARQL endpoint (its queries waiting up to ``timeout``),
    or None when it does not answer ``ASK {}`` within ``probe_timeout`` seconds."""
    try:
        probe = open_endpoint(served.url, timeout=probe_timeout)
        if probe.query("ASK {}").boolean is None:
            return None
    except KgError:
        return None
    return SparqlEndpoint(
        probe.query_url, probe.update_url, probe.store_url, timeout=timeout, results=RESULTS_TSV
    )


def _is_loopback_http(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme == "http" and parts.hostname in LOOPBACK


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _is_running(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True
