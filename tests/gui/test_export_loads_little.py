"""One handout printed again (`edukit export ID`, its page and finished PDF kept from a run
before) loads only what it uses (issue 17: the export's Python CPU beyond Qt's own): no
Markdown, YAML, pikepdf, thread pools or the Markdown helpers of the table check; Qt loads
only when Chromium is started, and from then on PySide's question to each module imported
("does your source mention PySide6?") is answered by edukit's quick check, never by
inspect; Python's cycle collector does not run over the imports before the application
turns it off (gui.garbage)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

# Runs `edukit export` in the process, then says which modules were loaded (by any thread).
EXPORT = ("import json, os, sys\nfrom edukit.cli import main\ncode = main(sys.argv[1:])\n"
          "print('LOADED', json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
          "sys.stderr.flush()\nos._exit(code)")

# Starts Chromium as `edukit export` does (its command line read); says which modules
# inspect.getsource was asked about, and how many collections the cycle collector ran meanwhile.
START = """import gc, inspect, json, os, sys
from edukit import cli
asked, collections = [], []
real = inspect.getsource
inspect.getsource = lambda obj: asked.append(getattr(obj, "__name__", "?")) or real(obj)
gc.callbacks.append(lambda phase, info: phase == "start" and collections.append(info))
started = cli.start_chromium()
print("STARTED", json.dumps({"asked": asked, "collections": len(collections)}))
sys.stdout.flush()
started.close()
from edukit.gui.headless import end_process
end_process(0)
"""

NOT_ON_A_REPRINT = ("markdown", "pygments", "yaml", "pikepdf", "concurrent.futures",
                    "edukit.core.markdown.blocks", "edukit.core.render")


def run_python(args: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=300,
                          check=False, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})


def test_a_handout_printed_again_loads_no_markdown_yaml_pikepdf_or_thread_pool(
        user_dirs, tmp_path):
    def export() -> set[str]:
        done = run_python(["-c", EXPORT, "export", "who-can-i-tell", "--as", "handout",
                           "--overwrite", "-o", str(tmp_path / "handout.pdf")])
        assert done.returncode == 0, done.stderr
        line = next(line for line in done.stderr.splitlines() if line.startswith("LOADED"))
        return set(json.loads(line.removeprefix("LOADED")))

    first = export()  # rendered, tagged and kept: the control (the probe sees these imports)
    assert {"markdown", "yaml", "pikepdf"} <= first
    again = export()
    assert "edukit.gui.headless" in again
    assert sorted(again & set(NOT_ON_A_REPRINT)) == []


def test_starting_chromium_asks_inspect_about_no_edukit_module_and_collects_nothing(
        user_dirs):
    done = run_python(["-c", START])
    assert done.returncode == 0, done.stderr
    line = next(line for line in done.stdout.splitlines() if line.startswith("STARTED"))
    found = json.loads(line.removeprefix("STARTED"))
    assert "PySide6" in found["asked"]  # the control: PySide's own check, before edukit's
    assert [name for name in found["asked"] if name.startswith("edukit")] == []
    assert found["collections"] == 0


def test_the_early_start_module_loads_no_qt():
    """edukit.gui.early and the runtime it uses load before Qt (EarlyStart imports Qt, then
    puts the quick check in place before anything else is imported)."""
    code = "import sys, edukit.gui.early; print(sorted(m for m in sys.modules if 'PySide' in m))"
    done = run_python(["-c", code])
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
