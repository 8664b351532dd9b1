"""``kg build``: the whole flow, from a ``kg.toml`` to the graph, store, map and summary.

Outputs are written into a temporary folder beside the final ones and renamed into place
only when everything has been made, so a failed or interrupted build leaves the previous
build as it was. A lock file keeps two builds of one review from writing at once.

>>> report = build_review("bib/kg.toml")  # doctest: +SKIP
>>> report.counts["claims"]  # doctest: +SKIP
16
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import hashlib
import importlib
import os
import pickle
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache, cached_property, partial
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pyoxigraph import Quad, RdfFormat, parse

from kg import __version__
from kg.load.bib import Bibliography, Work, parse_bibliography
from kg.load.citations import find_citations, index_works, resolve_citations
from kg.load.claims import apply_curation, extract_claims, load_curated
from kg.parallel.collector import collection_paused
from kg.config import Review, TextSource, find_config, load_config, ontology_path
from kg.load.texts import citing_texts, read_text
from kg.errors import ConfigError, InputError, StoreError, ValidationError
from kg.parallel.forked import Channel, Forked, can_fork
from kg.graph import (
    GraphNames,
    join_trig,
    read_turtle,
    review_graphs,
    serialize_graph,
    trig_parts,
)
from kg.projections.rows import GraphRows, claims_rows, review_rows_of, rows_of_graph
from kg.store.embedded import STORE_DIR, changed_graphs, load_store, store_manifest, update_store
from kg.checks.validate import TextCitations, check_review

if TYPE_CHECKING:
    from kg.load.citations import Mention, ResolutionIssue
    from kg.load.claims import Claim
    from kg.projections.network import ReviewClaim, ReviewData
    from kg.outputs.review import SummaryPart
    from kg.load.themes import ThemeScheme
    from kg.outputs.views import View, ViewFile

__all__ = [
    "OUTPUTS",
    "BuildReport",
    "Note",
    "build_review",
]

OUTPUTS = (
    "graph.trig",
    "index.html",
    "map.html",
    "citations.html",
    "co-citation.html",
    "themes.html",
    "review.md",
    STORE_DIR,
)


@dataclass(frozen=True)
class BuildReport:
    """What a build made and what it noticed."""

    output: Path
    counts: dict[str, int]
    warnings: tuple[Note, ...] = ()
    unresolved: tuple[Note, ...] = ()
    files: tuple[Path, ...] = field(default=())
    uncited: tuple[Note, ...] = ()






@dataclass(frozen=True)
class Note:
    """Something a build noticed, at a place in an input file."""

    path: Path
    line: int
    message: str

    def shown(self, folder: Path | None = None) -> str:
        """``FILE:LINE: message``, FILE relative to ``folder`` (default: the working folder)."""
        relative = os.path.relpath(self.path, folder or Path.cwd())
        return (
            f"{relative}:{self.line}: {self.message}"
            if self.line
            else f"{relative}: {self.message}"
        )

    def __str__(self) -> str:
        return self.shown()


@contextlib.contextmanager
def _lock(output: Path) -> Iterator[None]:
    output.mkdir(parents=True, exist_ok=True)
    with open(output / ".kg-build.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError(f"{output}: another kg build is writing here; try again") from None
        yield


def build_review(
    config: str | Path | None = None,
    *,
    strict: bool = False,
    progress: Callable[[str], None] = lambda _: None,
) -> BuildReport:
    """Build the review described by ``config`` (found with ``find_config`` if None).

    With ``strict``, the build runs the checks of ``kg validate`` on what it is about to
    write and fails (``ValidationError``) where validation would, before anything is replaced:
    unresolved or ambiguous citations, bibliography errors, a graph that breaks the shapes.

    Python's cycle collector is paused throughout (``kg.parallel.collector``): the build makes
    millions of small objects and no cycles worth collecting, and each collection would
    walk all it holds (0.3 s at 10,000 works, a tenth of a rebuild).
    """
    with collection_paused():
        return _build(config, strict, progress)


def _build(config: str | Path | None, strict: bool, progress: Callable[[str], None]) -> BuildReport:
    review = load_config(config or find_config())
    drawer = _drawer(review)
    try:
        return _build_review(review, strict, progress, drawer)
    finally:
        if drawer is not None:
            drawer.close()


def _build_review(
    review: Review,
    strict: bool,
    progress: Callable[[str], None],
    drawer: Forked[list[ViewFile]] | None,
) -> BuildReport:
    cache = BuildCache(review.output / CACHE_DIR)
    progress("reading the bibliography")
    bib_hash = _content_hash(*review.bibliographies)
    cached = cache.get("bibliography", bib_hash)
    if isinstance(cached, tuple) and len(cached) == 3 and isinstance(cached[0], Bibliography):
        bibliography, people, index = cached
    else:
        bibliography = parse_bibliography(review.bibliographies)
        # Kept with the bibliography, as each takes 0.3 s at 10,000 works: the number of
        # people, and how citations are looked up in it.
        people = len({p.ident for w in bibliography.works for p in w.authors + w.editors})
        index = index_works(bibliography.works)
        cache.put("bibliography", bib_hash, (bibliography, people, index))
    warnings = [Note(Path(p.path), p.line, p.message) for p in bibliography.problems]
    keys = {w.key for w in bibliography.works}
    progress("reading the themes")
    from kg.load.themes import ThemeScheme, load_themes

    themes_hash = _content_hash(review.themes)
    scheme = cache.get("themes", themes_hash)
    if not isinstance(scheme, ThemeScheme):  # rdflib reads 200 themes in 0.25 s
        scheme = load_themes(review.themes)
        cache.put("themes", themes_hash, scheme)
    curated = load_curated(review.claims) if review.claims else []
    inputs_hash = _content_hash(review.themes, *([review.claims] if review.claims else []))
    claims_by_text: list[tuple[str, str, Sequence[Claim]]] = []
    text_keys: dict[str, list[str]] = {}
    unresolved: list[Note] = []
    facts: list[_TextFacts] = []
    read: list[TextCitations] = []
    sources = citing_texts(review, bibliography.works)
    for number, source in enumerate(sources, start=1):
        if source.work not in keys:
            raise ConfigError(
                f"{review.config_path}: text {source.path.name} belongs to work"
                f" {source.work!r}, which is not in the bibliography"
            )
        progress(f"finding citations in {source.path.name} ({number}/{len(sources)})")
        text = read_text(source.path)
        text_key = _text_hash(bib_hash, inputs_hash, source.path.name, source.work, text)

        def extract(text: str = text, source: TextSource = source) -> _Extracted:
            mentions, issues = resolve_citations(
                find_citations(text), bibliography.works, index=index
            )
            claims = extract_claims(
                text, mentions, scheme.themes, source=source.path.name, citing=source.work
            )
            claims = apply_curation(
                claims, curated, text, source=source.path.name, citing=source.work,
                themes=scheme.themes, known_keys=keys,
            )  # fmt: skip
            return tuple(mentions), tuple(issues), tuple(claims)

        found = _TextRead(cache, text_key, extract)
        known = cache.get("text", text_key)
        if not isinstance(known, _TextFacts):
            mentions, issues, claims = found.extracted()
            known = _TextFacts(
                sum(len(m.refs) for m in mentions), issues, len(claims),
                frozenset(key for claim in claims for key in claim.cited_keys),
            )  # fmt: skip
            cache.put("text", text_key, known)
        facts.append(known)
        if strict:
            read.append(TextCitations(source, text, found.mentions(), known.issues))
        for issue in known.issues:
            note = Note(source.path, issue.line, issue.detail)
            (unresolved if issue.kind in ("unresolved", "ambiguous") else warnings).append(note)
        claims_by_text.append((source.path.name, source.work, found))
        text_keys.setdefault(source.work, []).append(text_key)
    progress("making the graph")
    graphs = _make_graphs(review, bibliography, bib_hash, scheme, claims_by_text, text_keys, cache)
    if strict:
        progress("validating")
        first = check_review(review, bibliography, read, graphs.all_quads()).first_error()
        if first is not None:
            raise ValidationError(
                f"{first.shown()} (--strict: `kg validate` lists every problem; fix them or"
                " build without --strict)"
            )
    counts = {
        "works": len(bibliography.works),
        "people": people,
        "claims": sum(known.claims for known in facts),
        "citations": sum(known.mentions for known in facts),
        "themes": len(scheme.themes),
        "triples": graphs.triples,
    }
    with _lock(review.output):
        files = _write_outputs(review, graphs, warnings + unresolved, cache, progress, drawer)
        cache.prune()
    cited = set().union(*(known.cited for known in facts))
    citing = {source.work for source in sources}
    files_of = {path: Path(path) for path in {work.path for work in bibliography.works}}
    uncited = tuple(
        Note(files_of[work.path], work.line, f"entry {work.key!r} is never cited")
        for work in bibliography.works
        if work.key not in cited and work.key not in citing
    )
    return BuildReport(review.output, counts, tuple(warnings), tuple(unresolved), files, uncited)


@dataclass(frozen=True)
class _TextFacts:
    """What every build needs of a text it has read: its numbers of citations and claims,
    the problems with its citations, the keys its claims cite. Cached small, so that a
    rebuild reads these for the texts that did not change, not their claims."""

    mentions: int
    issues: tuple[ResolutionIssue, ...]
    claims: int
    cited: frozenset[str]


_Extracted = tuple[tuple["Mention", ...], tuple["ResolutionIssue", ...], tuple["Claim", ...]]


class _TextRead(Sequence["Claim"]):
    """A text's claims, citations and their problems, found by ``extract`` or, when an
    earlier build kept them, read from the build cache, and only when needed: when the graph
    of the text's citing work must be made, or for ``--strict``."""

    def __init__(self, cache: BuildCache, key: str, extract: Callable[[], _Extracted]) -> None:
        self.cache, self.key, self.extract = cache, key, extract
        self.cache.keep("claims", key)
        self._found: _Extracted | None = None

    def extracted(self) -> _Extracted:
        """The text's citations, their problems and its claims."""
        if self._found is None:
            found = self.cache.get("claims", self.key)
            if not (isinstance(found, tuple) and len(found) == 3):
                found = self.extract()
                self.cache.put("claims", self.key, found)
            self._found = found
        return self._found

    def mentions(self) -> tuple[Mention, ...]:
        """The text's citations."""
        return self.extracted()[0]

    def __len__(self) -> int:
        return len(self.extracted()[2])

    def __getitem__(self, index):  # type: ignore[no-untyped-def]
        return self.extracted()[2][index]


