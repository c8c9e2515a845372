"""PDFs a screen reader can place: language, title shown in the window, and whether tagged."""
from __future__ import annotations

import io
import subprocess
import sys

import pytest
from pypdf import PdfReader, PdfWriter

from edukit.core.library import Library
from edukit.core.model import School
from edukit.core.pdf_meta import with_document_info


def exported(tmp_path, content, module_id: str, kind: str) -> PdfReader:
    out = tmp_path / f"{kind}.pdf"
    run = subprocess.run([sys.executable, "-m", "edukit", "--content", str(content), "export",
                          module_id, "--as", kind, "-o", str(out)],
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    return PdfReader(out)


@pytest.mark.parametrize("kind", ["handout", "guide", "slides"])
def test_every_pdf_says_its_language_and_shows_its_title(tmp_path, fixture_content, kind):
    reader = exported(tmp_path, fixture_content, "sample-lesson", kind)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert reader.metadata.title == "Sample lesson"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True


def test_chromium_pdfs_are_not_tagged(tmp_path, fixture_content):
    # QtWebEngine's printToPdf makes untagged PDFs (core/pdf_meta.py). This pins the fact: when
    # a Qt release starts tagging, this fails and the docs and issue 18 can say so.
    root = exported(tmp_path, fixture_content, "sample-lesson", "handout").trailer["/Root"]
    assert "/MarkInfo" not in root and "/StructTreeRoot" not in root


def test_the_language_and_title_come_from_edukit_not_chromium():
    # Positive control: a PDF as Chromium hands it over (here a blank page) has neither; the one
    # place that adds them (with_document_info) does.
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    raw = io.BytesIO()
    writer.write(raw)
    before = PdfReader(io.BytesIO(raw.getvalue()))
    assert "/Lang" not in before.trailer["/Root"] and not (before.metadata or {}).get("/Title")
    module = Library.default().get("live-streaming-and-video-chat")
    after = PdfReader(io.BytesIO(with_document_info(raw.getvalue(), module, School(), "handout")))
    assert after.trailer["/Root"]["/Lang"] == "en-GB"
    assert after.metadata.title == module.meta.title
