"""The pages behind `edukit:` URLs: rendered views and print pages of modules, cached, and for
other than bundled lessons laid out in the worker process with a time limit.

The scheme handler, the print path and the slide measurer ask it for pages; the session holds
one for the window. A command with no window (PDF export, slide checks) makes one of its own.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from ..core.library import Library
from ..core.model import Module, School
from ..core.options import PrintOptions
from ..core.pages import page_html
from ..core.region import render_context
from ..core.render_cache import RenderCache, cache_key, print_key, print_view
from ..core.rendered import VIEWS, RenderContext, Rendered
from ..core.serving import own_folder
from ..core.slide_shape import slides_page_class
from .webview import Later

if TYPE_CHECKING:  # the worker and its protocol load when a lesson first needs them (not
    # a bundled lesson, not at start-up: subprocess, pickle and html.parser cost ~0.02 s)
    from ..core.slide_fit import SlideFit
    from .render_worker import Outcome, RenderWorker

APP_CSS_BASE = "edukit://app/resources/css/"
KEPT_VIEWS = ("lesson", "guide")  # what the window opens with: kept on disk for the next start


def is_trusted(module: Module) -> bool:
    """Lessons that came with the app render in-process; anything else may be hostile."""
    return module.origin == "bundled"


def fit_key(module: Module) -> tuple[Path, int]:
    """A fit holds for one text of one file: an edited lesson is measured again."""
    return (module.path, hash(module.body))


def ignore(_: object) -> None:
    pass


def render(module: Module, view: str, ctx: RenderContext) -> Rendered:
    """edukit.core.render.render, loaded on first use: the renderer, Python-Markdown and the
    sanitiser load after the first paint when it comes from the disk cache."""
    from ..core.render import render as render_view

    return render_view(module, view, ctx)


class LatestRenders:
    """The rendered views at hand, by render key (PageServer.render_key): one for each lesson
    file and view, the latest asked for. A render of an older text of the lesson (edited
    since) or of its slides fitted another way is never asked for again; kept, each save of a
    lesson open in the app, and each round of fitting its slides, added a copy of the views it
    had shown, for as long as the app ran."""

    def __init__(self):
        self._latest: dict[tuple, tuple[tuple, Rendered]] = {}

    @staticmethod
    def slot(key: tuple) -> tuple:
        return key[0], key[3]  # the lesson's file, the view

    def __contains__(self, key: tuple) -> bool:
        return self.get(key) is not None

    def __getitem__(self, key: tuple) -> Rendered:
        rendered = self.get(key)
        if rendered is None:
            raise KeyError(key)
        return rendered

    def get(self, key: tuple) -> Rendered | None:
        latest = self._latest.get(self.slot(key))
        return latest[1] if latest is not None and latest[0] == key else None

    def __setitem__(self, key: tuple, rendered: Rendered) -> None:
        self._latest[self.slot(key)] = (key, rendered)

    def __len__(self) -> int:
        return len(self._latest)

    def clear(self) -> None:
        self._latest.clear()


@dataclass
class Waiting:
    """A view being rendered in the worker, and who wants it."""

    callbacks: list[Callable[[Rendered], None]]
    ticket: int = 0


class PageServer(QObject):
    """Rendered pages of the library's modules (and of files opened by path) for one school,
    in one reading theme."""

    renderReady = Signal(str, str)  # module id, view: rendered in the worker, now at hand

    def __init__(self, library: Library, school: School, theme: str = "light",
                 parent: QObject | None = None, render_time_limit: float | None = None,
                 kept: RenderCache | None = None):
        super().__init__(parent)
        self.library, self.school, self.theme = library, school, theme
        self.kept = kept  # renders kept between runs (the app's; a command keeps none)
        self.slides_follow_theme = False  # projectors usually want light slides
        self.reading_font = "default"  # core/pages.py READING_FONTS; slides default to legible
        self.line_spacing = "normal"  # core/typography.py LINE_SPACINGS
        self._files: dict[str, Module] = {}  # modules opened by path, by id
        self._cache = LatestRenders()
        self.render_time_limit = render_time_limit  # None: the worker's own (RENDER_TIME_LIMIT)
        self.worker: RenderWorker | None = None  # started on first need: bundled lessons never do
        self._waiting: dict[tuple, Waiting] = {}
        self._overran: set[tuple] = set()  # lessons (as in render_key[:3]) that took too long
        # How each lesson's slides fit the screen, by (path, text): edukit.gui.measure.fit_now
        self.fits: dict[tuple[Path, int], SlideFit] = {}
        self.measured: set[tuple[Path, int]] = set()
        self.fitting: tuple[Path, int] | None = None  # the lesson whose slides await measuring
        # Told each print page as it is served: `edukit export` checks its tables' sizes, a
        # PDF maker starts loading the tagging (edukit.gui.pdf)
        self.print_listeners: list[Callable[[Module, PrintOptions, bytes], None]] = []

    def set_school(self, school: School) -> bool:
        """New school details: forget pages rendered with the old ones. True if they changed."""
        if school == self.school:
            return False
        self.school = school
        self._cache.clear()
        return True

    def find(self, module_id: str) -> Module | None:
        return self._files.get(module_id) or self.library.get(module_id)

    def remember(self, module: Module) -> None:
        """Make a module opened by path reachable by id (for the scheme handler)."""
        if self.library.get(module.id) is not module:
            self._files[module.id] = module

    def context(self, module: Module) -> RenderContext:
        return replace(render_context(self.library, module, self.school),
                       fit=self.fits.get(fit_key(module)))

    def render_key(self, module: Module, view: str) -> tuple:
        return (module.path, module.body_line, hash(module.body), view, self.school,
                self.fits.get(fit_key(module)))

    def set_reading_font(self, font: str) -> None:
        """Pages from now on in this font; slides fitted in another are measured again (a wider
        face, such as OpenDyslexic, overflows where the old one fitted)."""
        self.reading_font = font
        self.forget_fits()

    def set_line_spacing(self, spacing: str) -> None:
        """Pages from now on with this line spacing; slides are measured again (lines 2.0
        apart overflow a slide that fitted at 1.38)."""
        self.line_spacing = spacing
        self.forget_fits()

    def forget_fits(self) -> None:
        self.fits.clear()
        self.measured.clear()

    def set_fit(self, module: Module, fit: SlideFit | None) -> None:
        """How this module's slides are cut or shrunk to fit the screen (None: as written)."""
        if fit:
            self.fits[fit_key(module)] = fit
        else:
            self.fits.pop(fit_key(module), None)

    def render_worker(self) -> RenderWorker:
        if self.worker is None:
            from .render_worker import RENDER_TIME_LIMIT, RenderWorker

            limit = RENDER_TIME_LIMIT if self.render_time_limit is None else self.render_time_limit
            self.worker = RenderWorker(limit, self)
        return self.worker

    def rendered(self, module: Module, view: str) -> Rendered:
        """A view of a module, now. Other than bundled lessons this waits for the worker (at
        most its time limit): callers that can take the answer later use when_rendered."""
        key = self.render_key(module, view)
        if key in self._cache:
            return self._cache[key]
        if is_trusted(module):
            self._cache[key] = self.render_or_reuse(module, view)
            return self._cache[key]
        box: list[Rendered] = []
        self.when_rendered(module, view, box.append)
        if not box:
            self.render_worker().wait(self._waiting[key].ticket)
        return box[0]

    def render_or_reuse(self, module: Module, view: str) -> Rendered:
        """Render a bundled lesson here, or take the last run's render of the very same text,
        school and helplines from the disk cache (edukit.core.render_cache)."""
        kept = self.kept_render(module, view)
        if kept is not None:
            return kept
        rendered = render(module, view, self.context(module))
        self.keep(module, view, rendered)
        return rendered

    def disk_key(self, module: Module, view: str) -> str | None:
        if self.kept is None or view not in KEPT_VIEWS:
            return None
        return cache_key(module, view, self.context(module))

    def kept_render(self, module: Module, view: str) -> Rendered | None:
        """The disk cache's render of this view, made on an earlier run (in-process or by the
        worker) from this very text, school and helplines; None if there is none."""
        disk_key = self.disk_key(module, view)
        return self.kept.load(disk_key, module, view) if disk_key else None

    def keep(self, module: Module, view: str, rendered: Rendered) -> None:
        disk_key = self.disk_key(module, view)
        if disk_key:
            self.kept.store(disk_key, rendered)

    def ready(self, module: Module, view: str) -> Rendered | None:
        """A view of a module if it is at hand; else None, and renderReady follows."""
        if is_trusted(module):
            return self.rendered(module, view)
        self.when_rendered(module, view, ignore)
        return self._cache.get(self.render_key(module, view))

    def when_rendered(self, module: Module, view: str, done: Callable[[Rendered], None]) -> None:
        """done(rendered) now if the view is at hand, else on the UI thread once it is."""
        key = self.render_key(module, view)
        if key in self._cache or is_trusted(module):
            done(self.rendered(module, view))
        elif key in self._waiting:
            self._waiting[key].callbacks.append(done)
        elif (kept := self.kept_render(module, view)) is not None:  # no worker needed
            self._cache[key] = kept
            done(kept)
        elif key[:3] in self._overran:  # one view took too long: the others would too
            from .render_worker import Outcome

            self._arrived(key, module, view, Outcome(kind="timeout"))
            done(self._cache[key])
        else:
            from ..core.render_service import ViewRequest

            waiting = self._waiting[key] = Waiting([done])
            waiting.ticket = self.render_worker().submit(
                ViewRequest(module, view, self.context(module)),
                lambda outcome: self._arrived(key, module, view, outcome))

    def _arrived(self, key: tuple, module: Module, view: str, outcome: Outcome) -> None:
        from .render_worker import failure_rendered

        waiting = self._waiting.pop(key, None)
        result = outcome.value if outcome.ok else failure_rendered(module, view, outcome)
        if outcome.kind == "timeout":
            self._overran.add(key[:3])
        if outcome.lasting:
            self._cache[key] = result
        if outcome.ok:
            self.keep(module, view, result)
        for done in waiting.callbacks if waiting else ():
            done(result)
        self.renderReady.emit(module.id, view)

    def page(self, module_id: str, view: str, query: dict[str, str]) -> bytes | Later | None:
        """Full HTML for the scheme handler (Later for a lesson rendered in the worker); None
        if the module or view is unknown."""
        module = self.find(module_id)
        if module is None:
            return None
        if view == "print":
            return self.print_page(module, PrintOptions.from_query(query))
        if view not in VIEWS:
            return None
        if is_trusted(module):
            return self.page_bytes(self.rendered(module, view))
        return Later(lambda reply: self.when_rendered(
            module, view, lambda rendered: reply(self.page_bytes(rendered))),
            lambda: self.page_bytes(self.rendered(module, view)))

    def page_bytes(self, rendered: Rendered) -> bytes:
        module = self.find(rendered.module_id) if rendered.view == "slides" else None
        return page_html(rendered, theme=self.page_theme(rendered.view),
                         extra_class=slides_page_class(module.meta) if module else "",
                         css_base=APP_CSS_BASE, font=self.reading_font,
                         spacing=self.line_spacing).encode("utf-8")

    def page_theme(self, view: str) -> str:
        """The reading theme, except on slides: light unless the teacher asked otherwise."""
        return self.theme if view != "slides" or self.slides_follow_theme else "light"

    def overran(self, module: Module) -> bool:
        """Whether this lesson (as it is now on disk) took too long to render."""
        return self.render_key(module, "")[:3] in self._overran

    def print_page(self, module: Module, options: PrintOptions) -> bytes | Later | None:
        """The print page; for other than bundled lessons laid out in the worker. A lesson that
        overran gets no page (the PDF fails with a message rather than printing a notice)."""
        ctx = self.context(module)
        kept = self.kept_print(module, ctx, options)
        if kept is not None:
            return self.served(module, options, kept)
        if is_trusted(module):
            from ..core.printing import print_page

            html = print_page(module, ctx, options, css_base=APP_CSS_BASE,
                              font=self.reading_font, spacing=self.line_spacing)
            self.keep_print(module, ctx, options, html)
            return self.served(module, options, html.encode("utf-8"))
        if self.overran(module):
            return None
        from ..core.render_service import PrintRequest

        request = PrintRequest(module, ctx, options, APP_CSS_BASE, self.reading_font,
                               self.line_spacing)

        def arrived(outcome: Outcome, reply: Callable[[bytes | None], None]) -> None:
            if outcome.kind == "timeout":
                self._overran.add(self.render_key(module, "")[:3])
            if outcome.ok:
                self.keep_print(module, ctx, options, outcome.value)
            reply(self.served(module, options, outcome.value.encode("utf-8")) if outcome.ok
                  else None)

        def start(reply: Callable[[bytes | None], None]) -> int:
            return self.render_worker().submit(request, lambda outcome: arrived(outcome, reply))

        def now() -> bytes | None:
            box: list[bytes | None] = []
            self.render_worker().wait(start(box.append))
            return box[0]
        return Later(start, now)

    def served(self, module: Module, options: PrintOptions, page: bytes) -> bytes:
        for listener in list(self.print_listeners):
            listener(module, options, page)
        return page

    def print_disk_key(self, module: Module, ctx: RenderContext,
                       options: PrintOptions) -> str | None:
        if self.kept is None:
            return None
        return print_key(module, ctx, options, APP_CSS_BASE, self.reading_font,
                         self.line_spacing)

    def kept_print(self, module: Module, ctx: RenderContext,
                   options: PrintOptions) -> bytes | None:
        """The print page an earlier run made from this very text, school, helplines, options
        and font (edukit.core.render_cache): printed again, nothing is rendered."""
        key = self.print_disk_key(module, ctx, options)
        kept = self.kept.load(key, module, print_view(options)) if key else None
        return kept.html.encode("utf-8") if kept is not None else None

    def keep_print(self, module: Module, ctx: RenderContext, options: PrintOptions,
                   html: str) -> None:
        key = self.print_disk_key(module, ctx, options)
        if key:
            view = print_view(options)
            self.kept.store(key, Rendered(module.id, module.meta.title, view, html))

    def folder(self, module_id: str) -> Path | None:
        """The module's own folder for the scheme handler; None for a single-file lesson, whose
        folder (Downloads, Documents) is not the lesson's to show."""
        module = self.find(module_id)
        return own_folder(module.path) if module else None
