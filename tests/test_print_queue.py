"""A real print queue: a handout printed through Qt's printer path to a CUPS cups-pdf queue
comes out as a PDF with the lesson's title in its text."""
from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

CUPS_PDF_CONF = Path("/etc/cups/cups-pdf.conf")


def output_folders() -> list[Path]:
    """Where cups-pdf writes: its `Out` setting (default ~/PDF) and the anonymous folder."""
    out = "${HOME}/PDF"
    if CUPS_PDF_CONF.is_file():
        found = re.search(r"^\s*Out\s+(\S+)", CUPS_PDF_CONF.read_text(), re.MULTILINE)
        out = found.group(1) if found else out
    home = Path.home()
    return [Path(out.replace("${HOME}", str(home)).replace("${USER}", home.name)),
            Path("/var/spool/cups-pdf/ANONYMOUS")]


@pytest.fixture
def app():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from edukit.gui.app import make_application

    return make_application(["edukit-tests"])


def handout_pdf(app, library, module_id: str) -> bytes:
    from edukit.core.printing import PrintOptions
    from edukit.core.settings import load_school
    from edukit.gui.pdf import PdfMaker
    from edukit.gui.session import Session

    session = Session(library, load_school())
    maker = PdfMaker(session)
    try:
        return maker.pdf_bytes(library.get(module_id), PrintOptions(kind="handout"))
    finally:
        maker.close()


def wait_for_new_pdf(folders: list[Path], since: float, timeout: float = 60) -> Path | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [p for folder in folders if folder.is_dir() for p in folder.glob("*.pdf")
                 if p.stat().st_mtime >= since and p.stat().st_size > 0]
        if found:
            time.sleep(0.5)  # cups-pdf renames into place; let it finish writing
            return max(found, key=lambda p: p.stat().st_mtime)
        time.sleep(0.2)
    return None


def test_a_handout_printed_through_qt_reaches_a_real_cups_queue(cups_queue, app, user_dirs):
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

    since = time.time() - 1
    answer = send_to_printer(pdf, document, printer, "Who can I tell?")
    assert answer.startswith("request id is EdukitPDF-")
    printed = wait_for_new_pdf(output_folders(), since)
    assert printed is not None, f"no PDF appeared in {output_folders()}"
    reader = PdfReader(printed)
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Who can I tell?" in text and "Ms Rivera" in text
    assert len(reader.pages) == document.pageCount()
    printed.unlink()
