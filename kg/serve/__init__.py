"""``kg serve``: the built review as a local web app; :mod:`kg.serve.server` runs it.

Nothing is imported here, so the SPARQL worker (``python -m kg.serve.sparql``) starts with
pyoxigraph alone.
"""
