"""PDFs a screen reader can place: language, title shown in the window; Chromium's own tags
(none: tests/test_pdf_tags.py checks edukit's)."""
from __future__ import annotations

import io
import os
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


# Chromium's own PDF, straight from printToPdf, asked for tags every way Qt could pass on.
RAW_CHROMIUM_PDF = """
import sys
from PySide6.QtCore import QUrl
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication
from PySide6.QtWebEngineCore import QWebEnginePage
app = QApplication([])
QAccessible.setActive(True)
page = QWebEnginePage()
page.loadFinished.connect(lambda ok: page.printToPdf(
    lambda data: (open(sys.argv[1], "wb").write(bytes(data)), app.quit())))
page.setHtml('<html lang="en"><h1>Title</h1><ul><li>One</li></ul><table><tr><td>1</td></table>')
app.exec()
"""


def test_chromium_itself_makes_untagged_pdfs(tmp_path):
    # QtWebEngine 6.11 never asks Chromium for tags (core/pdf_meta.py), whatever the flags: this
    # pins the fact, so when a Qt release starts tagging, this fails and edukit's own tagging
    # (core/pdf_tags/) can step aside.
    out = tmp_path / "raw.pdf"
    flags = "--export-tagged-pdf --force-renderer-accessibility --no-zygote --disable-gpu"
    env = {**os.environ, "QTWEBENGINE_CHROMIUM_FLAGS": flags, "QT_QPA_PLATFORM": "offscreen",
           "QTWEBENGINE_DISABLE_SANDBOX": "1", "QT_ACCESSIBILITY": "1"}
    subprocess.run([sys.executable, "-c", RAW_CHROMIUM_PDF, str(out)], env=env, timeout=120,
                   check=True, capture_output=True)
    root = PdfReader(out).trailer["/Root"]
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
