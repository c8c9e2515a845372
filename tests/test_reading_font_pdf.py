"""The reading font reaches paper: the PDF embeds Atkinson Hyperlegible exactly when chosen
(and for slides by default), read from the PDF's own font list."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from pypdf import PdfReader

from edukit.core.pages import page_font


def font_names(pdf) -> set[str]:
    """Embedded font names without their subset prefix ('ABCDEF+DejaVuSans' → 'DejaVuSans')."""
    names = set()
    for page in PdfReader(pdf).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()  # Skia writes OpenDyslexic as Type 3: named in its descriptor
            name = font.get("/BaseFont") or font["/FontDescriptor"]["/FontName"]
            names.add(str(name).lstrip("/").split("+")[-1])
    return names


def exported(tmp_path, user_dirs, fixture_content, font: str | None, kind: str):
    if font is not None:
        (user_dirs["config"] / "preferences.json").write_text(
            json.dumps({"schema_version": 2, "reading_font": font}), encoding="utf-8")
    out = tmp_path / f"{kind}-{font}.pdf"
    run = subprocess.run([sys.executable, "-m", "edukit", "--content", str(fixture_content),
                          "export", "sample-lesson", "--as", kind, "-o", str(out)],
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    return font_names(out)


@pytest.mark.parametrize("font, kind, face", [
    (None, "handout", None),  # control: nothing chosen, a handout is in the usual font
    ("default", "handout", None),
    ("legible", "handout", "AtkinsonHyperlegible"),
    ("legible", "guide", "AtkinsonHyperlegible"),
    ("dyslexic", "handout", "OpenDyslexic"),
    ("system", "handout", None),
    (None, "slides", "AtkinsonHyperlegible"),  # slides default to the legible face
    ("dyslexic", "slides", "OpenDyslexic"),
    ("system", "slides", None),
])
def test_the_pdf_embeds_the_chosen_reading_font(tmp_path, user_dirs, fixture_content,
                                                font, kind, face):
    names = exported(tmp_path, user_dirs, fixture_content, font, kind)
    bundled = {n.split("-")[0] for n in names} & {"AtkinsonHyperlegible", "OpenDyslexic"}
    assert bundled == ({face} if face else set()), names


@pytest.mark.parametrize("stored", ["nonsense", 3, None])
def test_an_unknown_reading_font_is_the_usual_one(stored):
    assert page_font("lesson", stored) == "default"
    assert page_font("slides", stored) == "legible"
