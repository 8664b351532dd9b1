"""Synthetic literature reviews of N works, seeded, for kg's benchmarks.

``make_review(folder, works=10_000)`` writes a review folder that ``kg build -c
FOLDER/kg.toml`` builds:

- ``references.bib``: N entries as a reference manager exports them: 1-6 authors per work
  ("Last, First", "First von Last", "{Corporate Body}", "Last, Jr., First"), LaTeX accents
  (``M{\\"u}ller``, ``Garc{\\'\\i}a``, ``{\\v{C}}apek``), protective braces in titles,
  journals as ``@string`` macros, ``month = mar``, DOIs, ``--`` page ranges, abstracts;
- ``texts/*.txt``: one citing text per 100 works (at least one), each citing 100-300 works
  in every author-date form kg reads: "(Smith, 2010)", "Smith and Jones (2011: 4)",
  "(Smith et al., 2012a; Lee, 2013, 2014)", "(see Smith, 2010, p. 12)", "Smith et al.'s
  (2012)", secondary "(Abe, 2001 in Bo, 2002: 3)", with the line breaks, hyphenation,
  running headers and page numbers of text pulled out of a PDF;
- ``themes.ttl``: a SKOS scheme of 200 themes whose labels the texts use;
- ``kg.toml`` tying them together.

The same ``works`` and ``seed`` always give the same bytes, so runs compare.

    python benchmarks/synth.py OUT_FOLDER --works 10000
"""

from __future__ import annotations

import argparse
import random
import textwrap
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path


def _words(text: str) -> list[str]:
    return text.split()


# Surnames as (BibTeX, Unicode); most plain, some accented, some with particles.
ACCENTED = [
    ('M{\\"u}ller', "Müller"), ("Garc{\\'\\i}a", "García"), ("{\\v{C}}apek", "Čapek"),
    ("Jos{\\'e}", "José"), ("Fran{\\c{c}}ois", "François"), ("Gro{\\ss}", "Groß"),
    ("{\\O}stergaard", "Østergaard"), ("{\\AA}str{\\\"o}m", "Åström"), ("Nu{\\~n}ez", "Nuñez"),
    ("Wa{\\l}{\\k{e}}sa", "Wałęsa"), ("Sch{\\\"o}n", "Schön"), ("L{\\'o}pez", "López"),
    ("Ben{\\'\\i}tez", "Benítez"), ("Dvo{\\v{r}}{\\'a}k", "Dvořák"), ("H{\\aa}land", "Håland"),
    ("\\\"Ozt\\\"urk", "Öztürk"), ("Bront{\\\"e}", "Brontë"), ("Co{\\c{s}}kun", "Coşkun"),
]  # fmt: skip
PARTICLES = ["van", "van der", "de", "von", "da", "van den"]
STEMS = _words(
    "Ab Ad Al Am An Ar Ash Bak Bar Bel Ben Ber Bl Bo Br Bu Ca Car Ch Cl Co Cr Da Dal De Di "
    "Do Dr Du Ed El Em Er Ev Fa Fe Fi Fl Fo Fr Ga Ge Gi Gl Go Gr Ha He Hi Ho Hu Ja Je Jo Ka "
    "Ke Ki Kl Kn Ko La Le Li Lo Lu Ma Me Mi Mo Mu Na Ne Ni No Ol Or Pa Pe Pi Po Pr Ra Re Ri "
    "Ro Ru Sa Sc Se Sh Si Sk Sl Sm So St Su Ta Te Th Ti To Tr Tu Va Ve Vi Wa We Wh Wi Wo Ya "
    "Yo Za Ze"
)
ENDINGS = _words(
    "ams ard ars berg bert by dale den ders don ell er ers ett ford gan ham hart ing ins "
    "ison kin kins land ler ley lin man mann mer mond more ner ning nor ock on ott ow rick "
    "ridge ris ron son stein ster ton vey well win wood worth yer"
)
GIVEN = [
    ("Peggy C.", "Peggy C."), ("John", "John"), ("Mar{\\'\\i}a Jos{\\'e}", "María José"),
    ("J.", "J."), ("Anne-Marie", "Anne-Marie"), ("S{\\o}ren", "Søren"), ("Li", "Li"),
    ("Robert J.", "Robert J."), ("Hannah", "Hannah"), ("{\\'E}milie", "Émilie"),
    ("Kwame", "Kwame"), ("Yuki", "Yuki"), ("David", "David"), ("Sarah", "Sarah"),
    ("Ji{\\v{r}}{\\'\\i}", "Jiří"), ("Ay{\\c{s}}e", "Ayşe"), ("Fiona", "Fiona"), ("Tom", "Tom"),
]  # fmt: skip
CORPORATE = [
    "United Nations Office on Drugs and Crime", "World Health Organization", "Home Office",
    "Ministry of Justice", "National Audit Office", "Prison Reform Trust", "Revolving Doors",
]  # fmt: skip
JOURNALS = [
    ("pj", "Probation Journal"), ("bjc", "British Journal of Criminology"),
    ("ajs", "American Journal of Sociology"), ("crim", "Criminology"),
    ("jrcd", "Journal of Research in Crime and Delinquency"),
    ("cjb", "Criminal Justice and Behavior"), ("ejc", "European Journal of Criminology"),
    ("pjr", "The Prison Journal"), ("tcr", "Theoretical Criminology"),
    ("dad", "Drug and Alcohol Dependence"), ("jsat", "Journal of Substance Abuse Treatment"),
    ("ssm", "Social Science {\\&} Medicine"), ("hsw", "Health {\\&} Social Work"),
]  # fmt: skip
PUBLISHERS = ["Routledge", "Palgrave Macmillan", "Policy Press", "Willan", "Sage", "Springer"]
MONTHS = _words("jan feb mar apr may jun jul aug sep oct nov dec")
ADJECTIVES = _words(
    "peer relational generative coercive restorative therapeutic narrative social moral "
    "procedural collective informal structural symbolic emotional professional spatial "
    "civic communal reflexive institutional pastoral cultural economic digital familial"
)
NOUNS = _words(
    "mentoring legitimacy desistance recovery identity stigma reentry employment trust "
    "agency supervision capital citizenship belonging redemption resilience motivation hope "
    "shame solidarity wellbeing surveillance compliance advocacy"
)
FILLER = _words(
    "the study of practice suggests that people who work in these settings often describe "
    "their experience as a turning point in which support from others and a sense of "
    "purpose matter more than formal programmes while services vary widely across regions "
    "and participants reported mixed outcomes over time although staff considered the "
    "approach valuable for building relationships within communities through sustained "
    "engagement with practitioners and organisations responsible for delivering "
    "interventions"
)
LONG_WORDS = [w for w in FILLER if len(w) >= 8]
CUES = [
    "found that", "however", "in support of this", "critique", "argue", "demonstrated",
    "consistent with", "challenged", "showed", "", "", "", "", "",
]  # fmt: skip


