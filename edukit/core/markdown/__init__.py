"""edukit's Markdown: Python-Markdown plus one extension per piece of lesson syntax.

The package itself is light: the library reads front matter with its small helpers (blocks,
slides, title_block) and the app paints a cached lesson before Python-Markdown, Pygments and
pymdown-extensions load. `Converter` (edukit.core.markdown.converter) loads them on first use."""
from __future__ import annotations

from .guard import neutralise

__all__ = ["Converter", "builtin_extensions", "neutralise", "strip_tags"]
LAZY = frozenset({"Converter", "builtin_extensions", "strip_tags"})


def __getattr__(name: str):
    if name in LAZY:
        from . import converter

        return getattr(converter, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
