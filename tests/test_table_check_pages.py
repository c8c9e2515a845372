"""`edukit export` names each table too wide to print whole on its paper from the sizes on the
page it prints (edukit.core.table_size), not by laying each table out again with
Python-Markdown: a handout printed again from its kept page warns as the first print did, and
Markdown never loads. Its lines are the ones `edukit validate`'s check gives (file, line,
columns, paper, what happens); where the page's tables and the lesson's do not pair (one left
out of the page), the lesson's own tables are measured instead, never paired wrongly."""
from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace

import pytest
from test_tables_fit import LESSONS, write_lessons

from edukit.core.model import School
from edukit.core.options import PrintOptions
from edukit.core.printing import print_page
from edukit.core.region import render_context
from edukit.core.table_check import BOX_CLASS, page_table_problems
from edukit.core.validate import table_width_problems

WIDE = ("fits", "guide", ("--large-print",))  # its table is too wide in large print only
# Runs the command in the process, then says which of Markdown's modules it loaded.
IN_PROCESS = ("import os, sys\nfrom edukit.cli import main\ncode = main(sys.argv[1:])\n"
              "print('LOADED', sorted(m for m in sys.modules if m.split('.')[0] == 'markdown'),"
              " file=sys.stderr)\nsys.stderr.flush()\nos._exit(code)")


@pytest.fixture(scope="module")
def lessons(tmp_path_factory):
    return write_lessons(tmp_path_factory.mktemp("lessons"))


def export(root, out, module_id: str, kind: str, *flags: str) -> tuple[list[str], list[str]]:
    """The warnings one export says, and Markdown's modules it loaded."""
    done = subprocess.run([sys.executable, "-c", IN_PROCESS, "--content", str(root), "export",
                           module_id, "--as", kind, *flags, "--overwrite", "-o", str(out)],
                          capture_output=True, text=True, timeout=300, check=False,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    loaded = [line for line in lines if line.startswith("LOADED")]
    return [line for line in lines if "warning: table" in line], loaded


def test_a_reprint_warns_of_a_wide_table_without_loading_markdown(lessons, tmp_path):
    root, library = lessons
    module_id, kind, flags = WIDE
    said = (f"{library.get(module_id).path}:9: warning: table has 3 columns: too wide for A4 "
            "portrait in large print with its words whole; its longest words are broken across "
            "lines to fit (shorten them, or split the table)")
    first, _ = export(root, tmp_path / "one.pdf", module_id, kind, *flags)
    again, loaded = export(root, tmp_path / "one.pdf", module_id, kind, *flags)
    assert first == again == [said]
    assert loaded == ["LOADED []"]
    usual, _ = export(root, tmp_path / "usual.pdf", module_id, kind)
    assert usual == []  # in the usual type it fits: nothing said


def test_an_html_export_still_warns(lessons, tmp_path):
    """Not printed through Chromium: the lesson's tables are measured as before."""
    root, library = lessons
    said, _ = export(root, tmp_path / "fits.html", "fits", "guide", "--large-print",
                     "--format", "html")
    line = (f"{library.get('fits').path}:9: warning: table has 3 columns: too wide for A4 "
            "portrait in large print with its words whole; its longest words are broken "
            "across lines to fit (shorten them, or split the table)")
    assert said == [line]


OPTIONS = [PrintOptions(kind="guide"), PrintOptions(kind="handout", paper="letter"),
           PrintOptions(kind="handout", large_print=True), PrintOptions(kind="parents"),
           PrintOptions(kind="worksheets", paper="letter"), PrintOptions(kind="slides")]


@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: f"{o.kind}-{o.paper}-{o.large_print}")
@pytest.mark.parametrize("font", ["default", "dyslexic"])
def test_the_page_says_what_measuring_the_lessons_tables_says(lessons, options, font):
    """For every lesson of wide tables (in a list, in a box, typed as HTML, left out of a
    pupils' page), every kind and paper: the warnings read from the page are those measuring
    each table with Markdown gives, or, where the page's tables cannot be paired with the
    lesson's, none are guessed (None: the lesson's tables are measured)."""
    _, library = lessons
    paired = []
    for module_id in LESSONS:
        module = replace(library.get(module_id), origin="bundled")
        page = print_page(module, render_context(library, module, School()), options, font=font)
        from_page = page_table_problems(module, page, options, font)
        measured = table_width_problems(module, options, font)
        assert from_page is None or from_page == measured, module_id
        if from_page is not None and measured:
            paired.append(module_id)
    # a leaflet for parents and slides print none of these lessons' tables as body text
    assert paired or options.kind in ("parents", "slides")


def test_tables_the_page_leaves_out_or_reorders_are_not_paired(lessons):
    """The control: a page with one table fewer, or with two tables swapped, would name the
    wrong lines if paired by order alone; it is not paired."""
    _, library = lessons
    module = replace(library.get("many-columns"), origin="bundled")
    options = PrintOptions(kind="guide")
    page = print_page(module, render_context(library, module, School()), options)
    fourteen, twenty = BOX_CLASS.findall(page)
    assert page_table_problems(module, page, options) == table_width_problems(module, options)
    one_left_out = page.replace(f'class="{fourteen}"', 'class="gone"', 1)
    assert page_table_problems(module, one_left_out, options) is None
    swapped = (page.replace(fourteen, "FOURTEEN", 1).replace(twenty, fourteen, 1)
               .replace("FOURTEEN", twenty, 1))
    assert page_table_problems(module, swapped, options) is None
