"""kg: turn a literature review into a citation knowledge graph.

The stages of the flow are modules: ``bib`` (bibliography), ``citations`` (in-text
citations), ``themes``, ``claims``, ``graph`` (RDF), ``store`` (Oxigraph), ``query``
(SPARQL), ``network`` (networkx projections), ``views`` (pyvis), ``review`` (summary)
and ``build`` (the whole pipeline). Import what you use; nothing heavy is imported here.
"""

__version__ = "0.1.0"
