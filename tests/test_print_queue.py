"""A real print queue: a handout printed through Qt's printer path to a CUPS queue (on the
suite's private print server) comes out as a PDF with the lesson's title in its text."""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from pypdf import PdfReader


@pytest.fixture
def app():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from edukit.gui.runtime import make_application

    return make_application(["edukit-tests"])


def handout_pdf(app, library, module_id: str) -> bytes:
    from edukit.core.printing import PrintOptions
    from edukit.core.settings import load_school
    from edukit.gui.pdf import PdfMaker
    from edukit.gui.session import Session

    session = Session(library, load_school())
    maker = PdfMaker(session.pages)
    try:
        return maker.pdf_bytes(library.get(module_id), PrintOptions(kind="handout"))
    finally:
        maker.close()


def wait_for_pdf(path: Path, timeout: float = 60) -> bool:
    """CUPS writes the job's output when its filters finish; wait until it is whole."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.is_file() and path.read_bytes().rstrip().endswith(b"%%EOF"):
            return True
        time.sleep(0.2)
    return False


def test_a_handout_printed_through_qt_reaches_a_real_cups_queue(cups_queue, printed_pdf, app,
                                                                    user_dirs):
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPrintSupport import QPrinter

    from edukit.core.library import Library
    from edukit.gui.print_job import send_to_printer, uses_cups

    (user_dirs["config"] / "school.json").write_text(
        '{"schema_version": 1, "name": "Hill Primary", "dsl_name": "Ms Rivera"}')
    library = Library.default()
    pdf = handout_pdf(app, library, "who-can-i-tell")
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPrinterName(cups_queue)
    assert printer.isValid() and uses_cups(printer)

    answer = send_to_printer(pdf, document, printer, "Who can I tell?")
    assert answer.startswith("request id is EdukitPDF-")
    assert wait_for_pdf(printed_pdf), f"no PDF came out of the queue at {printed_pdf}"
    reader = PdfReader(printed_pdf)
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Who can I tell?" in text and "Ms Rivera" in text
    assert len(reader.pages) == document.pageCount()
