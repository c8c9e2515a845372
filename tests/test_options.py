"""One output vocabulary (edukit.core.options): the command line, the print page's CSS and the
PDF maker's page layout all take kinds, paper, slides per page and margins from it."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl

import pytest

from edukit.cli import build_parser
from edukit.core.export import ExportOptions
from edukit.core.model import Meta, Module, School
from edukit.core.options import (
    EXPORT_KINDS,
    FORMATS,
    KINDS,
    PAPER,
    PER_PAGE,
    PrintOptions,
)
from edukit.core.printing import page_rules


def choices(parser, command: str, option: str) -> tuple:
    sub = next(a for a in parser._actions if a.dest == "command").choices[command]
    return tuple(next(a for a in sub._actions if option in a.option_strings).choices)


def test_the_command_line_offers_the_vocabulary():
    parser = build_parser()
    assert choices(parser, "export", "--as") == EXPORT_KINDS == (*KINDS, "pptx")
    assert choices(parser, "export", "--paper") == tuple(PAPER) == choices(parser, "site", "--paper")
    assert choices(parser, "export", "--per-page") == PER_PAGE
    assert choices(parser, "export", "--format") == FORMATS


@pytest.mark.parametrize("options", [PrintOptions(), PrintOptions("nup", "letter", 6, True),
                                     PrintOptions("slides", "a4", 2, False)])
def test_print_options_round_trip_through_their_query(options):
    assert PrintOptions.from_query(dict(parse_qsl(options.query()))) == options


@pytest.mark.parametrize("options", [PrintOptions(kind=k, paper=p, large_print=big)
                                     for k in KINDS for p in PAPER for big in (False, True)])
def test_the_print_css_and_the_pdf_layout_use_the_same_paper_and_margins(options):
    from edukit.gui.pdf import page_layout

    module = Module(Meta(id="m", title="T"), Path("m.md"), "bundled")
    rules = page_rules(module, School(), options)
    assert f"size: {PAPER[options.paper]}" in rules
    margins = page_layout(options).margins()
    left, top, right, bottom = (round(margins.left()), round(margins.top()),
                                round(margins.right()), round(margins.bottom()))
    assert f"margin: {top}mm {right}mm {bottom}mm {left}mm;" in rules


def test_an_export_carries_one_print_options_object():
    page = PrintOptions("nup", "letter", 4, True)
    options = ExportOptions(page, format="pdf")
    assert options.page is page and options.kind == "nup" and options.suffix == "pdf"
    assert ExportOptions(PrintOptions(kind="pptx"), format="html").suffix == "pptx"
