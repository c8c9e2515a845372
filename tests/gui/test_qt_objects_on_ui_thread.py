"""Qt objects are deleted on the UI thread only, whatever thread drops them.

Python's cycle collector runs on whichever thread allocates; left automatic, it freed a socket
notifier on a pool thread and the UI thread's event loop then crashed in g_main_context_check
(how a CI run died in the middle of a GUI test). edukit.gui.garbage collects on the UI thread."""
from __future__ import annotations

import os
import resource
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool

SCRIPT = Path(__file__).with_name("qt_objects_freed_elsewhere.py")
WRONG_THREAD = "Socket notifiers cannot be enabled or disabled from another thread"


def run_script(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=os.pathsep.join([str(SCRIPT.parents[2]), os.environ.get("PYTHONPATH", "")]))
    # the control crashes on purpose: no core file may be left in the reader's folder
    return subprocess.run([sys.executable, str(SCRIPT), *args], check=False, env=env,
                          capture_output=True, text=True, timeout=120, cwd=SCRIPT.parent,
                          preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_CORE, (0, 0)))


def test_garbage_with_qt_objects_is_freed_on_the_ui_thread_and_the_loop_survives():
    done = run_script()
    assert done.returncode == 0, done.stderr[-2000:]
    assert WRONG_THREAD not in done.stderr
    assert "freed 0 left" in done.stdout  # collected all the same, by the UI thread's timer


def test_automatic_collection_frees_them_on_a_pool_thread_positive_control():
    done = run_script("automatic")
    assert WRONG_THREAD in done.stderr or done.returncode != 0


def test_a_jobs_outcome_is_deleted_on_the_ui_thread_after_it_is_delivered(qtbot):
    """The caller need not keep the job: its answer still arrives, and its Outcome (a Qt
    object) is deleted on the UI thread, though the pool thread drops the job last."""
    from edukit.gui.background import Job

    answers, deleted_on = [], []
    job = Job(lambda: [[] for _ in range(1000)] and 42)
    job.outcome.succeeded.connect(answers.append)
    job.outcome.destroyed.connect(lambda: deleted_on.append(threading.current_thread()))
    job.start()
    del job
    QThreadPool.globalInstance().waitForDone()  # the pool thread drops the job first
    qtbot.waitUntil(lambda: bool(deleted_on), timeout=10000)
    assert answers == [42] and deleted_on == [threading.main_thread()]


@pytest.mark.parametrize("kind", ["fails with an expected error", "raises anything else"])
def test_a_failing_job_reports_once_and_is_freed_on_the_ui_thread(qtbot, kind):
    from edukit.gui.background import Job

    def work():
        raise (ValueError("bad pack") if kind.startswith("fails") else KeyError("x"))
    failures, deleted_on = [], []
    job = Job(work, expected=(ValueError,))
    job.outcome.failed.connect(failures.append)
    job.outcome.destroyed.connect(lambda: deleted_on.append(threading.current_thread()))
    job.start()
    del job
    QThreadPool.globalInstance().waitForDone()  # the pool thread drops the job first
    qtbot.waitUntil(lambda: bool(deleted_on), timeout=10000)
    assert len(failures) == 1 and deleted_on == [threading.main_thread()]
    assert failures[0] == "bad pack" or failures[0].startswith("unexpected error (KeyError")
