"""When a page is on screen: one detector for edukit's launch and its floor, so both are timed
to the same event.

At loadFinished, a requestAnimationFrame callback queues a second one, which sets a flag: the
second runs only after the first frame with the page in it was drawn. The flag is read from the
ApplicationWorld (content scripts stay off in edukit) every POLL_MS until it is set.
"""
from __future__ import annotations

import os
from pathlib import Path

PAINT_MARK = ("requestAnimationFrame(() => requestAnimationFrame(() => "
              "{ window.__painted = true; })); 0")
POLL_MS = 5


def report_paint(page, on_painted) -> None:
    """Call on_painted() once page has drawn its first frame after loading."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWebEngineCore import QWebEngineScript

    world = QWebEngineScript.ScriptWorldId.ApplicationWorld

    def poll(_=None) -> None:
        page.runJavaScript("window.__painted === true", world,
                           lambda ok: on_painted() if ok else QTimer.singleShot(POLL_MS, poll))

    page.loadFinished.connect(lambda _ok: page.runJavaScript(PAINT_MARK, world, poll))


def tree_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by a process and its descendants (Chromium's
    renderer and GPU processes), from /proc: what an idle machine's wall clock would follow."""
    children: dict[int, list[int]] = {}
    stats: dict[int, list[str]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            stats[int(entry.name)] = fields
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    ticks, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo += children.get(p, [])
        if p in stats:
            ticks += int(stats[p][11]) + int(stats[p][12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def painted_line(pid: int) -> str:
    """PAINTED <RSS MB> <PSS MB> <CPU s> <own CPU s>: what run.py reads at the first paint
    (CPU of the process and its Chromium processes, then of the Python process alone)."""
    import time

    from memory import pss_mb, rss_mb

    return (f"PAINTED {rss_mb(pid):.0f} {pss_mb(pid):.0f} {tree_cpu_seconds(pid):.3f} "
            f"{time.process_time():.3f}")
