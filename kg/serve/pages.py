"""The pages ``kg serve`` adds to a built review: its script injected into the built pages,
the query page, and ``review.md`` as HTML.

The built pages carry a Content-Security-Policy that allows only their own inline scripts,
by hash. The server adds its script (live reload, the error banner, curation) to each page as
it sends it, with the script's hash added to the policy and requests to the page's own
origin allowed (``connect-src 'self'``); the files in ``build/`` are never changed, so they
still work offline without a server.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from importlib import resources
from typing import Any

from kg.prefixes import PREFIXES
from kg.store.query import list_queries

__all__ = ["inject", "render_markdown", "render_query_page"]

CSP_META = re.compile(r'(<meta http-equiv="Content-Security-Policy" content=")([^"]*)(">)')


def _asset(name: str) -> str:
    return resources.files("kg.serve").joinpath(name).read_text(encoding="utf-8")


def _sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _policy(policy: str, scripts: list[str]) -> str:
    """``policy`` with ``scripts`` allowed by hash and requests to the page's origin."""
    directives = [d.strip() for d in policy.split(";") if d.strip()]
    hashes = " ".join(_sha256(s) for s in scripts)
    out, seen = [], False
    for directive in directives:
        if directive.startswith("script-src"):
            seen = True
            sources = directive.removeprefix("script-src").replace("'none'", "").strip()
            directive = f"script-src {sources} {hashes}".replace("  ", " ")
        if directive.startswith("connect-src"):
            continue
        out.append(directive)
    if not seen:
        out.append(f"script-src {hashes}")
    out.append("connect-src 'self'")
    return "; ".join(out)


def _client(settings: dict[str, Any]) -> str:
    return f"window.KG_SERVE = {_json(settings)};\n{_asset('client.js')}"


def _json(value: Any) -> str:
    """JSON safe inside a <script> element."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


def inject(page: str, settings: dict[str, Any]) -> str:
    """A built page with the server's script (see the module) and its style added."""
    script = _client(settings)
    match = CSP_META.search(page)
    if match is None:
        return page  # not a kg page: served as it is
    policy = html.unescape(match.group(2))
    page = (
        page[: match.start()]
        + match.group(1)
        + _policy(policy, [script]).replace('"', "&quot;")
        + match.group(3)
        + page[match.end() :]
    )
    addition = f"<style>{_asset('client.css')}</style>\n<script>{script}</script>\n"
    at = page.rfind("</body>")
    return page[:at] + addition + page[at:] if at != -1 else page + addition


def _page(title: str, body: str, scripts: list[str], style: str = "") -> str:
    policy = _policy("default-src 'none'; style-src 'unsafe-inline'; img-src data:", scripts)
    tags = "".join(f"<script>{s}</script>\n" for s in scripts)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n"
        f"<style>{_asset('client.css')}{style}</style>\n</head>\n<body>\n{body}\n{tags}"
        "</body>\n</html>\n"
    )


def render_query_page(title: str, settings: dict[str, Any]) -> str:
    """The query page: a SPARQL editor with kg's prefixes, the named queries as a form, and a
    results table with downloads and links to the views."""
    queries = [
        {"name": q.name, "description": q.description, "params": q.params, "text": q.text}
        for q in list_queries()
    ]
    data = {**settings, "queries": queries, "prefixes": PREFIXES}
    script = f"window.KG_QUERY = {_json(data)};\n{_asset('query.js')}"
    client = _client(settings)
    prefixes = "\n".join(f"PREFIX {name}: <{iri}>" for name, iri in PREFIXES.items())
    body = (
        '<header class="kg-serve-head"><h1>'
        f"{html.escape(title)} · query</h1>"
        '<nav><a href="index.html">All views</a> · <a href="review.md">Summary</a></nav></header>'
        '<main class="kg-query">'
        '<section><h2>Named queries</h2><form id="kg-named">'
        '<label for="kg-query-name">Query</label> <select id="kg-query-name"></select>'
        '<p id="kg-query-about" class="kg-about"></p><div id="kg-params"></div>'
        '<button type="submit">Run</button></form></section>'
        '<section><h2>SPARQL</h2><form id="kg-sparql">'
        f"<details><summary>Prefixes kg declares</summary><pre>{html.escape(prefixes)}</pre>"
        "</details>"
        '<textarea id="kg-editor" rows="12" spellcheck="false" aria-label="SPARQL query">'
        "SELECT ?theme ?label WHERE {\n  ?theme a skos:Concept ; skos:prefLabel ?label .\n}\n"
        'ORDER BY ?label</textarea><button type="submit">Run</button></form></section>'
        '<section><h2>Results</h2><p id="kg-result-status" role="status"></p>'
        '<p><button id="kg-csv" type="button" disabled>Download CSV</button> '
        '<button id="kg-json" type="button" disabled>Download JSON</button></p>'
        '<table id="kg-results"></table></section></main>'
    )
    return _page(f"{title} · query", body, [client, script])


