"""``kg build``: the flow from a ``kg.toml`` to every output, with its cache, staging and
parallel drawing."""
