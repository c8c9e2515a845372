"""Memory of a process and its Chromium children, from /proc (Linux), and the growth of the app
over module switches and exports (`python benchmarks/memory.py`; run.py runs it too)."""
from __future__ import annotations

import os
import sys
from pathlib import Path


def rss_mb(pid: int) -> float:
    """RSS of a process and all its descendants (Chromium's renderer and GPU processes)."""
    return memory_mb(pid, "status", "VmRSS:")


def pss_mb(pid: int) -> float:
    """PSS of the same processes: pages shared between them are counted once in all."""
    return memory_mb(pid, "smaps_rollup", "Pss:")


def own_mb(pid: int) -> float:
    """The memory the app itself holds: PSS of its anonymous and shared-memory pages, in it and
    its Chromium children. Left out: the file pages of the libraries it runs (Qt WebEngine's
    ~150 MB library above all), whose PSS is split among every process on the machine that maps
    the same file: another edukit, a test run, a second Qt WebEngine app starting or exiting
    moved this process tree's PSS by 50 MB while it sat idle."""
    return sum(process_own_kb(p) for p in process_tree(pid)) / 1024


def process_own_kb(pid: int) -> int:
    return process_kb(pid, "smaps_rollup", "Pss_Anon:") + process_kb(pid, "smaps_rollup",
                                                                      "Pss_Shmem:")


def memory_mb(pid: int, proc_file: str, key: str) -> float:
    return sum(process_kb(p, proc_file, key) for p in process_tree(pid)) / 1024


def process_tree(pid: int) -> list[int]:
    """pid and all its descendants."""
    todo, found = [pid], []
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                children.setdefault(int(fields[1]), []).append(int(entry.name))
            except OSError:
                continue
    while todo:
        p = todo.pop()
        found.append(p)
        todo += children.get(p, [])
    return found