@dataclass(eq=False)
class SynthWork:
    key: str
    kind: str
    names: tuple[str, ...]
    year: int
    suffix: str = ""
    corporate: bool = False


def _surname_pool(rng: random.Random, size: int) -> list[tuple[str, str]]:
    seen: set[str] = set()
    pool: list[tuple[str, str]] = list(ACCENTED)
    seen.update(u for _, u in ACCENTED)
    while len(pool) < size:
        name = rng.choice(STEMS) + rng.choice(ENDINGS)
        if rng.random() < 0.3:
            name = name + rng.choice(ENDINGS)
        if name in seen:
            continue
        seen.add(name)
        if rng.random() < 0.03:
            particle = rng.choice(PARTICLES)
            pool.append((f"{particle} {name}", f"{particle} {name}"))
        else:
            pool.append((name, name))
    return pool


def _person_bib(rng: random.Random, surname: str) -> str:
    given, _ = rng.choice(GIVEN)
    if " " in surname and surname.split()[0] in {"van", "de", "von", "da"}:
        return f"{given} {surname}" if rng.random() < 0.5 else f"{surname}, {given}"
    if rng.random() < 0.01:
        return f"{surname}, Jr., {given}"
    return f"{surname}, {given}" if rng.random() < 0.8 else f"{given} {surname}"


def _title(rng: random.Random) -> str:
    words = [rng.choice(FILLER) for _ in range(rng.randint(4, 10))]
    theme = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"
    title = " ".join([*words[:2], theme, *words[2:]]).capitalize()
    extras = ["", "", "", ": the {UK} experience", ": evidence from {DNA} testing",
              " in {Europe}", ": a {\\'e}tude", " --- revisited", ": ``what works''?"]  # fmt: skip
    return title + rng.choice(extras)


