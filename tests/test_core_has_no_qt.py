"""edukit.core must load no Qt: it runs headless, in the CLI and in tests without a display."""
from __future__ import annotations

import json
import subprocess
import sys

HARNESS = """
import importlib, json, pkgutil, sys
{extra}
import edukit.core
names = [m.name for m in pkgutil.walk_packages(edukit.core.__path__, "edukit.core.")]
for name in names:
    importlib.import_module(name)
qt = sorted(m for m in sys.modules if m.startswith("PySide6"))
print(json.dumps({{"imported": names, "qt": qt}}))
"""


def loaded_after_importing_core(extra: str = "") -> dict:
    result = subprocess.run([sys.executable, "-c", HARNESS.format(extra=extra)],
                            check=False, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_importing_every_core_module_loads_no_qt():
    found = loaded_after_importing_core()
    assert "edukit.core.render" in found["imported"]
    assert "edukit.core.markdown.fenced_divs" in found["imported"]
    assert found["qt"] == []


def test_harness_reports_qt_when_it_is_imported():
    # Positive control: the same check sees PySide6 when something does load it.
    found = loaded_after_importing_core("import PySide6.QtCore")
    assert "PySide6.QtCore" in found["qt"]
