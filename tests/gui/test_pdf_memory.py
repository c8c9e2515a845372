"""Making many PDFs in one run (export --all, a preview whose options change) keeps Chromium's
memory flat: each PDF is laid out in a fresh page, so old documents do not pile up."""
from __future__ import annotations

import os
from pathlib import Path

from edukit.core.library import Library
from edukit.core.model import School
from edukit.core.printing import PrintOptions
from edukit.gui.pdf import PdfMaker
from edukit.gui.session import Session


def descendants(pid: int) -> set[int]:
    """Every process below pid (Chromium's zygote and renderers), from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def web_engine_mb() -> float:
    """Resident memory of this test run's Qt WebEngine processes, in MB."""
    total = 0
    for pid in descendants(os.getpid()):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        if "QtWebEngineProc" in status.split("\n", 1)[0]:
            total += sum(int(line.split()[1]) for line in status.splitlines()
                         if line.startswith("VmRSS:"))
    return total / 1024


def test_many_pdfs_from_one_maker_do_not_pile_up_in_memory(qapp):
    library = Library.default()
    session = Session(library, School())
    maker = PdfMaker(session.pages)
    guide = PrintOptions(kind="guide")
    module = library.modules[0]
    try:
        for _ in range(2):
            maker.pdf_bytes(module, guide)
        before = web_engine_mb()
        for _ in range(6):
            assert maker.pdf_bytes(module, guide).startswith(b"%PDF")
        grown = web_engine_mb() - before
    finally:
        maker.close()
    assert before > 50  # the renderer was measured at all (a positive control)
    assert grown < 120, f"Chromium grew by {grown:.0f} MB over 6 PDFs"
