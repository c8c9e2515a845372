"""Memory of a process and its Chromium children, from /proc (Linux)."""
from __future__ import annotations

from pathlib import Path


def rss_mb(pid: int) -> float:
    """RSS of a process and all its descendants (Chromium's renderer and GPU processes)."""
    return memory_mb(pid, "status", "VmRSS:")


def pss_mb(pid: int) -> float:
    """PSS of the same processes: pages shared between them are counted once in all."""
    return memory_mb(pid, "smaps_rollup", "Pss:")


def memory_mb(pid: int, proc_file: str, key: str) -> float:
    total, todo = 0, [pid]
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
        todo += children.get(p, [])
        try:
            for line in Path(f"/proc/{p}/{proc_file}").read_text().splitlines():
                if line.startswith(key):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024
