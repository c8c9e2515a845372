"""`export --all` lays out several PDFs at once: each file gets its own module's PDF, the files
and their pages are the same as one at a time, and a module that fails is named while every
other one is still written. PDFs are tagged on a thread while their maker prints the next
module (a finisher): the files are the ones made in turn, tags, metadata and all."""
import threading
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pikepdf
import pytest
from pdf_structure import elements, tag_problems
from pypdf import PdfReader
from PySide6.QtCore import QTimer

from edukit import cli
from edukit.core.export import ExportIncomplete, ExportOptions
from edukit.core.library import Library
from edukit.core.model import School
from edukit.core.printing import PrintOptions
from edukit.gui import headless
from edukit.gui.headless import PdfBatch, export_pdfs


class FakeMaker:
    """Answers later, as Chromium does: a PDF naming the module, an error for "bad", nothing
    at all for "stuck"."""

    def __init__(self, started: list[str]):
        self.started = started

    def request(self, module, options, done) -> None:
        self.started.append(module.id)
        if module.id == "stuck":
            return
        pdf, error = (b"", "boom") if module.id == "bad" else (f"%PDF {module.id}".encode(), "")
        QTimer.singleShot(10, lambda: done(pdf, error))


class FakePrinter(FakeMaker):
    """A maker whose prints a finisher finishes; it fails the test if asked for a second
    module before it has answered the first (that would cut the first one's PDF short), unless
    the first was stuck (the batch gave up on it)."""

    def __init__(self, started: list[str]):
        super().__init__(started)
        self.busy = ""

    def request_prints(self, module, options, done) -> None:
        assert self.busy in ("", "stuck"), f"asked for {module.id} while printing {self.busy}"
        self.busy = module.id

        def answer(pdf: bytes, error: str) -> None:
            self.busy = ""
            done(SimpleNamespace(printed=pdf, module=module) if pdf else None, error)
        self.request(module, options, answer)


def fake_finish(prints):
    """The finisher's work on the fake prints: "broken" raises, "slow" takes a while."""
    if prints.module.id == "broken":
        raise ValueError("no pages")
    if prints.module.id.startswith("slow"):
        threading.Event().wait(0.5)
    return prints.printed + b" finished on " + threading.current_thread().name.encode(), ""


@pytest.fixture
def finisher(monkeypatch):
    monkeypatch.setattr(headless, "finished", lambda prints, _error: fake_finish(prints))
    with ThreadPoolExecutor(1, "finisher") as pool:
        yield pool


def test_a_finisher_finishes_every_pdf_off_qts_thread_while_makers_go_on(
        qapp, tmp_path, finisher):
    started, told = [], []
    ids = ["a", "bad", "broken", "c", "d", "e", "f"]
    written, problems = PdfBatch([FakePrinter(started), FakePrinter(started)], PrintOptions(),
                                 False, lambda done, total, what: told.append(done),
                                 finisher=finisher).run(jobs(tmp_path, ids))
    assert sorted(started) == sorted(ids)
    assert [p.name for p in written] == ["a.pdf", "c.pdf", "d.pdf", "e.pdf", "f.pdf"]
    assert (tmp_path / "d.pdf").read_bytes() == b"%PDF d finished on finisher_0"
    assert problems == ["bad: could not make a PDF (boom)",
                        "broken: could not make a PDF (no pages)"]
    assert len(told) == 5 and told[-1] == 7  # counted among all 7 when each is written


def test_the_finisher_writes_the_files_so_qts_thread_never_waits_on_the_disk(
        qapp, tmp_path, finisher, monkeypatch):
    """A write syncs the file and its folder to disk (tens of ms on a busy disk): on Qt's
    thread it held up Chromium's printing of the next modules."""
    writers = []

    def write(path, data, overwrite=True):
        writers.append(threading.current_thread().name)
        path.write_bytes(data)
    monkeypatch.setattr(headless, "write_atomic", write)
    written, problems = PdfBatch([FakePrinter([])], PrintOptions(), False, None,
                                 finisher=finisher).run(jobs(tmp_path, ["a", "b", "bad"]))
    assert [p.name for p in written] == ["a.pdf", "b.pdf"] and len(problems) == 1
    assert writers == ["finisher_0", "finisher_0"]


