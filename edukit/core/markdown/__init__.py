"""edukit's Markdown: Python-Markdown plus one extension per piece of lesson syntax.

The package itself is light: the library reads front matter with its small helpers (title_block;
blocks and slides for a file with no title) and the app paints a cached lesson before
Python-Markdown, Pygments and pymdown-extensions load. `Converter` (edukit.core.markdown.converter)
loads them on first use, as `neutralise` loads the guard's patterns."""
from __future__ import annotations

__all__ = ["Converter", "builtin_extensions", "neutralise", "strip_tags"]
LAZY = frozenset({"Converter", "builtin_extensions", "strip_tags"})


def __getattr__(name: str):
    if name in LAZY:
        from . import converter

        return getattr(converter, name)
    if name == "neutralise":
        from .guard import neutralise

        return neutralise
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
