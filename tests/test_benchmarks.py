"""The benchmark suite still runs: its quick mode measures every figure once (launch and
handout against their floors, File > Print's pages shown, tagged PDF and Save as PDF, search,
index build, module switch, memory over switches and exports through File > Print) and writes
the table and JSON. Nothing
here asserts a time: the figures are for the report, not for CI."""
import json
import math
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = {"launch to painted lesson", "one handout (CLI)", "one handout (CLI), first ever",
            "search p95", "search as you type p95",
            "first index build", "module switch", "memory at first paint (PSS)",
            "print preview, asked to pages shown", "PDF in process, asked to tagged PDF",
            "Save as PDF, click to file written", "memory with one module open (PSS)",
            "memory growth, switches and exports"}


def test_quick_benchmark_prints_the_table_and_writes_json(tmp_path):
    out = tmp_path / "results.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick",
                           "--json", str(out)], check=False, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr
    results = json.loads(out.read_text(encoding="utf-8"))
    rows = {row["name"]: row for row in results["rows"]}
    assert EXPECTED <= set(rows)
    assert results["machine"]["cores"] == os.cpu_count()
    for name in ("launch to painted lesson", "one handout (CLI)"):  # measured against a floor
        assert rows[name]["ratio"] > 0 and rows[name]["floor_median"] > 0
        assert name in done.stdout
    assert all(math.isfinite(row["median"]) and row["min"] <= row["max"] for row in rows.values())
    assert all(isinstance(row["met"], bool) for row in rows.values() if "target" in row)
    assert "met" in done.stdout.splitlines()[1]  # the table's header
