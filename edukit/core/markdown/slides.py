"""Split a lesson into slides, deciding per file which convention it follows.

- Marp (`marp: true`), Slidev (slides with their own front matter) and decks that put a `---`
  rule before every slide heading (reveal.js): the rules alone split slides.
- Otherwise Pandoc's rule: headings at the slide level start slides (level 2 when the file has
  any `##`, else its highest heading level), headings above it start section slides of their
  own, and a `---` rule also starts a new slide. One stray `---` never switches a whole
  Pandoc file to rules-only splitting, and a file with no `##` is split at the headings it has.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from .blocks import code_lines, div_span, scan_divs

HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
REFERENCE_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s+\S")
REFS_PER_SLIDE_LIMIT = 200  # reference links shared by every slide (a real deck has a few)
# A Slidev slide's own front matter: `key: value` lines between two rules.
SLIDE_FRONT_KEY = re.compile(r"^[A-Za-z_][\w-]*:(\s|$)")
MAX_SLIDE_FRONT_LINES = 20


@dataclass(frozen=True)
class SlideSource:
    title: str
    line: int  # 0-based index of the slide's first line in the body
    text: str


@dataclass(frozen=True)
class Cuts:
    """Where slides start (line indexes) and which lines are separators, not content."""

    starts: tuple[int, ...]
    dropped: frozenset[int]
    by_rules: bool  # the deck is split by `---` rules alone (Marp, reveal.js, Slidev)


def heading(line: str) -> tuple[int, str] | None:
    if "#" not in line[:4]:
        return None  # a heading's first '#' is within its first four characters
    m = HEADING.match(line)
    return (len(m.group(1)), m.group(2)) if m else None


def free_lines(lines: list[str]) -> list[int]:
    """Indexes of lines outside code and fenced divs: only these may split slides."""
    code = code_lines(lines)
    in_div: set[int] = set()
    for d in scan_divs(lines, code):
        in_div.update(div_span(d, len(lines)))
    return [i for i in range(len(lines)) if i not in code and i not in in_div]


def rule_lines(lines: list[str], free: list[int]) -> tuple[list[int], set[int]]:
    """The `---` slide breaks (a rule after a blank line, so not a setext underline), and the
    lines of Slidev per-slide front matter (`---` / `layout: x` / `---`), which are dropped."""
    free_set, rules, dropped = set(free), [], set()
    i = 0
    while i < len(lines):
        if i in free_set and i not in dropped and lines[i].strip() == "---" and (
                i == 0 or not lines[i - 1].strip() or i - 1 in dropped):
            rules.append(i)
            dropped.add(i)
            end = slide_front_end(lines, i)
            if end is not None:
                dropped.update(range(i + 1, end + 1))
                i = end
        i += 1
    return rules, dropped


def slide_front_end(lines: list[str], rule: int) -> int | None:
    """The closing `---` of key: value lines right after a rule, if there is one."""
    for j in range(rule + 1, min(len(lines), rule + 2 + MAX_SLIDE_FRONT_LINES)):
        text = lines[j].strip()
        if text == "---":
            return j if j > rule + 1 else None
        if not SLIDE_FRONT_KEY.match(text):
            return None
    return None


def slide_level(lines: list[str], free: list[int]) -> int | None:
    """Level 2 when the file has a `##`, else the highest level it has (Pandoc's default is
    the highest level followed by content; level 2 keeps `# Title` + intro on the title slide)."""
    levels = {h[0] for i in free if (h := heading(lines[i]))}
    if not levels:
        return None
    return 2 if 2 in levels else min(levels)


def find_cuts(lines: list[str], rules_only: bool = False) -> Cuts:
    free = free_lines(lines)
    rules, dropped = rule_lines(lines, free)
    level = slide_level(lines, free)
    headings = [i for i in free if (h := heading(lines[i])) and level and h[0] <= level]
    slidev = len(dropped) > len(rules)  # a slide with its own front matter
    by_rules = bool(rules) and (rules_only or slidev or len(rules) >= len(headings) - 1)
    if by_rules:
        return Cuts(tuple(rules), frozenset(dropped), True)
    return Cuts(tuple(sorted(set(rules) | set(headings))), frozenset(dropped), False)


def split_slides(body: str, rules_only: bool = False) -> list[SlideSource]:
    """The slides of a body; rules_only for decks that say they are Marp."""
    lines = body.split("\n")
    cuts = find_cuts(lines, rules_only)
    refs = [line for line in lines if REFERENCE_DEF.match(line)]
    if len(refs) > REFS_PER_SLIDE_LIMIT:
        refs = []  # copied into every slide they would make the deck quadratic to render
    slides = []
    for start, end in itertools.pairwise([0, *cuts.starts, len(lines)]):
        keep = [i for i in range(start, end) if i not in cuts.dropped]
        chunk = [lines[i] for i in keep]
        if not any(line.strip() for line in chunk):
            continue
        title = next((h[1] for line in chunk if (h := heading(line))), f"Slide {len(slides) + 1}")
        slides.append(SlideSource(title, keep[0], "\n".join(chunk + [""] + refs)))
    return slides
