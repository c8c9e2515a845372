"""No table a school prints runs off the page: edukit never turns a page landscape for a wide
table, so every table in every bundled module's printed kinds (found in the print HTML: today
the staff training register and the notes pages' layout) is exported at A4 and Letter and read
back with poppler. A table wider than the page is cut at the margin and its last columns are not
printed at all; one squeezed too narrow breaks its words. So: no word is drawn outside the text
area, and every cell of plain text is printed with its words whole. The positive control is a
module whose eight-column table of long words does run off the page."""
from __future__ import annotations

import html
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from edukit.core.library import Library
from edukit.core.model import Module
from edukit.core.options import PrintOptions, print_kinds
from edukit.core.printing import page_margins, print_page
from edukit.core.render import RenderContext

PAPERS = ("a4", "letter")
MM = 72 / 25.4
TOLERANCE = 1.5  # pt: a justified line's last letter may reach a hair past the margin
CELL = re.compile(r"<(t[dh])\b[^>]*>(.*?)</\1>", re.DOTALL)
BLOCK = re.compile(r"<(p|div|section|table|ul|ol|dl|img|svg|h[1-6])\b")
BREAKS = re.compile(r"\s+|(?<=[-/])")  # where a line may break inside a cell's text
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                  r"(.*?)</word>")
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.DOTALL)


def print_html(module: Module, kind: str) -> str:
    return print_page(module, RenderContext(), PrintOptions(kind=kind))


def kinds_with_tables(modules: list[Module]) -> dict[str, list[str]]:
    """Each print kind that draws a table for some of the modules: those modules' ids."""
    found: dict[str, list[str]] = {}
    for module in modules:
        for kind in print_kinds(module.meta.kind, module.meta.audience or "pupils"):
            if "<table" in print_html(module, kind):
                found.setdefault(kind, []).append(module.id)
    return found


BUNDLED = [m for m in Library.default().modules if m.origin == "bundled"]
TABLES = kinds_with_tables(BUNDLED)


def plain(text: str) -> str:
    return unicodedata.normalize("NFKC", html.unescape(text))


def text_cells(page_html: str) -> list[str]:
    """The text of each table cell that holds only text (a notes page's cells hold a slide)."""
    return [plain(re.sub(r"<[^>]+>", "", inner)) for _, inner in CELL.findall(page_html)
            if not BLOCK.search(inner)]


def pdf_words(pdf: Path) -> list[tuple[int, float, float, float, float, float, float, str]]:
    """(page, page width, page height, x0, y0, x1, y1, word) for every word poppler finds."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    return [(n, float(w), float(h), *map(float, box[:4]), plain(box[4]))
            for n, (w, h, body) in enumerate(PAGE.findall(out), 1) for box in WORD.findall(body)]


def words_outside(pdf: Path, kind: str) -> list[str]:
    """Words drawn left or right of the text area (the running header and footer, in the top
    and bottom margins, are left out)."""
    left, top, right, bottom = (v * MM for v in page_margins(PrintOptions(kind=kind)))
    return [f"page {n}: '{word}' {x1 - (w - right):+.1f}pt past the right margin"
            if x1 > w - right + TOLERANCE else f"page {n}: '{word}' left of the margin"
            for n, w, h, x0, y0, x1, y1, word in pdf_words(pdf)
            if top <= y1 and y0 <= h - bottom
            and (x0 < left - TOLERANCE or x1 > w - right + TOLERANCE)]


def cells_not_printed_whole(pdf: Path, cells: list[str]) -> list[str]:
    """Cell words missing from the page (a column cut off) or broken where no line may break
    (a column squeezed narrower than its words)."""
    printed = {piece for *_, word in pdf_words(pdf) for piece in BREAKS.split(word) if piece}
    return [f"'{piece}' (in '{cell}')" for cell in cells for piece in BREAKS.split(cell)
            if piece and piece not in printed]


def table_problems(pdf: Path, kind: str, page_html: str) -> list[str]:
    return words_outside(pdf, kind) + cells_not_printed_whole(pdf, text_cells(page_html))


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    base = tmp_path_factory.mktemp("tables")
    env = {**os.environ, **{f"EDUKIT_{d.upper()}_DIR": str(base / d)
                            for d in ("config", "data", "cache")}}

    def run(kind: str, paper: str, ids: list[str], *content: str) -> Path:
        """The folder the PDFs are in, each named ID-KIND.pdf."""
        out = base / f"{kind}-{paper}-{len(content)}"
        out.mkdir()  # one module is written to the file -o names, several into the folder
        target = out / f"{ids[0]}-{kind}.pdf" if len(ids) == 1 else out
        done = subprocess.run([sys.executable, "-m", "edukit", *content, "export", *ids, "--as",
                               kind, "--paper", paper, "-o", str(target)], capture_output=True,
                              text=True, timeout=900, check=False, env=env)
        assert done.returncode == 0, done.stderr
        return out
    return run


def test_the_bundled_tables_are_found():
    # the register's sign-in table (staff training) and the notes pages' one-column layout
    assert "register" in TABLES and "notes" in TABLES, TABLES


@pytest.mark.parametrize("paper", PAPERS)
def test_no_table_in_a_bundled_module_runs_off_its_page(export, paper):
    library = Library.default()
    problems = []
    for kind, ids in TABLES.items():
        out = export(kind, paper, ids)
        for module_id in ids:
            pdf = out / f"{module_id}-{kind}.pdf"
            page_html = print_html(library.get(module_id), kind)
            problems += [f"{module_id} {kind}: {p}" for p in table_problems(pdf, kind, page_html)]
    assert problems == []


WIDE = """---
title: Wide table
audience: staff
---
# Wide table

## Contacts

| Service | Email | Web address | Phone | Hours | Who | Notes | Route |
|---|---|---|---|---|---|---|---|
| Safeguarding | dsl@stbartholomewallsaints.norfolk.sch.uk | www.example.org.uk/onlinesafetyreporting | 01234567890 | MondaytoFriday | DesignatedSafeguardingLead | Everythingrecordedimmediately | ChildrenssocialcareMASH |
"""


def test_a_table_wider_than_the_page_is_caught(export, tmp_path):
    """Positive control: long words in eight columns make the table wider than the page;
    its last columns are cut off, and the checks say so."""
    (tmp_path / "wide-table").mkdir()
    (tmp_path / "wide-table" / "module.md").write_text(WIDE, encoding="utf-8")
    module = Library.default(extra=[tmp_path]).get("wide-table")
    assert kinds_with_tables([module]).get("guide") == ["wide-table"]
    pdf = export("guide", "a4", ["wide-table"], "--content", str(tmp_path)) / "wide-table-guide.pdf"
    problems = table_problems(pdf, "guide", print_html(module, "guide"))
    assert any("'Route'" in p for p in problems), problems  # the last column is not printed
