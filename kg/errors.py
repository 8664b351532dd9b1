"""One error hierarchy for kg; the CLI turns any ``KgError`` into a one-line message."""

from __future__ import annotations

__all__ = [
    "BibliographyError",
    "ConfigError",
    "ExportError",
    "InputError",
    "KgError",
    "QueryError",
    "RemoteError",
    "StoreError",
    "ValidationError",
]


class KgError(Exception):
    """A problem the user can fix; its message names the file, line or key and what to do."""


class ConfigError(KgError):
    """A ``kg.toml`` that is missing, unreadable or has a wrong value."""


class ExportError(KgError):
    """An export that cannot be made: an unknown graph or view, or an output not writable."""


class InputError(KgError):
    """An input file that is missing, unreadable or not what it should be."""


class BibliographyError(InputError):
    """A bibliography that cannot be used at all (no good entry could be read)."""


class QueryError(KgError):
    """A SPARQL query that is malformed, unknown or not allowed."""


class RemoteError(KgError):
    """A SPARQL server that cannot be reached, does not answer in time or refuses a request."""


class StoreError(KgError):
    """The built store is missing, busy or cannot be opened."""


class ValidationError(KgError):
    """A review that does not conform, refused by ``kg build --strict``."""
