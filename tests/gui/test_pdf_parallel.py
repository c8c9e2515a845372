"""`export --all` lays out several PDFs at once: each file gets its own module's PDF, and the
first failure stops the export (no module is started after it) and is reported."""
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QTimer

from edukit.core.printing import PrintOptions
from edukit.gui.pdf import in_parallel


class FakeMaker:
    """Answers later, as Chromium does: a PDF naming the module, or an error for "bad"."""

    def __init__(self, started: list[str]):
        self.started = started

    def request(self, module, options, done) -> None:
        self.started.append(module.id)
        pdf, error = (b"", "boom") if module.id == "bad" else (f"%PDF {module.id}".encode(), "")
        QTimer.singleShot(10, lambda: done(pdf, error))


def jobs(tmp_path, ids):
    return [(SimpleNamespace(id=i), tmp_path / f"{i}.pdf") for i in ids]


def test_each_file_holds_its_own_modules_pdf_and_progress_counts_every_one(qapp, tmp_path):
    started, told = [], []
    in_parallel([FakeMaker(started), FakeMaker(started)], jobs(tmp_path, "abcde"), PrintOptions(),
                False, lambda done, total, what: told.append((done, total)))
    assert sorted(started) == list("abcde")
    for i in "abcde":
        assert (tmp_path / f"{i}.pdf").read_bytes() == f"%PDF {i}".encode()
    assert told == [(n, 5) for n in range(1, 6)]


def test_the_first_failure_stops_the_export_and_names_the_module(qapp, tmp_path):
    started = []
    with pytest.raises(OSError, match="bad: could not make a PDF .boom"):
        in_parallel([FakeMaker(started), FakeMaker(started)], jobs(tmp_path, ["a", "bad", "c", "d"]),
                    PrintOptions(), False, None)
    assert "d" not in started and not (tmp_path / "d.pdf").exists()
    assert (tmp_path / "a.pdf").read_bytes() == b"%PDF a"
