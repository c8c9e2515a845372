"""No table a school prints runs off the page. A table wider than the page is cut at the margin
and its last columns are not printed at all (a lost column could be the one with the helpline
number), so every table is fitted to its text width (edukit.core.markdown.tables): a word breaks
only when it is longer than its column's share, and a phone number never does.

Each check exports PDFs and reads them back with poppler (`pdftotext -bbox`): no word is drawn
outside the text area; every word of every cell is printed, whole or as pieces stacked in its
column; each phone number is on one line; a table that fits keeps every word whole. The bundled
modules' tables (the staff training register, the notes pages' layout) are checked too. The
positive control prints a wide table with the fitting CSS taken away: its last column is cut
off, and the checks say so."""
from __future__ import annotations

import hashlib
import html
import json
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from edukit.core.helplines import NUMBER
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


# pdftotext's -bbox output of each PDF read so far, by the PDF's bytes: each PDF is read by
# several checks (a file written again under the same name is read again)
BBOXES: dict[str, str] = {}


def pdf_words(pdf: Path) -> list[tuple[int, float, float, float, float, float, float, str]]:
    """(page, page width, page height, x0, y0, x1, y1, word) for every word poppler finds."""
    key = hashlib.sha256(pdf.read_bytes()).hexdigest()
    if key not in BBOXES:
        BBOXES[key] = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                                     text=True, check=True).stdout
    return [(n, float(w), float(h), *map(float, box[:4]), plain(box[4]))
            for n, (w, h, body) in enumerate(PAGE.findall(BBOXES[key]), 1)
            for box in WORD.findall(body)]


def words_outside(pdf: Path, options: PrintOptions) -> list[str]:
    """Words drawn left or right of the text area (the running header and footer, in the top
    and bottom margins, are left out)."""
    left, top, right, bottom = (v * MM for v in page_margins(options))
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
    return (words_outside(pdf, PrintOptions(kind=kind))
            + cells_not_printed_whole(pdf, text_cells(page_html)))


def pieces_printed(rest: str, before, left: float, words) -> bool:
    """Whether `rest` of a word is printed in pieces after the piece `before`: each either
    just after the last on its line (wide letter spacing parts a word in poppler's eyes) or on
    the next line from the word's left edge `left` (a word broken inside its cell), which may
    be on the next page (a row taller than a page, in large print)."""
    if not rest:
        return True
    page, x0, x1, y0 = before[0], before[3], before[5], before[4]
    height = before[6] - y0
    return any(pieces_printed(rest[len(w[7]):], w, left, words) for w in words
               if rest.startswith(w[7])
               and ((w[0] == page and abs(w[4] - y0) < 1 and x0 < w[3] <= x1 + height)
                    or (w[0] == page and abs(w[3] - left) <= 2 and 0 < w[4] - y0 <= 3 * height)
                    or (w[0] == page + 1 and abs(w[3] - left) <= 2)))


def words_not_printed(pdf: Path, cells: list[str]) -> list[str]:
    """Cell words that are not on the page, whole or in pieces (pieces_printed)."""
    words = [w for w in pdf_words(pdf) if w[7]]
    whole = {w[7] for w in words}
    return [f"'{token}' (in '{cell[:40]}')" for cell in cells for token in cell.split()
            if token not in whole
            and not any(pieces_printed(token[len(w[7]):], w, w[3], words) for w in words
                        if token.startswith(w[7]))]


def lines_of(pdf: Path) -> list[str]:
    """The text of each printed line (words at one height on a page, left to right)."""
    rows: dict[tuple[int, int], list] = {}
    for page, *_, x0, y0, _x1, _y1, word in pdf_words(pdf):
        rows.setdefault((page, round(y0)), []).append((x0, word))
    return [" ".join(word for _, word in sorted(row)) for row in rows.values()]


def numbers_split(pdf: Path, cells: list[str]) -> list[str]:
    """Phone numbers in the cells that are not printed on one line."""
    lines = lines_of(pdf)
    return [number for cell in cells for number in NUMBER.findall(cell)
            if not any(" ".join(number.split()) in line for line in lines)]


