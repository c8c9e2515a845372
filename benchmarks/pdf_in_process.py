"""The app's File > Print and Save as PDF, in process: with Qt WebEngine already running (as in
the app), one handout through the real print preview (gui/print_preview.py), three times:

- pages shown: from asking for the pages to the preview showing them (Chromium's first print);
- tagged PDF ready: from asking to the finished, tagged PDF (the second print and the tagging,
  which the preview does after showing the pages): the old "Save as PDF in process" figure;
- Save as PDF, click to file written: a teacher clicking Save as PDF the moment the pages show
  (the worst case: it waits for the tags) until the file is on disk; and clicking once the tags
  are made (a teacher choosing a file name in the dialog takes longer than the tagging). The
  file dialog's own time is left out.

The first PDF (Chromium's renderer starting) is left out, as the app has made its preview by the
time a teacher saves. With --kept, the page server keeps its renders, tag maps and finished
PDFs in a render cache as the app's does (core/render_cache.py): after the first, each PDF is
of a lesson printed before, as a teacher printing a handout again gets it. Without, every PDF
is made as for a lesson never printed: both prints and the tagging.

Each run is paired with the stack's floor in the same process: a bare QWebEnginePage (its
renderer running) given the same handout's HTML with setHtml, printed with printToPdf.

    python benchmarks/pdf_in_process.py [--runs 10] [--module who-can-i-tell] [--kept]

Prints one JSON line: {"shown_ms": [...], "tagged_ms": [...], "save_ms": [...],
"save_ready_ms": [...], "floor_ms": [...], "first_ms": ...}.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def one_save(dialog, out: Path) -> tuple[float, float, float, float]:
    """Make the pages again and click Save as PDF as they show: milliseconds to the pages, to
    the tagged PDF, from the click to the file written, and the same for a click once the
    tags are made."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop, times = QEventLoop(), {}
    start = time.perf_counter()

    def shown(_count: int) -> None:
        times["shown"] = time.perf_counter()
        QTimer.singleShot(0, click)  # the click comes as the next event, as a real one does

    def click() -> None:
        clicked = time.perf_counter()
        if not dialog.save_to(out):
            raise RuntimeError("the preview did not save")
        times["save"] = time.perf_counter() - clicked
        clicked = time.perf_counter()
        if not dialog.save_to(out.with_name("again.pdf")):
            raise RuntimeError("the preview did not save")
        times["save_ready"] = time.perf_counter() - clicked
        loop.quit()

    def finished() -> None:
        times["tagged"] = time.perf_counter()

    dialog.pagesShown.connect(shown)
    dialog.pdfFinished.connect(finished)
    dialog.refresh()
    loop.exec()
    dialog.pagesShown.disconnect(shown)
    dialog.pdfFinished.disconnect(finished)
    return ((times["shown"] - start) * 1000, (times["tagged"] - start) * 1000,
            times["save"] * 1000, times["save_ready"] * 1000)


def floor_print(page, html: str) -> float:
    """Milliseconds for the bare stack to load the handout's HTML and print it to PDF."""
    from PySide6.QtCore import QEventLoop, QMarginsF, QUrl
    from PySide6.QtGui import QPageLayout, QPageSize

    loop, done = QEventLoop(), {}
    layout = QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                         QMarginsF(0, 0, 0, 0))

    def printed(data) -> None:
        done["pdf"] = bytes(data)
        loop.quit()

    def loaded(_ok: bool) -> None:
        page.printToPdf(printed, layout)
    page.loadFinished.connect(loaded)
    start = time.perf_counter()
    page.setHtml(html, QUrl("about:blank"))
    loop.exec()
    page.loadFinished.disconnect(loaded)
    if not done.get("pdf"):
        raise RuntimeError("the floor made no PDF")
    return (time.perf_counter() - start) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--module", default="who-can-i-tell")
    parser.add_argument("--kept", action="store_true", help="keep renders as the app does")
    args = parser.parse_args(argv)
    import shiboken6
    from PySide6.QtWebEngineCore import QWebEnginePage

    from edukit.core.library import Library
    from edukit.core.printing import PrintOptions, print_page
    from edukit.core.region import render_context
    from edukit.core.render_cache import RenderCache
    from edukit.core.settings import load_school
    from edukit.gui.page_server import PageServer
    from edukit.gui.print_preview import PrintPreview
    from edukit.gui.runtime import headless_application

    app = headless_application()
    library = Library.default()
    module = library.resolve(args.module)
    start = time.perf_counter()
    pages = PageServer(library, load_school(), kept=RenderCache.default() if args.kept else None)
    dialog = PrintPreview(pages, module, PrintOptions(kind="handout"))
    first = dialog.finished_pdf()  # the PDF the dialog makes on opening, renderer starting
    first_ms = (time.perf_counter() - start) * 1000
    floor_page = QWebEnginePage()  # the default profile: the bare stack
    html = print_page(module, render_context(library, module, load_school()),
                      PrintOptions(kind="handout"))
    floor_print(floor_page, html)  # its renderer started, as the preview's is
    times, floors = [], []
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "handout.pdf"
        for _ in range(args.runs if first else 0):
            out.unlink(missing_ok=True)
            out.with_name("again.pdf").unlink(missing_ok=True)
            times.append(one_save(dialog, out))
            floors.append(floor_print(floor_page, html))
    shiboken6.delete(floor_page)  # before the application goes, as Qt WebEngine needs
    dialog.release()
    dialog.deleteLater()
    app.processEvents()
    if not times:
        raise SystemExit("the preview made no PDF")
    shown, tagged, save, save_ready = zip(*times)
    print(json.dumps({"shown_ms": shown, "tagged_ms": tagged, "save_ms": save,
                      "save_ready_ms": save_ready, "floor_ms": floors, "first_ms": first_ms}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
