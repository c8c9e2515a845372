"""Print the page count of every bundled lesson in every paper kind, at A4 and Letter.

    PYTHONPATH=$PWD /work/venv/bin/python tools/page_counts.py [--kinds handout,parents] [--markdown]

Exports each kind with `edukit export --all` (as a user would) into a temporary folder and
counts each PDF's pages with pypdf. A kind a lesson does not have (a leaflet for a staff
lesson) shows as "-".
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from pypdf import PdfReader

KINDS = ("handout", "parents", "worksheets", "guide", "notes", "slides", "nup")
PAPERS = ("a4", "letter")


def export_all(kind: str, paper: str, folder: Path, env: dict[str, str]) -> dict[str, int]:
    """{lesson id: pages} for one kind on one paper."""
    out = folder / f"{kind}-{paper}"
    subprocess.run([sys.executable, "-m", "edukit", "export", "--all", "--as", kind,
                    "--paper", paper, "-o", str(out)], env=env, check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    suffix = f"-{kind}.pdf"
    return {p.name[:-len(suffix)]: len(PdfReader(p).pages) for p in sorted(out.glob(f"*{suffix}"))}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kinds", default=",".join(KINDS))
    args = parser.parse_args()
    kinds = [k for k in args.kinds.split(",") if k]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        for name in ("config", "data", "cache"):
            env[f"EDUKIT_{name.upper()}_DIR"] = str(folder / name)
        counts = {(k, p): export_all(k, p, folder, env) for k in kinds for p in PAPERS}
    lessons = sorted({lesson for found in counts.values() for lesson in found})
    print("| lesson | " + " | ".join(kinds) + " |")
    print("|---|" + "---|" * len(kinds))
    for lesson in lessons:
        cells = []
        for k in kinds:
            a4, letter = (counts[k, p].get(lesson) for p in PAPERS)
            cells.append("-" if a4 is None and letter is None else f"{a4}/{letter}")
        print(f"| {lesson} | " + " | ".join(cells) + " |")
    print("\n(pages at A4/Letter)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
