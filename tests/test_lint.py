"""The code stays ruff-clean, as STYLE.md asks, with pyproject.toml's settings: the package, the
tests and the benchmarks. Positive control: a file with an unused import and an undefined
name, checked the same way, is reported."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def ruff(*paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache",
                           "--config", str(ROOT / "pyproject.toml"), *map(str, paths)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)


def test_the_code_is_ruff_clean():
    run = ruff(ROOT / "edukit", ROOT / "tests", ROOT / "benchmarks")
    assert run.returncode == 0, run.stdout + run.stderr


def test_a_fault_is_reported(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import os\n\nVALUE = undefined_name\n", encoding="utf-8")
    run = ruff(bad)
    assert run.returncode == 1
    assert "F401" in run.stdout and "F821" in run.stdout, run.stdout
