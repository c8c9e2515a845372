"""Qt jobs with no window, for the command line: PDFs (`edukit export`) and the slide-fit check
(`edukit validate`). Each starts the Qt runtime offscreen and serves pages from a PageServer of
its own; the core never imports this module, the CLI hands these functions to it or calls them."""
from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from ..core.atomic import write_atomic
from ..core.export import ExportOptions
from ..core.library import Library
from ..core.model import Module, Problem, School
from ..core.settings import load_preferences
from .measure import SlideMeasurer, module_overflows
from .page_server import PageServer
from .pdf import PdfMaker, in_parallel, parallel_pages
from .runtime import headless_application

Progress = Callable[[int, int, str], None]


def export_pdfs(library: Library, school: School, modules: list[Module], options: ExportOptions,
                paths: list[Path], progress: Progress | None = None) -> list[Path]:
    """The CLI's PDF export: offscreen unless a platform was chosen, one file per module. Several
    modules are laid out on one hidden page per core at once (each page has its own Chromium
    renderer process), so `export --all` uses the whole machine; the first failure stops it."""
    app = headless_application()
    pages = PageServer(library, school)
    prefs = load_preferences()  # PDFs look as the app prints them
    pages.reading_font, pages.line_spacing = prefs.reading_font, prefs.line_spacing
    if options.kind in SLIDE_KINDS:
        report_fits(pages, modules)
    makers = [PdfMaker(pages) for _ in range(parallel_pages(len(modules)))]
    try:
        if len(makers) == 1:
            for n, (module, path) in enumerate(zip(modules, paths), 1):
                write_atomic(path, makers[0].pdf_bytes(module, options.page),
                             overwrite=options.overwrite)
                if progress:
                    progress(n, len(modules), module.id)
        else:
            in_parallel(makers, list(zip(modules, paths)), options.page, options.overwrite,
                        progress)
    finally:
        for maker in makers:
            maker.close()
        app.processEvents()
    return paths


SLIDE_KINDS = ("slides", "notes", "nup")


def report_fits(pages: PageServer, modules: list[Module]) -> None:
    """Fit every module's slides to the screen before printing them (the page server keeps each
    fit, so the PDF shows what the show shows) and say on stderr which slides changed."""
    from ..core.escape import terminal_text
    from .measure import fit_problems

    measurer = SlideMeasurer(pages)
    try:
        for module in modules:
            try:
                fit, base = measurer.fit(module)
            except OSError as exc:
                print(terminal_text(f"{module.path}: could not measure the slides ({exc})"),
                      file=sys.stderr)
                continue
            for problem in fit_problems(module, base, fit):
                print(terminal_text(str(problem)), file=sys.stderr)
    finally:
        measurer.close()


def overflow_problems(library: Library, school: School, modules: list[Module]) -> list[Problem]:
    """A warning for every slide whose content overflows a 1280x720 screen."""
    app = headless_application()
    measurer = SlideMeasurer(PageServer(library, school))
    problems: list[Problem] = []
    try:
        for module in modules:
            problems += module_overflows(measurer, module)
    finally:
        measurer.close()
        app.processEvents()
    return problems
