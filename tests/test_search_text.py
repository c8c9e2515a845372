"""The text the search index and the views read, made with whole-text shortcuts: each shortcut
gives what the line-by-line rule it stands for gives, on lessons and on hostile text alike."""
from __future__ import annotations

import functools

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
from edukit.core.model import Module

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
    from edukit.core.search.lesson_text import plain_lines, plain_text

    assert plain_lines(lines) == [plain_text(line) for line in lines]


def test_the_markup_pass_on_the_library_and_a_line_with_a_break_in_it():
    """Every bundled lesson reads the same either way; a line with a break in it (no lesson
    line has one) falls back to line by line rather than shifting the lines after it."""
    from edukit.core.render import body_lines
    from edukit.core.search.lesson_text import plain_lines, plain_text

    for module in Library.default().modules:
        lines = body_lines(module)
        assert plain_lines(lines) == [plain_text(line) for line in lines], module.id
    lines = ["- a\n- b", "* c", "&#10;x"]
    assert plain_lines(lines) == [plain_text(line) for line in lines]


def test_a_section_is_indexed_up_to_its_thousandth_word_at_the_shortcuts_edge():
    """The shortest text with MAX_INDEXED_WORDS words (one-letter words, one break each) is
    kept whole and one word more is cut: the length shortcut never keeps a longer text."""
    from edukit.core.search.lesson_text import MAX_INDEXED_WORDS, indexed

    shortest = " ".join(["a"] * MAX_INDEXED_WORDS)
    assert len(shortest) == 2 * MAX_INDEXED_WORDS - 1 and indexed(shortest) == shortest
    assert indexed(shortest + " b") == indexed(shortest + ".b") == shortest
    assert indexed(shortest[:-2]) == shortest[:-2]


WORDS_PIECES = st.sampled_from(["a", "ab", "_", "9", " ", ".", ". ", "\n", "é", "a'b", "\u00a0"])


@settings(max_examples=200, deadline=None)
@given(st.lists(WORDS_PIECES, min_size=1, max_size=20), st.integers(min_value=1, max_value=1200),
       st.sampled_from(["", ".", " ", "a", "é"]))
def test_a_long_section_is_cut_at_its_thousandth_word_as_by_counting_them(block, copies, end):
    """indexed() keeps an ASCII text whole when its breaks show it has fewer words than the
    limit; otherwise, and for other text, it counts the words. Either way it cuts where
    counting every word from the start cuts (texts either side of 1,000 words)."""
    from edukit.core.search.lesson_text import FIRST_WORDS, MAX_INDEXED_WORDS, indexed

    def counted(text: str) -> str:
        found = FIRST_WORDS.match(text)
        return text[:found.end()] if found else text

    text = "".join(block) * copies + end
    assert indexed(text) == counted(text)
    for words in range(MAX_INDEXED_WORDS - 3, MAX_INDEXED_WORDS + 3):  # at the edge itself
        for between in (" ", ".", " . ", "\u00a0", "é"):
            text = between.join(["ab"] * words) + end
            assert indexed(text) == counted(text), (words, between, end)


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


WORDY = st.lists(st.sampled_from(["a", "é", "x" * 39, "y" * 40, "z" * 45, "é" * 41, " ", "\n",
                                  "\t", "\u00a0", "\u2028", "\x1c", "\x85", "\u3000", "\ud800",
                                  "http://example.org/a/very/long/address/" + "p" * 10]),
                 max_size=40).map("".join)


@settings(max_examples=500, deadline=None)
@given(WORDY)
def test_long_words_are_counted_as_splitting_into_words_counts_them(text):
    from edukit.core.markdown.budget import LONG_WORD, long_word_chars

    assert long_word_chars(text) == sum(n for n in map(len, text.split()) if n >= LONG_WORD)


def test_the_long_word_count_is_not_fooled_by_bytes_or_spaces_beyond_ascii():
    """Positive controls of the byte search: 40 two-byte letters are a long word, 20 of them
    (40 bytes) are not; a no-break space between two halves ends the word."""
    from edukit.core.markdown.budget import long_word_chars

    assert long_word_chars("é" * 40) == 40 and long_word_chars("é" * 20) == 0
    assert long_word_chars("a" * 30 + "\u00a0" + "a" * 30) == 0
    assert long_word_chars("a" * 30 + "\u00a0" + "a" * 40 + " " + "b" * 41) == 81


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["*", "_", "`", ">", "#", "|", "~", "a", " ", "\n", "\x00", "é"]),
                max_size=30).map("".join))
