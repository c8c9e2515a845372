"""A table's size on its print page, and what it means on paper: whether it prints with every
word whole (edukit.core.printing marks it so) or which warning a teacher gets (validate and
export). The size is put on each table's `.table-fit` box as classes by
edukit.core.markdown.tables (`cols-8 chars-159 em-98`: its columns, and the longest word of each
column in characters and in ems of the usual font, added up); everything here reads those
classes, so a page printed again from the kept page (edukit.core.render_cache) is checked
without Python-Markdown loading (issue 17)."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .markdown.blocks import code_lines

if TYPE_CHECKING:
    from .model import Module, Problem
    from .options import PrintOptions

SIZE = re.compile(r'(?:class=")?table-fit cols-(\d+) chars-(\d+) em-(\d+) ')
SHARES = re.compile(r"shares-(\d+) pt-(\d) pu-(\d)")
# A character's width in digits' widths (ch) of the usual font (DejaVu Sans, measured with Qt:
# lowercase 0.89 on average, capitals 1.06), a little wide to be safe; the other reading fonts
# against it (OpenDyslexic's letters are a third wider, against its digits too: base.css --chw).
NARROW, SLIM, WIDE = set("iljI.,:;'!|"), set("ftr-/()[]"), set("mwMW@%")
CH_EM = 0.636  # a digit's width in ems (DejaVu Sans)
LETTER = CH_EM  # a letter's width in ems, on average
FONT_WIDTH = {"default": 1.0, "system": 1.0, "legible": 0.95, "dyslexic": 1.35}


PT_PER_MM = 72 / 25.4
NESTING_MM = 14  # a table in a list or a box has that much less width than the page's text


def cell_padding_rem(columns: int) -> float:
    """A cell's padding, left and right together (base.css: --pad, less in many columns)."""
    return 2 * (0.2 if columns >= 11 else 0.35 if columns >= 7 else 0.6)


def type_scale(columns: int, large_print: bool) -> float:
    """A table's type against the page's (print.css; large print never gets smaller)."""
    if large_print:
        return 1.0
    return 0.75 if columns >= 7 else 0.85 if columns >= 5 else 1.0


def fits_whole(size: tuple[int, int, float], text_mm: float, body_pt: float, font: str,
               spacing: str, large_print: bool = False) -> bool:
    """Whether a table surely fits a text width with each column as wide as its longest word
    (then no word need break), with room to spare for a list's indent or a box's edge."""
    columns, chars, ems = size
    letter_spacing = 0.12 * chars if spacing == "wcag" else 0  # fonts.css: WCAG spacing
    words_pt = ((ems * FONT_WIDTH.get(font, 1.3) + letter_spacing) * body_pt
                * type_scale(columns, large_print))
    cells_pt = columns * (cell_padding_rem(columns) * body_pt + 1)
    return 1.1 * (words_pt + cells_pt) <= (text_mm - NESTING_MM) * PT_PER_MM


READABLE_CHARS = 5  # a column narrower than five letters prints words in pieces, not words


def width_problem(box_class: str, text_mm: float, body_pt: float, font: str, spacing: str,
                  large_print: bool, paper: str) -> str | None:
    """What a teacher is told about a table (by its box's classes) that cannot print whole on
    this paper: its long words are broken across lines, or, with a column narrower than a few
    letters, it is too wide to read; None when it fits."""
    size, shares = SIZE.search(box_class), SHARES.search(box_class)
    if not size or not shares:
        return None
    columns, chars, ems = (int(v) for v in size.groups())
    if fits_whole((columns, chars, ems), text_mm, body_pt, font, spacing, large_print):
        return None
    letter_pt = (LETTER * FONT_WIDTH.get(font, 1.3) + (0.12 if spacing == "wcag" else 0)) \
        * body_pt * type_scale(columns, large_print)
    digit_pt = letter_pt + (0.12 * body_pt * type_scale(columns, large_print))  # base.css
    phones_pt = (10 * int(shares.group(2)) + int(shares.group(3))) * digit_pt
    share_pt = ((text_mm * PT_PER_MM - phones_pt) / int(shares.group(1))
                - cell_padding_rem(columns) * body_pt)
    where = f"{paper}{' in large print' if large_print else ''}"
    if share_pt < READABLE_CHARS * letter_pt:
        return (f"table has {columns} columns: too wide to read on {where}; it is printed with "
                "its words broken into pieces (split it into narrower tables, or turn it so "
                "its columns are rows)")
    return (f"table has {columns} columns: too wide for {where} with its words whole; its "
            "longest words are broken across lines to fit (shorten them, or split the table)")


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
    lines = module.body.split("\n")
    tables = tables_in(lines, code_lines(lines))
    boxes = BOX_CLASS.findall(html)
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
    from .model import Problem
    from .options import PAPER
    from .printing import body_size, text_width_mm

    width, body_pt = text_width_mm(options), float(body_size(module, options).removesuffix("pt"))
    paper = f"{PAPER.get(options.paper, 'A4')} {'landscape' if options.landscape else 'portrait'}"
    found = [(i, width_problem(box, width, body_pt, font, spacing, options.large_print, paper))
             for i, box in boxes]
    return [Problem(str(module.path), module.body_line + i, "warning", message)
            for i, message in found if message]
