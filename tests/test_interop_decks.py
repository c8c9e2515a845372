"""Decks and lessons written for other tools (Pandoc, Quarto, Marp, Carpentries, reveal.js,
Slidev) open as they are: split as their tools split them, notes kept to the presenter, and
nothing lost. The decks are tests/fixtures/interop/slides-* (written for these tests); in them
every presenter-only paragraph says "Psst" and every paragraph hidden on slides (a solution)
says "Spoiler", so what must show is found from the sources alone, without edukit's help."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from edukit.core.help_box import wants_help_box
from edukit.core.library import Library
from edukit.core.render import RenderContext, render
from edukit.core.routes import bundled_routes

INTEROP = Path(__file__).parent / "fixtures" / "interop"
DECKS = {  # convention → the deck written in it
    "pandoc": INTEROP / "slides-pandoc.md",
    "quarto": INTEROP / "slides-quarto.md",
    "marp": INTEROP / "slides-marp" / "module.md",
    "carpentries": INTEROP / "slides-carpentries.md",
    "reveal.js": INTEROP / "slides-reveal.md",
    "slidev": INTEROP / "slides-slidev.md",
}
NOTES_MARK, HIDDEN_MARK = "Psst", "Spoiler"


def module(path: Path):
    return Library([]).resolve(str(path))


def ctx() -> RenderContext:
    return RenderContext(routes=bundled_routes("uk"))


def slide_titles(path: Path) -> list[str]:
    return [s.title for s in render(module(path), "slides", ctx()).slides]


# --- what must show: every heading and paragraph of the source, found without edukit --------

MARKUP = re.compile(r"<!--.*?-->|<[^>]+>|!\[[^\]]*\]\([^)]*\)|^\s*(#+|[-*+]|\d+\.|>)\s+|[*_`]",
                    re.MULTILINE)
LINK = re.compile(r"(?<!!)\[([^\]]*)\]\([^)]*\)")


def chunks(source: str) -> list[str]:
    """The source's paragraphs, headings, list items and table cells, as plain words; front
    matter, fences, rules, directives and Slidev slide front matter left out."""
    body = re.sub(r"\A---\n.*?\n---\n", "", source, flags=re.DOTALL)
    body = re.sub(r"(?m)^---\n(\w[\w-]*: .*\n)+---\n", "", body)  # Slidev per-slide front matter
    body = re.sub(r"<!--.*?-->", lambda m: m.group(0) if NOTES_MARK in m.group(0) else "", body,
                  flags=re.DOTALL)
    found = []
    for block in re.split(r"\n\s*\n", body):
        if NOTES_MARK in block or HIDDEN_MARK in block:
            continue
        for line in block.split("\n"):
            if re.match(r"^\s*(:{3,}|---|```|\|[-|: ]+\|$)", line):
                continue
            cells = line.strip("|").split("|") if line.startswith("|") else [line]
            for cell in cells:
                text = MARKUP.sub("", LINK.sub(r"\1", cell)).strip()
                if text:
                    found.append(text)
    return found


def squeezed(text: str) -> str:
    """Text without any white space: a line wrapped on paper reads the same."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def pdf_texts(tmp_path_factory) -> dict[str, dict[str, str]]:
    """Every deck exported as slides and as a handout (two runs of `edukit export`)."""
    out = tmp_path_factory.mktemp("interop")
    texts: dict[str, dict[str, str]] = {}
    for kind in ("slides", "handout"):
        folder = out / kind
        done = subprocess.run([sys.executable, "-m", "edukit", "export",
                               *[str(p.parent if p.name == "module.md" else p) for p in DECKS.values()],
                               "--as", kind, "-o", str(folder)],
                              capture_output=True, text=True, timeout=600, check=False)
        assert done.returncode == 0, done.stderr
        texts[kind] = {}
        for name, path in DECKS.items():
            stem = path.parent.name if path.name == "module.md" else path.stem
            pdf = folder / f"{stem}-{kind}.pdf"
            texts[kind][name] = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                               text=True, check=True).stdout
        texts[kind]["stderr"] = done.stderr
    return texts


@pytest.mark.parametrize("convention", DECKS)
def test_nothing_is_lost_from_the_slides_or_the_handout(pdf_texts, convention):
    source = DECKS[convention].read_text(encoding="utf-8")
    wanted = chunks(source)
    assert len(wanted) >= 5
    for kind in ("slides", "handout"):
        text = squeezed(pdf_texts[kind][convention])
        missing = [c for c in wanted if squeezed(c) not in text]
        assert missing == [], f"{convention} {kind} lost {missing}"


@pytest.mark.parametrize("convention", DECKS)
def test_notes_never_reach_pupils_pages(pdf_texts, convention):
    for kind in ("slides", "handout"):
        assert NOTES_MARK not in pdf_texts[kind][convention]
    assert HIDDEN_MARK not in pdf_texts["slides"][convention]


def test_export_names_each_slide_it_continued(pdf_texts):
    lines = [x for x in pdf_texts["slides"]["stderr"].splitlines() if "does not fit" in x]
    # (1 more slide in Atkinson Hyperlegible, the slides' face; 2 in the wider DejaVu Sans)
    assert lines == [(f"{DECKS['pandoc']}:49: warning: slide 10 'A slide with far too much on "
                     "it' does not fit a 1280x720 screen: continued on 1 more slide")]


def test_the_chunk_finder_would_see_a_lost_paragraph():
    # Positive control for the test above: a paragraph left out is found missing.
    source = DECKS["quarto"].read_text(encoding="utf-8")
    text = squeezed(source.replace("A picture with no source deserves a second look.", ""))
    assert "Apicturewithnosourcedeservesasecondlook." not in text
    assert "A picture with no source deserves a second look." in chunks(source)


