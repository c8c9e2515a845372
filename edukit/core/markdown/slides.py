"""Split a lesson into slides: at `---` lines when the file has any (Marp), else at `##` (Pandoc)."""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from .blocks import code_lines, div_span, scan_divs

HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
REFERENCE_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s+\S")
REFS_PER_SLIDE_LIMIT = 200  # reference links shared by every slide (a real deck has a few)


@dataclass(frozen=True)
class SlideSource:
    title: str
    line: int  # 0-based index of the slide's first line in the body
    text: str


def heading(line: str) -> tuple[int, str] | None:
    m = HEADING.match(line)
    return (len(m.group(1)), m.group(2)) if m else None


def split_slides(body: str) -> list[SlideSource]:
    lines = body.split("\n")
    code = code_lines(lines)
    in_div: set[int] = set()
    for d in scan_divs(lines, code):
        in_div.update(div_span(d, len(lines)))
    free = [i for i in range(len(lines)) if i not in code and i not in in_div]
    rules = [i for i in free if lines[i].strip() == "---" and (i == 0 or not lines[i - 1].strip())]
    if rules:
        cuts, skip = rules, True
    else:
        cuts, skip = [i for i in free if (h := heading(lines[i])) and h[0] == 2], False
    refs = [line for line in lines if REFERENCE_DEF.match(line)]
    if len(refs) > REFS_PER_SLIDE_LIMIT:
        refs = []  # copied into every slide they would make the deck quadratic to render
    slides = []
    bounds = [0, *cuts, len(lines)]
    for start, end in itertools.pairwise(bounds):
        first = start + 1 if skip and start in cuts else start
        chunk = lines[first:end]
        if not any(line.strip() for line in chunk):
            continue
        title = next((h[1] for line in chunk if (h := heading(line))), f"Slide {len(slides) + 1}")
        slides.append(SlideSource(title, first, "\n".join(chunk + [""] + refs)))
    return slides
