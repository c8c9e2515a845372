"""The leaflet for parents and carers (`--as parents`), made from a pupil lesson."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from edukit.core.helplines import URL, Directory, contacts_in, normal_number
from edukit.core.leaflet import PARENTS, render_leaflet
from edukit.core.library import Library, load_module
from edukit.core.markdown.teacher import blocks_text
from edukit.core.model import School
from edukit.core.paths import content_dir
from edukit.core.render import RenderContext, body_lines, render
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


# The parents' block of every bundled pupil lesson (docs/authoring.md): the leaflet's four
# parts in order, the lesson's own words under each, and no contact typed by hand.
BLOCK_PARTS = ("### How to talk about it", "### Signs to look out for",
               "### What to do if something happens")
LEAFLET_PARTS = ("What your child learned", "How to talk about it", "Signs to look out for",
                 "What to do if something happens", "Where to get help")
NO_BLAME = re.compile(r"(?i)not (?:their|your child's) fault|never their fault|"
                      r"(?:not|never) be in trouble|not blame")
# A web address written without http(s), which helplines.contacts_in leaves to the reader.
BARE_ADDRESS = re.compile(r"(?i)\bwww\.|\b[\w-]+(?:\.[\w-]+)*\.(?:org|com|net|gov|uk|police|"
                          r"co|nhs|sch|info|io)\b")


def typed_contacts(block: str) -> list[str]:
    """Phone numbers, emails and web addresses typed into a parents' block. The leaflet's help
    box prints every contact from the route directory; only the emergency number, 999, may
    be written in the advice itself."""
    directory = Directory(UK)
    found = [c.text for line in block.splitlines() for c in contacts_in(line, directory)
             if normal_number(c.text) != "999"]
    found += [m.group(0) for m in BARE_ADDRESS.finditer(block)]
    found += URL.findall(block)
    return found


def parents_block(module) -> str:
    blocks = [text for _, text in blocks_text(body_lines(module), PARENTS)]
    assert len(blocks) == 1, f"{module.id}: {len(blocks)} parents blocks, want one in one place"
    return blocks[0]


@pytest.mark.parametrize("module_id", bundled("pupils"))
def test_every_bundled_pupil_lesson_has_its_own_parents_block(module_id):
    module = Library.default().resolve(module_id)
    block = parents_block(module)
    at = [block.find(part) for part in BLOCK_PARTS]
    assert -1 not in at and at == sorted(at), (module_id, at)
    talk, signs, todo = (block[a:b] for a, b in zip(at, at[1:] + [len(block)]))
    assert "?" in talk, f"{module_id}: no conversation starter (a question) to ask the child"
    assert all("\n- " in part for part in (talk, signs, todo)), module_id
    assert NO_BLAME.search(" ".join(block.split())), f"{module_id}: no 'not their fault'"
    todo = " ".join(todo.split())
    assert "never look at, save, screenshot or forward" in todo.lower(), module_id
    assert "Designated Safeguarding Lead" in todo, module_id
    assert typed_contacts(block) == [], module_id


@pytest.mark.parametrize("module_id", bundled("pupils"))
def test_every_pupil_leaflet_has_the_four_parts_in_order_in_the_lessons_words(module_id):
    module = Library.default().resolve(module_id)
    shown = text(render_leaflet(module, CTX).html)
    at = [shown.find(part) for part in LEAFLET_PARTS]
    assert -1 not in at and at == sorted(at), (module_id, at)
    assert "Ask what they learned and what they thought of it" not in shown  # not the general
    first_bullet = parents_block(module).split("\n- ", 1)[1].split("\n-")[0]
    assert " ".join(first_bullet.split()).split(":")[0] in shown


@pytest.mark.parametrize("typed", [
    "Ring Childline on 0800 1111.", "Call the NSPCC on 0808 800 5000.",
    "Call 0800 000 0000 any time.", "Phone the police on 101.", "Text SHOUT to 85258.",
    "Email help@nspcc.org.uk.", "See https://www.ceop.police.uk/Safety-Centre/ to report.",
    "Go to www.childline.org.uk.", "Report it at report.iwf.org.uk today.",
    "Visit reportharmfulcontent.com for advice.", "Ring +44 20 7946 0000.",
])
def test_a_contact_typed_into_a_parents_block_is_caught(typed):
    """Positive control: each way of typing a contact is found, in the block's own shape."""
    block = f"### What to do if something happens\n\n- Stay calm. {typed}\n"
    assert typed_contacts(block), typed


def test_the_emergency_number_and_ages_in_a_parents_block_are_not_contacts():
    block = ("- Your child heard about Ryan, 13, in Year 8 (ages 11-14), at 9.30 on 3 April.\n"
             "- Report Remove can help an under-18. If your child is in danger right now, "
             "call 999.\n")
    assert typed_contacts(block) == []