# --- source → output, per convention -----------------------------------------------------------

def test_pandoc_deck_splits_at_sections_slides_and_a_rule():
    assert slide_titles(DECKS["pandoc"])[:6] == [
        "Passwords that work", "Why passwords matter", "A strong password", "Slide 4", "Sharing",
        "Looking after accounts"]


def test_quarto_sections_get_slides_of_their_own_after_a_title_slide():
    assert slide_titles(DECKS["quarto"]) == [
        "Spotting fake pictures", "Section one: seeing", "Look closely", "Ask where it came from",
        "Section two: doing", "Report it"]
    first = render(module(DECKS["quarto"]), "slides", ctx()).slides[0].html
    assert "Year 9 online safety" in first and "Sam Lecturer · 2026-10-01" in first


def test_marp_deck_splits_at_rules_with_backgrounds_and_comment_notes():
    slides = render(module(DECKS["marp"]), "slides", ctx()).slides
    assert [s.title for s in slides] == ["Group chats", "Everyone can see", "Leaving a chat",
                                         "Remote background"]
    assert "fit" not in slides[0].html and "<!--" not in slides[0].title
    assert 'class="bg-picture"' in slides[1].html and 'class="bg-side"' in slides[2].html
    assert "Image not shown" not in "".join(s.html for s in slides)
    assert NOTES_MARK in slides[0].notes_html and NOTES_MARK in slides[2].notes_html


def test_reveal_note_lines_are_notes():
    slides = render(module(DECKS["reveal.js"]), "slides", ctx()).slides
    assert [s.title for s in slides] == ["Safe gaming chats", "Game chat", "Turning chat off",
                                         "Telling someone"]  # a title slide: it has no '#'
    assert all(NOTES_MARK in s.notes_html for s in slides[1:3])
    assert not any(NOTES_MARK in s.html or "Note:" in s.html for s in slides)


def test_slidev_trailing_comments_are_notes_and_slide_front_matter_is_not_shown():
    slides = render(module(DECKS["slidev"]), "slides", ctx()).slides
    assert [s.title for s in slides] == ["Screen time that works", "Notice how you feel",
                                         "Make a plan"]
    assert NOTES_MARK in slides[0].notes_html and NOTES_MARK in slides[1].notes_html
    assert "layout" not in "".join(s.html for s in slides)


def test_carpentries_instructor_notes_and_solutions_stay_off_slides():
    slides = render(module(DECKS["carpentries"]), "slides", ctx()).slides
    assert slides[0].title == "Version control with git"
    assert any(NOTES_MARK in s.notes_html for s in slides)
    assert not any(HIDDEN_MARK in s.html or NOTES_MARK in s.html for s in slides)


# --- the help box: on lessons about safety, not on every foreign file ---------------------------

def handout(path: Path) -> str:
    return render(module(path), "handout", ctx()).html


@pytest.mark.parametrize("name", ["staying-safe-no-front-matter.md", "slides-reveal.md",
                                  "slides-quarto.md"])
def test_a_safety_lesson_from_another_tool_keeps_its_help_box(name):
    assert "routes-title" in handout(INTEROP / name)


@pytest.mark.parametrize("name", ["git-tutorial-for-adults.md", "slides-carpentries.md",
                                  "untitled-notes.md"])
def test_a_lesson_not_about_safety_prints_without_the_box_and_validate_says_so(name):
    assert "routes-title" not in handout(INTEROP / name)
    done = subprocess.run([sys.executable, "-m", "edukit", "validate", str(INTEROP / name)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert "no help box on this handout" in done.stdout


def test_asking_for_the_box_in_front_matter_brings_it_back(tmp_path):
    path = tmp_path / "git.md"
    path.write_text("---\ntitle: Git\nhandout_routes: true\n---\n# Git\n\nBranches.\n")
    assert "routes-title" in handout(path)
    path.write_text("---\ntitle: Git\ntopics: [privacy]\n---\n# Git\n\nBranches.\n")
    assert wants_help_box(module(path))


@pytest.mark.parametrize("words", ["Report bullying online", "What to do about sextortion",
                                   "Online safety for Year 7", "Safeguarding in clubs"])
def test_safety_words_in_a_title_alone_keep_the_box(tmp_path, words):
    path = tmp_path / "lesson.md"
    path.write_text(f"# {words}\n\nSome text.\n")
    assert "routes-title" in handout(path)


def test_bundled_lessons_keep_their_box_whatever_they_say():
    library = Library.default()
    assert all(wants_help_box(m) for m in library.modules if m.origin == "bundled")


# --- titles and validate on untouched decks --------------------------------------------------

def test_a_file_without_title_takes_its_first_heading_then_its_file_name():
    assert module(INTEROP / "git-tutorial-for-adults.md").meta.title == "Branching in git"
    assert module(INTEROP / "untitled-notes.md").meta.title == "untitled-notes"


def test_validate_exits_0_on_every_untouched_deck():
    paths = [str(p.parent if p.name == "module.md" else p) for p in DECKS.values()]
    paths += [str(INTEROP / n) for n in ("git-tutorial-for-adults.md", "untitled-notes.md",
                                         "staying-safe-no-front-matter.md")]
    done = subprocess.run([sys.executable, "-m", "edukit", "validate", *paths],
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert " error: " not in done.stdout


def test_a_lesson_written_for_edukit_keeps_its_box_whatever_it_is_about(tmp_path):
    path = tmp_path / "club.md"
    path.write_text("---\ntitle: Chess club\n---\n# Chess club\n\nOpenings.\n")
    assert "routes-title" in handout(path)
    path.write_text("---\ntitle: Chess club\nhandout_routes: false\n---\n# Chess club\n\nOpenings.\n")
    assert "routes-title" not in handout(path) and "turned off the help box" in handout(path)