def test_runs_of_inline_marks_become_one_space_as_the_rule_makes_them(text):
    from edukit.core.search.lesson_text import MARKUP, marks_to_spaces

    assert marks_to_spaces(text) == MARKUP[-1][1].sub(" ", text)


BLOCK_LINES = st.sampled_from([
    "", " ", "text", "**bold** _it_", "&amp; more", "[a link](x)", "- item", "# Title", "## Part",
    "## Part", "### Deep", "#### Deeper", "   ## Indented", "    ## Code", "#tag", "## ", "::: notes",
    "::: safeguarding", "::: handout", "::: parents", "::: adaptations", "::: {.instructor}",
    "::: activity", ":::: notes", ":::", "::::", "```", "~~~", "```python", "{{ school.name }}"])


def sections_line_by_line(module) -> list:
    """module_sections as it read a lesson one line at a time (the rule its stretches keep)."""
    from markdown.extensions.toc import slugify, unique

    from edukit.core.markdown.blocks import code_lines, scan_divs
    from edukit.core.markdown.slides import heading
    from edukit.core.markdown.teacher import PRINT_ONLY, SAFEGUARDING, TEACHER_ONLY, block_lines
    from edukit.core.render import BEFORE_TEACHING, body_lines
    from edukit.core.search.lesson_text import SectionText, plain_text

    lines = body_lines(module)
    divs = scan_divs(lines)
    guarding = block_lines(lines, SAFEGUARDING, divs)
    guide_only = block_lines(lines, TEACHER_ONLY | PRINT_ONLY, divs)
    code = code_lines(["" if i in guide_only else line for i, line in enumerate(lines)])
    used: set[str] = set()
    sections = [["", "", [], []]]
    safeguarding: list[str] = []
    for i, line in enumerate(lines):
        found = heading(line) if i not in code and i not in guide_only else None
        text = plain_text(line) if i not in code else line.strip()
        if found:
            title = plain_text(found[1])
            sections.append([unique(slugify(title, "-"), used), title, [], []])
        elif not text:
            continue
        elif i in guarding:
            safeguarding.append(text)
        else:
            sections[-1][3 if i in guide_only else 2].append(text)
    found_sections = [SectionText(sid, title, "\n".join(text), "\n".join(guide))
                      for sid, title, text, guide in sections if sid or text or guide]
    if safeguarding:
        guard = SectionText(BEFORE_TEACHING.id, BEFORE_TEACHING.title, "", "\n".join(safeguarding))
        found_sections.insert(min(1, len(found_sections)), guard)
    return found_sections


@functools.cache
def first_module() -> Module:
    """The library's first lesson, scanned once for all the examples (it is frozen: each
    example replaces its body in a copy)."""
    return Library.default().modules[0]


@settings(max_examples=400, deadline=None)
@given(st.lists(BLOCK_LINES, max_size=40))
def test_a_lesson_read_a_stretch_at_a_time_gives_the_sections_line_by_line(lines):
    """Headings, teacher-only and safeguarding blocks (nested, unclosed), code fences in and
    out of them: the stretches go where each of their lines would have gone."""
    import dataclasses

    from edukit.core.search.lesson_text import module_sections

    module = dataclasses.replace(first_module(), body="\n".join(lines))
    assert module_sections(module) == sections_line_by_line(module)


def test_every_bundled_lesson_reads_the_same_a_stretch_at_a_time():
    """Positive control on real lessons: their safeguarding, notes, handouts and headings."""
    from edukit.core.search.lesson_text import module_sections

    modules = Library.default().modules
    assert sum(len(sections_line_by_line(m)) for m in modules) > 10 * len(modules)
    for module in modules:
        assert module_sections(module) == sections_line_by_line(module), module.id


@settings(max_examples=300, deadline=None)
@given(st.lists(BLOCK_LINES, max_size=40))
def test_the_outermost_blocks_are_those_inside_no_other_picked_block(lines):
    """outermost compares a block with the last one picked only: blocks nest, so a block
    inside an earlier picked one is inside the last one too."""
    from edukit.core.markdown.blocks import inside, outermost, scan_divs
    from edukit.core.markdown.teacher import TEACHER_ONLY

    divs = scan_divs(lines)
    for names in (TEACHER_ONLY, frozenset({"notes"}), frozenset({"safeguarding", "handout"})):
        picked: list = []
        for d in divs:
            if d.name in names and not any(inside(d, p) for p in picked):
                picked.append(d)
        assert outermost(divs, names) == picked
