"""Which `{{ school.* }}` placeholders exist, apart from the Markdown extension that fills them
(edukit.core.markdown.placeholders), so the search index can read them without loading
Python-Markdown."""
from __future__ import annotations

import re

from ..model import SCHOOL_FALLBACKS

PLACEHOLDER = re.compile(r"\{\{\s*([\w.]+)\s*\}\}")


def placeholder_key(name: str) -> str | None:
    """'school.dsl_name' → 'dsl_name'; None for anything not a known placeholder."""
    prefix, _, key = name.partition(".")
    return key if prefix == "school" and key in SCHOOL_FALLBACKS else None
