"""How long hostile or broken Markdown takes to render, at edukit's size limits.

Run: python benchmarks/hostile_render.py [--max-seconds 2]
Each case is a lesson body of up to MAX_MODULE_BYTES / MAX_MODULE_LINES built to stress
Python-Markdown; every view is rendered and the slowest view is reported. Exit 1 if any
case renders a view slower than --max-seconds or raises anything but ContentError.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from edukit.core.library import load_module
from edukit.core.model import ContentError
from edukit.core.render import VIEWS, RenderContext, render
from edukit.core.text import MAX_MODULE_BYTES, MAX_MODULE_LINES

LINES = MAX_MODULE_LINES - 10
BYTES = MAX_MODULE_BYTES - 1000


def fill(unit: str, limit_lines: bool = True) -> str:
    """Repeat unit up to the byte limit (and the line limit when unit has newlines)."""
    n = BYTES // len(unit)
    if limit_lines and unit.count("\n"):
        n = min(n, LINES // unit.count("\n"))
    return unit * n


def cases() -> dict[str, str]:
    return {
        "500-deep list (2 spaces)": "\n".join("  " * i + "- item" for i in range(500)),
        "500-deep list (4 spaces)": "\n".join("    " * i + "- item" for i in range(500)),
        "500-deep block quote": "\n".join("> " * i + "x" for i in range(1, 501)),
        "100,000 unmatched *": "*" * 100_000,
        "100,000 unmatched [": "[" * 100_000,
        "1 MB of unmatched [": fill("["),
        "1 MB of unmatched *": fill("*"),
        "1 MB of _a_ emphasis": fill("_a_ "),
        "1 MB of `code` spans": fill("`a` "),
        "1 MB of links": fill("[a](b.md) "),
        "1 MB of placeholders": fill("{{ school.name }} "),
        "1 MB of & entities": fill("&amp; "),
        "1 MB of raw <b> tags": fill("<b>x</b> "),
        "1 MB line of words": fill("word "),
        "1 MB line, no spaces": "a" * BYTES,
        "10,000 unclosed fenced divs": fill("::: notes\n"),
        "unclosed divs with text": fill("::: activity\ntext\n"),
        "500-deep nested divs": "\n".join(":" * (503 - i) + " callout" for i in range(500)),
        "unclosed code fence": "```\n" + fill("code line\n"),
        "alternating fences": fill("```\nx\n~~~\n"),
        "10,000 lines of headings": fill("# h\n"),
        "slides at the line limit": fill("## S\n\nt\n"),
        "--- slides at the line limit": fill("---\n\nt\n"),
        "table at the line limit": "|a|b|\n|-|-|\n" + fill("|x|y|\n"),
        "wide table rows": "|a|b|\n|-|-|\n" + fill("|" + "x|" * 50 + "\n"),
        "nested definition lists": fill("term\n: "),
        "footnotes": fill("a[^1] "),
        "reference definitions": fill("[l]: http://x\n"),
        "HTML comments never closed": fill("<!-- "),
        "md_in_html divs": fill('<div markdown="1">\n'),
        "raw table, stray end tags": "<table><tr><td>" + fill("</i>") + "</td></tr></table>",
        "raw table nested deep": "<table><tr><td>" + fill("<b>") + "</td></tr></table>",
        "raw tables": fill("<table><tr><td>0800 1111</td></tr></table>\n\n"),
        "mixed inline soup": fill("*a* _b_ `c` [d](e) <i>f</i> &amp; {{ school.name }}\n"),
    }


def measure(name: str, body: str, folder: Path) -> tuple[float, str]:
    path = folder / "module.md"
    path.write_text("---\ntitle: Stress\n---\n" + body, encoding="utf-8")
    module = load_module(path, "file")
    worst, outcome = 0.0, "rendered"
    refused = [p for p in module.problems if "limited to" in p.message]
    if refused:
        return 0.0, f"refused: {refused[0].message}"
    for view in VIEWS:
        start = time.perf_counter()
        try:
            render(module, view, RenderContext())
        except ContentError as exc:
            outcome = f"ContentError: {exc}"
        worst = max(worst, time.perf_counter() - start)
    return worst, outcome


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-seconds", type=float, default=2.0)
    args = parser.parse_args()
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        for name, body in cases().items():
            seconds, outcome = measure(name, body, Path(tmp))
            slow = seconds > args.max_seconds
            failed |= slow
            print(f"{'SLOW' if slow else 'ok  '} {seconds:6.2f} s  {len(body.encode()) / 1e6:5.2f} MB  "
                  f"{name}: {outcome}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
