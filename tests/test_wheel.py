"""The built wheel carries the lessons and styles: installed alone, `edukit list` works."""
from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

REPO = Path(__file__).parent.parent


def test_wheel_installs_into_a_fresh_venv_and_lists_the_bundled_lessons(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(wheels), str(REPO)], check=True)
    wheel = next(wheels.glob("edukit-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True)
    # The dependencies (PySide6 and the rest) come from this environment, added after the
    # venv's own site-packages; the source tree itself is not on the path.
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               capture_output=True, text=True, check=True).stdout.strip())
    (site / "deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    where = subprocess.run([str(python), "-c", "import edukit; print(edukit.__file__)"],
                           cwd=outside, env=env, capture_output=True, text=True, check=True)
    assert where.stdout.startswith(str(venv))
    listed = subprocess.run([str(venv / "bin" / "edukit"), "list"], cwd=outside, env=env,
                            capture_output=True, text=True, check=False)
    assert listed.returncode == 0, listed.stderr
    assert "who-can-i-tell" in listed.stdout and "sextortion" in listed.stdout
    assert (site / "edukit" / "resources" / "css" / "base.css").is_file()
    assert (site / "edukit" / "content" / "routes" / "uk.yaml").is_file()
