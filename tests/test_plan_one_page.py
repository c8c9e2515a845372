"""A lesson plan is one page for the teacher's planning file (issue 15) in the worst case a
school gives it too: a 120-character school name and DSL, the widest line spacing or WCAG
text spacing the reader chose (Settings > Line spacing, which every printed page follows), and
every reading font (Settings > Reading font), OpenDyslexic's wide letters above all. Checked
on A4 and Letter for every bundled lesson, through the app's own print path."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from edukit.core.library import Library
from edukit.core.typography import READING_FONTS

REPO = Path(__file__).parent.parent
# 120 characters each: the longest names a school is likely to type, and longer than most
SCHOOL = ("St Bartholomew and All Saints Church of England Voluntary Aided Primary School and "
          "Nursery, Great Little Snoring Norfolk")
DSL = ("Dr Anne-Marie Montgomery-Fitzwilliam-Ashworth, Deputy Headteacher (Pastoral), "
       "Designated Safeguarding Lead and the SENCo")
CONTACT = "safeguarding@stbartholomew-allsaints.norfolk.sch.uk, 01234 567890"


def plans(tmp_path: Path, user_dirs: dict[str, Path], spacing: str, paper: str,
          font: str = "default") -> dict[str, int]:
    """Every bundled lesson's plan exported for the long-named school: pages per lesson."""
    config = user_dirs["config"]
    (config / "preferences.json").write_text(json.dumps(
        {"schema_version": 2, "line_spacing": spacing, "reading_font": font}), encoding="utf-8")
    (config / "school.json").write_text(json.dumps(
        {"schema_version": 2, "name": SCHOOL, "dsl_name": DSL, "dsl_contact": CONTACT,
         "deputy_dsl_name": DSL, "online_safety_lead": DSL}), encoding="utf-8")
    out = tmp_path / "plans"
    run = subprocess.run([sys.executable, "-m", "edukit", "export", "--all", "--as", "plan",
                          "--paper", paper, "-o", str(out)], cwd=REPO, capture_output=True,
                         text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stderr
    return {path.name.removesuffix("-plan.pdf"): len(PdfReader(path).pages)
            for path in out.glob("*-plan.pdf")}


def test_the_names_are_as_long_as_the_test_says():
    assert len(SCHOOL) == len(DSL) == 120


def test_every_reading_font_is_checked():
    assert set(READING_FONTS) == {font for font, _ in FONT_SPACINGS}


# The plan keeps its own spacing on paper (resources/css/resources.css: lines, letters, words
# and paragraphs), so every spacing other than the usual one prints it alike. Usual and WCAG
# spacing in the default font and in OpenDyslexic, the widest
# bundled face (before: 13 of 19 plans on A4 and 15 of 19 on Letter went onto a second page in
# it); the other fonts in WCAG spacing.
FONT_SPACINGS = [("default", "normal"), ("default", "wcag"), ("dyslexic", "normal"),
                 ("dyslexic", "wcag"), ("legible", "wcag"), ("system", "wcag")]


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize(("font", "spacing"), FONT_SPACINGS)
def test_every_lesson_plan_is_one_page_for_a_long_named_school_in_any_font_and_spacing(
        tmp_path, user_dirs, font, spacing, paper):
    pages = plans(tmp_path, user_dirs, spacing, paper, font)
    lessons = {m.id for m in Library.default().modules if not m.meta.is_resource}
    assert set(pages) == lessons and len(lessons) >= 19
    assert {k: v for k, v in pages.items() if v != 1} == {}