def process_kb(pid: int, proc_file: str, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/{proc_file}").read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def pss_by_process(pid: int, measure=lambda p: process_kb(p, "smaps_rollup", "Pss:")) -> dict:
    """PSS (or another `measure` in kB) in MB per kind of process: "app" (Python, Qt and
    Chromium's browser side, with its GPU thread when the GPU is off), "renderer",
    "gpu-process", "utility"…, and how many renderers there are (each child's --type=)."""
    found: dict[str, float] = {}
    for p in process_tree(pid):
        kind = "app" if p == pid else process_type(p)
        found[kind] = round(found.get(kind, 0) + measure(p) / 1024, 1)
        if kind == "renderer":
            found["renderers"] = found.get("renderers", 0) + 1
    return found


def reading(pid: int) -> dict:
    """Both measures of the process tree now: PSS, and the app's own memory (own_mb)."""
    return {"pss_mb": pss_mb(pid), "own_mb": own_mb(pid), "pss": pss_by_process(pid),
            "own": pss_by_process(pid, process_own_kb)}


def process_type(pid: int) -> str:
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "gone"
    types = [a.decode(errors="replace")[7:] for a in args if a.startswith(b"--type=")]
    return types[0] if types else "other"


def growth_run(switches: int, exports: int, trace: bool = False) -> dict:
    """In one app process: open every module once and print once (warm: the first print loads
    Qt's PDF view and pdfium, about 25 MB, once), measure, then switch modules `switches` times
    (each timed) and make `exports` handouts through File > Print (preview, save, close), and
    measure again. Every reading is taken in the same state: the first module open, after an
    idle second (a bigger lesson left open at the end would count as growth). Growth is what
    the app's own memory (own_mb) gained, as a share of its PSS with one module open (the
    footprint reported); PSS's own growth and own memory's growth on its own are reported
    beside it. With trace, the Python allocations that grew most are listed too."""
    import tempfile

    from viewer import switching_window

    app, window, ids, open_and_wait = switching_window()

    def idle_reading() -> dict:
        open_and_wait(ids[0])
        settle(app, idle_ms=IDLE_MS)
        return reading(os.getpid())

    with tempfile.TemporaryDirectory() as folder:
        for module_id in ids:
            open_and_wait(module_id)
        export_through_preview(app, window, Path(folder) / "warm.pdf")
        if trace:
            import tracemalloc
            tracemalloc.start(10)
        before, one_open = idle_reading(), rss_mb(os.getpid())
        if trace:
            first = tracemalloc.take_snapshot()
        times = [open_and_wait(ids[n % len(ids)]) * 1000 for n in range(switches)]
        after_switches = idle_reading()
        for n in range(exports):
            open_and_wait(ids[n % len(ids)])
            export_through_preview(app, window, Path(folder) / f"{n}.pdf")
        after = idle_reading()
    found = {"switch_ms": times, "pss_before_mb": before["pss_mb"], "pss_after_mb": after["pss_mb"],
             "own_before_mb": before["own_mb"], "own_after_mb": after["own_mb"],
             "rss_one_module_mb": one_open,
             "growth_percent": gained(before, after),
             "switch_growth_percent": gained(before, after_switches),
             "own_growth_percent": (after["own_mb"] / before["own_mb"] - 1) * 100,
             "pss_growth_percent": (after["pss_mb"] / before["pss_mb"] - 1) * 100,
             "switches": switches, "exports": exports,
             "pss_by_process_mb": {"before": before["pss"], "after_switches": after_switches["pss"],
                                   "after": after["pss"]},
             "own_by_process_mb": {"before": before["own"], "after_switches": after_switches["own"],
                                   "after": after["own"]}}
    if trace:
        top = tracemalloc.take_snapshot().compare_to(first, "traceback")[:8]
        found["python_growth"] = [f"{s.size_diff / 1024:.0f} KiB {s.traceback.format()[-1].strip()}"
                                  for s in top]
    window.close()
    app.processEvents()
    return found


def gained(before: dict, after: dict) -> float:
    """What the app's own memory gained between two readings, in % of its PSS at the first:
    a change in PSS itself also counts other processes mapping the same libraries."""
    return (after["own_mb"] - before["own_mb"]) / before["pss_mb"] * 100


def export_through_preview(app, window, path: Path) -> None:
    """What a teacher does: Ctrl+P, wait for the pages, Save as PDF, close the dialog."""
    from PySide6.QtCore import QEventLoop, QTimer

    dialog = window.print_preview()
    loop = QEventLoop()
    dialog.pagesShown.connect(loop.quit)
    dialog.failed.connect(loop.quit)
    QTimer.singleShot(30000, loop.quit)
    if not dialog.pdf:
        loop.exec()
    if not dialog.save_to(path):
        raise RuntimeError(f"the preview did not save {path}")
    dialog.close()
    settle(app)


IDLE_MS = 1000  # before each measurement: as a teacher pauses, the app's deferred work runs


def settle(app, idle_ms: int = 0) -> None:
    """Let deferred deletions and Chromium's process exits happen; with idle_ms, first run the
    event loop that long (work the app defers to a quiet moment, e.g. after File > Print)."""
    from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QTimer

    if idle_ms:
        loop = QEventLoop()
        QTimer.singleShot(idle_ms, loop.quit)
        loop.exec()
    for _ in range(5):
        app.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def main(argv: list[str] | None = None) -> int:
    """python benchmarks/memory.py [--switches 50] [--exports 20] [--trace]: one JSON line."""
    import argparse
    import json

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--switches", type=int, default=50)
    parser.add_argument("--exports", type=int, default=20)
    parser.add_argument("--trace", action="store_true", help="list Python's biggest growth")
    args = parser.parse_args(argv)
    print(json.dumps(growth_run(args.switches, args.exports, args.trace)))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.path.insert(1, str(Path(__file__).resolve().parent.parent))
    sys.exit(main())
