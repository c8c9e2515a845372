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
from functools import partial
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QObject, QThreadPool

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


class Marker:
    """Records the thread that frees it."""

    def __init__(self, freed_on: list):
        self.freed_on = freed_on

    def __del__(self):
        self.freed_on.append(threading.current_thread())


def work_holding(marker: Marker):
    return lambda: marker and 42


def test_a_job_reports_on_the_ui_thread_and_lets_go_of_everything_there(qtbot):
    """The caller need not keep the job. Its answer arrives on the UI thread; its Outcome (a Qt
    object) and its work function (with whatever that holds, Qt objects included) are freed
    there too, though the pool thread ran the job and let go of it last."""
    from edukit.gui.background import Job

    answers, answered_on, work_freed_on, outcome_freed_on = [], [], [], []

    def answer(value):
        answers.append(value)
        answered_on.append(threading.current_thread())
    job = Job(work_holding(Marker(work_freed_on)), succeeded=answer)
    job.outcome.destroyed.connect(lambda: outcome_freed_on.append(threading.current_thread()))
    job.start()
    del job
    QThreadPool.globalInstance().waitForDone()  # the pool thread is done with the job first
    qtbot.waitUntil(lambda: bool(outcome_freed_on) and bool(work_freed_on), timeout=10000)
    main = threading.main_thread()
    assert answers == [42] and answered_on == [main]
    assert work_freed_on == [main] and outcome_freed_on == [main]


@pytest.mark.parametrize("kind", ["fails with an expected error", "raises anything else"])
def test_a_failing_job_reports_one_line_once(qtbot, kind):
    from edukit.gui.background import Job

    def work():
        raise (ValueError("bad pack") if kind.startswith("fails") else KeyError("x"))
    failures, successes = [], []
    Job(work, expected=(ValueError,), succeeded=successes.append, failed=failures.append).start()
    qtbot.waitUntil(lambda: bool(failures), timeout=10000)
    qtbot.wait(50)
    assert len(failures) == 1 and successes == []
    assert failures[0] == "bad pack" or failures[0].startswith("unexpected error (KeyError")


class Asker(QObject):
    """A dialog's or window's part that asked for the work."""

    def __init__(self, answers: list, parent: QObject):
        super().__init__(parent)
        self.answers = answers

    def take(self, value) -> None:
        self.answers.append((self.objectName(), value))


@pytest.mark.parametrize("bound", ["method", "partial"])
def test_a_job_whose_asker_was_deleted_answers_nobody(qtbot, bound):
    """The window closed while the job ran: its answer goes nowhere (calling a method of the
    deleted object crashed the test process under load, in PySide's queued call)."""
    from edukit.gui.background import Job

    answers: list = []
    owner = QObject()
    asker = Asker(answers, owner)
    callback = asker.take if bound == "method" else partial(asker.take)
    gate = threading.Event()
    Job(lambda: gate.wait(10) and "late", succeeded=callback).start()
    shiboken6.delete(owner)  # the asker goes with its window, before the job ends
    gate.set()
    QThreadPool.globalInstance().waitForDone()
    qtbot.wait(100)  # the answer's delivery runs here
    assert answers == []


def test_a_job_whose_asker_lives_is_answered_positive_control(qtbot):
    from edukit.gui.background import Job

    answers: list = []
    owner = QObject()
    asker = Asker(answers, owner)
    asker.setObjectName("asker")
    Job(lambda: "late", succeeded=asker.take).start()
    qtbot.waitUntil(lambda: bool(answers), timeout=10000)
    assert answers == [("asker", "late")]
    shiboken6.delete(owner)


def test_a_job_still_running_when_the_app_quits_ends_quietly(qtbot, capfd):
    """Quitting during a problem check printed 'Signal source has been deleted' from the pool
    thread: the application had deleted the job's Outcome. Now the job ends without a word."""
    from edukit.gui.background import Job

    gate, answers = threading.Event(), []
    job = Job(lambda: gate.wait(10) and "late", succeeded=answers.append).start()
    shiboken6.delete(job.outcome)  # as the application does with its children on quitting
    gate.set()
    QThreadPool.globalInstance().waitForDone()
    qtbot.wait(50)
    assert answers == [] and "Signal source has been deleted" not in capfd.readouterr().err
