"""A lesson's pacing plan: the minutes each slide's notes give it, shared by the presenter's
timer and `edukit validate` (which warns when they are missing or miss the lesson's duration).

The convention (docs/authoring.md): a slide's notes start with its time, "Timing: 3 minutes."
"Timing:" and bold are optional ("**3 minutes.**", "3 minutes.", "1 minute to read."). Minutes
anywhere else in the notes ("groups for 6 minutes") are not the plan.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import unescape

from .markdown.blocks import scan_divs
from .markdown.slides import split_slides
from .markdown.teacher import NOTES, blocks_text
from .model import Module
from .render import body_lines

LEADING = re.compile(r"^\s*(?:Timing\s*:\s*)?(\d{1,3})\s*(?:minutes?|mins?)\b", re.IGNORECASE)
TAG = re.compile(r"<[^>]+>")
EMPHASIS = re.compile(r"[*_]+")
HOW = "start them with 'Timing: N minutes.'"


def notes_plain_text(notes: str) -> str:
    """Notes as plain words, from rendered HTML or from Markdown: tags and emphasis removed."""
    return " ".join(EMPHASIS.sub("", unescape(TAG.sub(" ", notes))).split())


def stated_minutes(notes: str) -> int | None:
    """The minutes a slide's notes (HTML or Markdown) give it, if they follow the convention."""
    text = notes_plain_text(notes)
    found = LEADING.match(text)
    return int(found.group(1)) if found else None


def plan(stated: Sequence[int | None], duration: int | None) -> list[float]:
    """Planned minutes per slide: the stated ones, the rest of the duration shared evenly
    among the slides that state none. A title slide (the first) that states none, when every
    other slide does, counts as 0, as validate counts it: a lesson planned at 55 minutes of a
    50-60 range is timed for 55, not given 5 minutes to settle in."""
    if len(stated) > 1 and stated[0] is None and all(m is not None for m in stated[1:]):
        stated = [0, *stated[1:]]
    known = sum(m for m in stated if m is not None)
    unknown = sum(m is None for m in stated)
    share = max(0.0, (duration or 0) - known) / unknown if unknown else 0.0
    return [float(m) if m is not None else share for m in stated]


@dataclass(frozen=True)
class SlidePlan:
    """One slide's place in the plan: its title, first body line and stated minutes."""

    title: str
    line: int
    minutes: int | None


def slide_plans(body: str, rules_only: bool = False) -> list[SlidePlan]:
    """The stated minutes of each slide of a module body (Markdown), as the deck splits it."""
    plans = []
    for source in split_slides(body, rules_only):
        lines = source.text.split("\n")
        notes = "\n\n".join(text for _, text in blocks_text(lines, NOTES, scan_divs(lines)))
        plans.append(SlidePlan(source.title, source.line, stated_minutes(notes)))
    return plans


def module_plans(module: Module) -> list[SlidePlan]:
    """The plan of a module's slides, each at its line in the module's body."""
    lines = body_lines(module)
    added = max(0, len(lines) - len(module.body.split("\n")))  # a title heading put in front
    return [SlidePlan(p.title, max(0, p.line - added), p.minutes)
            for p in slide_plans("\n".join(lines), module.meta.marp)]


def plan_problems(plans: Sequence[SlidePlan], duration: int | None,
                  shortest: int | None = None) -> list[tuple[int, str]]:
    """(body line, message) for each gap in the plan: slides with no minutes when others have
    them, or minutes that do not add up to the duration (or, for a range such as 50-60, fall
    outside it). A title slide (the first) may state none: it counts as 0, shown while the
    class settles."""
    if duration is None or not plans:
        return []
    low = shortest if shortest and shortest < duration else duration
    said = f"{low}-{duration}" if low < duration else str(duration)
    if all(p.minutes is None for p in plans):
        evenly = f"the presenter's timer shares the {duration} minutes evenly"
        return [(0, f"no slide's notes give its minutes ({HOW}); {evenly}")]
    missing = [p for p in plans[1:] if p.minutes is None]
    problems = [(p.line, f"slide '{p.title}' has no minutes in its notes ({HOW})")
                for p in missing]
    total = sum(p.minutes or 0 for p in plans)
    if total > duration or (not missing and total < low):
        where = "outside the duration range" if low < duration else "not the duration"
        problems.append((0, f"slide minutes add up to {total}, {where} of {said}"))
    return problems