def test_a_slow_finisher_holds_the_makers_back_but_times_out_nothing(
        qapp, tmp_path, finisher):
    """The time limit is for Chromium being stuck: PDFs waiting for the finisher are not cut
    short, and a maker waits rather than piling up more than one PDF per maker to finish."""
    started = []
    ids = ["slow", "a", "b", "slow-2", "c", "d"]
    written, problems = PdfBatch([FakePrinter(started)], PrintOptions(), False, None,
                                 timeout_ms=300, finisher=finisher).run(jobs(tmp_path, ids))
    assert problems == [] and sorted(started) == sorted(ids)
    assert [p.name for p in written] == [f"{i}.pdf" for i in ids]
    still = jobs(tmp_path / "stuck", ["a", "stuck", "b"])
    written, problems = PdfBatch([FakePrinter([])], PrintOptions(), False, None, timeout_ms=300,
                                 finisher=finisher).run(still)
    assert problems == ["stuck: could not make a PDF (timed out)"]


def jobs(tmp_path, ids):
    tmp_path.mkdir(exist_ok=True)
    return [(SimpleNamespace(id=i), tmp_path / f"{i}.pdf") for i in ids]


def batch(makers, progress=None, timeout_ms=30000):
    return PdfBatch(makers, PrintOptions(), False, progress, timeout_ms)


def test_each_file_holds_its_own_modules_pdf_and_progress_counts_every_one(qapp, tmp_path):
    started, told = [], []
    written, problems = batch([FakeMaker(started), FakeMaker(started)],
                              lambda done, total, what: told.append((done, total))
                              ).run(jobs(tmp_path, "abcde"))
    assert sorted(started) == list("abcde") and problems == []
    assert written == [tmp_path / f"{i}.pdf" for i in "abcde"]  # in the order asked
    for i in "abcde":
        assert (tmp_path / f"{i}.pdf").read_bytes() == f"%PDF {i}".encode()
    assert told == [(n, 5) for n in range(1, 6)]


def test_a_failing_or_stuck_module_is_named_and_every_other_one_is_written(qapp, tmp_path):
    started = []
    written, problems = batch([FakeMaker(started), FakeMaker(started)], timeout_ms=300).run(
        jobs(tmp_path, ["a", "bad", "c", "stuck", "d", "e"]))
    assert sorted(started) == sorted(["a", "bad", "c", "stuck", "d", "e"])
    assert problems == ["bad: could not make a PDF (boom)", "stuck: could not make a PDF (timed out)"]
    assert [p.name for p in written] == ["a.pdf", "c.pdf", "d.pdf", "e.pdf"]
    assert (tmp_path / "e.pdf").read_bytes() == b"%PDF e"
    assert not (tmp_path / "bad.pdf").exists() and not (tmp_path / "stuck.pdf").exists()


def test_a_file_that_cannot_be_written_is_named_and_the_rest_are_written(qapp, tmp_path):
    (tmp_path / "blocked").write_text("a file where a folder should be")
    work = jobs(tmp_path, "ab") + [(SimpleNamespace(id="c"), tmp_path / "blocked" / "c.pdf")]
    written, problems = batch([FakeMaker([])]).run(work + jobs(tmp_path, "d"))
    assert [p.name for p in written] == ["a.pdf", "b.pdf", "d.pdf"]
    assert len(problems) == 1 and problems[0].startswith(f"cannot write {tmp_path / 'blocked'}")


