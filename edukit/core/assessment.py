"""Assessment for learning in a pupil lesson: a baseline activity near the start and an
end-point check near the end that comes back to it (the PSHE Association's advice), marked
`::: {.activity .baseline}` and `::: {.activity .end-point}` (docs/authoring.md), so a
teacher can see what pupils knew before and after, and `edukit validate` can check both are
there and in the right order.
"""
from __future__ import annotations

from .markdown.blocks import scan_divs
from .markdown.slides import split_slides
from .model import Module
from .render import body_lines

KINDS = ("baseline", "end-point")
HOW = {"baseline": "::: {.activity .baseline}", "end-point": "::: {.activity .end-point}"}


def assessment_slides(body: str) -> dict[str, list[tuple[int, int]]]:
    """For each kind, the (slide index, body line) of each slide holding one."""
    found: dict[str, list[tuple[int, int]]] = {kind: [] for kind in KINDS}
    for index, slide in enumerate(split_slides(body)):
        lines = slide.text.split("\n")
        for div in scan_divs(lines):
            for kind in KINDS:
                if kind == div.name or kind in div.classes:
                    found[kind].append((index, slide.line))
    return found


def assessment_problems(module: Module) -> list[tuple[int, str]]:
    """(body line, message) for a pupil lesson without one baseline in the first half of its
    slides and one end-point check after it, in the second half."""
    lines = body_lines(module)
    added = max(0, len(lines) - len(module.body.split("\n")))  # a title heading put in front
    slides = len(split_slides("\n".join(lines)))
    found = assessment_slides("\n".join(lines))
    problems: list[tuple[int, str]] = []
    for kind in KINDS:
        if not found[kind]:
            where = "near the start" if kind == "baseline" else "near the end"
            problems.append((0, f"no {kind} activity {where} ({HOW[kind]})"))
        elif len(found[kind]) > 1:
            problems.append((max(0, found[kind][1][1] - added), f"more than one {kind} activity"))
    if problems:
        return problems
    (start, start_line), (end, end_line) = found["baseline"][0], found["end-point"][0]
    if start >= slides / 2:
        early = "the baseline activity should come in the first half of the lesson"
        problems.append((max(0, start_line - added), early))
    if end < slides / 2 or end <= start:
        late = "the end-point check should come after the baseline, in the second half"
        problems.append((max(0, end_line - added), late))
    return problems
