"""`edukit export` starts Chromium before it reads the library (edukit.gui.early): the renderer
process starts while the library, school and helplines are read. The first print page loads
in the page started then, whether its own first load is done or not; a load that is not the
print page's is never taken for it; and an export that stops before printing (no such module)
leaves no page or profile behind."""
from __future__ import annotations

import subprocess
import sys
from types import SimpleNamespace

import pytest
import shiboken6
from pypdf import PdfReader
from PySide6.QtCore import QUrl
from PySide6.QtWebEngineCore import QWebEngineLoadingInfo

from edukit import cli
from edukit.core import startup
from edukit.core.library import Library
from edukit.core.model import School
from edukit.core.printing import PrintOptions
from edukit.gui import early
from edukit.gui.page_server import PageServer
from edukit.gui.pdf import PdfMaker

Status = QWebEngineLoadingInfo.LoadStatus


@pytest.fixture
def steps(monkeypatch, qapp):
    """What the export did, in order: "chromium" (EarlyStart made), "library" (read); the
    EarlyStart objects made are in `steps.started`."""
    done: list[str] = []
    made: list[early.EarlyStart] = []
    real_start, real_open = cli.start_chromium, startup.open_library

    def start():
        done.append("chromium")
        made.append(real_start())
        return made[-1]

    def open_library(*args, **kwargs):
        done.append("library")
        return real_open(*args, **kwargs)
    monkeypatch.setattr(cli, "start_chromium", start)
    monkeypatch.setattr(startup, "open_library", open_library)
    monkeypatch.setattr(cli, "ran_qt", False)
    return SimpleNamespace(done=done, started=made)


def test_a_pdf_export_starts_chromium_before_it_reads_the_library(steps, tmp_path):
    out = tmp_path / "handout.pdf"
    assert cli.main(["export", "who-can-i-tell", "--as", "handout", "-o", str(out)]) == 0
    assert steps.done == ["chromium", "library"]
    assert "Who can I tell?" in PdfReader(out).pages[0].extract_text()
    # the maker adopted the page and profile: the EarlyStart holds none of its own
    assert steps.started[0].spare is None


@pytest.mark.parametrize("args", [["--format", "html"], ["--as", "pptx"]], ids=["html", "pptx"])
def test_an_export_that_prints_no_pdf_starts_no_chromium(steps, tmp_path, args):
    out = tmp_path / "out"
    assert cli.main(["export", "who-can-i-tell", *args, "-o", str(out)]) == 0
    assert steps.done == ["library"]


def test_an_export_that_stops_before_printing_deletes_what_it_started(steps, tmp_path, capsys):
    assert cli.main(["export", "no-such-lesson", "-o", str(tmp_path / "x.pdf")]) == 2
    assert "no-such-lesson" in capsys.readouterr().err
    started = steps.started[0]
    assert steps.done == ["chromium", "library"]
    assert started.spare is None and not shiboken6.isValid(started.profile)


def test_the_command_line_reads_its_options_before_loading_the_core():
    """Everything the export needs before Chromium starts: the core's model, library, settings
    and Qt load only after (cmd_export), so they overlap the renderer's start."""
    code = ("import sys, edukit.cli; print(' '.join(sorted(m for m in sys.modules "
            "if m.startswith(('edukit', 'PySide6', 'yaml')))))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout.split()
    for heavy in ("edukit.core.model", "edukit.core.library", "edukit.core.settings",
                  "edukit.core.startup", "PySide6", "yaml"):
        assert heavy not in loaded


@pytest.fixture
def maker_of(qapp):
    """maker_of(started): a PdfMaker of the bundled library, closed afterwards."""
    made = []

    def make(started=None, **kwargs):
        pages = PageServer(Library.default(), School(name="Hill School"))
        made.append(PdfMaker(pages, started=started, **kwargs))
        return made[-1]
    yield make
    for maker in made:
        maker.close()


def title_of(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "got.pdf"
    path.write_bytes(pdf)
    return PdfReader(path).pages[0].extract_text()


def test_the_first_print_loads_in_the_started_page_before_its_own_load_is_done(
        maker_of, tmp_path, qtbot):
    started = early.EarlyStart()
    spare = started.spare
    maker = maker_of(started)
    module = maker.pages.library.resolve("who-can-i-tell")
    pdf = maker.pdf_bytes(module, PrintOptions(kind="handout"))  # asked at once: still loading
    assert maker.page is spare
    assert "Who can I tell?" in title_of(pdf, tmp_path)


def test_a_spare_that_has_loaded_prints_the_next_page(maker_of, tmp_path, qtbot):
    maker = maker_of(spare=True)
    maker.make_spare()
    spare = maker._spare
    qtbot.waitUntil(lambda: spare.url().toString() == early.SPARE_URL and not spare.isLoading(),
                    timeout=10000)
    module = maker.pages.library.resolve("who-can-i-tell")
    pdf = maker.pdf_bytes(module, PrintOptions(kind="handout"))
    assert maker.page is spare
    assert "Who can I tell?" in title_of(pdf, tmp_path)


def test_only_the_print_pages_own_load_is_taken_for_it(maker_of, monkeypatch, request):
    """A spare's stylesheet load ending (done, or cut short by the print page) must not start
    printing a page still loading: only the end of the print page's own load does."""
    maker = maker_of()
    ended: list[bool] = []
    monkeypatch.setattr(maker, "_loaded", ended.append)
    maker._job, maker.page = object(), SimpleNamespace(load=lambda url: None)
    request.addfinalizer(lambda: setattr(maker, "page", None) or setattr(maker, "_job", None))
    maker._url = QUrl("edukit://app/module/who-can-i-tell/print.html?kind=handout")

    def info(url: str, status):
        return SimpleNamespace(url=lambda: QUrl(url), status=lambda: status)
    maker._loading(info(early.SPARE_URL, Status.LoadSucceededStatus))
    maker._loading(info(early.SPARE_URL, Status.LoadStoppedStatus))
    maker._loading(info(maker._url.toString(), Status.LoadStartedStatus))
    assert ended == []
    maker._loading(info(maker._url.toString(), Status.LoadSucceededStatus))
    maker._loading(info(maker._url.toString(), Status.LoadFailedStatus))
    assert ended == [True, False]


def test_a_print_page_dropped_for_the_spares_own_load_is_asked_for_again_once(maker_of):
    """Chromium can let a spare's stylesheet load finish and drop the print page's load asked
    just before (seen under load): that load's success means the print page is asked again."""
    maker = maker_of()
    page, asked = maker.page, []
    maker.page = SimpleNamespace(load=asked.append)
    maker._job, maker._url = object(), QUrl("edukit://app/module/who-can-i-tell/print.html")
    try:
        def info(url: str, status):
            return SimpleNamespace(url=lambda: QUrl(url), status=lambda: status)
        maker._loading(info(early.SPARE_URL, Status.LoadStoppedStatus))  # cut short: fine
        assert asked == []
        maker._loading(info(early.SPARE_URL, Status.LoadSucceededStatus))
        maker._loading(info(early.SPARE_URL, Status.LoadSucceededStatus))
        assert asked == [maker._url]
    finally:
        maker.page, maker._job = page, None
