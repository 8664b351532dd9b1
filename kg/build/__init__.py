"""``kg build``: the flow from a ``kg.toml`` to every output (``pipeline``), with its cache,
staging, store writer and parallel drawing each in a module of its own."""
