"""`edukit export` ends the quick way after its PDFs (Qt WebEngine shut down, then no Python
teardown: cli.run, gui.headless.end_process) and still leaves nothing behind: its output is
printed whole, its exit code is kept, and no Chromium renderer or lesson-renderer process is
left running or unreaped. The harness adopts whatever the command leaves (a child subreaper);
its control shows it sees a process left behind."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl: Linux")

# Runs COMMAND as a child subreaper: processes COMMAND leaves are re-parented to it, listed
# (pid, state) as JSON on the last line, then reaped.
ADOPTER = r"""
import ctypes, json, os, subprocess, sys, time
ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
done = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout=120)
time.sleep(0.1)
left = []
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        continue
    if int(fields[1]) == os.getpid():
        left.append([int(pid), fields[0]])
for pid, _ in left:
    try:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
    except (OSError, ChildProcessError):
        pass
print(done.stdout, end="")
print(done.stderr, end="", file=sys.stderr)
print(json.dumps({"code": done.returncode, "left": left}))
"""


def adopted(*command: str) -> tuple[dict, str, str]:
    run = subprocess.run([sys.executable, "-c", ADOPTER, *command], capture_output=True,
                         text=True, timeout=180, check=True)
    *out, last = run.stdout.splitlines()
    return json.loads(last), "\n".join(out), run.stderr


def test_the_harness_sees_a_process_left_behind():
    found, _, _ = adopted(sys.executable, "-c",
                          "import subprocess; subprocess.Popen(['sleep', '5'])")
    assert found["code"] == 0 and len(found["left"]) == 1


def test_an_export_leaves_no_process_behind_and_says_what_it_wrote(tmp_path):
    out = tmp_path / "one.pdf"
    found, stdout, stderr = adopted(sys.executable, "-m", "edukit", "export", "who-can-i-tell",
                                    "--as", "handout", "-o", str(out))
    assert found == {"code": 0, "left": []}, stderr
    assert stdout.strip() == str(out) and out.read_bytes().startswith(b"%PDF")


def test_a_lesson_laid_out_in_the_renderer_process_leaves_it_ended(tmp_path, fixture_content):
    """A lesson from outside edukit is laid out in the lesson-renderer process: it is stopped
    with the export, not left to the end of the process."""
    found, stdout, stderr = adopted(
        sys.executable, "-m", "edukit", "--content", str(fixture_content), "export",
        "sample-lesson", "who-can-i-tell", "--as", "handout", "-o", str(tmp_path))
    assert found == {"code": 0, "left": []}, stderr
    assert len(stdout.split()) == 2 and len(list(tmp_path.glob("*.pdf"))) == 2


def test_an_export_that_fails_part_way_keeps_its_exit_code(tmp_path):
    taken = tmp_path / "who-can-i-tell-handout.pdf"
    taken.mkdir()  # a folder where the file would go: that module cannot be written
    found, stdout, stderr = adopted(sys.executable, "-m", "edukit", "export", "who-can-i-tell",
                                    "sextortion", "--as", "handout", "--overwrite",
                                    "-o", str(tmp_path))
    assert found == {"code": 1, "left": []}
    assert "cannot write" in stderr and stdout.strip().endswith("sextortion-handout.pdf")


def test_ending_on_windows_does_not_wait_for_children(monkeypatch):
    """Windows has no os.WNOHANG nor waitpid(-1): the exit must not fail there."""
    from edukit.gui import headless

    def no_waitpid(*_args):
        raise AssertionError("waitpid is not called where WNOHANG is missing")

    monkeypatch.delattr(os, "WNOHANG")
    monkeypatch.setattr(os, "waitpid", no_waitpid)
    headless.reap_children()
