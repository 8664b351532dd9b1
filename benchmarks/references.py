"""Reference lists and PDFs: parsing per field, citations resolved from a PDF alone, speed.

    python benchmarks/references.py [SHARED]   # SHARED defaults to ../shared beside the repo

1. Field accuracy on AnyStyle's gold.xml (BSD-2-Clause), author-date entries only: the author
   list comes first and the date right after it, and no citation number. gold.xml is kg's
   test set: the tagger is trained on AnyStyle's other files less every string gold.xml holds
   or nearly holds (benchmarks/train_reference_tagger.py), and kg's rules were written
   against the eight shared PDFs, never against these strings. A missing title counts as
   right when kg finds none. An entry's
   string is its labelled spans joined by spaces, as AnyStyle's own checker does. A field is
   correct when it equals the gold one with case, spaces and punctuation ignored; family
   names are the gold author span split by the same name rules (so the figure measures where
   the author list ends and how it is split into people, not the name rules on their own).
2. From each shared PDF alone: the share of its in-text references that resolve to an entry
   of its own parsed reference list.
3. Speed: each shared PDF to claims, and the first 1,000 strings of gold.xml parsed (every
   style, each string once, the model loaded first, the words' features not yet cached;
   the median of three runs); the works index of 10,000 works with a PDF's parsed works
   added, made anew and extended (``kg build`` extends it, once per PDF text).
4. The hand-checked reference lists of all eight shared PDFs (tests/data/references, how
   they were made in its README): the share of entries each field is exactly right for.
"""

from __future__ import annotations

import re
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

from kg.load.citations import find_citations, resolve_citations
from kg.load.claims import extract_claims
from kg.load.pdf import read_pdf
from kg.load.reference_tagger import clear_caches
from kg.load.references import find_references, parse_names, parse_reference, reference_works

ROOT = Path(__file__).resolve().parents[1]


