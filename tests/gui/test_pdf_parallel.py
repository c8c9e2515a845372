"""`export --all` lays out several PDFs at once: each file gets its own module's PDF, the files
and their pages are the same as one at a time, and a module that fails is named while every
other one is still written."""
from types import SimpleNamespace

from pypdf import PdfReader
from PySide6.QtCore import QTimer

from edukit import cli
from edukit.core.export import ExportIncomplete, ExportOptions
from edukit.core.library import Library
from edukit.core.model import School
from edukit.core.printing import PrintOptions
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


def jobs(tmp_path, ids):
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


def test_the_command_line_prints_one_line_per_failed_module_and_the_files_it_wrote(
        tmp_path, capsys, monkeypatch, user_dirs):
    def some_fail(library, school, modules, options, paths, progress):
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