def fitting_problems(pdf: Path, options: PrintOptions, page_html: str) -> list[str]:
    cells = text_cells(page_html)
    return (words_outside(pdf, options) + words_not_printed(pdf, cells)
            + [f"{n} split over two lines" for n in numbers_split(pdf, cells)])


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    base = tmp_path_factory.mktemp("tables")
    runs = iter(range(1000))

    def run(kind: str, paper: str, ids: list[str], *args: str, font: str = "default",
            spacing: str = "normal", flags: tuple[str, ...] = ()) -> Path:
        """The folder the PDFs are in, each named ID-KIND.pdf."""
        out = base / f"{kind}-{paper}-{next(runs)}"
        out.mkdir()  # one module is written to the file -o names, several into the folder
        dirs = {d: out / d for d in ("config", "data", "cache")}
        for path in dirs.values():
            path.mkdir()
        (dirs["config"] / "preferences.json").write_text(json.dumps(
            {"schema_version": 2, "reading_font": font, "line_spacing": spacing}))
        env = {**os.environ, **{f"EDUKIT_{d.upper()}_DIR": str(p) for d, p in dirs.items()}}
        target = out / f"{ids[0]}-{kind}.pdf" if len(ids) == 1 else out
        done = subprocess.run([sys.executable, "-m", "edukit", *args, "export", *ids, "--as",
                               kind, "--paper", paper, *flags, "-o", str(target)], capture_output=True,
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


LONG_ROW = ("| Service | Email | Web address | Phone | Hours | Who | Notes | Route |\n"
            "|---|---|---|---|---|---|---|---|\n"
            "| Safeguarding | dsl@stbartholomewallsaints.norfolk.sch.uk | "
            "www.example.org.uk/onlinesafetyreporting | 01234 567890 | MondaytoFriday | "
            "DesignatedSafeguardingLead | Everythingrecordedimmediately | ChildrenssocialcareMASH |")
DAYS = ["Assembly", "Reading", "Maths", "Science", "Games", "Rest", "Church", "Twelve", "Autumn",
        "Seven", "Library", "Teacher", "Orange", "Kit"]
LESSONS = {
    "long-words": f"# Long words\n\n## Contacts\n\n{LONG_ROW}\n",
    "many-columns": (
        "# Many columns\n\n## Fourteen\n\n| " + " | ".join(d[:3] + "day" for d in DAYS) + " |\n|"
        + "---|" * 14 + "\n| " + " | ".join(DAYS) + " |\n\n## Twenty\n\n| "
        + " | ".join(f"Column {n}" for n in range(20)) + " |\n|" + "---|" * 20 + "\n| "
        + " | ".join(f"Value{n}" for n in range(20)) + " |\n"),
    "addresses": (
        "# Addresses\n\n## Where to report\n\n| Where | Address | Helpline | Text |\n"
        "|---|---|---|---|\n| Report | https://www.ceop.police.uk/Safety-Centre/Should-I-make-"
        "a-report-to-CEOP-YouTube-video/ | +44 (0)20 7946 0958 | 0808 800 5000 |\n"
        "| Childline | [Childline](https://www.childline.org.uk/get-support/) | 0800 1111 | "
        "116 123 |\n\n::: parents\n| Who | Call |\n|---|---|\n| Childline, free and "
        "confidential, any time | 0800 1111 |\n| NSPCC helpline for adults | 0808 800 5000 |\n"
        ":::\n"),
    "nested": ("# Nested\n\n## In a list\n\n- A list with a table:\n\n"
               + "".join(f"    {line}\n" for line in LONG_ROW.split("\n"))
               + f"\n## In a box\n\n::: activity\n{LONG_ROW}\n:::\n"),
    "raw-html": (
        "# Raw HTML\n\n## Typed as HTML\n\n<table><tr>"
        + "".join(f"<th>{c}</th>" for c in ("Service", "Email", "Web", "Hours", "Who", "Notes",
                                              "Route", "Room"))
        + "</tr><tr>" + "".join(f"<td>{c}</td>" for c in (
            "Safeguarding", "dsl@stbartholomewallsaints.norfolk.sch.uk",
            "www.example.org.uk/onlinesafetyreporting", "MondaytoFriday",
            "DesignatedSafeguardingLead", "Everythingrecordedimmediately",
            "ChildrenssocialcareMASH", "Staffroomnexttoreception"))
        + "</tr></table>\n"),
    # Helpline numbers in tables typed as HTML, in columns too narrow for them: tidy, typed
    # loosely (capitals, cells and rows left open, a number in bold, another after words), and
    # inside a box of the school's own
    "raw-phones": (
        "# Raw phones\n\n## Typed as HTML\n\n<table><tr>"
        + "".join(f"<th>{c}</th>" for c in ("Who", "Phone", "Text", "Hours", "Notes", "More",
                                              "Other", "Room"))
        + "</tr><tr>" + "".join(f"<td>{c}</td>" for c in (
            "Childline", "0800 1111", "0808 800 5000", "Anytime", "Everythingrecorded",
            "ChildrenssocialcareMASH", "Reception", "Staffroom"))
        + "</tr></table>\n\n## Typed loosely\n\n<TABLE class=\"contacts\"><TR><TH>Who<TH>Call"
        "<TH>Or<TH>Hours<TH>Notes<TH>More<TH>Other\n<TR><TD>Childline<TD><b>0800 1111</b>"
        "<TD>NSPCC on 0808 800 5000<TD>Any time<TD>Everythingrecorded<TD>Childrenssocialcare"
        "<TD>Staffroomnext</TABLE>\n\n## In a box\n\n<div class=\"contacts\">\n<table>"
        "<tr><th>A</th><th>B</th><th>C</th><th>D</th><th>E</th><th>F</th><th>G</th></tr>"
        "<tr><td>Samaritans</td><td>116 123</td><td>Somewhere</td><td>Everythingrecorded</td>"
        "<td>Childrenssocialcare</td><td>Staffroomnext</td><td>+44 (0)20 7946 0958</td></tr>"
        "</table>\n</div>\n"),
    "fits": (
        "# Fits\n\n## Services\n\n| Service | What they do | Phone |\n|---|---|---|\n"
        "| Safeguarding | A long description of what this service does for children and young "
        "people who are worried about something online, with several sentences of text so the "
        "column wants to be very wide when laid out on one line. | 0800 1111 |\n"
        "| Childline | Free, private and confidential; talk about anything. | 0808 800 5000 |\n"),
}


@pytest.fixture(scope="module")
def lessons(tmp_path_factory) -> tuple[Path, Library]:
    return write_lessons(tmp_path_factory.mktemp("lessons"))


def write_lessons(root: Path) -> tuple[Path, Library]:
    """LESSONS as a folder of lessons, and the library with them."""
    for module_id, body in LESSONS.items():
        audience = "pupils\nages: 11-14" if module_id == "addresses" else "staff"
        (root / module_id).mkdir()
        (root / module_id / "module.md").write_text(
            f"---\ntitle: {module_id}\naudience: {audience}\n---\n{body}", encoding="utf-8")
    return root, Library.default(extra=[root])


# Every printed kind a lesson's tables appear in, on both papers, portrait and landscape, in
# large print and in the widest font and spacings.
VARIANTS = [
    ("guide", "a4", (), "default", "normal"),
    ("handout", "letter", (), "default", "normal"),
    ("parents", "a4", (), "default", "normal"),
    ("slides", "letter", (), "default", "normal"),
    ("nup", "a4", (), "default", "normal"),
    ("guide", "a4", ("--large-print",), "default", "normal"),
    ("handout", "a4", ("--large-print",), "legible", "wide"),
    ("guide", "letter", (), "dyslexic", "widest"),
    ("guide", "a4", (), "dyslexic", "wcag"),
]


@pytest.mark.parametrize("kind, paper, flags, font, spacing", VARIANTS)
def test_every_cell_of_a_wide_table_is_printed_on_the_page(export, lessons, kind, paper, flags,
                                                           font, spacing):
    root, library = lessons
    ids = [m for m in LESSONS if kind in print_kinds("lesson", library.get(m).meta.audience)]
    out = export(kind, paper, ids, "--content", str(root), font=font, spacing=spacing,
                 flags=flags)
    options = PrintOptions(kind=kind, paper=paper, large_print=bool(flags))
    problems = []
    for module_id in ids:
        page_html = print_page(library.get(module_id), RenderContext(), options)
        assert "<table" in page_html, module_id
        problems += [f"{module_id}: {p}" for p in
                     fitting_problems(out / f"{module_id}-{kind}.pdf", options, page_html)]
    assert problems == []


@pytest.mark.parametrize("paper", PAPERS)
def test_a_table_that_fits_keeps_every_word_whole(export, lessons, paper):
    """Words break only where they must: a table that fits has none broken (and the phone
    numbers and addresses of the addresses table are printed whole too)."""
    root, library = lessons
    out = export("guide", paper, ["fits", "many-columns"], "--content", str(root))
    page_html = print_html(library.get("fits"), "guide")
    assert cells_not_printed_whole(out / "fits-guide.pdf", text_cells(page_html)) == []


CONTROL = """import os, sys
from PySide6.QtCore import QMarginsF, QUrl
from PySide6.QtGui import QPageLayout, QPageSize
from PySide6.QtWebEngineCore import QWebEnginePage
from PySide6.QtWidgets import QApplication
app = QApplication([])
page = QWebEnginePage()
layout = QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                     QMarginsF(14, 16, 14, 18), QPageLayout.Unit.Millimeter)
page.loadFinished.connect(lambda ok: page.printToPdf(sys.argv[2], layout))
page.pdfPrintingFinished.connect(lambda *_: app.quit())
page.load(QUrl.fromLocalFile(sys.argv[1]))
app.exec()
del page
"""
# the fitting taken away: words kept whole in every cell, as before tables were fitted
UNFITTED = (".table-fit .w { display: inline; overflow-wrap: normal; } "
            ".table-fit :is(th, td) { overflow-wrap: break-word; }")
# a phone number let break at its spaces, in a column too narrow for it
NUMBER_SPLIT = ".table-fit .phone { display: inline-block; width: 4ch; white-space: normal; }"


@pytest.fixture(scope="module")
def guide_html(lessons, tmp_path_factory):
    """guide_html(module_id): the lesson's guide exported as HTML, once per lesson for the
    controls (the text is a str: each control adds its CSS to a copy)."""
    root, _ = lessons
    folder = tmp_path_factory.mktemp("guides")
    made: dict[str, str] = {}

    def exported(module_id: str) -> str:
        if module_id not in made:
            page = folder / f"{module_id}.html"
            done = subprocess.run([sys.executable, "-m", "edukit", "--content", str(root),
                                   "export", module_id, "--as", "guide", "--format", "html",
                                   "--overwrite", "-o", str(page)], capture_output=True,
                                  text=True, timeout=300, check=False)
            assert done.returncode == 0, done.stderr
            made[module_id] = page.read_text(encoding="utf-8")
        return made[module_id]
    return exported


def printed_with(css: str, module_id: str, lessons, guide_html, tmp_path: Path) -> list[str]:
    """The lesson's guide printed (A4) from its exported HTML with `css` added; the checks'
    findings."""
    _, library = lessons
    page = guide_html(module_id)
    style = f"<style>@media print {{ {css} }}</style></head>"
    (tmp_path / "changed.html").write_text(page.replace("</head>", style, 1), "utf-8")
    printed = subprocess.run([sys.executable, "-c", CONTROL, str(tmp_path / "changed.html"),
                              str(tmp_path / "changed.pdf")], capture_output=True, text=True,
                             timeout=300, check=False)
    assert printed.returncode == 0, printed.stderr
    page_html = print_html(library.get(module_id), "guide")
    return fitting_problems(tmp_path / "changed.pdf", PrintOptions(kind="guide"), page_html)


def test_the_checks_catch_a_table_cut_off_at_the_margin(lessons, guide_html, tmp_path, user_dirs):
    """Positive control: the long-words table printed with its words kept whole in every cell
    (the fitting CSS taken away) runs off the page; its last column is not printed, and the
    checks say so."""
    problems = printed_with(UNFITTED, "long-words", lessons, guide_html, tmp_path)
    assert any("'ChildrenssocialcareMASH'" in p for p in problems), problems  # the last column
    assert printed_with("", "long-words", lessons, guide_html, tmp_path) == []  # the same path, fitted


def test_the_checks_catch_a_phone_number_split_over_two_lines(lessons, guide_html, tmp_path,
                                                              user_dirs):
    """Positive control: a helpline number allowed to break at its spaces is printed over
    several lines (and misread), and the checks name it."""
    problems = printed_with(NUMBER_SPLIT, "addresses", lessons, guide_html, tmp_path)
    assert "0808 800 5000 split over two lines" in problems, problems
    assert "+44 (0)20 7946 0958 split over two lines" in problems, problems


# Tables typed as HTML left as typed, as before (the control): in every Python process of the
# export, the worker that lays out a lesson from outside edukit included (sitecustomize.py)
RAW_AS_TYPED = """from edukit.core.markdown.tables import TableFitTreeprocessor
TableFitTreeprocessor.fit_raw_tables = lambda self: None
"""


@pytest.mark.parametrize("fitted", [True, False])
def test_a_phone_number_in_a_table_typed_as_html_is_printed_on_one_line(lessons, tmp_path,
                                                                        user_dirs, fitted):
    """Raw HTML tables get the Markdown tables' phone-number protection; the control prints
    them as before (left as typed), and the numbers are split over lines."""
    root, library = lessons
    out = tmp_path / "raw-phones.pdf"
    env = dict(os.environ)
    if not fitted:
        (tmp_path / "sitecustomize.py").write_text(RAW_AS_TYPED, encoding="utf-8")
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(tmp_path), env.get("PYTHONPATH")) if p)
    done = subprocess.run([sys.executable, "-m", "edukit", "--content", str(root), "export",
                           "raw-phones", "--as", "guide", "-o", str(out)], capture_output=True,
                          text=True, timeout=300, check=False, env=env)
    assert done.returncode == 0, done.stderr
    html = print_html(library.get("raw-phones"), "guide")
    assert html.count('class="phone"') == 6 and html.count('class="table-fit cols-') == 3
    cells = text_cells(html)
    split = numbers_split(out, cells)
    if fitted:
        assert split == [] and words_outside(out, PrintOptions(kind="guide")) == []
    else:
        assert split.count("0800 1111") == split.count("0808 800 5000") == 2, split