@dataclass
class ReviewGraphs:
    """The review's named graphs (``names``) as TriG blocks (``kg.graph.serialize_graph``)
    by graph (``<iri>``), each with the key of the inputs it was made from and its number of
    quads, and the quads of the graphs made in this build (the others came from the build
    cache)."""

    names: GraphNames
    blocks: dict[str, bytes] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    made: dict[str, list[Quad]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def rows_of(self, graph: str, cache: BuildCache) -> GraphRows:
        """The rows of ``graph``: kept in ``cache`` under the graph's key, or read from its
        quads in a store of their own (``_NotCached`` if this holds neither)."""
        found = cache.get("rows", self.keys[graph])
        if not isinstance(found, GraphRows):
            if graph not in self.made and graph not in self.blocks:
                raise _NotCached(graph)

            def themes() -> list[Quad]:
                return self._theme_quads

            found = rows_of_graph(graph, self.quads_of(graph), self.names, themes)
            cache.put("rows", self.keys[graph], found)
        return found

    def cache_rows(self, cache: BuildCache) -> None:
        """Keep in ``cache`` the rows of each graph it has none of (those made here), and
        all of them through its ``prune``."""
        for graph, key in self.keys.items():
            if not cache.has("rows", key):
                self.rows_of(graph, cache)

    @cached_property
    def _theme_quads(self) -> list[Quad]:
        """The quads of the themes graph, beside which a claims graph's rows are read."""
        return self.quads_of(str(self.names.themes))

    def review_data(self, cache: BuildCache) -> tuple[ReviewData, list[_Drawn]]:
        """What the views and the summary read: the review's rows (``kg.projections.rows.review_rows``,
        from each graph's, ``rows_of``), with its claims joined; and each claims graph's
        part of them (``_Drawn``), whose ``summary`` are the summary's parts.

        A claims graph's part is worked out from its rows alone (``ReviewData.part``) and
        kept in ``cache`` under a key of what it comes from: the graph's key, the
        bibliography's (the works' labels and authors), and the unresolved works the graph
        cites with their names (the first graph to cite such a work names it for all). Each
        is read when first needed, the claims by the views and the parts by the summary: in
        a rebuild, in two processes (``_draw_beside``).
        """
        from kg.projections.network import ReviewData

        rows = {graph: self.rows_of(graph, cache) for graph in self.keys}
        data = ReviewData(None, rows=review_rows_of(rows, self.names))
        special = {str(self.names.bibliography), str(self.names.themes), str(self.names.ontology)}
        bibliography = self.keys[str(self.names.bibliography)]
        drawn = []
        for graph in sorted(set(rows) - special):
            cited = {row[2] for row in rows[graph].rows["citations"]}
            unresolved = sorted(cited - data.by_iri.keys())
            named = repr([(iri, data.unresolved.get(iri)) for iri in unresolved])
            key = _text_hash(self.keys[graph], bibliography, named)
            drawn.append(_Drawn(cache, graph, key, partial(claims_rows, rows[graph])))
        joined = data.with_claims(chain.from_iterable(part.claims(data) for part in drawn))
        return joined, drawn

    @property
    def triples(self) -> int:
        """The number of quads of all graphs."""
        return sum(self.counts.values())

    def __len__(self) -> int:
        return len(self.keys)

    def quads_of(self, graph: str) -> list[Quad]:
        """The quads of one graph: as made, or read back from its cached block."""
        made = self.made.get(graph)
        if made is not None:
            return made
        document = join_trig({graph: self.blocks[graph]})
        return list(parse(document, format=RdfFormat.TRIG))  # type: ignore[arg-type]

    def all_quads(self) -> Iterator[Quad]:
        """Every quad of the review, graph by graph."""
        for graph in sorted(self.blocks):
            yield from self.quads_of(graph)


class _NotCached(Exception):
    """A graph's rows are neither in the build cache nor to be made (``ReviewGraphs.rows_of``)."""


class _Drawn:
    """One claims graph's (``graph``) part of the views and of the summary
    (``ReviewGraphs.review_data``): read from the build cache under ``key`` or worked out
    from the graph's rows (``rows()``, its ``kg.projections.rows.claims_rows``), when first needed."""

    def __init__(
        self,
        cache: BuildCache,
        graph: str,
        key: str,
        rows: Callable[[], dict[str, list[tuple[str, ...]]]],
    ) -> None:
        self.cache, self.graph, self.key, self.rows = cache, graph, key, rows
        cache.keep("joined", key)
        cache.keep("summary", key)

    def claims(self, data: ReviewData) -> list[ReviewClaim]:
        """The graph's claims joined (``ReviewData.claims``); ``data`` is the whole review's."""
        found = self.cache.get("joined", self.key)
        if not isinstance(found, list):
            found = data.part(self.rows()).claims()
            self.cache.put("joined", self.key, found)
        return found

    def summary(self, data: ReviewData) -> SummaryPart:
        """The summary's part for the graph's claims."""
        from kg.outputs.review import SummaryPart, summary_part

        found = self.cache.get("summary", self.key)
        if not isinstance(found, SummaryPart):
            found = summary_part(data.part(self.rows()))
            self.cache.put("summary", self.key, found)
        return found


def _make_graphs(
    review: Review,
    bibliography: Bibliography,
    bib_hash: str,
    scheme: ThemeScheme,
    claims_by_text: Sequence[tuple[str, str, Sequence[Claim]]],
    text_keys: dict[str, list[str]],
    cache: BuildCache,
) -> ReviewGraphs:
    """Each named graph of the review, made anew only when its inputs changed.

    A graph's key hashes what it is made from: the bibliography's files and the review's
    title; a Turtle file; a citing work's texts (``text_keys``, which cover the bibliography,
    themes and curated claims they were read with). A graph whose key is in ``cache`` is
    taken from there as its TriG block, so a rebuild after one text changed makes one graph.
    """
    names = GraphNames(review.base)
    ontology = ontology_path() / "kg.ttl"
    makers = review_graphs(
        review.base, bibliography.works, scheme, claims_by_text,
        themes=read_turtle(review.themes), ontology=read_turtle(ontology), title=review.title,
    )  # fmt: skip
    inputs = {
        str(names.bibliography): _text_hash(bib_hash, review.title),
        str(names.themes): _content_hash(review.themes),
        str(names.ontology): _content_hash(ontology),
        **{str(names.claims(citing)): _text_hash(*keys) for citing, keys in text_keys.items()},
    }
    graphs = ReviewGraphs(names)
    for graph, make in makers.items():
        key = _text_hash(_code_version(), review.base, graph, inputs[graph])
        found = cache.get("graph", key)
        if not (isinstance(found, tuple) and len(found) == 2):
            quads = make()
            found = (serialize_graph(quads), len(quads))
            cache.put("graph", key, found)
            graphs.made[graph] = quads
        graphs.blocks[graph], graphs.counts[graph] = found
        graphs.keys[graph] = key
    return graphs


def _text_hash(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


CACHE_DIR = ".cache"


class BuildCache:
    """What a build worked out from its inputs, kept in ``build/.cache`` for the next build.

    An entry's key is a hash of everything it was made from (file contents, kg's version and
    source), so a changed input simply misses; only kg writes and reads these files (pickles).
    Entries
    are written atomically, a damaged one counts as missing, and ``prune`` drops those the
    last build did not use.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: set[str] = set()

    def _path(self, kind: str, key: str) -> Path:
        name = f"{kind}-{hashlib.sha256(f'{_code_version()}:{key}'.encode()).hexdigest()[:32]}"
        self.used.add(name)
        return self.folder / name

    def keep(self, kind: str, key: str) -> None:
        """Keep the entry under ``kind`` and ``key`` through ``prune``, read or not."""
        self._path(kind, key)

    def has(self, kind: str, key: str) -> bool:
        """Whether an entry is stored under ``kind`` and ``key`` (it may still be damaged);
        like ``get``, this keeps it through ``prune``."""
        return self._path(kind, key).is_file()

    def get(self, kind: str, key: str) -> Any:
        """The value stored under ``kind`` and ``key``, or None."""
        try:
            # Many small objects, none in cycles: unpickled with the cycle collector paused,
            # a 10,000-work bibliography loads in half the time.
            with open(self._path(kind, key), "rb") as handle, collection_paused():
                return pickle.load(handle)
        except Exception:  # missing, damaged or from another kg: the value is made again
            return None

    def put(self, kind: str, key: str, value: Any) -> None:
        """Store ``value``; a cache that cannot be written only makes the next build slower."""
        path = self._path(kind, key)
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
            try:
                with os.fdopen(handle, "wb") as out:
                    pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temporary, path)
            finally:
                Path(temporary).unlink(missing_ok=True)

    def prune(self) -> None:
        """Remove the entries this build did not use (and stray temporary files)."""
        with contextlib.suppress(OSError):
            for path in self.folder.iterdir():
                if path.name not in self.used:
                    path.unlink(missing_ok=True)


@cache
def _code_version() -> str:
    """kg's version and a hash of its source: cached records pickled by other code are
    never read back (a changed record class would load wrong, or not at all)."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parents[1]
    for module in sorted(package.rglob("*.py")):
        digest.update(module.read_bytes())
    return digest.hexdigest()


def _content_hash(*paths: Path) -> str:
    """A hash of the files' names and contents; a missing file hashes as missing."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(f"{path}\0".encode())
        with contextlib.suppress(OSError):
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()






def _write_outputs(
    review: Review,
    graphs: ReviewGraphs,
    notes: list[Note],
    cache: BuildCache,
    progress: Callable[[str], None],
    drawer: Forked[list[ViewFile]] | None = None,
) -> tuple[Path, ...]:
    """Write every output into a staging folder, then swap them into place.

    The store is made by ``_store_into`` on the machine's second core, from threads, as
    pyoxigraph works without holding the interpreter: a new store loads while the rows are
    read and the views drawn. A rebuild updates the previous build's store instead, and
    ``drawer`` (``_drawer``), forked when the build began, draws the map and writes the
    summary meanwhile (``_draw_beside``); without it, this process draws everything
    (``_draw``). The views and the summary read the rows each graph gives
    (``ReviewGraphs.review_data``), not the store. The quads the build made are dropped
    once those are read (~0.3 GB at 1M triples).
    """
    output = review.output
    for stale in output.glob(".kg-build-*"):
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=".kg-build-", dir=output))
    try:
        trig = staging / "graph.trig"
        changed = _to_replace(output / STORE_DIR, graphs)
        with ThreadPoolExecutor(max_workers=1) as pool:

            def graph_and_store() -> Future[None] | None:
                with open(trig, "wb") as out:
                    out.writelines(trig_parts(graphs.blocks))
                return _store_into(
                    staging / STORE_DIR, output / STORE_DIR, graphs, trig, pool, changed
                )

            progress("writing the graph")
            with collection_paused():  # millions of small objects, none in cycles
                if changed is None:
                    if drawer is not None:
                        drawer.send(None)  # not a rebuild after all
                    progress("loading the store")
                    loading = graph_and_store()
                    progress("reading the graph for the views")
                    data, drawn = graphs.review_data(cache)
                    graphs.made.clear()
                    _draw(review, staging, data, drawn, notes, progress)
                else:
                    progress(f"updating the store ({len(changed)} of {len(graphs)} graphs changed)")
                    with ThreadPoolExecutor(max_workers=1) as updater:
                        updating = updater.submit(graph_and_store)
                        if drawer is None or not _draw_beside(
                            drawer, review, staging, graphs, notes, cache, progress
                        ):
                            progress("reading the graph for the views")
                            data, drawn = graphs.review_data(cache)
                            _draw(review, staging, data, drawn, notes, progress)
                    # None once updated; loading, should the previous store fail to open.
                    loading = updating.result()
            if loading is not None:
                progress("finishing the store")
                loading.result()
        return tuple(_swap_into_place(staging, output))
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _drawer(review: Review) -> Forked[list[ViewFile]] | None:
    """A process forked as a rebuild begins (there is a store to update, and a second core),
    to draw the map and write the summary (``_draw_beside``). It imports what drawing needs
    while this process reads the bibliography and the texts and makes the changed graphs;
    told it is not needed (None), it ends."""
    if store_manifest(review.output / STORE_DIR) is None or not can_fork():
        return None
    return Forked(partial(_draw_in_drawer, review), talk=True)


def _draw_in_drawer(review: Review, channel: Channel) -> list[ViewFile]:
    """In the drawer: once told where (the staging folder, the graphs' keys and the build's
    notes), read every graph's rows from the build cache, send back what the build needs of
    them for its three views (each claims graph's part key; the themes' and the unresolved
    works' rows), draw the map and write the summary. If a graph's rows are not in the
    cache (a damaged entry), send None and draw nothing."""
    for module in ("kg.outputs.review", "kg.outputs.views"):  # imported now, while the build reads its inputs
        importlib.import_module(module)

    order = channel.receive()
    if order is None:
        return []
    staging, keys, notes = order
    graphs = ReviewGraphs(GraphNames(review.base), keys=keys)
    try:
        data, drawn = graphs.review_data(BuildCache(review.output / CACHE_DIR))
    except _NotCached:
        channel.send(None)
        return []
    rows = {name: data.rows(name) for name in ("themes", "unresolved-works")}
    channel.send(([(part.graph, part.key) for part in drawn], rows))
    written = _draw_views(review, staging, data, _views(drawer=True))
    _summarise(review, staging, data, drawn, notes)
    return written


def _draw_beside(
    drawer: Forked[list[ViewFile]],
    review: Review,
    staging: Path,
    graphs: ReviewGraphs,
    notes: list[Note],
    cache: BuildCache,
    progress: Callable[[str], None],
) -> bool:
    """Have ``drawer`` draw the map and write the summary into ``staging`` while this
    process draws the other views, and write their index: False, drawing nothing, if the
    drawer could not read the rows (``_draw_in_drawer``).

    This process reads only what its views need: each claims graph's claims, joined
    (``_Drawn``, from the cache but for those of the changed graphs), and the
    bibliography's rows; the drawer sends the rest.
    """
    graphs.cache_rows(cache)
    drawer.send((staging, graphs.keys, notes))
    progress("drawing the map and the other views")
    # Imported while the drawer reads the rows.
    from kg.projections.network import ReviewData
    from kg.outputs.views import render_index, write_html

    sent = drawer.receive()
    if sent is None:
        drawer.result()
        return False
    parts, rows = sent
    bibliography = graphs.rows_of(str(graphs.names.bibliography), cache)
    whole = ReviewData(None, rows={"work-labels": bibliography.rows["work-labels"], **rows})
    drawn = [
        _Drawn(cache, graph, key, partial(_claims_rows_of, graphs, graph, cache))
        for graph, key in parts
    ]
    data = whole.with_claims(chain.from_iterable(part.claims(whole) for part in drawn))
    others = _draw_views(review, staging, data, _views(drawer=False))
    written = drawer.result() + others
    write_html(render_index(review.title, written), staging / "index.html")
    return True


def _claims_rows_of(
    graphs: ReviewGraphs, graph: str, cache: BuildCache
) -> dict[str, list[tuple[str, ...]]]:
    return claims_rows(graphs.rows_of(graph, cache))


def _draw(
    review: Review,
    staging: Path,
    data: ReviewData,
    drawn: Sequence[_Drawn],
    notes: list[Note],
    progress: Callable[[str], None],
) -> None:
    """Write the views, their index and the summary into ``staging``, from ``data`` and the
    claims graphs' parts (``ReviewGraphs.review_data``), in this process: for a build that
    loads its store anew (the store takes the second core), or a rebuild with no drawer
    (``_drawer``) or one that could not read the rows."""
    from kg.outputs.views import VIEWS, render_index, write_html

    progress("drawing the map and the other views")
    written = _draw_views(review, staging, data, VIEWS)
    progress("writing the summary")
    _summarise(review, staging, data, drawn, notes)
    write_html(render_index(review.title, written), staging / "index.html")


def _views(*, drawer: bool) -> list[View]:
    """The views the second process draws with the summary (``drawer``), or the others: the
    map takes about as long as the other three (10,000 works)."""
    from kg.outputs.views import VIEWS

    return [view for view in VIEWS if (view.name == "map") == drawer]


def _draw_views(
    review: Review, staging: Path, data: ReviewData, views: Sequence[View]
) -> list[ViewFile]:
    """Draw ``views`` of ``data`` into ``staging``."""
    from kg.outputs.views import VIEW_LIMIT, write_view

    limit = review.view_limit or VIEW_LIMIT
    return [
        write_view(None, view, staging / view.filename, title=review.title, limit=limit, data=data)
        for view in views
    ]


def _summarise(
    review: Review, staging: Path, data: ReviewData, drawn: Sequence[_Drawn], notes: list[Note]
) -> None:
    """Write the summary (``review.md``) into ``staging``, from ``data`` and the claims
    graphs' parts."""
    from kg.outputs.review import render_review

    warnings = [note.shown(review.config_path.parent) for note in notes]
    parts = (part.summary(data) for part in drawn)
    summary = render_review(None, title=review.title, warnings=warnings, data=data, parts=parts)
    (staging / "review.md").write_text(summary, encoding="utf-8")


def _to_replace(previous: Path, graphs: ReviewGraphs) -> list[str] | None:
    """The graphs to replace in a copy of the ``previous`` store to make the build's, or None
    when it is best loaded anew: there is no previous store, or they hold half the triples."""
    recorded = store_manifest(previous)
    if recorded is None:
        return None
    changed = changed_graphs(recorded, graphs.keys)
    replaced = sum(graphs.counts.get(graph, 0) for graph in changed)
    return changed if 2 * replaced < graphs.triples else None


def _store_into(
    path: Path,
    previous: Path,
    graphs: ReviewGraphs,
    trig: Path,
    pool: ThreadPoolExecutor,
    changed: list[str] | None,
) -> Future[None] | None:
    """Make the build's store at ``path``: the ``previous`` one with the ``changed`` graphs
    replaced, at once, if given (``_to_replace``); otherwise (or should that fail) loaded
    anew from ``trig`` in ``pool``, whose future is returned. Either way the store is closed
    when made, so that its folder can be moved.
    """
    if changed is not None and update_store(previous, path, graphs.keys, graphs.quads_of):
        return None
    return pool.submit(_load_closed, trig, path, graphs.keys)


def _load_closed(trig: Path, path: Path, keys: dict[str, str]) -> None:
    load_store(trig, path, keys)


def _swap_into_place(staging: Path, output: Path) -> Iterator[Path]:
    for name in OUTPUTS:
        new, final = staging / name, output / name
        if new.is_dir() and final.exists():
            _exchange(new, final)
        else:
            os.replace(new, final)
        yield final


def _exchange(first: Path, second: Path) -> None:
    """Swap two folders in one step, so a build killed here never leaves no store at all.

    Linux's ``renameat2(RENAME_EXCHANGE)`` does it atomically; where it is missing (another
    system, an old kernel or filesystem) the old folder is moved aside and the new one in.
    """
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    at_fdcwd, rename_exchange = -100, 2
    if renameat2 is not None and (
        renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange) == 0
    ):
        return
    aside = first.with_name(f"{first.name}.old")
    os.replace(second, aside)
    os.replace(first, second)
    os.replace(aside, first)
