"""Stage 3, store: the graph in an embedded Oxigraph store or a remote SPARQL endpoint, and the
queries asked of it."""
