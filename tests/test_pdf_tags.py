"""Tagged PDFs a screen reader reads in order: real PDFs from `edukit export`, read with pikepdf
(catalog, structure tree, alt text) and poppler (the text of the tree against the page text).
Positive controls: an untagged PDF, a fake (/Marked true over no marked content) and a tagged
PDF with its reading order shuffled all fail the same checks."""
from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from pdf_structure import elements, reading_order_match, tag_problems

from edukit.core.library import Library
from edukit.core.render import RenderContext, render

PUPIL = "live-streaming-and-video-chat"  # a pupil lesson with a picture (alt text) on its slides
STAFF = "dsl-guide-to-online-risk"  # staff training: certificates and registers
FLOWCHART = "dsl-image-incident-flowchart"  # its boxes are an inline SVG's text


def export(tmp_path: Path, module_id: str, kind: str) -> Path:
    out = tmp_path / f"{module_id}-{kind}.pdf"
    run = subprocess.run([sys.executable, "-m", "edukit", "export", module_id, "--as", kind,
                          "-o", str(out)], capture_output=True, text=True, timeout=180,
                         check=False)
    assert run.returncode == 0, run.stderr
    return out


def alt_texts(module_id: str, view: str) -> list[str]:
    """The alt text of each picture the view shows (the teacher-only picture cards of a
    lesson's adaptations are not on its slides)."""
    shown = render(Library.default().get(module_id), view, RenderContext()).html
    return [html.unescape(alt) for alt in re.findall(r'<img\b[^>]*\balt="([^"]+)"', shown)]


@pytest.mark.parametrize(("module_id", "kind"), [
    ("who-can-i-tell", "handout"), ("who-can-i-tell", "letter"), (PUPIL, "slides"),
    (STAFF, "certificate")])
def test_handouts_letters_slides_and_certificates_are_tagged_in_reading_order(
        tmp_path, module_id, kind):
    path = export(tmp_path, module_id, kind)
    title = Library.default().get(module_id).meta.title
    pdf = pikepdf.open(path)
    assert tag_problems(path) == []
    assert str(pdf.Root.Lang) == "en-GB"
    assert str(pdf.docinfo.Title) == title
    assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)
    kinds = [k for k, _ in elements(pdf)]
    assert kinds[0] == "Document"
    headings = [k for k in kinds if re.fullmatch(r"H[1-6]", k)]
    assert headings and headings[0] == "H1", headings
    assert {"P", "L", "LI"} <= set(kinds) or kind == "certificate", kinds
    # poppler reads the tree's text in the same order as the text on the pages, all of it
    assert reading_order_match(path, title) == 1.0


def test_a_picture_is_a_figure_with_the_lessons_alt_text(tmp_path):
    pdf = pikepdf.open(export(tmp_path, PUPIL, "slides"))
    figures = [str(element.Alt) for kind, element in elements(pdf) if kind == "Figure"]
    assert figures == alt_texts(PUPIL, "slides")
    assert figures  # the lesson has a picture


def test_every_other_kind_is_tagged_too(tmp_path):
    kinds = [(PUPIL, k) for k in ("guide", "notes", "nup", "parents", "plan", "worksheets")]
    for module_id, kind in [*kinds, (STAFF, "register")]:
        assert tag_problems(export(tmp_path, module_id, kind)) == [], (module_id, kind)


def test_a_flowcharts_boxes_are_read_as_text(tmp_path):
    # an inline SVG's text takes its colour from fill, not color: it is coded too
    path = export(tmp_path, FLOWCHART, "handout")
    assert tag_problems(path) == []
    assert reading_order_match(path, Library.default().get(FLOWCHART).meta.title) == 1.0


def test_the_guide_has_bookmarks_for_its_headings_nested_by_level(tmp_path):
    pdf = pikepdf.open(export(tmp_path, "who-can-i-tell", "letter"))
    with pdf.open_outline() as outline:
        top = outline.root
        assert [item.title for item in top] == ["Coming soon: an online-safety lesson"]
        assert [item.title for item in top[0].children][:2] == [
            "What the lesson is about", "In this lesson your child will learn to"]


# --- positive controls: the checks catch an untagged, a faked and a shuffled PDF -------------

def untagged_pdf(path: Path) -> Path:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.save(path)
    return path


def test_an_untagged_pdf_fails_the_check(tmp_path):
    problems = tag_problems(untagged_pdf(tmp_path / "plain.pdf"))
    assert "no structure tree" in problems and any("not marked" in p for p in problems)


def test_a_fake_tagged_pdf_with_no_marked_content_fails_the_check(tmp_path):
    # /Marked true and a tree, but no MCIDs tie it to the page: a lie to a screen reader
    path = untagged_pdf(tmp_path / "fake.pdf")
    pdf = pikepdf.open(path, allow_overwriting_input=True)
    tree = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
    tree.K = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.StructElem, S=pikepdf.Name.P, P=tree, K=pikepdf.Array()))
    tree.ParentTree = pdf.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array()))
    pdf.Root.StructTreeRoot = tree
    pdf.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
    pdf.save(path)
    assert tag_problems(path) == ["the structure tree points at no marked content"]


def test_a_shuffled_reading_order_fails_the_check(tmp_path):
    path = export(tmp_path, "who-can-i-tell", "letter")
    pdf = pikepdf.open(path, allow_overwriting_input=True)
    _, article = next((k, e) for k, e in elements(pdf) if k == "Art")
    article.K = pikepdf.Array(reversed(list(article.K)))
    pdf.save(path)
    assert tag_problems(path) == []  # still sound tags, only in the wrong order
    assert reading_order_match(path, "Who can I tell?") < 0.9
