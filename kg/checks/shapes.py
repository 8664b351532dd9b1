"""The SHACL shapes of ``ontology/shapes.ttl``, checked by SPARQL queries over pyoxigraph.

pySHACL, which ``kg validate`` used before, walks an rdflib graph in Python: 20 of the 27 s
of checking a 10,000-entry bibliography, and over three minutes for a 10,000-work review.
Here each shape becomes SPARQL that pyoxigraph answers in Rust, over an in-memory store of
the quads: one query per targeted shape finds the focus nodes that do not conform, and only
for a shape that has some, one query per constraint says which constraint and which value.
The results are those of pySHACL (focus node, path, value, severity, constraint component,
and the shape's ``sh:message``): tests/test_validate.py runs both on the seed review, on
every corpus bibliography and on broken graphs, and compares.

The shapes file stays the specification. The checker knows the part of SHACL Core that
the shapes use (``SUPPORTED``) and refuses a shapes file that asks for anything else,
rather than checking it in part.

A store keeps numbers and booleans by value (``"5"^^xsd:nonNegativeInteger`` comes back as
``"5"^^xsd:integer``), so ``sh:datatype`` is checked on the quads as given, in Python, and
each value that fails is marked in the store for the queries to find.

>>> results = load_shapes().check(quads)  # doctest: +SKIP
>>> results[0].message  # doctest: +SKIP
'a work needs a title, or kg:incomplete true: add a title to its bibliography entry'
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, QuerySolutions, RdfFormat, Store, parse

from kg.errors import KgError
from kg.prefixes import PREFIXES

__all__ = ["SUPPORTED", "ShapeResult", "Shapes", "load_shapes", "prefixed"]

SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDF_FIRST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first"
RDF_REST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest"
RDF_NIL = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
SUBCLASS_OF = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
WHOLE_NUMBERS = frozenset(
    f"http://www.w3.org/2001/XMLSchema#{name}" for name in ("integer", "nonNegativeInteger")
)
DIGITS = re.compile(r"[0-9]+")
INSTANCE_OF = f"<{RDF_TYPE}>/<{SUBCLASS_OF}>*"
VIOLATION = NamedNode(f"{SH}Violation")
# The datatype check's marks: subject, this + a number, the value that failed.
MARK = "urn:kg:shapes:ill-typed:"

# What the checker implements, by local name in the sh: namespace: targets, the path with
# sh:alternativePath, the constraint parameters, and what describes a result.
SUPPORTED = frozenset([
    "targetClass", "targetSubjectsOf", "targetObjectsOf", "path", "alternativePath",
    "property", "node", "or", "not",
    "class", "datatype", "nodeKind", "in", "minCount", "maxCount", "minLength", "pattern",
    "minInclusive", "maxInclusive", "lessThanOrEquals", "uniqueLang", "qualifiedValueShape",
    "qualifiedMinCount", "message", "severity",
    # annotations, which change no result
    "name", "description", "order", "group",
])  # fmt: skip
SHAPE_TYPES = frozenset([f"{SH}NodeShape", f"{SH}PropertyShape"])
# The kinds of target, the class first (the others name a property).
TARGETS = ("targetClass", "targetSubjectsOf", "targetObjectsOf")
NODE_KINDS = {
    f"{SH}IRI": "isIRI({})",
    f"{SH}BlankNode": "isBlank({})",
    f"{SH}Literal": "isLiteral({})",
    f"{SH}BlankNodeOrIRI": "!isLiteral({})",
    f"{SH}BlankNodeOrLiteral": "!isIRI({})",
    f"{SH}IRIOrLiteral": "!isBlank({})",
}
# The parameters that make a constraint (sh:qualifiedValueShape goes with sh:qualifiedMinCount).
CONSTRAINTS = SUPPORTED - {
    "targetClass", "targetSubjectsOf", "targetObjectsOf", "path", "alternativePath", "property",
    "qualifiedValueShape", "message", "severity", "name", "description", "order", "group",
}  # fmt: skip
# Constraints on the set of a focus node's values (one result per focus node, no value);
# every other constraint is on each value (one result per value that fails).
ON_ALL_VALUES = frozenset(["minCount", "maxCount", "qualifiedMinCount", "uniqueLang"])

Term = NamedNode | BlankNode | Literal


@dataclass(frozen=True)
class ShapeResult:
    """One SHACL validation result, as pySHACL reports it.

    ``path`` is the result path when it is one property (None for a node shape's own
    constraints and for a path of alternatives); ``component`` the constraint component's
    IRI (``sh:MinCountConstraintComponent``); ``message`` the shape's ``sh:message``, or what
    the constraint asks when it has none.
    """

    focus: Term
    path: NamedNode | None
    value: Term | None
    severity: NamedNode
    component: NamedNode
    message: str


@dataclass(frozen=True)
class _Constraint:
    """One constraint of a shape: its component's local name (``minCount``), its parameter
    as SPARQL (a term, a number, the shapes it refers to) and its message if the shape has
    none."""

    name: str
    parameter: object
    default_message: str

    @property
    def component(self) -> NamedNode:
        return NamedNode(f"{SH}{self.name[0].upper()}{self.name[1:]}ConstraintComponent")


@dataclass(frozen=True)
class _Shape:
    """A shape compiled: its targets (``("targetClass", "<iri>")``, ``("targetSubjectsOf",
    "<property>")``...), its path as a SPARQL property path (None for a node shape), its
    constraints and property shapes."""

    name: str
    targets: tuple[tuple[str, str], ...]
    path: str | None
    result_path: NamedNode | None
    constraints: tuple[_Constraint, ...]
    properties: tuple[_Shape, ...]
    severity: NamedNode
    message: str | None


@dataclass(frozen=True)
class _DatatypeCheck:
    """``sh:datatype`` on a one-property path: the values of ``predicate`` that are not
    well-formed literals of ``datatype`` are marked with ``mark`` in the store."""

    predicate: NamedNode
    datatype: NamedNode
    mark: NamedNode


@dataclass(frozen=True)
class Shapes:
    """A shapes file compiled to SPARQL (``load_shapes``); :meth:`check` runs it."""

    path: Path
    shapes: tuple[_Shape, ...]
    datatypes: tuple[_DatatypeCheck, ...]
    predicates: frozenset[str]
    classes: frozenset[str]

    def check(self, quads: Iterable[Quad]) -> list[ShapeResult]:
        """The results of the shapes over the union of the quads' graphs.

        Only quads whose predicate a shape names, that type a node or say a class is a
        subclass go into the store: no other can change a result, as no shape is
        ``sh:closed``. Each result is given once.
        """
        used = [q for q in quads if q.predicate.value in self.predicates]
        store = Store()
        store.extend(used)
        store.extend(_datatype_marks(self.datatypes, used))
        writer = _Writer(_subclasses(store, self.classes))
        found: dict[ShapeResult, None] = {}
        for shape in self.shapes:
            targets = partial(writer.targets, shape)
            failing = f"ASK {{ {targets('?focus')} FILTER({writer.fails(shape, '?focus')}) }}"
            if store.query(failing, use_default_graph_as_union=True):
                found.update(dict.fromkeys(_results(store, writer, shape, targets)))
        return list(found)


def load_shapes(path: Path | None = None) -> Shapes:
    """The shapes of ``path`` (default: kg's ``ontology/shapes.ttl``), compiled once.

    Raises ``KgError`` naming the file when it is missing, is not Turtle, or uses SHACL that
    the checker does not implement (``SUPPORTED``).
    """
    if path is None:
        from kg.config import ontology_path

        path = ontology_path() / "shapes.ttl"
    return _load(Path(path))


@lru_cache(maxsize=4)
def _load(path: Path) -> Shapes:
    if not path.is_file():
        raise KgError(f"{path}: the SHACL shapes are missing; reinstall kg")
    triples: dict[Term, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
    try:
        for quad in parse(path=str(path), format=RdfFormat.TURTLE):  # type: ignore[arg-type]
            triples[quad.subject][quad.predicate.value].append(quad.object)  # type: ignore[index]
    except SyntaxError as error:
        raise KgError(f"{path}: not valid Turtle ({error})") from None
    return _Compiler(path, triples).compile()


class _Compiler:
    """Reads the shapes of a shapes graph (``triples[subject][predicate]``) into ``_Shape``s."""

    def __init__(self, path: Path, triples: dict[Term, dict[str, list[Term]]]) -> None:
        self.path = path
        self.triples = triples
        self.compiled: dict[Term, _Shape] = {}
        self.open: set[Term] = set()
        self.datatypes: list[_DatatypeCheck] = []
        self.predicates: set[str] = {RDF_TYPE, SUBCLASS_OF}
        self.classes: set[str] = set()

    def compile(self) -> Shapes:
        targeted = [
            node
            for node, values in self.triples.items()
            if any(f"{SH}{name}" in values for name in TARGETS)
        ]
        for node in self.triples:
            if any(SHAPE_TYPES & {str(t.value) for t in self.triples[node].get(RDF_TYPE, [])}):
                self.shape(node)  # every shape is checked for what it uses, targeted or not
        shapes = tuple(self.shape(node) for node in targeted)
        return Shapes(
            self.path, shapes, tuple(self.datatypes), frozenset(self.predicates),
            frozenset(self.classes),
        )  # fmt: skip

    def fail(self, node: Term, problem: str) -> KgError:
        return KgError(f"{self.path}: shape {_named(node)} {problem}")

    def shape(self, node: Term) -> _Shape:
        if node in self.compiled:
            return self.compiled[node]
        if node in self.open:
            raise self.fail(node, "refers to itself; kg checks only shapes without cycles")
        self.open.add(node)
        values = self.triples.get(node, {})
        unknown = sorted(
            p[len(SH) :] for p in values if p.startswith(SH) and p[len(SH) :] not in SUPPORTED
        )
        if unknown:
            listed = ", ".join(f"sh:{name}" for name in unknown)
            raise self.fail(node, f"uses {listed}, which kg's shape checker does not implement")
        path, result_path = (
            self.path_of(node, values[f"{SH}path"][0]) if values.get(f"{SH}path") else (None, None)
        )
        targets = tuple(
            (kind, str(term)) for kind in TARGETS for term in values.get(f"{SH}{kind}", [])
        )
        self.classes.update(str(c) for c in values.get(f"{SH}targetClass", []))
        self.predicates.update(
            p.value for kind in TARGETS[1:] for p in values.get(f"{SH}{kind}", [])
        )
        constraints = tuple(self.constraints(node, values, result_path, path is not None))
        properties = tuple(self.shape(p) for p in values.get(f"{SH}property", []))
        if path is not None and properties:
            raise self.fail(node, "has sh:property in a property shape, which kg does not check")
        messages = [str(m.value) for m in values.get(f"{SH}message", [])]
        severity = values.get(f"{SH}severity", [VIOLATION])[0]
        if not isinstance(severity, NamedNode):
            raise self.fail(node, "has a sh:severity that is not an IRI")
        shape = _Shape(
            _named(node), targets, path, result_path, constraints, properties, severity,
            messages[0] if messages else None,
        )  # fmt: skip
        self.open.discard(node)
        self.compiled[node] = shape
        return shape

    def path_of(self, node: Term, path: Term) -> tuple[str, NamedNode | None]:
        """A SHACL path as a SPARQL property path, and as a result path if it is one IRI."""
        if isinstance(path, NamedNode):
            self.predicates.add(path.value)
            return str(path), path
        if RDF_FIRST in self.triples.get(path, {}):
            steps = [self.path_of(node, p)[0] for p in self.items(node, path)]
            return f"({'/'.join(steps)})", None
        alternatives = self.triples.get(path, {}).get(f"{SH}alternativePath", [])
        if len(alternatives) != 1:
            raise self.fail(
                node, "has a path kg does not check (only an IRI, a sequence or alternatives)"
            )
        parts = [self.path_of(node, p)[0] for p in self.items(node, alternatives[0])]
        return f"({'|'.join(parts)})", None

    def items(self, node: Term, head: Term) -> list[Term]:
        """The members of an RDF list."""
        found = []
        while not (isinstance(head, NamedNode) and head.value == RDF_NIL):
            first = self.triples.get(head, {}).get(RDF_FIRST, [])
            rest = self.triples.get(head, {}).get(RDF_REST, [])
            if len(first) != 1 or len(rest) != 1:
                raise self.fail(node, "has a list that is not a well-formed RDF list")
            found.append(first[0])
            head = rest[0]
        return found

    def constraints(
        self, node: Term, values: dict[str, list[Term]], shape_path: NamedNode | None, path: bool
    ) -> Iterator[_Constraint]:
        """The constraints of a shape, one for each value of each parameter, in name order.
        ``path`` says whether the shape has one, ``shape_path`` the property if it is one."""
        for name in sorted(CONSTRAINTS & {p[len(SH) :] for p in values if p.startswith(SH)}):
            if name in ON_ALL_VALUES and not path:
                raise self.fail(node, f"has sh:{name} but no sh:path")
            for parameter in values[f"{SH}{name}"]:
                constraint = self.constraint(node, name, parameter, values, shape_path)
                if constraint is not None:
                    yield constraint

    def constraint(
        self,
        node: Term,
        name: str,
        parameter: Term,
        values: dict[str, list[Term]],
        shape_path: NamedNode | None,
    ) -> _Constraint | None:
        """One constraint as SPARQL, or None for ``sh:uniqueLang false``."""
        if name in ("minCount", "maxCount", "minLength"):
            count = self.count(node, name, parameter)
            said = {
                "minCount": f"needs at least {count} value(s)",
                "maxCount": f"has more than {count} value(s)",
                "minLength": f"is shorter than {count} character(s)",
            }
            return _Constraint(name, count, said[name])
        if name == "qualifiedMinCount":
            count = self.count(node, name, parameter)
            shapes = values.get(f"{SH}qualifiedValueShape", [])
            if len(shapes) != 1:
                raise self.fail(
                    node, "needs one sh:qualifiedValueShape for its sh:qualifiedMinCount"
                )
            qualified = self.shape(shapes[0])
            wants = f"needs at least {count} value(s) that conform to {qualified.name}"
            return _Constraint(name, (qualified, count), wants)
        if name in ("class", "lessThanOrEquals", "nodeKind", "datatype"):
            if not isinstance(parameter, NamedNode):
                raise self.fail(node, f"has a sh:{name} that is not an IRI")
            if name == "datatype":
                return self.datatype(node, parameter, shape_path)
            if name == "nodeKind" and parameter.value not in NODE_KINDS:
                raise self.fail(node, f"has an unknown sh:nodeKind {parameter}")
            if name == "lessThanOrEquals":
                self.predicates.add(parameter.value)
            if name == "class":
                self.classes.add(str(parameter))
            said = {
                "class": f"is not an instance of {prefixed(parameter.value)}",
                "lessThanOrEquals": f"is not <= its {prefixed(parameter.value)}",
                "nodeKind": f"is not of kind {prefixed(parameter.value)}",
            }
            return _Constraint(name, str(parameter), said[name])
        if name in ("minInclusive", "maxInclusive", "pattern"):
            if not isinstance(parameter, Literal):
                raise self.fail(node, f"has a sh:{name} that is not a literal")
            said = {
                "minInclusive": f"is less than {parameter.value}",
                "maxInclusive": f"is more than {parameter.value}",
                "pattern": f"does not match {parameter.value}",
            }
            return _Constraint(name, str(parameter), said[name])
        if name == "in":
            members = self.items(node, parameter)
            shown = ", ".join(m.value for m in members)
            return _Constraint(name, tuple(str(m) for m in members), f"is not one of ({shown})")
        if name == "node":
            shape = self.shape(parameter)
            return _Constraint(name, shape, f"does not conform to {shape.name}")
        if name == "or":
            shapes_or = tuple(self.shape(member) for member in self.items(node, parameter))
            named = ", ".join(s.name for s in shapes_or)
            return _Constraint(name, shapes_or, f"conforms to none of ({named})")
        if name == "not":
            shape = self.shape(parameter)
            return _Constraint(name, shape, f"conforms to {shape.name}, which it must not")
        if not isinstance(parameter, Literal) or parameter.value not in ("true", "false"):
            raise self.fail(node, "has a sh:uniqueLang that is not true or false")
        if parameter.value == "false":
            return None
        return _Constraint(name, True, "has more than one value in the same language")

    def count(self, node: Term, name: str, parameter: Term) -> int:
        if not isinstance(parameter, Literal) or not parameter.value.isdigit():
            raise self.fail(node, f"has a sh:{name} that is not a whole number")
        return int(parameter.value)

    def datatype(
        self, node: Term, datatype: NamedNode, shape_path: NamedNode | None
    ) -> _Constraint:
        if shape_path is None:
            raise self.fail(node, "has sh:datatype, which kg checks only on a one-property path")
        check = _DatatypeCheck(shape_path, datatype, NamedNode(f"{MARK}{len(self.datatypes)}"))
        self.datatypes.append(check)
        said = f"is not a literal of datatype {prefixed(datatype.value)}"
        return _Constraint("datatype", str(check.mark), said)


class _Writer:
    """Writes the SPARQL of shapes and constraints, each nested test with variables of its
    own."""

    def __init__(self, subclasses: dict[str, tuple[str, ...] | None]) -> None:
        self._numbers = itertools.count()
        self._subclasses = subclasses

    def variable(self) -> str:
        return f"?v{next(self._numbers)}"

    def instance(self, node: str, cls: str) -> str:
        """A pattern matching when ``node`` is an instance of the class ``cls`` (an IRI in
        SPARQL): typed with it or one of its subclasses, found in the store beforehand, as
        a property path through ``rdfs:subClassOf*`` costs several times more each time."""
        classes = self._subclasses.get(cls)
        if classes is None:
            return f"{node} {INSTANCE_OF} {cls}"
        if classes == (cls,):
            return f"{node} <{RDF_TYPE}> {cls}"
        typed = self.variable()
        return f"{node} <{RDF_TYPE}> {typed} VALUES {typed} {{ {' '.join(classes)} }}"

    def targets(self, shape: _Shape, focus: str) -> str:
        """A pattern binding ``focus`` to each target of ``shape``."""
        patterns = []
        for kind, term in shape.targets:
            if kind == "targetClass":
                patterns.append(self.instance(focus, term))
            else:
                ends = (focus, "[]") if kind == "targetSubjectsOf" else ("[]", focus)
                patterns.append(f"{ends[0]} {term} {ends[1]}")
        return " UNION ".join(f"{{ {pattern} }}" for pattern in patterns)

    def fails(self, shape: _Shape, node: str) -> str:
        """An expression true when the node ``node`` (a variable or term) breaks ``shape``."""
        tests = [self.breaks(shape, c, node) for c in shape.constraints]
        tests.extend(self.fails(p, node) for p in shape.properties)
        return " || ".join(f"({t})" for t in tests) or "false"

    def breaks(self, shape: _Shape, constraint: _Constraint, focus: str) -> str:
        """An expression true when the focus node breaks one constraint of ``shape``."""
        if constraint.name in ON_ALL_VALUES:
            assert shape.path is not None
            return self.breaks_values(constraint, shape.path, focus)
        if shape.path is None:
            return self.breaks_value(constraint, focus, focus)
        value = self.variable()
        test = self.breaks_value(constraint, focus, value)
        return f"EXISTS {{ {focus} {shape.path} {value} FILTER({test}) }}"

    def breaks_value(self, constraint: _Constraint, focus: str, value: str) -> str:
        """An expression true when ``value``, a value of ``focus``, breaks the constraint."""
        name, parameter = constraint.name, constraint.parameter
        if name == "class":
            return f"NOT EXISTS {{ {self.instance(value, str(parameter))} }}"
        if name == "datatype":
            return f"EXISTS {{ {focus} {parameter} {value} }}"
        if name == "nodeKind":
            return f"!{NODE_KINDS[str(parameter)[1:-1]].format(value)}"
        if name == "minLength":
            return f"isBlank({value}) || STRLEN(STR({value})) < {parameter}"
        if name == "pattern":
            return f"isBlank({value}) || !REGEX(STR({value}), {parameter})"
        if name == "in":
            assert isinstance(parameter, tuple)
            return (
                "!(" + (" || ".join(f"sameTerm({value}, {m})" for m in parameter) or "false") + ")"
            )
        if name == "minInclusive":
            return f"!COALESCE({value} >= {parameter}, false)"
        if name == "maxInclusive":
            return f"!COALESCE({value} <= {parameter}, false)"
        if name == "lessThanOrEquals":
            other = self.variable()
            test = f"!COALESCE({value} <= {other}, false)"
            return f"EXISTS {{ {focus} {parameter} {other} FILTER({test}) }}"
        if name == "node":
            assert isinstance(parameter, _Shape)
            return self.fails(parameter, value)
        if name == "not":
            assert isinstance(parameter, _Shape)
            return f"!({self.fails(parameter, value)})"
        assert name == "or" and isinstance(parameter, tuple)
        return " && ".join(f"({self.fails(s, value)})" for s in parameter) or "true"

    def breaks_values(self, constraint: _Constraint, path: str, focus: str) -> str:
        """An expression true when the values of ``focus`` together break the constraint."""
        name, parameter = constraint.name, constraint.parameter
        if name == "minCount":
            assert isinstance(parameter, int)
            return (
                f"NOT EXISTS {{ {self.distinct(focus, path, parameter)} }}"
                if parameter
                else "false"
            )
        if name == "maxCount":
            assert isinstance(parameter, int)
            return f"EXISTS {{ {self.distinct(focus, path, parameter + 1)} }}"
        if name == "qualifiedMinCount":
            assert isinstance(parameter, tuple)
            shape, count = parameter
            if not count:
                return "false"
            conforming = self.distinct(focus, path, count, lambda v: f"!({self.fails(shape, v)})")
            return f"NOT EXISTS {{ {conforming} }}"
        assert name == "uniqueLang"
        one, other = self.variable(), self.variable()
        same = f'LANG({one}) != "" && LCASE(LANG({one})) = LCASE(LANG({other}))'
        pattern = f"{focus} {path} {one} . {focus} {path} {other}"
        return f"EXISTS {{ {pattern} FILTER(!sameTerm({one}, {other}) && {same}) }}"

    def distinct(
        self, focus: str, path: str, count: int, test: Callable[[str], str] | None = None
    ) -> str:
        """A pattern matching ``count`` different values of ``focus``, each passing ``test``."""
        names = [self.variable() for _ in range(count)]
        tests = [f"!sameTerm({a}, {b})" for a, b in itertools.combinations(names, 2)]
        tests.extend(test(name) for name in names if test is not None)
        patterns = " . ".join(f"{focus} {path} {name}" for name in names)
        return patterns + (f" FILTER({' && '.join(tests)})" if tests else "")


def _subclasses(store: Store, classes: Iterable[str]) -> dict[str, tuple[str, ...] | None]:
    """Each class (an IRI in SPARQL) with itself and its subclasses in the store, or None
    where one is a blank node, which a query cannot name."""
    found: dict[str, list[Term]] = {cls: [] for cls in classes}
    if found:
        query = (
            f"SELECT DISTINCT ?class ?sub WHERE {{ VALUES ?class {{ {' '.join(found)} }}"
            f" ?sub <{SUBCLASS_OF}>+ ?class }}"
        )
        for row in _select(store, query):
            found[str(row["class"])].append(row["sub"])
    return {
        cls: (cls, *sorted({str(s) for s in subs} - {cls}))
        if all(isinstance(s, NamedNode) for s in subs)
        else None
        for cls, subs in found.items()
    }


def _results(
    store: Store, writer: _Writer, shape: _Shape, nodes: Callable[[str], str]
) -> Iterator[ShapeResult]:
    """The results of ``shape`` on the focus nodes that ``nodes(variable)`` binds, one query
    per constraint. As pySHACL does, a value that breaks ``sh:node`` brings the results of
    that shape on it (its ``sh:detail``) as well."""
    for owner in (shape, *shape.properties):
        for constraint in owner.constraints:
            focus, value = writer.variable(), writer.variable()
            if constraint.name in ON_ALL_VALUES:
                pattern = f"{nodes(focus)} FILTER({writer.breaks(owner, constraint, focus)})"
                value = ""
            elif owner.path is None:
                value = focus
                pattern = f"{nodes(focus)} FILTER({writer.breaks_value(constraint, focus, focus)})"
            else:
                test = writer.breaks_value(constraint, focus, value)
                pattern = f"{nodes(focus)} {focus} {owner.path} {value} FILTER({test})"
            message = owner.message or constraint.default_message
            found = False
            columns = focus if value in ("", focus) else f"{focus} {value}"
            for row in _select(store, f"SELECT DISTINCT {columns} WHERE {{ {pattern} }}"):
                found = True
                yield ShapeResult(
                    row[focus[1:]], owner.result_path, row.get(value[1:]), owner.severity,
                    constraint.component, message,
                )  # fmt: skip
            if found and constraint.name == "node":
                assert isinstance(constraint.parameter, _Shape)

                def failed(variable: str, value: str = value, pattern: str = pattern) -> str:
                    return f"{{ SELECT DISTINCT ({value} AS {variable}) WHERE {{ {pattern} }} }}"

                yield from _results(store, writer, constraint.parameter, failed)


def _select(store: Store, query: str) -> Iterator[dict[str, Term]]:
    solutions = store.query(query, use_default_graph_as_union=True)
    assert isinstance(solutions, QuerySolutions)
    names = [v.value for v in solutions.variables]
    for row in solutions:
        yield {name: row[name] for name in names if row[name] is not None}


def _datatype_marks(checks: Sequence[_DatatypeCheck], quads: Sequence[Quad]) -> list[Quad]:
    """(subject, mark, value) for each value that fails a ``sh:datatype``."""
    by_predicate: dict[str, list[_DatatypeCheck]] = defaultdict(list)
    for check in checks:
        by_predicate[check.predicate.value].append(check)
    with _rdflib_quiet():
        return [
            Quad(quad.subject, check.mark, quad.object, quad.graph_name)
            for quad in quads
            if quad.predicate.value in by_predicate
            for check in by_predicate[quad.predicate.value]
            if not _well_typed(quad.object, check.datatype)
        ]


def _well_typed(term: object, datatype: NamedNode) -> bool:
    """Whether ``term`` is a literal of ``datatype`` whose text is valid for it, as rdflib
    (and so pySHACL) tells: ``"-1"^^xsd:nonNegativeInteger`` is not.

    Any text is a string, and ASCII digits are an ``xsd:integer`` and an
    ``xsd:nonNegativeInteger``, without asking rdflib: that costs microseconds a literal,
    and a review of 10,000 works has 40,000 positions, each such a number.
    """
    if not isinstance(term, Literal) or term.datatype != datatype:
        return False
    if datatype.value in (XSD_STRING, RDF_LANG_STRING):
        return True
    if datatype.value in WHOLE_NUMBERS and DIGITS.fullmatch(term.value):
        return True
    return not _ill_typed(term.value, datatype.value)


@lru_cache(maxsize=65536)
def _ill_typed(text: str, datatype: str) -> bool:
    from rdflib import Literal as RdfLiteral
    from rdflib import URIRef

    return bool(RdfLiteral(text, datatype=URIRef(datatype)).ill_typed)


@contextlib.contextmanager
def _rdflib_quiet() -> Iterator[None]:
    """rdflib logs a warning with a traceback for each literal it cannot read; here that is
    the answer sought, not a problem, so its term module is quiet meanwhile."""
    logger = logging.getLogger("rdflib.term")
    disabled, logger.disabled = logger.disabled, True
    try:
        yield
    finally:
        logger.disabled = disabled


def prefixed(iri: str) -> str:
    """``prefix:name`` for an IRI in one of kg's vocabularies, else the IRI."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def _named(node: Term) -> str:
    if isinstance(node, NamedNode):
        if node.value.startswith("https://w3id.org/kg/shapes#"):
            return f"kgsh:{node.value.split('#', 1)[1]}"
        return prefixed(node.value)
    return "(a blank node)"
