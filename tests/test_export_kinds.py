"""`edukit export --as KIND` offers a module exactly the kinds its print dialog offers (one rule:
edukit.core.options.export_kinds, built on print_kinds). A kind that does not apply to a named
module is refused in one plain line naming the module and the kinds it does offer, with a
non-zero exit and no file written; `--all` leaves such modules out, says so in one line, and
exports the rest."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from edukit import cli
from edukit.core.library import Library
from edukit.core.options import EXPORT_KINDS, RESOURCE_LABELS, print_kinds

# one bundled module of every resource kind, and a lesson for each audience
MODULES = {
    "letter": "letter-sextortion-alert",
    "flowchart": "dsl-image-incident-flowchart",
    "form": "dsl-incident-record-form",
    "quiz": "quiz-dsl-online-risk",
    "pupils": "sextortion",
    "staff": "staff-responding-to-disclosures-and-image-incidents",
    "parents": "parents-if-something-happens",
}


@pytest.fixture(scope="module")
def library() -> Library:
    return Library.default()


def offered(meta) -> list[str]:
    """The print dialog's kinds for this module, and a PowerPoint deck wherever slides apply."""
    kinds = list(print_kinds(meta.kind, meta.audience))
    return kinds + ["pptx"] if "slides" in kinds else kinds


def refused_cases():
    library = Library.default()
    for what, module_id in MODULES.items():
        meta = library.resolve(module_id).meta
        for kind in EXPORT_KINDS:
            if kind not in offered(meta):
                yield pytest.param(module_id, kind, id=f"{what}-{kind}")


@pytest.fixture(autouse=True)
def fake_pdfs(monkeypatch):
    """PDFs are made by Qt (tests/test_export_pdf.py): here a stand-in writes each file, so
    what the command line asks for, and what it writes, is seen without a browser engine."""
    def make_pdfs(library, school, modules, options, paths, progress, **_):
        for path in paths:
            path.write_bytes(b"%PDF-1.7 stand-in")
        return paths

    monkeypatch.setattr(cli, "export_pdfs", make_pdfs)


def export(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(["export", *args])
    out, err = capsys.readouterr()
    return code, out, err


def left_out_in(err: str) -> list[str]:
    """The module ids named in the one line that says which modules --all left out."""
    lines = [line for line in err.splitlines() if "does not apply" in line]
    assert len(lines) == 1, err
    return lines[0].rsplit(": ", 1)[1].split(", ")


def test_the_rule_is_the_print_dialogs_rule_plus_a_deck_wherever_slides_apply():
    from edukit.core.options import export_kinds

    for module_kind in ("lesson", *RESOURCE_LABELS):
        for audience in ("pupils", "staff", "parents"):
            meta = SimpleNamespace(kind=module_kind, audience=audience)
            assert list(export_kinds(module_kind, audience)) == offered(meta)
    assert list(export_kinds("flowchart", "staff")) == ["handout"]  # prints only as itself
    assert list(export_kinds("quiz", "staff")) == ["handout", "guide"]  # and its answer key


@pytest.mark.parametrize("module_id, kind", list(refused_cases()))
def test_a_kind_that_does_not_apply_is_refused_naming_the_module_and_what_it_offers(
        capsys, tmp_path, library, module_id, kind):
    out = tmp_path / "out.pdf"
    code, stdout, err = export(capsys, module_id, "--as", kind, "-o", str(out))
    assert code != 0 and stdout == ""
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert f"'{module_id}'" in err and f"--as {kind} " in err
    kinds = offered(library.resolve(module_id).meta)
    assert err.split("offers ", 1)[1].startswith(f"--as {kinds[0]}"), err
    for other in kinds:
        assert other in err.split("offers ", 1)[1], err
    assert list(tmp_path.iterdir()) == []  # nothing written


@pytest.mark.parametrize("module_id, kind", [
    ("dsl-image-incident-flowchart", "handout"), ("quiz-dsl-online-risk", "guide"),
    ("sextortion", "pptx"), ("sextortion", "letter"), ("parents-if-something-happens", "parents"),
    ("staff-responding-to-disclosures-and-image-incidents", "register"),
])
def test_a_kind_that_applies_is_written(capsys, tmp_path, module_id, kind):
    out = tmp_path / "out"
    code, stdout, err = export(capsys, module_id, "--as", kind, "-o", str(out))
    assert code == 0, err
    assert stdout.strip() == str(out) and out.stat().st_size > 0


def test_slides_of_a_flowchart_are_refused_by_the_name_it_prints_under(capsys, tmp_path):
    out = tmp_path / "flow.html"
    code, _, err = export(capsys, "dsl-image-incident-flowchart", "--as", "slides",
                          "--format", "html", "-o", str(out))
    assert code == 1 and not out.exists()
    assert err.strip() == ("edukit: export: --as slides does not apply to "
                           "'dsl-image-incident-flowchart' (a flowchart); "
                           "it offers --as handout (Flowchart)")


def test_several_named_modules_write_nothing_if_one_does_not_apply(capsys, tmp_path):
    code, _, err = export(capsys, "sextortion", "letter-sextortion-alert", "--as", "guide",
                          "-o", str(tmp_path / "out"))
    assert code == 1 and "'letter-sextortion-alert' (a letter)" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("kind", ["slides", "register", "guide", "letter", "notes", "pptx"])
def test_all_leaves_out_the_modules_a_kind_does_not_apply_to_and_exports_the_rest(
        capsys, tmp_path, library, kind):
    code, _, err = export(capsys, "--all", "--as", kind, "-o", str(tmp_path))
    assert code == 0, err
    fits = [m.id for m in library.modules if kind in offered(m.meta)]
    left_out = [m.id for m in library.modules if m.id not in fits]
    assert fits and left_out
    suffix = "pptx" if kind == "pptx" else "pdf"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"{module_id}-{kind}.{suffix}" for module_id in fits)
    assert sorted(left_out_in(err)) == sorted(left_out)
