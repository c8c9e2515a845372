"""Adaptations for every pupil lesson (issue 15, item 5): SEND notes, EAL key words with
pictures and a stretch task, in the teacher guide and the one-page lesson plan only."""
from __future__ import annotations

import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest

from edukit.core.adaptations import PARTS, SEND_NOTES, find_adaptations
from edukit.core.leaflet import render_leaflet
from edukit.core.library import Library, Root
from edukit.core.model import School
from edukit.core.pptx_export import notes_text
from edukit.core.printing import PrintOptions, print_page
from edukit.core.render import RenderContext, render
from edukit.core.resources import render_lesson_plan
from edukit.core.validate import validate_module

REPO = Path(__file__).parent.parent
SCHOOL = School(name="Hillside School", dsl_name="Ms Rahman")
TAG = re.compile(r"<[^>]+>")

FULL = """::: adaptations
### SEND

- **Simplified language:** "ADAPT-SIMPLE: you can always tell a trusted adult."
- **Visual supports:** ADAPT-VISUAL cards.
- **Pre-teaching:** ADAPT-PRETEACH the key words with a teaching assistant.
- **Quiet exit:** ADAPT-EXIT: agree a signal; a trusted adult follows up and tells
  {{ school.dsl_name }}.

### EAL

- ![Picture card for this key word: a grown-up with a small red heart](adult.svg) **trusted
  adult**: ADAPT-WORD a grown-up you know who helps keep you safe.

### Stretch

ADAPT-STRETCH: design a poster.
:::
"""
MARKERS = ("ADAPT-SIMPLE", "ADAPT-VISUAL", "ADAPT-PRETEACH", "ADAPT-EXIT", "ADAPT-WORD",
           "ADAPT-STRETCH")
LESSON = """# A lesson

::: safeguarding
- **Tell the DSL** before the lesson.
:::

{adaptations}

## First slide

Pupils read this. PUPIL-TEXT

::: notes
**Timing: 5 minutes.** NOTES-TEXT
:::

::: handout
Take this home. HANDOUT-TEXT
:::

::: parents
### How to talk about it

- Ask your child. PARENTS-TEXT
:::
"""


def write_lesson(folder: Path, adaptations: str = FULL, audience: str = "pupils") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "adult.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><title>t</title>'
                                      "</svg>", encoding="utf-8")
    (folder / "module.md").write_text(
        f"---\ntitle: A lesson\naudience: {audience}\nages: \"8-11\"\nduration: 30\n"
        f"topics: [reporting]\n---\n" + LESSON.format(adaptations=adaptations), encoding="utf-8")
    return folder


def load(folder: Path):
    library = Library([Root(folder.parent, "extra")])
    library.refresh()
    return library, next(m for m in library.all if m.folder == folder)


def text(html: str) -> str:
    return " ".join(unescape(TAG.sub(" ", html)).split())


@pytest.fixture(scope="module")
def library() -> Library:
    return Library.default()


@pytest.fixture(scope="module")
def pupil_lessons(library) -> list:
    lessons = [m for m in library.modules if m.origin == "bundled"
               and m.meta.audience == "pupils" and not m.meta.is_resource]
    assert len(lessons) >= 14
    return lessons


# --- where the block shows, and where it never does -----------------------------------------

def test_the_parser_reads_every_part_of_the_block():
    found = find_adaptations(FULL.split("\n"))
    assert found is not None and set(found.parts) == set(PARTS)
    assert [label for label, _ in found.send] == list(SEND_NOTES)
    assert found.send[3][1].endswith("tells {{ school.dsl_name }}.")  # continuation joined
    (word,) = found.words
    assert word.word == "trusted adult" and word.picture.endswith("(adult.svg)")
    assert word.meaning.startswith("ADAPT-WORD") and found.stretch.startswith("ADAPT-STRETCH")


