"""The layer contracts in pyproject.toml hold (import-linter, which sees imports inside functions
too): the core never imports the GUI or Qt, the command line sits over the GUI over the core, no
package has an import cycle, and windows do not import each other. Positive controls: a copy of
the package with one bad import added breaks the contract that forbids it, lazy or not."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT = ("import sys; from importlinter.cli import lint_imports_command; "
        "sys.argv[0] = 'lint-imports'; lint_imports_command()")


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    """`lint-imports` on the package under root, with root's pyproject.toml."""
    env = {**os.environ, "PYTHONPATH": str(root)}  # this checkout's edukit, not an installed one
    return subprocess.run([sys.executable, "-c", LINT, "--no-cache", "--no-logo"], cwd=root,
                          env=env, capture_output=True, text=True, timeout=120, check=False)


def test_the_layer_contracts_hold():
    run = lint_imports(ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert re.search(r"Contracts: [4-9]\d* kept, 0 broken", run.stdout), run.stdout


@pytest.fixture
def package_copy(tmp_path) -> Path:
    shutil.copytree(ROOT / "edukit", tmp_path / "edukit",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


LAZY = "from __future__ import annotations\n\n\ndef later():\n    {}\n"
BAD_IMPORTS = {  # (module added, its source, the contract it breaks)
    "core imports the gui inside a function": (
        "edukit/core/shortcut.py", LAZY.format("from ..gui.pdf import PdfMaker"),
        "The core never imports the GUI"),
    "core imports Qt inside a function": (
        "edukit/core/qtish.py", LAZY.format("from PySide6.QtGui import QPageLayout"),
        "The core never imports the GUI"),
    "core imports the command line": (
        "edukit/core/upward.py", "from ..cli import main\n", "Layers"),
    "the gui imports the command line inside a function": (
        "edukit/gui/upward.py", LAZY.format("from ..cli import main"), "Layers"),
    "a cycle in the gui held by a lazy import": (
        "edukit/gui/page_server_extra.py",
        "from .main_window import MainWindow\n",  # main_window -> session -> page_server ->
        "No import cycles"),
    "a window imports another window's internals lazily": (
        "edukit/gui/print_preview_extra.py", LAZY.format("from .presentation.console import X"),
        "Windows and dialogs"),
}


@pytest.mark.parametrize("case", BAD_IMPORTS, ids=list(BAD_IMPORTS))
def test_a_bad_import_breaks_its_contract_positive_control(package_copy, case):
    path, source, contract = BAD_IMPORTS[case]
    (package_copy / path).write_text(source)
    if case.startswith("a cycle"):  # ...and back: the page server imports the new module
        server = package_copy / "edukit/gui/page_server.py"
        server.write_text(server.read_text() + LAZY.format("from . import page_server_extra"))
    if case.startswith("a window"):  # print_preview pulls it in
        preview = package_copy / "edukit/gui/print_preview.py"
        preview.write_text(preview.read_text() + LAZY.format("from . import print_preview_extra"))
    run = lint_imports(package_copy)
    assert run.returncode != 0, run.stdout
    broken = run.stdout.partition("Broken contracts")[2]
    assert re.search(rf"^{contract}", broken, re.MULTILINE), run.stdout
