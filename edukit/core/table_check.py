"""Which tables of a lesson are too wide to print whole on a paper, for `edukit validate` and
`edukit export`: each table is found in the lesson's text (its line, for the warning) and its size
read from its `.table-fit` box (edukit.core.table_size), on the print page as it is served or on
the table laid out alone (edukit.core.validate)."""
from __future__ import annotations

import re

from .model import Module, Problem
from .options import PAPER, PrintOptions
from .printing import body_size, text_width_mm
from .table_size import SIZE, width_problem

MAX_TABLES = 50  # tables measured in one lesson (each is laid out on its own)
DELIMITER_ROW = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
BOX_CLASS = re.compile(r'class="(table-fit [^"]*)"')
BODY_KINDS = ("handout", "guide", "worksheets", "parents")  # print a lesson's own tables


def tables_in(lines: list[str], code: set[int]) -> list[tuple[int, str]]:
    """(index of its header line, its Markdown) for each pipe table and each table typed as
    HTML, in the order they come, the first MAX_TABLES."""
    found = sorted(pipe_tables_in(lines, code) + raw_tables_in(lines, code))
    return found[:MAX_TABLES]


def raw_tables_in(lines: list[str], code: set[int]) -> list[tuple[int, str]]:
    """(index of its first line, its HTML) for each table typed as HTML at a line's start."""
    found: list[tuple[int, str]] = []
    for i, line in enumerate(lines):
        if i in code or not line.lstrip().lower().startswith("<table"):
            continue
        end = next((n for n in range(i, len(lines)) if "</table" in lines[n].lower()), i)
        found.append((i, "\n".join(line.strip() for line in lines[i:end + 1])))
        if len(found) >= MAX_TABLES:
            break
    return found


def pipe_tables_in(lines: list[str], code: set[int]) -> list[tuple[int, str]]:
    """(index of its header line, its Markdown) for each pipe table, the first MAX_TABLES."""
    found: list[tuple[int, str]] = []
    for i in range(1, len(lines)):
        if (len(found) >= MAX_TABLES or i in code or "|" not in lines[i - 1]
                or "-" not in lines[i] or not DELIMITER_ROW.match(lines[i])):
            continue
        end = i + 1
        while end < len(lines) and end not in code and "|" in lines[end]:
            end += 1
        indent = len(lines[i - 1]) - len(lines[i - 1].lstrip())
        found.append((i - 1, "\n".join(line[indent:] for line in lines[i - 1:end])))
    return found


def delimiter_cells(table: str) -> int:
    """How many columns a pipe table's delimiter row (its second line) has; -1 for a table
    typed as HTML (its columns are not read here)."""
    rows = table.split("\n")
    if len(rows) < 2 or not DELIMITER_ROW.match(rows[1]):
        return -1
    row = rows[1].strip().removeprefix("|").removesuffix("|")
    return row.count("|") + 1


def page_table_problems(module: Module, html: str, options: PrintOptions, font: str = "default",
                        spacing: str = "normal") -> list[Problem] | None:
    """table_width_problems (edukit.core.validate) from the sizes on the print page's table
    boxes, each paired with its pipe table in the lesson's text by order and column count; None
    when they do not pair (a table the page leaves out, or one typed as HTML): the caller
    then measures the lesson's tables themselves."""
    if options.kind not in BODY_KINDS:
        return []
    boxes = BOX_CLASS.findall(html)
    if not boxes and "|" not in module.body and "<table" not in module.body.lower():
        return []  # no table on the page nor in the text: nothing to pair (or to look for in
        # the lesson's code blocks, whose finding loads the Markdown helpers: ~2 ms a handout)
    from .markdown.blocks import code_lines

    lines = module.body.split("\n")
    tables = tables_in(lines, code_lines(lines))
    if len(boxes) > MAX_TABLES or [box_columns(box) for box in boxes] != [
            delimiter_cells(table) for _, table in tables]:
        return None  # (a table typed as HTML has no delimiter row: never paired)
    return problems_of(module, options, font, spacing,
                       [(i, box) for (i, _), box in zip(tables, boxes)])


def box_columns(box_class: str) -> int:
    size = SIZE.search(box_class)
    return int(size.group(1)) if size else -1


def problems_of(module: Module, options: PrintOptions, font: str, spacing: str,
                boxes: list[tuple[int, str]]) -> list[Problem]:
    """A warning for each table (its header's line index in the text, its box's classes) too
    wide to print whole on this paper."""
    width, body_pt = text_width_mm(options), float(body_size(module, options).removesuffix("pt"))
    paper = f"{PAPER.get(options.paper, 'A4')} {'landscape' if options.landscape else 'portrait'}"
    found = [(i, width_problem(box, width, body_pt, font, spacing, options.large_print, paper))
             for i, box in boxes]
    return [Problem(str(module.path), module.body_line + i, "warning", message)
            for i, message in found if message]
