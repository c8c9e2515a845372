"""A pupil lesson's adaptations (issue 15): notes for SEND and EAL learners and a stretch task,
written as one `::: adaptations` block with `### SEND`, `### EAL` and `### Stretch` parts.

Teacher-only, like notes (edukit.core.markdown.teacher): the guide prints the block in full
after the safeguarding notes and the one-page lesson plan prints it in short; the pupils'
view, slides, handout, worksheets and leaflet never carry it. `edukit validate` warns when a
pupil lesson has none, or lacks a part, so a teacher knows before planning.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .markdown.blocks import div_inner, outermost, scan_divs
from .markdown.teacher import ADAPTATIONS
from .model import Module

PARTS = ("SEND", "EAL", "Stretch")
SEND_NOTES = ("Simplified language", "Visual supports", "Pre-teaching", "Quiet exit")
HOW = ("a '::: adaptations' block with '### SEND', '### EAL' and '### Stretch' parts "
       "(docs/authoring.md)")
PART_HEADING = re.compile(r"^ {0,3}###\s+(?P<name>.+?)\s*#*\s*$")
ITEM = re.compile(r"^\s*[-*]\s+(?P<text>.*)$")
# a SEND note: `- **Quiet exit:** text`; a key word: `- ![alt](src) **word**: meaning`
LABELLED = re.compile(r"^(?P<picture>!\[[^\]]*\]\([^)\s]+\)(?:\{[^}]*\})?)?\s*"
                      r"\*\*(?P<label>[^*]+?)\*\*\s*:?\s*(?P<rest>.*)$")


@dataclass(frozen=True)
class KeyWord:
    """One EAL key word: the word, a simple meaning and its picture (Markdown image)."""

    word: str
    meaning: str
    picture: str


@dataclass(frozen=True)
class Adaptations:
    """The parsed block. `start` is the index of its opening fence in the lines given."""

    start: int
    parts: dict[str, str]  # part name (PARTS) → its Markdown
    send: tuple[tuple[str, str], ...]  # (label, Markdown) of each SEND note
    words: tuple[KeyWord, ...]
    stretch: str


def find_adaptations(lines: list[str]) -> Adaptations | None:
    """The lesson's first `::: adaptations` block, parsed (None when it has none)."""
    found = outermost(scan_divs(lines), ADAPTATIONS)
    if not found:
        return None
    parts = split_parts(div_inner(found[0], lines))
    send = tuple((label.rstrip(":").strip(), rest) for picture, label, rest
                 in labelled_items(parts.get("SEND", "")) if not picture)
    words = tuple(KeyWord(label.rstrip(":").strip(), rest, picture) for picture, label, rest
                  in labelled_items(parts.get("EAL", "")))
    return Adaptations(found[0].start, parts, send, words, parts.get("Stretch", "").strip())


def part_name(heading: str) -> str:
    """'SEND', 'EAL' or 'Stretch' for a part's heading ('Stretch task' too), else the heading."""
    first = heading.split()[0].rstrip(":").casefold() if heading.split() else ""
    return next((p for p in PARTS if p.casefold() == first), heading)


def split_parts(inner: list[str]) -> dict[str, str]:
    """The block's text under each `### ` heading, by part name (text before any is dropped)."""
    parts: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in inner:
        m = PART_HEADING.match(line)
        if m:
            current = parts.setdefault(part_name(m.group("name")), [])
        elif current is not None:
            current.append(line)
    return {name: "\n".join(text).strip() for name, text in parts.items()}


def list_items(text: str) -> list[str]:
    """The items of a Markdown list, each with its continuation lines joined on."""
    items: list[str] = []
    for line in text.split("\n"):
        m = ITEM.match(line)
        if m:
            items.append(m.group("text").strip())
        elif items and line.strip():
            items[-1] += " " + line.strip()
    return items


def labelled_items(text: str) -> list[tuple[str, str, str]]:
    """(picture, bold label, rest) of each list item that starts with a bold label."""
    return [(m.group("picture") or "", m.group("label"), m.group("rest").strip())
            for item in list_items(text) if (m := LABELLED.match(item))]


def adaptation_problems(module: Module) -> list[tuple[int, str]]:
    """(body line index, message) for a pupil lesson whose adaptations are missing or lack a
    part: every SEND note, key words each with a picture, and a stretch task."""
    if module.meta.audience != "pupils" or module.meta.is_resource:
        return []
    lines = module.body.split("\n")
    found = find_adaptations(lines)
    if found is None:
        return [(0, f"no adaptations for SEND and EAL learners or a stretch task (add {HOW})")]
    problems = [(found.start, f"adaptations: no '### {part}' part")
                for part in PARTS if not found.parts.get(part)]
    labels = {label.casefold() for label, _ in found.send}
    if found.parts.get("SEND"):
        problems += [(found.start, (f"adaptations: SEND has no '{note}' note "
                                   f"(- **{note}:** ...)"))
                     for note in SEND_NOTES if note.casefold() not in labels]
    if found.parts.get("EAL") and not found.words:
        problems.append((found.start, ("adaptations: EAL lists no key words "
                                      "(- ![picture](images/words/x.svg) **word**: meaning)")))
    problems += [(found.start, f"adaptations: key word '{w.word}' has no picture")
                 for w in found.words if not w.picture]
    if len(outermost(scan_divs(lines), ADAPTATIONS)) > 1:
        problems.append((found.start, ("more than one '::: adaptations' block (only the first "
                                      "is used in the lesson plan)")))
    return problems
