"""The app's Save as PDF, in process: with Qt WebEngine already running (as in the app), how long
one handout takes from asking for its PDF to the file written. The first PDF (Chromium's
renderer starting) is left out, as the app has made its preview by the time a teacher saves.

    python benchmarks/pdf_in_process.py [--runs 10] [--module who-can-i-tell]

Prints one JSON line: {"times_ms": [...], "first_ms": ...}.
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--module", default="who-can-i-tell")
    args = parser.parse_args(argv)
    from edukit.core.atomic import write_atomic
    from edukit.core.library import Library
    from edukit.core.printing import PrintOptions
    from edukit.core.settings import load_school
    from edukit.gui.page_server import PageServer
    from edukit.gui.pdf import PdfMaker
    from edukit.gui.runtime import headless_application

    app = headless_application()
    library = Library.default()
    module = library.resolve(args.module)
    maker = PdfMaker(PageServer(library, load_school()))
    options = PrintOptions(kind="handout")
    times = []
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "handout.pdf"
        for _ in range(args.runs + 1):
            start = time.perf_counter()
            write_atomic(out, maker.pdf_bytes(module, options))
            times.append((time.perf_counter() - start) * 1000)
    maker.close()
    app.processEvents()
    print(json.dumps({"times_ms": times[1:], "first_ms": times[0]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
