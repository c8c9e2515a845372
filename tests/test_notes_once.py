"""A slide too long for the screen is continued on more slides (edukit.core.slide_fit); printed
notes pages show all its parts on one page with its notes once, not the same notes again on a
page of their own under every part (paper wasted, and a teacher reading them twice)."""
from __future__ import annotations

import subprocess
import sys

import pytest
from pypdf import PdfReader


def items(tag: str, count: int) -> str:
    return "\n".join(f"- {tag} point {n}: a line of text that a pupil reads aloud."
                     for n in range(1, count + 1))


# Two parts, four parts (with safeguarding notes), two parts with no notes, one short slide.
LESSON = f"""---
title: Cut slides
---
# Cut slides

## Two parts

{items("A", 14)}

::: notes
NOTE-A-MARK: say this once.
:::

## Many parts

{items("B", 40)}

::: notes
NOTE-B-MARK: say this once.
:::

::: safeguarding
SAFE-B-MARK: watch for disclosures.
:::

## No notes

{items("C", 14)}

## Short

Just this.

::: notes
NOTE-D-MARK: the last note.
:::
"""
WRITTEN_SLIDES = 5  # the title slide and the four above


def exported(tmp_path, kind: str, *extra: str) -> list[str]:
    lesson = tmp_path / "cut-slides.md"
    lesson.write_text(LESSON, encoding="utf-8")
    out = tmp_path / f"{kind}.pdf"
    run = subprocess.run([sys.executable, "-m", "edukit", "export", str(lesson), "--as", kind,
                          "-o", str(out), *extra],
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    return [page.extract_text() for page in PdfReader(out).pages]


@pytest.mark.parametrize("extra", [(), ("--paper", "letter", "--large-print")])
def test_a_continued_slides_notes_print_once_beside_all_its_parts(tmp_path, user_dirs, extra):
    shown = exported(tmp_path, "slides", *extra)
    # Control: the long slides really are continued (as in the show): 10 slides, not 5.
    assert len(shown) == 10 and sum("(continued)" in page for page in shown) == 5
    pages = exported(tmp_path, "notes", *extra)
    text = "\n".join(pages)
    for mark in ("NOTE-A-MARK", "NOTE-B-MARK", "SAFE-B-MARK", "NOTE-D-MARK"):
        assert text.count(mark) == 1, mark
    assert "Continued: the notes" not in text  # the console's marker for a repeat
    assert text.count("No notes for this slide") == 2  # the title slide and 'No notes'
    assert len(pages) == WRITTEN_SLIDES  # one page per slide as written
    starts = {label: next(n for n, page in enumerate(pages) if label in page)
              for label in ("Slides 2–3 of 10", "Slides 4–7 of 10", "Slides 8–9 of 10")}
    assert "NOTE-A-MARK" in pages[starts["Slides 2–3 of 10"]]
    assert "A point 14" in pages[starts["Slides 2–3 of 10"]]  # its continuation, same page
    assert "B point 40" in pages[starts["Slides 4–7 of 10"]]
    assert "NOTE-B-MARK" in pages[starts["Slides 4–7 of 10"]]
