"""The leaflet for parents and carers (`--as parents`), made from a pupil lesson."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from edukit.core.leaflet import render_leaflet
from edukit.core.library import Library, load_module
from edukit.core.model import School
from edukit.core.paths import content_dir
from edukit.core.render import RenderContext, render
from edukit.core.routes import load_routes

REPO = Path(__file__).parent.parent
UK = load_routes(content_dir() / "routes" / "uk.yaml")
CTX = RenderContext(school=School(name="Oak Primary", dsl_name="Ms Patel",
                                  phone="01632 960123", lado="01632 960456"), routes=UK)
LESSON = """---
title: Chat safety
audience: pupils
ages: "11-14"
objectives:
  - Spot the warning signs in a chat.
---
# Chat safety

## Warm-up

::: activity
In pairs, CLASSROOM-ONLY list the apps you use.
:::

::: worksheet
1. ANSWER-LINES question
:::

::: key-messages
- KEY-MESSAGE: tell a trusted adult.
:::

::: notes
NOTES-SECRET
:::

::: parents
### How to talk about it
PARENTS-OWN-WORDS ask what they thought.
:::
"""


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def lesson(tmp_path: Path):
    path = tmp_path / "chat.md"
    path.write_text(LESSON, encoding="utf-8")
    return load_module(path, "file")


def test_a_leaflet_says_what_the_child_learned_in_the_authors_words_for_parents(lesson):
    shown = text(render_leaflet(lesson, CTX).html)
    assert "For parents and carers" in shown and "What your child learned" in shown
    assert "spot the warning signs in a chat." in shown and "KEY-MESSAGE" in shown
    assert "PARENTS-OWN-WORDS" in shown
    assert shown.index("What your child learned") < shown.index("PARENTS-OWN-WORDS") < shown.index(
        "Where to get help")


def test_a_leaflet_carries_no_classroom_activity_worksheet_or_teacher_text(lesson):
    shown = text(render_leaflet(lesson, CTX).html)
    for text_ in ("CLASSROOM-ONLY", "ANSWER-LINES", "NOTES-SECRET", "In pairs", "LADO"):
        assert text_ not in shown


def test_a_leaflet_gives_the_dsl_the_school_phone_and_the_parents_box(lesson):
    html = render_leaflet(lesson, CTX).html
    shown = text(html)
    assert "Ms Patel" in shown and "01632 960123" in shown
    printed = set(re.findall(r"Phone: ([\d ]+\d)", shown))
    assert printed == {r.phone for r in UK.for_audience("parents") if r.phone}


def test_the_parents_block_shows_only_on_the_leaflet_and_the_teacher_guide(lesson):
    assert "PARENTS-OWN-WORDS" not in render(lesson, "lesson", CTX).html
    assert all("PARENTS-OWN-WORDS" not in s.html for s in render(lesson, "slides", CTX).slides)
    assert "PARENTS-OWN-WORDS" not in render(lesson, "handout", CTX).html
    assert "PARENTS-OWN-WORDS" in render(lesson, "guide", CTX).html


def test_without_a_parents_block_the_leaflet_gives_general_advice(tmp_path: Path):
    path = tmp_path / "plain.md"
    path.write_text(LESSON.split("::: parents")[0], encoding="utf-8")
    shown = text(render_leaflet(load_module(path, "file"), CTX).html)
    assert "How to talk about it" in shown and "What to do if something happens" in shown
    assert "call 999" in shown


def bundled(audience: str) -> list[str]:
    return sorted(m.id for m in Library.default().modules if m.meta.audience == audience)


@pytest.mark.parametrize("module_id", bundled("pupils"))
def test_every_bundled_pupil_lesson_has_a_leaflet_without_classroom_text(module_id):
    module = Library.default().resolve(module_id)
    shown = text(render_leaflet(module, CTX).html)
    assert "What your child learned" in shown and "Where to get help" in shown
    assert "In pairs" not in shown and "worksheet" not in shown.lower()


@pytest.mark.parametrize("module_id", ["sextortion", "who-can-i-tell"])
def test_bundled_leaflets_print_on_one_double_sided_sheet(tmp_path: Path, module_id):
    for paper in ("a4", "letter"):
        out = tmp_path / f"{module_id}-{paper}.pdf"
        run = subprocess.run([sys.executable, "-m", "edukit", "export", module_id, "--as",
                              "parents", "--paper", paper, "-o", str(out)], cwd=REPO,
                             capture_output=True, text=True, timeout=120, check=False)
        assert run.returncode == 0, run.stderr
        reader = PdfReader(out)
        assert 1 <= len(reader.pages) <= 2, (paper, len(reader.pages))
        assert reader.metadata.subject == "Leaflet for parents and carers, for pupils"


def test_a_staff_module_has_no_leaflet(tmp_path: Path):
    staff = bundled("staff")[0]
    run = subprocess.run([sys.executable, "-m", "edukit", "export", staff, "--as", "parents",
                          "-o", str(tmp_path / "x.pdf")], cwd=REPO, capture_output=True,
                         text=True, timeout=120, check=False)
    assert run.returncode == 1 and not (tmp_path / "x.pdf").exists()
    assert run.stderr.strip().count("\n") == 0 and "staff module" in run.stderr
