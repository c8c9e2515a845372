"""The window's problem check runs on a pool thread (a Job) while the UI thread may refresh the
Library: everything that needs the Library is read before the job starts, on the UI thread."""
from __future__ import annotations

import threading

from edukit.core.library import Library
from edukit.core.model import School
from edukit.gui.lesson_view import ProblemCheck
from edukit.gui.session import Session


class Refreshing:
    """Stands in for a Library the UI thread is refreshing: any use from the check is a race."""

    def __getattr__(self, name):
        raise AssertionError(f"the check used the library ({name}) off the UI thread")


def test_the_check_needs_no_library_once_started(tmp_path):
    lesson = tmp_path / "numbers.md"
    lesson.write_text("---\ntitle: Numbers\n---\n# Numbers\n\nRing 0800 555 0199.\n\n"
                      "::: nonsense\nx\n", encoding="utf-8")
    session = Session(Library.default(extra=[tmp_path]), School())
    module = session.find("numbers")
    expected = session.problems(module)
    assert any("0800 555 0199" in p.message for p in expected)  # a helpline warning
    assert any(p.is_error for p in expected)  # the block never closed
    check = session.problem_check(module)
    session.pages.library = Refreshing()
    assert check() == expected


def test_the_check_runs_off_the_ui_thread_and_reports_on_it(qtbot, fixture_content):
    session = Session(Library.default(extra=[fixture_content]), School())
    module = session.find("sample-lesson")
    threads: list[str] = []
    session.problem_check = lambda m: (lambda: threads.append(
        threading.current_thread().name) or [])  # type: ignore[method-assign]
    check = ProblemCheck()
    check.done.connect(lambda *_: threads.append(threading.current_thread().name))
    with qtbot.waitSignal(check.done, timeout=10000) as done:
        check.start(session, module)
    assert done.args == ["sample-lesson", []]
    main = threading.main_thread().name
    assert threads[0] != main and threads[1] == main
