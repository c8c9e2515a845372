"""`edukit export --as pptx`: an editable PowerPoint deck, read back with python-pptx."""
from __future__ import annotations

import io
import re
import struct
import subprocess
import sys
import zlib
from html import unescape
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from edukit.core.library import Library, load_module
from edukit.core.model import School
from edukit.core.paths import content_dir
from edukit.core.pptx_export import HELP_SLIDE_NAME, pptx_bytes
from edukit.core.render import RenderContext, render
from edukit.core.routes import load_routes

REPO = Path(__file__).parent.parent
UK = load_routes(content_dir() / "routes" / "uk.yaml")
SCHOOL = School(name="Oak Academy", dsl_name="Ms Patel")


def deck_of(module, school: School = SCHOOL) -> Presentation:
    data = pptx_bytes(module, RenderContext(school=school, routes=UK))
    return Presentation(io.BytesIO(data))


def body_text(slide) -> str:
    """Everything a slide shows: its text boxes and table cells (not the notes pane)."""
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts += [cell.text for row in shape.table.rows for cell in row.cells]
    return "\n".join(parts)


def notes(slide) -> str:
    return slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""


def words(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", "", html)).split())


def help_slide(slide) -> bool:
    return slide.name == HELP_SLIDE_NAME


def png(path: Path, width: int = 4, height: int = 3) -> None:
    """A tiny real PNG, so the test needs no picture files."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b"".join(b"\0" + b"\xff\0\0" * width for _ in range(height))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height,
                     8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


LESSON = """---
id: deck-test
title: Deck test
audience: pupils
ages: "11-14"
---

# Deck test

::: safeguarding
SAFEGUARDING-SECRET: tell the DSL first.
:::

## Lists

- Top point
  - Second level point
    - Third level point

Then:

1. First step

::: notes
NOTES-SECRET for the lists slide.
:::

## A table

| Service | Phone |
|---|---|
| Alpha | 0800 000 |

::: instructor
INSTRUCTOR-SECRET in the instructor block.
:::

## Pictures

![A red square](red.png)
![Remote](https://example.org/tracker.png)
![Outside](../outside.png)

::: handout
HANDOUT-ONLY text for paper.
:::

## Where to get help

::: {.routes for=pupils}
:::
"""


@pytest.fixture
def lesson(tmp_path: Path):
    folder = tmp_path / "deck-test"
    folder.mkdir()
    png(folder / "red.png")
    png(tmp_path / "outside.png")
    (folder / "module.md").write_text(LESSON, encoding="utf-8")
    return load_module(folder / "module.md", "file")


def test_each_lesson_slide_is_a_slide_with_its_title_then_the_help_box(lesson):
    deck = deck_of(lesson)
    pupils = UK.for_audience("pupils", "11-14")
    help_count = -(-len(pupils) // 4)
    titles = [s.shapes.title.text for s in deck.slides]
    assert titles[:5] == ["Deck test", "Lists", "A table", "Pictures", "Where to get help"]
    assert len(deck.slides) == 5 + help_count
    assert all(t.startswith("Where to get help") for t in titles[5:])
    assert [help_slide(s) for s in deck.slides] == [False] * 5 + [True] * help_count


def test_lists_keep_their_levels_and_numbers(lesson):
    slide = deck_of(lesson).slides[1]
    paragraphs = [(p.text, p.level) for p in slide.placeholders[1].text_frame.paragraphs]
    assert paragraphs == [("Top point", 0), ("Second level point", 1), ("Third level point", 2),
                          ("Then:", 0), ("First step", 0)]
    marks = [p._p.xpath("./a:pPr/a:buNone|./a:pPr/a:buAutoNum")
             for p in slide.placeholders[1].text_frame.paragraphs]
    assert [m[0].tag.rsplit("}")[-1] if m else "bullet" for m in marks] == [
        "bullet", "bullet", "bullet", "buNone", "buAutoNum"]


def test_tables_are_real_tables(lesson):
    slide = deck_of(lesson).slides[2]
    tables = [s.table for s in slide.shapes if s.has_table]
    assert len(tables) == 1
    assert [[c.text for c in row.cells] for row in tables[0].rows] == [
        ["Service", "Phone"], ["Alpha", "0800 000"]]


def test_only_the_modules_own_pictures_are_placed(lesson):
    slide = deck_of(lesson).slides[3]
    pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == 1  # red.png; the remote and the outside picture are not fetched
    assert "edukit never loads pictures from the internet" in body_text(slide)


def test_notes_go_to_the_notes_pane_and_never_on_a_slide(lesson):
    deck = deck_of(lesson)
    assert "SAFEGUARDING-SECRET" in notes(deck.slides[0])
    assert "NOTES-SECRET" in notes(deck.slides[1])
    assert "INSTRUCTOR-SECRET" in notes(deck.slides[2])
    for slide in deck.slides:
        shown = body_text(slide)
        for secret in ("SAFEGUARDING-SECRET", "NOTES-SECRET", "INSTRUCTOR-SECRET", "HANDOUT-ONLY"):
            assert secret not in shown


def test_the_help_box_slides_carry_the_directorys_routes_and_numbers(lesson):
    deck = deck_of(lesson)
    shown = "\n".join(body_text(s) for s in deck.slides if
                      s.shapes.title.text.startswith("Where to get help"))
    pupils = UK.for_audience("pupils", "11-14")
    for route in pupils:
        assert route.name in shown
        if route.phone:
            assert f"Phone: {route.phone}" in shown
    printed = set(re.findall(r"Phone: ([\d ]+\d)", shown))
    assert printed == {r.phone for r in pupils if r.phone}  # no number that is not in uk.yaml
    others = {r.name for r in UK.routes} - {r.name for r in pupils}
    assert not any(name in shown for name in others)


@pytest.mark.parametrize("module_id", sorted(
    p.parent.name for p in (REPO / "content" / "modules").glob("*/module.md")))
def test_bundled_lessons_make_decks_whose_slides_carry_no_teacher_text(module_id):
    library = Library.default()
    module = library.resolve(module_id)
    deck = deck_of(module)
    slides = render(module, "slides", RenderContext(school=SCHOOL, routes=UK)).slides
    lesson_slides = [s for s in deck.slides if not help_slide(s)]
    assert len(lesson_slides) == len(slides)
    assert len(deck.slides) > len(slides)  # the help box is there
    shown = "\n".join(body_text(s) for s in deck.slides)
    for slide, made in zip(slides, lesson_slides):
        assert made.shapes.title.text == words(slide.title)
        for html in (slide.notes_html, slide.safeguarding_html):
            for para in re.findall(r"<p>(.*?)</p>", html, re.DOTALL):
                text = words(para)
                if len(text) > 40:  # a whole notes sentence, not a shared short phrase
                    assert text not in shown
                    assert text in " ".join(notes(made).split())


def test_the_deck_says_what_it_is(lesson):
    props = deck_of(lesson).core_properties
    assert props.title == "Deck test" and props.author == "Oak Academy"


def edukit(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "edukit", *args], cwd=REPO, check=False,
                          capture_output=True, text=True, timeout=300)


def test_the_cli_writes_a_deck(tmp_path: Path):
    out = tmp_path / "sextortion.pptx"
    result = edukit("export", "sextortion", "--as", "pptx", "-o", str(out))
    assert result.returncode == 0, result.stderr
    deck = Presentation(str(out))
    assert deck.slides[0].shapes.title.text.startswith("Sextortion")


@pytest.mark.parametrize("args,says", [
    (["--as", "notes", "--per-page", "2"], "--per-page is only for --as nup"),
    (["--as", "handout", "--per-page", "4"], "--per-page is only for --as nup"),
    (["--as", "pptx", "--format", "html"], "leave out --format"),
])
def test_options_that_mean_nothing_for_the_kind_are_refused(tmp_path: Path, args, says):
    out = tmp_path / "x"
    result = edukit("export", "sextortion", *args, "-o", str(out))
    assert result.returncode == 2 and not out.exists()
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and says in lines[0], result.stderr


def test_hostile_titles_and_long_summaries_still_make_a_deck(tmp_path: Path):
    path = tmp_path / "module.md"
    path.write_text('---\nid: odd\ntitle: "A \\u0007 <b>bell</b> & more"\nsummary: "' + "x" * 400
                    + '"\n---\n\n# Odd\n\n## Slide\n\nText\n', encoding="utf-8")
    deck = deck_of(load_module(path, "file"), School(name="N" * 300))
    assert len(deck.core_properties.subject) == 255
    assert deck.core_properties.author == "N" * 255
