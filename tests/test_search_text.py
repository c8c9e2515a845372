"""The text the search index and the views read, made with whole-text shortcuts: each shortcut
gives what the line-by-line rule it stands for gives, on lessons and on hostile text alike."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from edukit.core.library import Library
from edukit.core.markdown.budget import (
    LAYOUT_BUDGET,
    PARAGRAPH_CHARS,
    cost_bound,
    cut_index,
    line_cost,
    split_paragraphs,
    split_runs,
)

# Lines made of what the layout budget prices: fences, pipes, indents, quotes, pictures, long
# words, inline markup, Unicode spaces and line separators other than "\n".
PIECES = st.sampled_from([" ", "  ", "\t", "\u00a0", "\u2028", "\r", "\x0b", "-", "* ", "1. ",
                          ":::", "::: notes", "|", "| a |", "#", "## H", ">", "> >", "![p](x)",
                          "<img src=x>", "<IMG", "[", "_", "`", "&", "{", "word ", "x" * 45,
                          "y" * 40, "```", "~~~", "é"])
LINE = st.lists(PIECES, max_size=12).map("".join)
LINES = st.lists(LINE, max_size=40)


def lessons_lines() -> list[list[str]]:
    return [module.body.split("\n") for module in Library.default().modules]


@settings(max_examples=400, deadline=None)
@given(LINES)
def test_the_cost_bound_is_never_below_the_priced_lines(lines):
    assert cost_bound(lines) >= sum(map(line_cost, lines))


@settings(max_examples=200, deadline=None)
@given(LINES, st.integers(min_value=1, max_value=3000))
def test_the_cost_bound_holds_for_text_over_the_budget(lines, repeat):
    lines = lines * repeat  # long enough to pass the budget, where the cut must be found
    exact = sum(map(line_cost, lines))
    assert cost_bound(lines) >= exact
    assert (cut_index(lines) is None) == (exact <= LAYOUT_BUDGET)


def test_the_bound_is_close_enough_that_no_bundled_lesson_is_priced_line_by_line():
    """Positive control of the shortcut's use: it holds for every bundled lesson (the largest
    costs five sixths of the budget), and for the lines the bound does not cover it is exact."""
    for lines in lessons_lines():
        assert sum(map(line_cost, lines)) <= cost_bound(lines) <= LAYOUT_BUDGET
    assert cost_bound(["a\nb"]) > LAYOUT_BUDGET  # a line with a break in it: no shortcut


RUN_LINE = st.one_of(st.sampled_from(["", " ", "\u3000", " " * 3900, "```", "- item", "| t |", "# h"]),
                     st.text(alphabet="ab \u00a0", min_size=1, max_size=900))


@settings(max_examples=300, deadline=None)
@given(st.lists(RUN_LINE, max_size=60))
def test_long_paragraphs_are_split_as_line_by_line(lines):
    assert split_paragraphs(lines) == split_runs(lines)


def test_a_paragraph_over_the_limit_is_still_split():
    """Positive control: the shortcut does not skip a run that needs splitting, including one
    that starts with a blank line of spaces (counted in the run)."""
    run = ["word " * 100] * (PARAGRAPH_CHARS // 500 + 2)
    for lines in (run, [" " * 300] + run, ["```", "x", "```"] + run,
                  ["x", " " * 3900, "a" * 150, "b" * 10]):
        assert split_paragraphs(lines) == split_runs(lines) != lines


MARKUP_PIECES = st.sampled_from([
    " ", "  ", "\t", "\u00a0", "\u2028", "\r", "\x0c", "-", "- ", "* ", "+ ", "1. ", "12) ", "3.",
    ":::", "::: notes", ":::: {.x}", "{#id}", "{.cls}", "{", "}", "![alt](p.png)", "![a", "](",
    "[link](http://x)", "[a]", "(b)", "<b>", "<", ">", "{{ school.name }}", "{{name}}",
    "{{ dsl_name", "}}", "&amp;", "&#10;", "&", "**", "_", "`", "#", "## ", "|", "~", "word",
    "é", "1"])


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(MARKUP_PIECES, max_size=10).map("".join), max_size=30))
def test_the_whole_text_markup_pass_reads_each_line_as_line_by_line(lines):
    from edukit.core.search import plain_lines, plain_text

    assert plain_lines(lines) == [plain_text(line) for line in lines]


def test_the_markup_pass_on_the_library_and_a_line_with_a_break_in_it():
    """Every bundled lesson reads the same either way; a line with a break in it (no lesson
    line has one) falls back to line by line rather than shifting the lines after it."""
    from edukit.core.render import body_lines
    from edukit.core.search import plain_lines, plain_text

    for module in Library.default().modules:
        lines = body_lines(module)
        assert plain_lines(lines) == [plain_text(line) for line in lines], module.id
    lines = ["- a\n- b", "* c", "&#10;x"]
    assert plain_lines(lines) == [plain_text(line) for line in lines]


def test_a_section_is_indexed_up_to_its_thousandth_word_at_the_shortcuts_edge():
    """The shortest text with MAX_INDEXED_WORDS words (one-letter words, one break each) is
    kept whole and one word more is cut: the length shortcut never keeps a longer text."""
    from edukit.core.search import MAX_INDEXED_WORDS, indexed

    shortest = " ".join(["a"] * MAX_INDEXED_WORDS)
    assert len(shortest) == 2 * MAX_INDEXED_WORDS - 1 and indexed(shortest) == shortest
    assert indexed(shortest + " b") == indexed(shortest + ".b") == shortest
    assert indexed(shortest[:-2]) == shortest[:-2]


DECK_PIECES = st.sampled_from(["---", " --- ", "\u00a0---\t", "----", "- --", "# Title", "## Two",
                               "layout: x", "text", "", " ", "```", "::: notes", ":::", "Note:"])


@settings(max_examples=400, deadline=None)
@given(st.lists(DECK_PIECES, max_size=30), st.booleans())
def test_slides_are_looked_for_whenever_a_deck_of_rules_could_be_found(lines, marp):
    """body_lines skips finding slides when no line is a `---` rule; whenever finding them
    says the lesson is a deck split by rules, the shortcut saw a rule line."""
    from edukit.core.markdown.slides import find_cuts
    from edukit.core.render import RULE_LINE

    text = "\n".join(lines)
    if find_cuts(lines, marp).by_rules:
        assert "---" in text and RULE_LINE.search(text)
