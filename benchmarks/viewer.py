"""The viewer's speed and memory, measured as a user meets them.

- launch: a real `edukit open ID` process (offscreen by default, or the DISPLAY given): the
  command line's own path (edukit.cli.main), timed from spawning it to the lesson painted. Paint
  is detected exactly as benchmarks/floor_launch.py detects it (benchmarks/paint.py). Memory is the RSS of the app and its Chromium processes then, and
  their PSS (RSS counts the ~45 MB of Qt WebEngine's library once per process; PSS shares it
  out), at the paint and again 3 s later (the background check and index have run by then).
- launch-user: the same, for a user copy of the lesson (it renders in the worker process).
- switch: session.open(other module) until its page has loaded, in a running window.
- search: queries over an index of 1,000 generated modules (copies of the bundled ones).

usage: python benchmarks/viewer.py [launch|launch-user|switch|search|all] [ROUNDS]
Targets: launch <= 0.8 s, switch <= 100 ms, search <= 5 ms, memory <= 400 MB.
"""
from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from memory import pss_mb, rss_mb
from paint import painted_line, report_paint

PAINTED = "PAINTED"


def child_launch(module_id: str) -> None:
    """Runs inside the measured process: `edukit open ID` as the command line runs it; its
    window is watched for the first paint, then the process reports and quits."""
    import edukit.gui.app as gui_app
    from edukit.cli import main

    open_window = gui_app.open_window

    def watched(*args, **kwargs):
        window = open_window(*args, **kwargs)
        report_paint(window.page, lambda: painted(window))
        return window

    def painted(window) -> None:
        from PySide6.QtCore import QTimer

        if getattr(window, "_bench_painted", False):
            return
        window._bench_painted = True
        print(painted_line(os.getpid()), flush=True)
        QTimer.singleShot(3000, lambda: settled(window))

    def settled(window) -> None:
        from PySide6.QtWidgets import QApplication

        try:  # a reader that stopped reading (a closed pipe) must not leave the app running
            print(f"SETTLED {rss_mb(os.getpid()):.0f} {pss_mb(os.getpid()):.0f}", flush=True)
        finally:
            window.close()  # as the user quits: the state is saved
            QApplication.instance().quit()

    gui_app.open_window = watched  # the benchmark's hook; the app itself is unchanged
    main(["open", module_id])


def bench_launch(rounds: int, user_copy: bool = False) -> None:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    times, memory = [], {PAINTED: [], "SETTLED": []}
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("CONFIG", "DATA", "CACHE"):
            env[f"EDUKIT_{name}_DIR"] = str(Path(tmp) / name.lower())
        if user_copy:  # shadows the bundled lesson: rendered in the worker process
            from edukit.core.paths import content_dir

            shutil.copytree(content_dir() / "modules" / "who-can-i-tell",
                            Path(tmp) / "data" / "modules" / "who-can-i-tell")
        for _ in range(rounds):
            start = time.perf_counter()
            proc = subprocess.Popen([sys.executable, __file__, "child-launch", "who-can-i-tell"],
                                    env=env, stdout=subprocess.PIPE, text=True)
            for line in proc.stdout:
                if line.startswith(PAINTED):
                    times.append(time.perf_counter() - start)
                if line.startswith((PAINTED, "SETTLED")):
                    memory[line.split()[0]].append([float(n) for n in line.split()[1:3]])
            proc.wait(timeout=30)
    which = "a user copy of the lesson" if user_copy else "painted lesson"
    print(f"launch to {which}: median {statistics.median(times):.3f} s, "
          f"max {max(times):.3f} s over {rounds} runs (target 0.8 s)")
    for when, label in ((PAINTED, "at first paint"), ("SETTLED", "3 s after it")):
        rss = statistics.median(m[0] for m in memory[when])
        pss = statistics.median(m[1] for m in memory[when])
        print(f"memory {label} (app + Chromium): median RSS {rss:.0f} MB, PSS {pss:.0f} MB "
              f"(target 400 MB)")


def switching_window():
    """A real main window over the bundled library, and a function that opens a module in it
    and returns the seconds until its page has loaded (shared with run.py's switch bench)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from edukit.gui.runtime import make_application, quiet_qt_messages

    quiet_qt_messages()
    app = make_application()
    from PySide6.QtCore import QEventLoop, QTimer

    from edukit.core.library import Library
    from edukit.core.model import School
    from edukit.gui.main_window import MainWindow
    from edukit.gui.session import Session

    session = Session(Library.default(), School())
    window = MainWindow(session)
    window.show()
    ids = [m.id for m in session.library.modules]

    def open_and_wait(module_id: str) -> float:
        loop = QEventLoop()
        window.page.loadFinished.connect(loop.quit)
        QTimer.singleShot(10000, loop.quit)
        start = time.perf_counter()
        session.open(module_id)
        loop.exec()
        window.page.loadFinished.disconnect(loop.quit)
        return time.perf_counter() - start

    return app, window, ids, open_and_wait


def bench_switch(rounds: int) -> None:
    app, window, ids, open_and_wait = switching_window()
    for module_id in ids:  # warm: every module rendered once, as after a minute of browsing
        open_and_wait(module_id)
    times = [open_and_wait(ids[n % len(ids)]) for n in range(rounds)]
    print(f"module switch (page loaded): median {statistics.median(times) * 1000:.0f} ms, "
          f"max {max(times) * 1000:.0f} ms over {rounds} switches (target 100 ms)")
    window.close()
    app.processEvents()


def bench_search(rounds: int) -> None:
    from edukit.core.library import Library
    from edukit.core.search import SearchIndex

    bundled = Library.default().modules
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "modules"
        for n in range(1000):
            source = bundled[n % len(bundled)]
            folder = root / f"{source.id}-{n}"
            folder.mkdir(parents=True)
            text = source.path.read_text(encoding="utf-8").replace(f"id: {source.id}\n", "")
            (folder / "module.md").write_text(text, encoding="utf-8")
        library = Library.default(extra=[Path(tmp)])
        index = SearchIndex(Path(tmp) / "search.sqlite3")
        start = time.perf_counter()
        index.refresh(library.modules)
        build = time.perf_counter() - start
        start = time.perf_counter()
        index.refresh(library.modules)
        check = time.perf_counter() - start
        queries = ["grooming", "trusted adult", "report", "sextortion help", "screensh", "nudes law",
                   "childline", "deepfake", "live stream", "block"]
        times = []
        for n in range(rounds):
            start = time.perf_counter()
            index.search(queries[n % len(queries)])
            times.append(time.perf_counter() - start)
    print(f"search over {len(library.modules)} modules: median {statistics.median(times) * 1000:.2f} ms, "
          f"max {max(times) * 1000:.2f} ms over {rounds} queries (target 5 ms)")
    print(f"  index build {build:.1f} s (background, first start); unchanged refresh {check * 1000:.0f} ms")


def main() -> int:
    what = sys.argv[1] if len(sys.argv) > 1 else "all"
    if what == "child-launch":
        child_launch(sys.argv[2])
        return 0
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    if what in ("launch", "all"):
        bench_launch(rounds or 5)
    if what in ("launch-user", "all"):
        bench_launch(rounds or 5, user_copy=True)
    if what in ("search", "all"):
        bench_search(rounds or 200)
    if what in ("switch", "all"):
        bench_switch(rounds or 30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