def _norm(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def _families(text: str) -> list[str]:
    return [_norm(p.family) for p in parse_names(text)]


def gold_entries(path: Path) -> list[dict[str, str]]:
    """The author-date sequences of an AnyStyle dataset, as label -> text."""
    entries = []
    for sequence in ET.parse(path).getroot():
        labels = [child.tag for child in sequence]
        if "citation-number" in labels or labels[:2] != ["author", "date"]:
            continue
        fields: dict[str, str] = {"raw": " ".join((c.text or "").strip() for c in sequence)}
        for child in sequence:
            fields.setdefault(child.tag, (child.text or "").strip())
        entries.append(fields)
    return entries


def field_scores(entries: list[dict[str, str]]) -> dict[str, tuple[int, int]]:
    """Per field: (correct, entries that have it in the gold)."""
    scores = {name: [0, 0] for name in ("family names", "year", "title", "container", "all three")}
    for gold in entries:
        parsed = parse_reference(gold["raw"])
        year = re.search(r"\d{4}", gold.get("date", ""))
        checks = {
            "family names": [_norm(p.family) for p in parsed.authors] == _families(gold["author"]),
            "year": bool(year) and parsed.year == year.group(0),
            "title": _norm(parsed.title) == _norm(gold.get("title", "")),
        }
        for name, ok in checks.items():
            scores[name][0] += ok
            scores[name][1] += 1
        scores["all three"][0] += all(checks.values())
        scores["all three"][1] += 1
        container = gold.get("journal") or gold.get("container-title")
        if container:
            found = parsed.container
            scores["container"][0] += _norm(found) == _norm(re.sub(r"^In:?\s", "", container))
            scores["container"][1] += 1
    return {name: (ok, total) for name, (ok, total) in scores.items()}


def pdf_resolution(pdf: Path) -> tuple[int, int, float, float]:
    """(resolved, references, seconds from PDF to claims, of them CPU) for one PDF, from the
    PDF alone."""
    start, cpu = time.perf_counter(), time.process_time()
    text = read_pdf(pdf).text
    found = find_references(text)
    works = reference_works(found.entries, pdf.name) if found else []
    cited = [m for m in find_citations(text) if not (found and found.start <= m.start < found.end)]
    mentions, _ = resolve_citations(cited, works)
    extract_claims(text, mentions, (), source=pdf.name, citing="")
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    refs = [ref for mention in mentions for ref in mention.refs]
    return sum(1 for ref in refs if ref.bibkey), len(refs), seconds, cpu


GOLD_FIELDS = ("families", "year", "suffix", "title", "container", "volume", "issue", "pages",
               "doi", "url")  # fmt: skip


def pdf_fields(shared: Path, gold_file: Path) -> dict[str, tuple[int, int]]:
    """Per field of a hand-checked reference list (tests/data/references), (entries the
    parser gets exactly right, entries); "families+year+title" all three at once. An entry
    the parser splits differently counts as wrong in every field."""
    import json

    expected = json.loads(gold_file.read_text(encoding="utf-8"))
    found = find_references(read_pdf(shared / "corpora" / "pdfs" / f"{gold_file.stem}.pdf").text)
    got = {entry.raw: entry for entry in found.entries} if found else {}
    scores = {name: [0, len(expected)] for name in (*GOLD_FIELDS, "families+year+title")}
    for want in expected:
        entry = got.get(want["raw"])
        if entry is None:
            continue
        right = {
            name: ([p.family for p in entry.authors] if name == "families"
                   else getattr(entry, name)) == want[name]
            for name in GOLD_FIELDS
        }  # fmt: skip
        right["families+year+title"] = right["families"] and right["year"] and right["title"]
        for name, ok in right.items():
            scores[name][0] += ok
    return {name: (ok, total) for name, (ok, total) in scores.items()}


def main(shared: Path) -> None:
    gold = shared / "corpora" / "reference-strings" / "anystyle" / "parser" / "gold.xml"
    entries = gold_entries(gold)
    print(f"AnyStyle gold.xml, {len(entries)} author-date entries:")
    for name, (ok, total) in field_scores(entries).items():
        print(f"  {name:13} {ok / max(total, 1):.3f}  ({ok}/{total})")
    strings = [" ".join(" ".join((c.text or "").strip() for c in seq).split())
               for seq in ET.parse(gold).getroot()][:1000]  # fmt: skip
    parse_reference(strings[0])  # loads the model: once a process
    runs = []
    for _ in range(3):
        clear_caches()
        start, cpu = time.perf_counter(), time.process_time()
        for string in strings:
            parse_reference(string)
        runs.append((time.perf_counter() - start, time.process_time() - cpu))
    wall, cpu = sorted(runs)[1]
    print(f"1,000 reference strings parsed in {wall:.3f} s ({cpu:.3f} s of CPU; median of 3)")
    print("Hand-checked reference lists (tests/data/references), share of entries right:")
    pooled: dict[str, list[int]] = {}
    header = ["fam+yr+ti", *GOLD_FIELDS]
    print(f"  {'':14} {'n':>3} " + " ".join(f"{name[:9]:>9}" for name in header))
    for gold_file in sorted((ROOT / "tests" / "data" / "references").glob("*.json")):
        scores = pdf_fields(shared, gold_file)
        for name, (ok, total) in scores.items():
            pooled.setdefault(name, [0, 0])
            pooled[name][0] += ok
            pooled[name][1] += total
        order = ["families+year+title", *GOLD_FIELDS]
        print(f"  {gold_file.stem[:14]:14} {scores['year'][1]:3} "
              + " ".join(f"{scores[n][0] / scores[n][1]:9.3f}" for n in order))  # fmt: skip
    order = ["families+year+title", *GOLD_FIELDS]
    print(f"  {'all':14} {pooled['year'][1]:3} "
          + " ".join(f"{pooled[n][0] / pooled[n][1]:9.3f}" for n in order))  # fmt: skip
    print("From each PDF alone (no bibliography): references resolved, PDF to claims")
    total_ok = total = 0
    for pdf in sorted((shared / "corpora" / "pdfs").glob("*.pdf")):
        ok, refs, seconds, cpu = pdf_resolution(pdf)
        total_ok, total = total_ok + ok, total + refs
        print(f"  {pdf.stem[:40]:40} {ok:3}/{refs:3} = {ok / max(refs, 1):.3f}"
              f"  {seconds:.2f} s ({cpu:.2f} s CPU)")  # fmt: skip
    print(f"  all: {total_ok}/{total} = {total_ok / max(total, 1):.3f}")
    index_speed(shared)


def index_speed(shared: Path) -> None:
    """The works index of a 10,000-work bibliography (synth.py) with one PDF's parsed works
    added: made anew from both, as each PDF text once cost, and extended (median of 5)."""
    import tempfile

    from synth import make_review

    from kg.load.bib import parse_bibliography
    from kg.load.citations import extend_index, index_works

    with tempfile.TemporaryDirectory() as folder:
        make_review(Path(folder), works=10_000)
        bib = parse_bibliography([Path(folder) / "references.bib"]).works
    pdf = next((shared / "corpora" / "pdfs").glob("robinson2015*.pdf"))
    found = find_references(read_pdf(pdf).text)
    parsed = tuple(reference_works(found.entries, pdf.name)) if found else ()
    base = index_works(bib)
    timings = {}
    for name, make in (("index_works of both", lambda: index_works(bib + parsed)),
                       ("extend_index", lambda: extend_index(base, parsed))):  # fmt: skip
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            make()
            runs.append(time.perf_counter() - start)
        timings[name] = sorted(runs)[2]
    figures = ", ".join(f"{name} {seconds * 1000:.1f} ms" for name, seconds in timings.items())
    print(f"Works index, {len(bib):,} works + {len(parsed)} parsed from {pdf.name[:12]}: {figures}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared")