def _bib_entry(rng: random.Random, work: SynthWork, pool_bib: dict[str, str]) -> str:
    if work.corporate:
        authors = "{" + work.names[0] + "}"
    else:
        authors = " and ".join(_person_bib(rng, pool_bib[n]) for n in work.names)
    year = f"{work.year}{work.suffix}"
    lines = [f"@{work.kind}{{{work.key},", f"  author = {{{authors}}},"]
    lines.append(f"  title = {{{_title(rng)}}},")
    lines.append(f"  year = {{{year}}},")
    if work.kind == "article":
        macro, _ = rng.choice(JOURNALS)
        lines.append(f"  journal = {macro},")
        lines.append(f"  volume = {{{rng.randint(1, 80)}}},")
        lines.append(f"  number = {{{rng.randint(1, 6)}}},")
        first = rng.randint(1, 900)
        lines.append(f"  pages = {{{first}--{first + rng.randint(8, 30)}}},")
        lines.append(f"  month = {rng.choice(MONTHS)},")
    elif work.kind == "book":
        lines.append(f"  publisher = {{{rng.choice(PUBLISHERS)}}},")
        lines.append("  address = {London},")
    elif work.kind == "incollection":
        lines.append(f"  booktitle = {{{_title(rng)}}},")
        editor = f"{rng.choice(GIVEN)[0]} {rng.choice(list(pool_bib.values()))}"
        lines.append(f"  editor = {{{editor}}},")
        lines.append(f"  publisher = {{{rng.choice(PUBLISHERS)}}},")
        first = rng.randint(1, 300)
        lines.append(f"  pages = {{{first}--{first + rng.randint(10, 25)}}},")
    elif work.kind == "techreport":
        lines.append(f"  institution = {{{rng.choice(CORPORATE)}}},")
        lines.append(f"  number = {{{rng.randint(1, 99)}/{work.year}}},")
    else:
        lines.append("  school = {University of Gloucestershire},")
    if rng.random() < 0.8:
        lines.append(f"  doi = {{10.{rng.randint(1000, 9999)}/{work.key}.{rng.randint(1, 999)}}},")
    if rng.random() < 0.3:
        abstract = " ".join(rng.choice(FILLER) for _ in range(rng.randint(40, 120)))
        lines.append(f"  abstract = {{{abstract.capitalize()}.}},")
    if rng.random() < 0.3:
        keywords = ", ".join(f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}" for _ in range(3))
        lines.append(f"  keywords = {{{keywords}}},")
    if rng.random() < 0.2:
        lines.append(f"  url = {{https://example.org/{work.key}}},")
        lines.append(f"  urldate = {{2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}}},")
    return "\n".join(lines) + "\n}\n"


