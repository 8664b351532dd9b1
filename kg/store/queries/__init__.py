"""kg's named SPARQL queries, one ``NAME.rq`` file each (read by ``kg.store.query``).

The large ones are written for the on-disk store. pyoxigraph joins the patterns of one
basic graph pattern by a RocksDB seek per row and per pattern, and reads an IRI or a long
string back from RocksDB at every comparison of an ORDER BY: at 10,000 works that took
authors-by-theme 15.7 s. So each triple pattern sits in a sub-SELECT of its own
(``{ SELECT * WHERE { ?claim kg:hasCitation ?citation } }``), which is scanned once and
joined by hashing; a parameter's VALUES and FILTER sit in the sub-SELECT they narrow; and an
IRI or text is ordered by ``CONCAT(" ", ...)`` of it, a string made during the query and
compared in memory, in the same order. Where the sort meets many ties on its first keys
(claim-citations) or a key repeats on many rows (works-by-citation-count), the key is made
once per value in the sub-SELECT that binds it (``(CONCAT(" ", ?citing) AS ?citingKey)``)
rather than at each comparison. Any SPARQL 1.1 server answers the same text the same
way (``tests/test_query_shapes.py`` compares them with the earlier, plainer shapes).

The ``CONCAT`` keys are for the on-disk store only, not a rule of ordering: an IRI orders as
its string and a simple literal as its text, in pyoxigraph on disk and in memory alike. In
memory (``kg serve``'s worker) there is no RocksDB read to spare and making the strings
costs more than it saves, so a query may carry, just before its ``ORDER BY``, a comment
``# in memory: ORDER BY ...`` with the same order on the terms themselves (``STR()`` of a
label that may carry a language). The worker runs that clause in its place
(``kg.store.query.memory_shape``); any other engine reads a comment. Only where it was
measured to pay (10,000 works, the worker's CPU time: author-theme-claims 12% less,
themes-of-author 5-8%; authors-by-theme, contested-themes, claims-for-theme and
claim-citations gained nothing), and ``tests/test_query_shapes.py`` requires the worker's
answers in the embedded store's order.

A query may also carry ``# kg sorts: ?a DESC(?b)`` before its ``ORDER BY``: on a pyoxigraph
store, ``run_query`` runs it without the ``ORDER BY`` and sorts the rows itself by those
projected variables (IRIs and strings by their text, integers by value), in the same order
(``kg.store.query.ordered_by_kg``). The engine's sort reads both terms of every comparison
back from RocksDB, the rows are read once anyway: at 10,000 works this takes a third of a
cold citations query's CPU and two fifths of work-authors'. Any other engine, and kg serve's
worker, reads a comment and sorts as the ORDER BY says (``tests/test_query_shapes.py``
compares both orders).
"""