def test_the_block_is_in_the_guide_and_the_plan_and_in_no_pupil_or_family_output(tmp_path):
    _, module = load(write_lesson(tmp_path / "lesson"))
    ctx = RenderContext(SCHOOL)
    slides = render(module, "slides", ctx)
    outputs = {
        "pupil view": render(module, "lesson", ctx).html,
        "slides": slides.html,
        "slide notes and prompts": " ".join(s.notes_html + s.safeguarding_html + notes_text(s)
                                            for s in slides.slides),
        "handout": render(module, "handout", ctx).html,
        "worksheets": render(module, "worksheets", ctx).html,
        "leaflet": render_leaflet(module, ctx).html,
        "printed handout": print_page(module, ctx, PrintOptions(kind="handout")),
        "printed leaflet": print_page(module, ctx, PrintOptions(kind="parents")),
    }
    guide = text(render(module, "guide", ctx).html)
    plan = text(render_lesson_plan(module, ctx).html)
    # Positive controls: the harness finds what each output should carry.
    assert "PUPIL-TEXT" in text(outputs["pupil view"]) and "NOTES-TEXT" in guide
    assert "HANDOUT-TEXT" in text(outputs["handout"])
    assert "PARENTS-TEXT" in text(outputs["leaflet"])
    for marker in MARKERS:
        assert marker in guide, marker
        leaked = [name for name, html in outputs.items() if marker in html]
        assert not leaked, f"{marker} is in the {', '.join(leaked)}"
    for marker in ("ADAPT-SIMPLE", "ADAPT-VISUAL", "ADAPT-PRETEACH", "ADAPT-EXIT",
                   "ADAPT-STRETCH"):
        assert marker in plan, marker
    assert "tells Ms Rahman" in guide and "tells Ms Rahman" in plan  # placeholders filled


def test_a_lesson_without_the_block_keeps_the_plans_lines_to_write_on(tmp_path):
    _, module = load(write_lesson(tmp_path / "lesson", adaptations=""))
    plan = render_lesson_plan(module, RenderContext(SCHOOL)).html
    assert "Support (SEND, EAL)" in plan and "write-in" in plan


def test_every_pupil_lesson_has_its_adaptations_in_the_guide_and_the_plan(library,
                                                                          pupil_lessons):
    for module in pupil_lessons:
        ctx = RenderContext(SCHOOL, library.routes(module.meta.region))
        found = find_adaptations(module.body.split("\n"))
        assert found is not None, module.id
        guide_html = render(module, "guide", ctx).html
        guide, plan_html = text(guide_html), render_lesson_plan(module, ctx).html
        plan = text(plan_html)
        assert "Adapting the lesson: SEND, EAL and stretch" in guide, module.id
        for note in SEND_NOTES:
            assert f"{note}:" in guide and f"{note}:" in plan, (module.id, note)
        assert 5 <= len(found.words) <= 7, module.id
        for word in found.words:
            src = re.search(r"\]\(([^)\s]+)\)", word.picture).group(1)
            assert src in guide_html and src in plan_html, (module.id, src)
            assert (module.folder / src).is_file(), (module.id, src)
            assert word.word in plan, (module.id, word.word)
        assert text(found.stretch.replace("{{ school.dsl_name }}", "Ms Rahman"))[:40] in plan
        assert "quiet space" in found.send[3][1] and "{{ school.dsl_name }}" in found.send[3][1]


def test_no_pupil_output_of_a_bundled_lesson_carries_its_adaptations(library, pupil_lessons):
    for module in pupil_lessons:
        ctx = RenderContext(SCHOOL, library.routes(module.meta.region))
        found = find_adaptations(module.body.split("\n"))
        # (not the simplified language: it restates the key message pupils see anyway)
        phrases = [found.stretch[:40], *(t[:40] for _, t in found.send[1:])]
        guide = render(module, "guide", ctx).html
        slides = render(module, "slides", ctx)
        pupil = " ".join([render(module, "lesson", ctx).html, slides.html,
                          *(s.notes_html + notes_text(s) for s in slides.slides),
                          render(module, "handout", ctx).html,
                          render(module, "worksheets", ctx).html,
                          render_leaflet(module, ctx).html])
        guide_text, pupil_text = text(guide), text(pupil)
        for phrase in phrases:
            phrase = phrase.strip('"*').split("{{")[0][:30]
            assert phrase in guide_text, (module.id, phrase)  # the positive control
            assert phrase not in pupil_text, (module.id, phrase)
        assert "images/words/" in guide and "images/words/" not in pupil, module.id


def test_the_quiet_exit_points_to_a_trusted_adult_and_never_to_a_number(pupil_lessons):
    for module in pupil_lessons:
        found = find_adaptations(module.body.split("\n"))
        block = "\n".join(found.parts.values())
        exit_note = dict(found.send)["Quiet exit"]
        assert "trusted adult" in exit_note or "known adult" in exit_note, module.id
        assert not re.search(r"\d{3}", block), (module.id, "a number typed into adaptations")