def validate(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "edukit", *args], capture_output=True,
                          text=True, timeout=300, check=False)


def test_validate_names_each_table_too_wide_to_print_whole(lessons, user_dirs):
    root, library = lessons
    done = validate("--content", str(root), "validate", *LESSONS)
    found = [line for line in done.stderr.splitlines() + done.stdout.splitlines()
             if "table has" in line]
    path = library.get("many-columns").path
    assert f"{path}:9: warning: table has 14 columns: too wide for A4 portrait with its words " \
        "whole; its longest words are broken across lines to fit (shorten them, or split the " \
        "table)" in found, found
    assert any(line.startswith(f"{path}:15: warning: table has 20 columns: too wide to read") for line in found)
    # one line for the long words' table; the tables that fit are not named
    assert [line.split(": warning")[0].split("/")[-2] for line in found] == \
        ["long-words", "many-columns", "many-columns", "nested", "nested", "raw-html",
         "raw-phones", "raw-phones", "raw-phones"], found
    path = library.get("raw-html").path  # a table typed as HTML is measured the same way
    assert any(line.startswith(f"{path}:9: warning: table has 8 columns: too wide for A4")
               for line in found), found


def test_export_says_which_tables_cannot_print_whole_on_its_paper(export, lessons, user_dirs):
    root, library = lessons
    done = validate("--content", str(root), "export", "fits", "--as", "guide", "--large-print",
                    "--format", "html", "-o", str(user_dirs["data"] / "fits.html"))
    assert done.returncode == 0, done.stderr
    said = (f"{library.get('fits').path}:9: warning: table has 3 columns: too wide for A4 "
            "portrait in large print with its words whole; its longest words are broken across "
            "lines to fit (shorten them, or split the table)")
    assert done.stderr.splitlines() == [said], done.stderr
    done = validate("--content", str(root), "export", "fits", "--as", "guide", "--format",
                    "html", "-o", str(user_dirs["data"] / "fits-usual.html"))
    assert done.stderr == ""  # in the usual type it fits: nothing said
