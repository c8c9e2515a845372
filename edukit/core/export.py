"""Export modules to files: HTML and decks here; PDF by a function the caller hands in (the CLI
gives edukit.gui.headless.export_pdfs: the core never imports the GUI)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .atomic import write_atomic
from .library import Library
from .model import Module, School
from .options import HTML_KINDS, PrintOptions
from .region import render_context

Progress = Callable[[int, int, str], None]  # (done, total, module id)


@dataclass(frozen=True)
class ExportOptions:
    """The print options (edukit.core.options; kind may also be "pptx", a deck), and what kind
    of file to write and whether to replace one."""

    page: PrintOptions = field(default_factory=PrintOptions)
    format: str = "pdf"
    overwrite: bool = False  # replace files already at the output paths
    font: str = "default"  # HTML: the reading font (core/typography.py READING_FONTS)
    spacing: str = "normal"  # HTML: the line spacing (core/typography.py LINE_SPACINGS)

    @property
    def kind(self) -> str:  # one of edukit.core.options.EXPORT_KINDS
        return self.page.kind

    @property
    def suffix(self) -> str:
        """The file type written: a deck is always .pptx, whatever --format says."""
        return "pptx" if self.kind == "pptx" else self.format


# (library, school, modules, options, one output path per module, progress) -> the paths written
PdfExport = Callable[[Library, School, list[Module], ExportOptions, list[Path], Progress | None],
                     list[Path]]


class ExportIncomplete(Exception):
    """Some modules could not be exported; every other one was written. `problems` holds one
    plain line per module that failed, `written` the files made."""

    def __init__(self, written: list[Path], problems: list[str]):
        super().__init__(problems[0] if problems else "export incomplete")
        self.written, self.problems = written, problems


def output_paths(modules: list[Module], options: ExportOptions, out: Path) -> list[Path]:
    """One module: OUT is the file. Several: OUT is a folder of <id>-<kind>.<format>.
    Nothing is written if any of them already exists (unless options.overwrite): OUT may be a
    teacher's own file. FileExistsError / NotADirectoryError say which."""
    if len(modules) == 1 and not out.is_dir():
        paths = [out]
    elif out.exists() and not out.is_dir():
        raise NotADirectoryError(f"{out} is a file; for several modules -o names a folder")
    else:
        names = file_names(modules)
        paths = [out / f"{name}-{options.kind}.{options.suffix}" for name in names]
    taken = [p for p in paths if p.exists() or p.is_symlink()]
    if taken and not options.overwrite:
        more = f" (and {len(taken) - 1} more)" if len(taken) > 1 else ""
        raise FileExistsError(f"{taken[0]} already exists{more}; nothing was written "
                              "(give --overwrite to replace it)")
    if paths != [out]:
        out.mkdir(parents=True, exist_ok=True)
    return paths


def file_names(modules: list[Module]) -> list[str]:
    """What each module's exported file is called: its id; for a file opened by path, whose id
    carries a digest of its path, the id it declares, unless two files in this export would
    then share a name."""
    short = [m.meta.id.rsplit("-file-", 1)[0] if m.origin == "file" else m.id for m in modules]
    return [s if short.count(s) == 1 else m.id for s, m in zip(short, modules)]


def export_html(library: Library, school: School, module: Module, options: ExportOptions) -> bytes:
    # The renderer loads here, not with this module: a PDF is rendered by the page server
    # (edukit.gui), which may have the page kept from an earlier run and render nothing.
    from .leaflet import render_leaflet
    from .pages import inline_images, page_html
    from .render import render
    from .resources import (
        render_certificates,
        render_lesson_letter,
        render_lesson_plan,
        render_register,
    )
    from .serving import own_folder
    from .typography import unfitted_type

    view = options.kind
    if view not in HTML_KINDS:
        raise ValueError(f"--as {options.kind} is only available as PDF (use --format pdf)")
    ctx = render_context(library, module, school)
    if view == "parents":
        rendered = render_leaflet(module, ctx)
    elif view == "plan":
        rendered = render_lesson_plan(module, ctx, library.topic_labels)
    elif view == "register":
        rendered = render_register(module, ctx)
    elif view == "certificate":
        rendered = render_certificates(module, ctx, options.page.names)
    elif view == "letter":
        rendered = render_lesson_letter(module, ctx)
    else:
        rendered = render(module, view, ctx)
    page = page_html(rendered, extra_class=f"paper-{options.page.paper}",
                     **unfitted_type(view, options.font, options.spacing))
    return inline_images(page, own_folder(module.path)).encode("utf-8")


def export_modules(
    library: Library,
    modules: list[Module],
    options: ExportOptions,
    out: Path,
    school: School,
    progress: Progress | None = None,
    make_pdfs: PdfExport | None = None,
) -> list[Path]:
    """Write each module as options say, for this school (its details, the helplines of its
    region: edukit.core.region); PDFs through `make_pdfs` (ValueError if none given)."""
    paths = output_paths(modules, options, out)
    if options.kind == "pptx":
        return write_each(modules, paths, progress, lambda m: export_pptx(library, school, m),
                          options.overwrite)
    if options.format == "pdf":
        if make_pdfs is None:
            raise ValueError("PDFs need a PDF maker (edukit.gui.headless.export_pdfs)")
        return make_pdfs(library, school, modules, options, paths, progress)
    return write_each(modules, paths, progress, lambda m: export_html(library, school, m, options),
                      options.overwrite)


def export_pptx(library: Library, school: School, module: Module) -> bytes:
    from .pptx_export import pptx_bytes  # python-pptx is loaded only when a deck is asked for

    return pptx_bytes(module, render_context(library, module, school))


def write_each(modules: list[Module], paths: list[Path], progress,
               make: Callable[[Module], bytes], overwrite: bool):
    """Write each module in turn; one that fails is named (ExportIncomplete at the end) and
    the rest are still written."""
    written, problems = [], []
    for n, (module, path) in enumerate(zip(modules, paths), 1):
        try:
            write_atomic(path, make(module), overwrite=overwrite)
        except OSError as exc:
            problems.append(f"cannot write {path}: {exc.strerror or exc}")
            continue
        written.append(path)
        if progress:
            progress(n, len(modules), module.id)
    if problems:
        raise ExportIncomplete(written, problems)
    return written