# --- validate --------------------------------------------------------------------------------

def adaptation_warnings(module) -> list:
    return [p for p in validate_module(module, reading_level=False)
            if "adaptations" in p.message]


def test_a_complete_block_validates_without_an_adaptations_warning(tmp_path):
    _, module = load(write_lesson(tmp_path / "lesson"))
    assert adaptation_warnings(module) == []


def test_a_pupil_lesson_without_adaptations_is_a_warning_naming_file_and_line(tmp_path):
    _, module = load(write_lesson(tmp_path / "lesson", adaptations=""))
    (warning,) = adaptation_warnings(module)
    assert warning.severity == "warning" and warning.path.endswith("module.md")
    assert warning.line == module.body_line and "::: adaptations" in warning.message
    run = subprocess.run([sys.executable, "-m", "edukit", "validate",
                          str(module.folder / "module.md")], capture_output=True, text=True,
                         cwd=REPO, timeout=120, check=False)
    assert re.search(rf"module\.md:{module.body_line}: warning: no adaptations", run.stdout)


@pytest.mark.parametrize("part", PARTS)
def test_a_missing_part_is_a_warning_at_the_blocks_line(tmp_path, part):
    start = FULL.index(f"### {part}")
    end = FULL.find("### ", start + 4)
    without = FULL[:start] + (FULL[end:] if end > 0 else ":::\n")
    _, module = load(write_lesson(tmp_path / "lesson", adaptations=without))
    warnings = adaptation_warnings(module)
    assert [w.message for w in warnings] == [f"adaptations: no '### {part}' part"]
    fence = module.body.split("\n").index("::: adaptations")
    assert warnings[0].line == module.body_line + fence


@pytest.mark.parametrize("note", SEND_NOTES)
def test_a_missing_send_note_is_named(tmp_path, note):
    without = re.sub(rf"- \*\*{note}:\*\*[^\n]*\n(  [^\n]*\n)?", "", FULL)
    _, module = load(write_lesson(tmp_path / "lesson", adaptations=without))
    assert [w.message for w in adaptation_warnings(module)] == [
        f"adaptations: SEND has no '{note}' note (- **{note}:** ...)"]


def test_a_key_word_without_a_picture_is_named(tmp_path):
    without = re.sub(r"!\[[^\]]*\]\(adult\.svg\) ", "", FULL)
    _, module = load(write_lesson(tmp_path / "lesson", adaptations=without))
    messages = [w.message for w in adaptation_warnings(module)]
    assert messages == ["adaptations: key word 'trusted adult' has no picture"]


def test_staff_and_parent_modules_need_no_adaptations(tmp_path):
    for audience in ("staff", "parents"):
        _, module = load(write_lesson(tmp_path / audience, adaptations="", audience=audience))
        assert adaptation_warnings(module) == [], audience


def test_the_key_word_pictures_are_the_tools_drawings_and_listed_in_the_credits():
    run = subprocess.run([sys.executable, "tools/word_pictures.py", "--check"], cwd=REPO,
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stdout + run.stderr


def test_a_key_word_picture_too_large_to_draw_is_a_placeholder_in_the_plan(tmp_path):
    """The plan lays out the lesson's own pictures: each is checked, as in every view."""
    folder = write_lesson(tmp_path / "lesson")
    ctx = RenderContext(SCHOOL)
    _, module = load(folder)
    assert '<img alt="Picture card' in render_lesson_plan(module, ctx).html  # control
    def uses(ref: str) -> str:
        return f'<use href="#{ref}"/>' * 10

    nested = "".join(f'<g id="{b}">{uses(a)}</g>' for a, b in zip("abcde", "bcdef"))
    (folder / "adult.svg").write_text(  # 10^6 shapes once its <use> elements are expanded
        '<svg xmlns="http://www.w3.org/2000/svg"><title>t</title><defs>'
        f'<g id="a"><rect width="1" height="1"/></g>{nested}</defs>{uses("f")}</svg>',
        encoding="utf-8")
    _, module = load(folder)
    plan = render_lesson_plan(module, ctx).html
    assert "[Image not shown: Picture card" in plan and '<img alt="Picture card' not in plan
