"""Time `edukit export` as a user runs it: one handout (budget 0.6 s, 400 MB, whole process) and
every kind for the whole library.

    /work/venv/bin/python benchmarks/export_pdf.py [--runs 5]
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ONE_HANDOUT_BUDGET_S, MEMORY_BUDGET_MB = 0.6, 400


def timed(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time in seconds and the child's peak memory in MB for one `edukit` run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "edukit", *args], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return seconds, peak / 1024


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--module", default="who-can-i-tell")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        for name in ("config", "data", "cache"):
            env[f"EDUKIT_{name.upper()}_DIR"] = str(base / name)
        again = ["export", args.module, "--as", "handout", "--overwrite", "-o", str(base / "one.pdf")]
        one = [timed(again, env) for _ in range(args.runs)]
        median = statistics.median(s for s, _ in one)
        memory = max(m for _, m in one)
        ok = median <= ONE_HANDOUT_BUDGET_S and memory <= MEMORY_BUDGET_MB
        print(f"one handout ({args.module}): median {median:.2f} s of {args.runs} runs, "
              f"peak {memory:.0f} MB  [{'ok' if ok else 'OVER BUDGET'}: "
              f"{ONE_HANDOUT_BUDGET_S} s, {MEMORY_BUDGET_MB} MB]")
        for kind in ("handout", "guide", "notes", "slides", "nup"):
            out = base / kind
            seconds, memory = timed(["export", "--all", "--as", kind, "-o", str(out)], env)
            count = len(list(out.glob("*.pdf")))
            print(f"--all --as {kind}: {count} PDFs in {seconds:.2f} s "
                  f"({seconds / max(count, 1):.2f} s each), peak {memory:.0f} MB")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
