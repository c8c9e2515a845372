"""Time `edukit site` as a user runs it (whole process, the whole bundled library; budget 10 s on
a 2-core machine) and report the site's size on disk.

    /work/venv/bin/python benchmarks/site_publish.py [--runs 3] [--with-guides]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BUDGET_S = 10.0


def publish(out: Path, env: dict[str, str], with_guides: bool) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "edukit", "site", "-o", str(out), "--overwrite",
                    *(["--with-guides"] if with_guides else [])], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--with-guides", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, **{f"EDUKIT_{n}_DIR": f"{tmp}/{n.lower()}"
                                for n in ("CONFIG", "DATA", "CACHE")}}
        out = Path(tmp) / "site"
        times = [publish(out, env, args.with_guides) for _ in range(args.runs)]
        count, total = size(out)
    best, median = min(times), statistics.median(times)
    print(f"edukit site{' --with-guides' if args.with_guides else ''}: best {best:.2f} s, "
          f"median {median:.2f} s over {args.runs} runs (budget {BUDGET_S:.0f} s); "
          f"{count} files, {total / 1024:.0f} KB")
    sys.exit(0 if median <= BUDGET_S else 1)


if __name__ == "__main__":
    main()
