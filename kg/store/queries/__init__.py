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
"""