def render_markdown(title: str, markdown: str, settings: dict[str, Any]) -> str:
    """``review.md`` as an HTML page (:func:`markdown_html`), with the server's script."""
    body = (
        '<header class="kg-serve-head"><nav><a href="index.html">All views</a> · '
        '<a href="query">Query</a> · <a href="review.md?raw=1">Markdown</a></nav></header>'
        f'<main class="kg-review">{markdown_html(markdown)}</main>'
    )
    return _page(title, body, [_client(settings)])


INLINE = re.compile(r"\*\*(.+?)\*\*|\*(.+?)\*|`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\)")


def _inline(text: str) -> str:
    """Bold, italics, code and links; everything else escaped."""
    out, last = [], 0
    for match in INLINE.finditer(text):
        out.append(html.escape(_unescape(text[last : match.start()])))
        bold, italic, code, label, url = match.groups()
        if bold is not None:
            out.append(f"<strong>{_inline(bold)}</strong>")
        elif italic is not None:
            out.append(f"<em>{_inline(italic)}</em>")
        elif code is not None:
            out.append(f"<code>{html.escape(code)}</code>")
        else:
            safe = url if re.match(r"(https?:|#|[\w./-]+$)", url) else "#"
            out.append(f'<a href="{html.escape(safe)}">{_inline(label)}</a>')
        last = match.end()
    out.append(html.escape(_unescape(text[last:])))
    return "".join(out)


def _unescape(text: str) -> str:
    return re.sub(r"\\([\\`*_\[\]{}()#+\-.!|>])", r"\1", text)


def markdown_html(markdown: str) -> str:
    """The Markdown kg writes (headings, paragraphs, lists, block quotes, tables, emphasis,
    code and links) as HTML; any other text is shown escaped, never as markup.

    kg renders its own summary with this small converter rather than a Markdown library:
    the summary uses a fixed handful of constructs, and the default install stays light.

    >>> markdown_html("# Title\\n\\n- **a** b\\n")
    '<h1>Title</h1>\\n<ul>\\n<li><strong>a</strong> b</li>\\n</ul>'
    """
    blocks = re.split(r"\n\s*\n", markdown.strip("\n"))
    out: list[str] = []
    for block in blocks:
        lines = block.splitlines()
        heading = re.match(r"(#{1,6})\s+(.*)", block)
        if heading and len(lines) == 1:
            level = len(heading.group(1))
            out.append(f"<h{level}>{_inline(heading.group(2))}</h{level}>")
        elif all(BULLET.match(line) for line in lines):
            out.append(_list("ul", BULLET, lines))
        elif all(NUMBER.match(line) for line in lines):
            out.append(_list("ol", NUMBER, lines))
        elif all(line.startswith(">") for line in lines):
            inner = "\n".join(re.sub(r"^>\s?", "", line) for line in lines)
            out.append(f"<blockquote>\n{markdown_html(inner)}\n</blockquote>")
        elif len(lines) > 1 and all(line.startswith("|") for line in lines):
            out.append(_table(lines))
        else:
            out.append(f"<p>{'<br>'.join(_inline(line) for line in lines)}</p>")
    return "\n".join(out)


BULLET = re.compile(r"\s*[-*]\s+")
NUMBER = re.compile(r"\s*\d+\.\s+")


def _list(tag: str, marker: re.Pattern[str], lines: list[str]) -> str:
    items = "\n".join(f"<li>{_inline(marker.sub('', line, count=1))}</li>" for line in lines)
    return f"<{tag}>\n{items}\n</{tag}>"


def _table(lines: list[str]) -> str:
    def cells(line: str) -> list[str]:
        return [c.strip() for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]

    rows = [cells(line) for line in lines if not re.fullmatch(r"[|:\-\s]+", line)]
    head = "".join(f"<th>{_inline(c)}</th>" for c in rows[0])
    body = "".join(
        "<tr>" + "".join(f"<td>{_inline(c)}</td>" for c in row) + "</tr>" for row in rows[1:]
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
