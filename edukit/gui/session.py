"""The session: which module and view are current, and the rendered pages for them.

Widgets do not call each other; they call the session and follow its signals. Bundled lessons
render here; all others render in the worker process with a time limit (edukit.gui.render_worker).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from ..core.library import Library
from ..core.model import Module, Problem, School
from ..core.pages import page_html
from ..core.printing import PrintOptions, options_from_query, print_page
from ..core.provenance import library_routes_source
from ..core.render import VIEWS, RenderContext, Rendered, render
from ..core.render_service import PrintRequest, ViewRequest
from ..core.serving import own_folder
from .render_worker import RENDER_TIME_LIMIT, Outcome, RenderWorker, failure_rendered
from .webview import Later

APP_CSS_BASE = "edukit://app/resources/css/"


def is_trusted(module: Module) -> bool:
    """Lessons that came with the app render in-process; anything else may be hostile."""
    return module.origin == "bundled"


def ignore(_: object) -> None:
    pass


@dataclass
class Waiting:
    """A view being rendered in the worker, and who wants it."""

    callbacks: list[Callable[[Rendered], None]]
    ticket: int = 0


class Session(QObject):
    moduleChanged = Signal(str)  # module id
    viewChanged = Signal(str)  # "lesson" | "guide"
    libraryChanged = Signal()
    slideChanged = Signal(int)  # index of the current slide (0-based) while presenting
    sectionChanged = Signal(str)  # the section now current (the contents pane follows it)
    sectionRequested = Signal(str)  # show this section of the current page (a jump, not a scroll)
    historyChanged = Signal()  # back/forward became possible or not
    themeChanged = Signal(str)  # "light" | "dark" | "contrast"
    schoolChanged = Signal()  # school details were edited: pages that show them are redrawn
    renderReady = Signal(str, str)  # module id, view: rendered in the worker, now at hand

    def __init__(self, library: Library, school: School, theme: str = "light",
                 parent: QObject | None = None, render_time_limit: float = RENDER_TIME_LIMIT):
        super().__init__(parent)
        self.library, self.school, self.theme = library, school, theme
        self.slides_follow_theme = False  # projectors usually want light slides
        self.module: Module | None = None
        self.view = "lesson"
        self.slide = 0  # the current slide of the current module
        self.section = ""  # id of the current section of the current module ("" = the top)
        self.history = History()
        self._files: dict[str, Module] = {}  # modules opened by path, by id
        self._cache: dict[tuple, Rendered] = {}
        self.render_time_limit = render_time_limit
        self.worker: RenderWorker | None = None  # started on first need: bundled lessons never do
        self._waiting: dict[tuple, Waiting] = {}
        self._overran: set[tuple] = set()  # lessons (as in render_key[:3]) that took too long

    def set_school(self, school: School) -> None:
        """New school details: forget pages rendered with the old ones and tell the views."""
        if school != self.school:
            self.school = school
            self._cache.clear()
            self.schoolChanged.emit()

    def find(self, module_id: str) -> Module | None:
        return self._files.get(module_id) or self.library.get(module_id)

    def remember(self, module: Module) -> None:
        """Make a module opened by path reachable by id (for the scheme handler)."""
        if self.library.get(module.id) is not module:
            self._files[module.id] = module

    def open(self, ref: str, section: str = "", record: bool = True, view: str = "") -> Module:
        """Make a module current (at a section, in a view if given), by id or path; LookupError
        if there is none."""
        module = self.find(ref) or self.library.resolve(ref)
        self.remember(module)
        self.module = module
        self.view = view or self.view  # no viewChanged: moduleChanged redraws it all
        self.slide = 0
        self.section = section
        if record:
            self.history.push(Place(module.id, section))
            self.historyChanged.emit()
        self.moduleChanged.emit(module.id)
        return module

    def go_to_section(self, section: str) -> None:
        """Jump to a section of the current module, remembered in the history."""
        if self.module is None:
            return
        self.history.push(Place(self.module.id, section))
        self.historyChanged.emit()
        self.show_section(section)

    def show_section(self, section: str) -> None:
        self.section = section
        self.sectionRequested.emit(section)
        self.sectionChanged.emit(section)

    def note_section(self, section: str) -> None:
        """The reader scrolled to a section: follow it without a new history entry."""
        if self.module is not None and section != self.section:
            self.section = section
            self.history.update(Place(self.module.id, section))
            self.sectionChanged.emit(section)

    def back(self) -> None:
        self.go_to(self.history.back())

    def forward(self) -> None:
        self.go_to(self.history.forward())

    def go_to(self, place: Place | None) -> None:
        if place is None:
            return
        self.historyChanged.emit()
        if self.module is not None and place.module_id == self.module.id:
            self.show_section(place.section)
        elif self.find(place.module_id) is not None:
            self.open(place.module_id, place.section, record=False)

    def set_theme(self, theme: str) -> None:
        if theme != self.theme:
            self.theme = theme
            self.themeChanged.emit(theme)

    def reload(self) -> bool:
        """Re-read the library and the current module from disk; True if the module changed."""
        self.library.refresh()
        self.libraryChanged.emit()
        old = self.module
        if old is None:
            return False
        try:
            fresh = (self.library.resolve(str(old.path)) if old.origin == "file"
                     else self.library.get(old.id))
        except LookupError:  # the file was deleted or moved away: keep what was read
            return False
        if fresh is None or fresh is old:
            return False
        self.remember(fresh)
        self.module = fresh
        self.moduleChanged.emit(fresh.id)
        return True

    def set_view(self, view: str) -> None:
        if view != self.view:
            self.view = view
            self.viewChanged.emit(view)

    def set_slide(self, index: int) -> None:
        """Make slide `index` current (clamped to the current module's slides)."""
        count = len(self.rendered(self.module, "slides").slides) if self.module else 0
        index = max(0, min(index, count - 1))
        if index != self.slide:
            self.slide = index
            self.slideChanged.emit(index)

    def context(self, module: Module) -> RenderContext:
        region = module.meta.region
        routes = self.library.routes(region)
        return RenderContext(self.school, routes,
                             library_routes_source(self.library, routes, region))

    def render_key(self, module: Module, view: str) -> tuple:
        return (module.path, module.body_line, hash(module.body), view, self.school)

    def render_worker(self) -> RenderWorker:
        if self.worker is None:
            self.worker = RenderWorker(self.render_time_limit, self)
        return self.worker

    def rendered(self, module: Module, view: str) -> Rendered:
        """A view of a module, now. Other than bundled lessons this waits for the worker (at
        most its time limit): callers that can take the answer later use when_rendered."""
        key = self.render_key(module, view)
        if key in self._cache:
            return self._cache[key]
        if is_trusted(module):
            self._cache[key] = render(module, view, self.context(module))
            return self._cache[key]
        box: list[Rendered] = []
        self.when_rendered(module, view, box.append)
        if not box:
            self.render_worker().wait(self._waiting[key].ticket)
        return box[0]

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
        elif key[:3] in self._overran:  # one view took too long: the others would too
            self._arrived(key, module, view, Outcome(kind="timeout"))
            done(self._cache[key])
        else:
            waiting = self._waiting[key] = Waiting([done])
            waiting.ticket = self.render_worker().submit(
                ViewRequest(module, view, self.context(module)),
                lambda outcome: self._arrived(key, module, view, outcome))

    def _arrived(self, key: tuple, module: Module, view: str, outcome: Outcome) -> None:
        waiting = self._waiting.pop(key, None)
        result = outcome.value if outcome.ok else failure_rendered(module, view, outcome)
        if outcome.kind == "timeout":
            self._overran.add(key[:3])
        if outcome.lasting:
            self._cache[key] = result
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
            return self.print_page(module, options_from_query(query))
        if view not in VIEWS:
            return None
        if is_trusted(module):
            return self.page_bytes(self.rendered(module, view))
        return Later(lambda reply: self.when_rendered(
            module, view, lambda rendered: reply(self.page_bytes(rendered))),
            lambda: self.page_bytes(self.rendered(module, view)))

    def page_bytes(self, rendered: Rendered) -> bytes:
        return page_html(rendered, theme=self.page_theme(rendered.view),
                         css_base=APP_CSS_BASE).encode("utf-8")

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
        if is_trusted(module):
            return print_page(module, ctx, options, css_base=APP_CSS_BASE).encode("utf-8")
        if self.overran(module):
            return None
        request = PrintRequest(module, ctx, options, APP_CSS_BASE)

        def arrived(outcome: Outcome, reply: Callable[[bytes | None], None]) -> None:
            if outcome.kind == "timeout":
                self._overran.add(self.render_key(module, "")[:3])
            reply(outcome.value.encode("utf-8") if outcome.ok else None)

        def start(reply: Callable[[bytes | None], None]) -> int:
            return self.render_worker().submit(request, lambda outcome: arrived(outcome, reply))

        def now() -> bytes | None:
            box: list[bytes | None] = []
            self.render_worker().wait(start(box.append))
            return box[0]
        return Later(start, now)

    def folder(self, module_id: str) -> Path | None:
        """The module's own folder for the scheme handler; None for a single-file lesson, whose
        folder (Downloads, Documents) is not the lesson's to show."""
        module = self.find(module_id)
        return own_folder(module.path) if module else None

    def problems(self, module: Module) -> list[Problem]:
        from ..core.validate import validate_module

        # The window shows errors, and warnings about helplines (a number not in the route
        # directory, a route file edukit did not ship): never the reading level (textstat).
        found = self.library.route_warnings([module.meta.region])
        found += validate_module(module, self.library, reading_level=False)
        return [p for p in found if p.is_error or p.helpline]


@dataclass(frozen=True)
class Place:
    """A point in the reading history: a module and a section of it."""

    module_id: str
    section: str = ""


class History:
    """Back/forward across modules and sections, like a browser's."""

    def __init__(self, limit: int = 200):
        self.places: list[Place] = []
        self.index = -1
        self.limit = limit

    def push(self, place: Place) -> None:
        if self.places and self.places[self.index] == place:
            return
        self.places = self.places[: self.index + 1] + [place]
        self.places = self.places[-self.limit:]
        self.index = len(self.places) - 1

    def update(self, place: Place) -> None:
        """Replace the current place (the reader scrolled within it)."""
        if self.index >= 0:
            self.places[self.index] = place

    def back(self) -> Place | None:
        if self.index <= 0:
            return None
        self.index -= 1
        return self.places[self.index]

    def forward(self) -> Place | None:
        if self.index >= len(self.places) - 1:
            return None
        self.index += 1
        return self.places[self.index]

    @property
    def can_go_back(self) -> bool:
        return self.index > 0

    @property
    def can_go_forward(self) -> bool:
        return self.index < len(self.places) - 1