def _make_works(rng: random.Random, count: int) -> tuple[list[SynthWork], dict[str, str]]:
    pool = _surname_pool(rng, max(60, count // 2))
    pool_bib = {u: b for b, u in pool}
    names = [u for _, u in pool]
    kinds = ["article"] * 12 + ["book"] * 3 + ["incollection"] * 3 + ["techreport", "phdthesis"]
    works: list[SynthWork] = []
    keys: set[str] = set()
    for _index in range(count):
        year = rng.randint(1960, 2024)
        if rng.random() < 0.01:
            body = rng.choice(CORPORATE)
            work = SynthWork("", "techreport", (body,), year, corporate=True)
        else:
            size = rng.choices([1, 2, 3, 4, 5, 6], weights=[30, 30, 18, 10, 7, 5])[0]
            # Zipf-like: a few prolific authors, a long tail.
            authors = tuple(
                dict.fromkeys(names[min(int(rng.paretovariate(0.7)) - 1, len(names) - 1)
                                    if rng.random() < 0.3 else rng.randrange(len(names))]
                              for _ in range(size))
            )  # fmt: skip
            work = SynthWork("", rng.choice(kinds), authors, year)
        plain = unicodedata.normalize("NFKD", work.names[0].split()[-1].lower())
        base = "".join(c for c in plain if c.isascii() and c.isalpha())
        key = candidate = f"{base or 'x'}{year}"
        while candidate in keys:
            candidate = f"{key}-{len(keys)}"
        work.key = candidate
        keys.add(work.key)
        works.append(work)
    # Year suffixes where two works would be cited the same way ("Smith et al., 2012a").
    groups: dict[tuple[tuple[str, ...], int], list[SynthWork]] = defaultdict(list)
    for work in works:
        groups[(_cited_names(work), work.year)].append(work)
    for group in groups.values():
        if len(group) > 1:
            for letter, work in zip("abcdefghijklmnopqrstuvwxyz", group, strict=False):
                work.suffix = letter
    return works, pool_bib


def _cited_names(work: SynthWork) -> tuple[str, ...]:
    if len(work.names) >= 3:
        return (work.names[0], "et al.")
    return work.names


def _names_text(work: SynthWork, rng: random.Random) -> str:
    names = _cited_names(work)
    if names[-1] == "et al.":
        return f"{names[0]} et al."
    if len(names) == 2:
        return f"{names[0]} {'&' if rng.random() < 0.2 else 'and'} {names[1]}"
    return names[0]


def _locator(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.15:
        return f": {rng.randint(1, 300)}"
    if roll < 0.22:
        return f", p. {rng.randint(1, 300)}"
    if roll < 0.25:
        first = rng.randint(1, 300)
        return f", pp. {first}–{first + rng.randint(1, 9)}"
    return ""


def _citation(rng: random.Random, chosen: list[SynthWork], by_names: dict) -> str:
    """One citation in a random author-date form, citing ``chosen`` (and maybe more)."""
    work = chosen[0]
    year = f"{work.year}{work.suffix}"
    form = rng.random()
    if form < 0.30:
        return f"{_names_text(work, rng)} ({year}{_locator(rng)})"
    if form < 0.34:
        if _cited_names(work)[-1] == "et al.":
            return f"{work.names[0]} et al.'s ({year})"
        return f"{_names_text(work, rng)} ({year})"
    if form < 0.40:
        same = [w for w in by_names[_cited_names(work)] if w is not work][:2]
        years = ", ".join(f"{w.year}{w.suffix}" for w in [work, *same])
        return f"{_names_text(work, rng)} ({years})"
    if form < 0.44 and len(chosen) > 1:
        secondary = chosen[1]
        return (
            f"({_names_text(work, rng)}, {year} in {_names_text(secondary, rng)},"
            f" {secondary.year}{secondary.suffix}{_locator(rng)})"
        )
    items = []
    for other in chosen:
        same = [w for w in by_names[_cited_names(other)] if w is not other]
        years = [f"{other.year}{other.suffix}"]
        if same and rng.random() < 0.25:
            years.append(f"{same[0].year}{same[0].suffix}")
        items.append(f"{_names_text(other, rng)}, {', '.join(years)}{_locator(rng)}")
    prefix = rng.choice(["", "", "", "", "see ", "e.g. ", "cf. ", "see also "])
    return f"({prefix}{'; '.join(items)})"


def _sentence(rng: random.Random, cited: list[SynthWork], by_names: dict, themes: list) -> str:
    words = [rng.choice(FILLER) for _ in range(rng.randint(8, 22))]
    for theme in rng.sample(themes, rng.choice([0, 1, 1, 1, 2])):
        words.insert(rng.randrange(len(words)), rng.choice(theme[2]))
    cue = rng.choice(CUES)
    if cue:
        words.insert(rng.randrange(len(words)), cue)
    count = rng.choices([1, 2, 3], weights=[60, 28, 12])[0]
    works = list(dict.fromkeys(rng.choice(cited) for _ in range(count)))
    citation = _citation(rng, works, by_names)
    if citation.startswith("("):
        words.insert(rng.randrange(len(words) // 2, len(words) + 1), citation)
    else:
        words.insert(0, rng.choice(["", "", "As", "Following", "Like"]) + " " + citation)
    sentence = " ".join(words).strip()
    return sentence[0].upper() + sentence[1:] + "."


def _pdf_lines(rng: random.Random, paragraphs: list[str], header: str) -> str:
    """The paragraphs wrapped as a PDF's text layer: hyphenated words, headers, page numbers."""
    lines: list[str] = []
    for paragraph in paragraphs:
        wrapped = textwrap.wrap(paragraph, width=rng.randint(68, 84), break_on_hyphens=False)
        for index, line in enumerate(wrapped[:-1]):
            last = line.rsplit(" ", 1)[-1]
            if last in LONG_WORDS and rng.random() < 0.5:
                cut = rng.randint(3, len(last) - 3)
                wrapped[index] = line[: len(line) - len(last) + cut] + "-"
                wrapped[index + 1] = last[cut:] + " " + wrapped[index + 1]
        lines.extend(wrapped)
        lines.append("")
    out: list[str] = []
    for number, line in enumerate(lines, start=1):
        out.append(line)
        if number % 48 == 0:
            out.extend(["", str(number // 48 + 1), header, ""])
    return "\n".join(out) + "\n"


def _themes_ttl(themes: list[tuple[str, str, list[str]]]) -> str:
    out = [
        "@prefix theme: <https://w3id.org/kg/themes/synthetic/> .",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "@prefix dcterms: <http://purl.org/dc/terms/> .",
        "",
        "theme:scheme a skos:ConceptScheme ;",
        '    dcterms:title "Synthetic themes"@en .',
        "",
    ]
    for ident, label, alts in themes:
        alt = " , ".join(f'"{a}"@en' for a in alts)
        out.append(
            f"theme:{ident} a skos:Concept ;\n    skos:inScheme theme:scheme ;\n"
            f'    skos:prefLabel "{label}"@en ;\n'
            f'    skos:definition "What the review says about {label.lower()}."@en ;\n'
            f"    skos:altLabel {alt} .\n"
        )
    return "\n".join(out)


def make_review(
    folder: str | Path, works: int = 10_000, *, seed: int = 1, themes: int = 200
) -> Path:
    """Write a synthetic review of ``works`` entries into ``folder``; return its kg.toml."""
    folder = Path(folder)
    rng = random.Random(f"kg-synth-{seed}-{works}")
    records, pool_bib = _make_works(rng, works)
    by_names: dict[tuple[str, ...], list[SynthWork]] = defaultdict(list)
    for work in records:
        by_names[_cited_names(work)].append(work)
    pairs = [(a, n) for a in ADJECTIVES for n in NOUNS]
    rng.shuffle(pairs)
    scheme = []
    for index, (adjective, noun) in enumerate(pairs[:themes]):
        label = f"{adjective} {noun}".capitalize()
        scheme.append((f"t{index:03d}-{adjective}-{noun}", label,
                       [f"{adjective} {noun}"]))  # fmt: skip
    (folder / "texts").mkdir(parents=True, exist_ok=True)
    header = ["@preamble{ {\\providecommand{\\noopsort}[1]{}} }"]
    header += [f"@string{{{macro} = {{{name}}}}}" for macro, name in JOURNALS]
    body = [_bib_entry(rng, work, pool_bib) for work in records]
    (folder / "references.bib").write_text(
        "% Synthetic bibliography written by benchmarks/synth.py\n\n"
        + "\n".join(header) + "\n\n" + "\n".join(body),
        encoding="utf-8",
    )  # fmt: skip
    (folder / "themes.ttl").write_text(_themes_ttl(scheme), encoding="utf-8")
    text_count = max(1, works // 100)
    citing = rng.sample(records, text_count)
    toml = [
        f'title = "Synthetic review of {works:,} works"',
        'base = "https://w3id.org/kg/review/synthetic/"',
        'bibliography = ["references.bib"]',
        'themes = "themes.ttl"',
        'output = "build"',
        "texts_from_file_field = false",
        "",
    ]
    popularity = [1.0 / (rank + 10) for rank in range(len(records))]
    for number, owner in enumerate(citing):
        cited_count = min(len(records), rng.randint(100, 300))
        cited = list(dict.fromkeys(rng.choices(records, weights=popularity, k=cited_count * 2)))
        cited = cited[:cited_count]
        paragraphs = []
        sentences = [_sentence(rng, cited, by_names, scheme) for _ in range(cited_count)]
        for start in range(0, len(sentences), 5):
            fillers = [
                " ".join(rng.choice(FILLER) for _ in range(rng.randint(10, 20))).capitalize() + "."
                for _ in range(rng.randint(0, 2))
            ]
            paragraphs.append(" ".join(sentences[start : start + 5] + fillers))
        name = f"text{number:04d}.txt"
        running = f"Synthetic Journal of Review Studies {number % 40 + 1}({number % 4 + 1})"
        (folder / "texts" / name).write_text(_pdf_lines(rng, paragraphs, running), "utf-8")
        toml += ["[[texts]]", f'path = "texts/{name}"', f'work = "{owner.key}"', ""]
    (folder / "kg.toml").write_text("\n".join(toml), encoding="utf-8")
    return folder / "kg.toml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--works", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(make_review(args.folder, args.works, seed=args.seed))


if __name__ == "__main__":
    main()
