"""How long the print preview's window stops answering while its PDF is tagged.

A 5 ms timer on the window's thread records the gaps between its ticks from the moment the
pages show (Chromium's first print) until the tagged PDF is there: the longest gap is the
longest time a click or a scroll waited. Runs the preview as it is (tags made on the reader
thread) and, interleaved, with its maker tagging inline on the window's thread (as before),
so both meet the same load on the machine.

    PYTHONPATH=$PWD python benchmarks/preview_stall.py [--module ID] [--kind guide] [--runs 5]
"""
from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import time

TICK_MS = 5
FINISHED = None  # gui/pdf/reader.finished as it is


def one_preview(library, module_id: str, kind: str, aside: bool) -> tuple[float, float, float]:
    """For one preview, in ms: the longest gap between ticks that overlaps the tagging
    (gui/pdf/reader.finished), the longest from the pages shown to the tagged PDF (the second
    print's work and the showing of the pages count too), and the time between those two
    moments."""
    from PySide6.QtCore import QEventLoop, QTimer

    from edukit.core.model import School
    from edukit.core.printing import PrintOptions
    from edukit.gui import print_preview
    from edukit.gui.page_server import PageServer
    from edukit.gui.pdf import PdfMaker, reader

    print_preview.PdfMaker = lambda pages, spare, tags_aside: PdfMaker(pages, spare=spare,
                                                                       tags_aside=aside)
    tagging, real = [], FINISHED

    def finished(prints, error):
        tagging.append(time.perf_counter())
        try:
            return real(prints, error)
        finally:
            tagging.append(time.perf_counter())

    reader.finished = finished
    loop, ticks, marks = QEventLoop(), [], {}
    tick = QTimer(interval=TICK_MS)
    tick.timeout.connect(lambda: ticks.append(time.perf_counter()))

    def shown(_count: int) -> None:
        marks.setdefault("shown", time.perf_counter())
        ticks.append(marks["shown"])
        tick.start()

    def finished() -> None:
        marks["finished"] = time.perf_counter()
        tick.stop()
        loop.quit()

    pages = PageServer(library, School(name="Hill School"))
    preview = print_preview.PrintPreview(pages, library.get(module_id), PrintOptions(kind=kind))
    preview.pagesShown.connect(shown)
    preview.pdfFinished.connect(finished)
    preview.failed.connect(lambda error: (print(error, file=sys.stderr), loop.quit()))
    preview.show()
    QTimer.singleShot(60000, loop.quit)
    loop.exec()
    ticks.append(marks.get("finished", time.perf_counter()))
    preview.release()
    preview.deleteLater()
    gaps = list(itertools.pairwise(ticks))
    start, end = tagging[0], tagging[-1]
    during = max(b - a for a, b in gaps if b > start and a < end)
    return (during * 1000, max(b - a for a, b in gaps) * 1000,
            (marks["finished"] - marks["shown"]) * 1000)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--module", default="staff-responding-to-disclosures-and-image-incidents")
    parser.add_argument("--kind", default="guide")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from edukit.core.library import Library
    from edukit.gui.pdf import reader
    from edukit.gui.runtime import make_application

    global FINISHED
    FINISHED = reader.finished

    app = make_application(["edukit-bench"])  # noqa: F841  (kept for the run)
    library = Library.default()
    one_preview(library, args.module, args.kind, True)  # warm: imports, fonts, renderer
    results: dict[bool, list[tuple[float, float, float]]] = {True: [], False: []}
    for _ in range(args.runs):
        for aside in (False, True):
            results[aside].append(one_preview(library, args.module, args.kind, aside))
    print(f"{args.module} ({args.kind}), {args.runs} runs each, load {os.getloadavg()[0]:.1f}")
    for aside, label in ((False, "tagged on the window's thread"), (True, "tagged aside")):
        during, anywhere, waits = zip(*results[aside])
        print(f"  {label}: longest stall while tagged median {statistics.median(during):.0f} ms "
              f"(max {max(during):.0f}; each {[round(s) for s in during]}); from pages shown "
              f"to tagged PDF median {statistics.median(anywhere):.0f} ms (max "
              f"{max(anywhere):.0f}); pages shown to tagged PDF median "
              f"{statistics.median(waits):.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
