"""The DSL's printed flowchart is set in the reading font the teacher chose, like the text around
it: its boxes used to stay in the system's sans-serif whatever the choice (OpenDyslexic readers
got the one part of the page they act on in a face they did not choose). Read back from the
PDF: the font each piece of text is drawn in (tests/gui/test_flowchart_fits.py checks that the
text stays inside its boxes in every font and spacing)."""
from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from pypdf import PdfReader

MODULE = "dsl-image-incident-flowchart"
INTRO = "AsummaryforEngland"  # the page's own text, above the chart
BOXES = ("Isachildinimmediatedanger", "Call999ThentheDSLfollowsthechildprotectionpolicy")


def text_by_face(pdf) -> dict[str, str]:
    """Each font family's text in the PDF, letters and digits only, in drawing order."""
    found: dict[str, str] = {}

    def visit(text, cm, tm, font, size):
        if font is None:
            return
        name = font.get("/BaseFont") or font["/FontDescriptor"]["/FontName"]  # Type 3: named there
        face = str(name).lstrip("/").split("+")[-1].split("-")[0]
        found[face] = found.get(face, "") + re.sub(r"\W", "", text)
    for page in PdfReader(pdf).pages:
        page.extract_text(visitor_text=visit)
    return found


def face_of(faces: dict[str, str], words: str) -> str:
    drawn = [face for face, text in faces.items() if words in text]
    assert len(drawn) == 1, (words, {face: len(text) for face, text in faces.items()})
    return drawn[0]


@pytest.mark.parametrize("font, spacing, face", [
    ("default", "normal", None),  # the usual font: the chart as before
    ("legible", "normal", "AtkinsonHyperlegible"),
    ("dyslexic", "normal", "OpenDyslexic"),
    ("dyslexic", "wcag", "OpenDyslexic"),
    ("system", "widest", None),
])
def test_the_printed_flowchart_is_in_the_chosen_reading_font(tmp_path, user_dirs, font, spacing,
                                                            face):
    (user_dirs["config"] / "preferences.json").write_text(json.dumps(
        {"schema_version": 2, "reading_font": font, "line_spacing": spacing}), encoding="utf-8")
    out = tmp_path / "chart.pdf"
    run = subprocess.run([sys.executable, "-m", "edukit", "export", MODULE, "--as", "handout",
                          "-o", str(out)], capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    faces = text_by_face(out)
    page_face = face_of(faces, INTRO)
    assert face is None or page_face == face
    for words in BOXES:
        assert face_of(faces, words) == page_face, words
