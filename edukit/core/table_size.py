"""A table's size on its print page, and what it means on paper: whether it prints with every
word whole (edukit.core.printing marks it so) or which warning a teacher gets (validate and
export). The size is put on each table's `.table-fit` box as classes by
edukit.core.markdown.tables (`cols-8 chars-159 em-98`: its columns, and the longest word of each
column in characters and in ems of the usual font, added up); everything here reads those
classes, so a page printed again from the kept page (edukit.core.render_cache) is checked
without Python-Markdown loading (issue 17): edukit.core.table_check finds a lesson's tables and
names the ones too wide. This module imports nothing of edukit's: printing and the Markdown
extension both use it."""
from __future__ import annotations

import re

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
