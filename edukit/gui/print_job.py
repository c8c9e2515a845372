"""Send a finished PDF to the printer the user chose in QPrintDialog.

With CUPS (Linux, macOS) the PDF itself goes to the queue with `lp`, so text and lines stay
vector-sharp and the printer's own options apply; the copies, page range, collation and
two-sided setting come from the QPrinter. Elsewhere (Windows) each page is drawn onto the
QPrinter as an image at the printer's resolution.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

SIDES = {
    QPrinter.DuplexMode.DuplexNone: "one-sided",
    QPrinter.DuplexMode.DuplexLongSide: "two-sided-long-edge",
    QPrinter.DuplexMode.DuplexShortSide: "two-sided-short-edge",
}


def page_range(printer: QPrinter, page_count: int) -> tuple[int, int]:
    """First and last page (1-based) the user asked for, kept inside the document."""
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first = max(1, min(printer.fromPage(), page_count))
        return first, max(first, min(printer.toPage() or page_count, page_count))
    return 1, page_count


def uses_cups(printer: QPrinter) -> bool:
    return (printer.outputFormat() == QPrinter.OutputFormat.NativeFormat
            and bool(printer.printerName()) and shutil.which("lp") is not None)


def cups_command(printer: QPrinter, pdf_path: Path, title: str, page_count: int) -> list[str]:
    """The `lp` command line for this printer and the user's choices."""
    first, last = page_range(printer, page_count)
    command = ["lp", "-d", printer.printerName(), "-t", title, "-n", str(max(1, printer.copyCount()))]
    if (first, last) != (1, page_count):
        command += ["-o", f"page-ranges={first}-{last}"]
    if printer.copyCount() > 1:
        command += ["-o", f"collate={'true' if printer.collateCopies() else 'false'}"]
    if printer.duplex() in SIDES and printer.duplex() != QPrinter.DuplexMode.DuplexNone:
        command += ["-o", f"sides={SIDES[printer.duplex()]}"]
    return [*command, "--", str(pdf_path)]


def submit_to_cups(pdf: bytes, printer: QPrinter, title: str, page_count: int) -> str:
    """Queue the PDF; returns CUPS's answer ("request id is …"). Raises OSError on failure."""
    with tempfile.TemporaryDirectory(prefix="edukit-print-") as folder:
        path = Path(folder) / "edukit.pdf"
        path.write_bytes(pdf)
        run = subprocess.run(cups_command(printer, path, title, page_count), capture_output=True,
                             text=True, timeout=60, check=False)
    if run.returncode != 0:
        reason = (run.stderr.strip().splitlines() or ["lp failed"])[-1]
        raise OSError(f"printer {printer.printerName()}: {reason}")
    return run.stdout.strip()


def paint_pages(document: QPdfDocument, printer: QPrinter) -> None:
    """Draw the chosen pages onto the QPrinter, one image per page at its resolution."""
    first, last = page_range(printer, document.pageCount())
    printer.setFullPage(True)  # the PDF pages carry their own margins
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError(f"printer {printer.printerName() or printer.outputFileName()}: cannot start")
    try:
        for index in range(first - 1, last):
            if index > first - 1:
                printer.newPage()
            paper = printer.paperRect(QPrinter.Unit.DevicePixel).toRect()
            image = document.render(index, fitted(document, index, paper))
            painter.drawImage(QRect(0, 0, image.width(), image.height()), image)
    finally:
        painter.end()


def fitted(document: QPdfDocument, index: int, target: QRect) -> QSize:
    """The page's size in pixels, scaled to fit the target (keeping its shape)."""
    size = document.pagePointSize(index)
    scale = min(target.width() / size.width(), target.height() / size.height())
    return QSize(round(size.width() * scale), round(size.height() * scale))


def send_to_printer(pdf: bytes, document: QPdfDocument, printer: QPrinter, title: str) -> str:
    """Print the PDF on the chosen printer; returns a line for the status bar."""
    if uses_cups(printer):
        return submit_to_cups(pdf, printer, title, document.pageCount()) or "Sent to the printer"
    paint_pages(document, printer)
    return f"Sent to {printer.printerName() or printer.outputFileName()}"
