"""Names made safe for IRIs, shared by every stage that mints one.

>>> slug("Désistance & Recovery")
'desistance-recovery'
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["slug"]


def slug(text: str) -> str:
    """ASCII, lower-case, hyphen-separated form of ``text`` for use in IRIs."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"