def pages_and_text(path) -> tuple[int, str]:
    reader = PdfReader(path)
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_real_pdfs_made_in_parallel_are_the_ones_made_one_at_a_time(qapp, tmp_path, user_dirs):
    """Chromium pages printing at once give each module its own PDF: same files, same page
    counts, same text as one page printing them in turn."""
    library = Library.default()
    modules = library.modules[:4]
    options = ExportOptions(PrintOptions(kind="handout"))
    made = {}
    for at_once in (1, 3):
        folder = tmp_path / f"at-once-{at_once}"
        paths = [folder / f"{m.id}.pdf" for m in modules]
        assert export_pdfs(library, School(), modules, options, paths, at_once=at_once) == paths
        made[at_once] = {p.name: pages_and_text(p) for p in paths}
    assert made[1] == made[3]
    assert all(count >= 1 and text for count, text in made[1].values())


def described(path) -> tuple:
    """What a reader gets from a PDF: pages, text, tags (in tree order, with alt texts) and
    the document information and bookmarks."""
    pdf = pikepdf.open(path)
    tags = [(kind, str(element.get("/Alt", ""))) for kind, element in elements(pdf)]
    info = {str(k): str(v) for k, v in pdf.docinfo.items() if k not in ("/CreationDate",
                                                                        "/ModDate")}
    with pdf.open_outline() as outline:
        marks = [item.title for item in outline.root]
    return pages_and_text(path), tags, info, str(pdf.Root.Lang), marks


def test_pdfs_tagged_beside_the_printing_are_the_ones_tagged_one_by_one(
        qapp, tmp_path, user_dirs):
    """Several modules (tagged by the finisher) against each module on its own (tagged on
    Qt's thread): the same pages, text, tags, information and bookmarks, and sound tags."""
    library = Library.default()
    modules = [library.get("who-can-i-tell"), library.get("dsl-image-incident-flowchart"),
               library.get("live-streaming-and-video-chat")]
    options = ExportOptions(PrintOptions(kind="guide"))
    together = [tmp_path / "together" / f"{m.id}.pdf" for m in modules]
    export_pdfs(library, School(name="Hill School"), modules, options, together)
    for module, path in zip(modules, together):
        alone = tmp_path / "alone" / path.name
        export_pdfs(library, School(name="Hill School"), [module], options, [alone])
        assert tag_problems(path) == []
        assert described(path) == described(alone)
        assert described(path)[1][0] == ("Document", "")
        assert dict(described(path)[2])["/Author"] == "Hill School"


def test_the_command_line_prints_one_line_per_failed_module_and_the_files_it_wrote(
        tmp_path, capsys, monkeypatch, user_dirs):
    def some_fail(library, school, modules, options, paths, progress, **_):
        raise ExportIncomplete(paths[:-2], [f"{modules[-2].id}: could not make a PDF (boom)",
                                            f"cannot write {paths[-1]}: Permission denied"])
    monkeypatch.setattr(cli, "export_pdfs", some_fail)
    assert cli.main(["export", "--all", "--as", "handout", "-o", str(tmp_path / "out")]) == 1
    out, err = capsys.readouterr()
    modules = Library.default().modules
    assert len(out.splitlines()) == len(modules) - 2
    assert err.splitlines()[-2:] == [
        f"edukit: export: {modules[-2].id}: could not make a PDF (boom)",
        f"edukit: export: cannot write {tmp_path / 'out' / modules[-1].id}-handout.pdf: "
        + "Permission denied"]
    assert "Traceback" not in err


def test_an_html_export_goes_on_past_a_file_it_cannot_write(tmp_path, capsys, user_dirs):
    out, fmt = tmp_path / "out", "html"
    modules = Library.default().modules
    out.mkdir()
    (out / f"{modules[1].id}-handout.{fmt}").mkdir()  # a folder where the file should go
    code = cli.main(["export", "--all", "--format", fmt, "--overwrite", "-o", str(out)])
    _, err = capsys.readouterr()
    assert code == 1
    assert [line for line in err.splitlines() if "cannot write" in line] == [
        f"edukit: export: cannot write {out / modules[1].id}-handout.{fmt}: Is a directory"]
    assert len(list(out.glob(f"*.{fmt}"))) == len(modules)  # the others and the folder
