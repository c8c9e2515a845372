"""The session: which module and view are current, and the rendered pages for them.

Widgets do not call each other; they call the session and follow its signals.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from ..core.library import Library
from ..core.model import Module, Problem, School
from ..core.pages import page_html
from ..core.printing import print_page
from ..core.render import RenderContext, Rendered, render

APP_CSS_BASE = "edukit://app/resources/css/"


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

    def __init__(self, library: Library, school: School, theme: str = "light",
                 parent: QObject | None = None):
        super().__init__(parent)
        self.library, self.school, self.theme = library, school, theme
        self.module: Module | None = None
        self.view = "lesson"
        self.slide = 0  # the current slide of the current module
        self.section = ""  # id of the current section of the current module ("" = the top)
        self.history = History()
        self._files: dict[str, Module] = {}  # modules opened by path, by id
        self._cache: dict[tuple, Rendered] = {}

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

    def open(self, ref: str, section: str = "", record: bool = True) -> Module:
        """Make a module current (at a section), by id or path; LookupError if there is none."""
        module = self.find(ref) or self.library.resolve(ref)
        self.remember(module)
        self.module = module
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
        fresh = (self.library.resolve(str(old.path)) if old.origin == "file"
                 else self.library.get(old.id))
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

    def rendered(self, module: Module, view: str) -> Rendered:
        key = (module.path, module.body_line, hash(module.body), view, self.school)
        if key not in self._cache:
            ctx = RenderContext(self.school, self.library.routes(module.meta.region))
            self._cache[key] = render(module, view, ctx)
        return self._cache[key]

    def page(self, module_id: str, view: str, query: dict[str, str]) -> bytes | None:
        """Full HTML for the scheme handler; None if the module or view is unknown."""
        module = self.find(module_id)
        if module is None:
            return None
        if view == "print":
            from .pdf import options_from_query

            options = options_from_query(query)
            ctx = RenderContext(self.school, self.library.routes(module.meta.region))
            return print_page(module, ctx, options, css_base=APP_CSS_BASE).encode("utf-8")
        if view not in ("lesson", "guide", "handout", "slides"):
            return None
        return page_html(self.rendered(module, view), theme=self.theme,
                         css_base=APP_CSS_BASE).encode("utf-8")

    def folder(self, module_id: str) -> Path | None:
        module = self.find(module_id)
        return module.folder if module else None

    def problems(self, module: Module) -> list[Problem]:
        from ..core.validate import validate_module

        return [p for p in validate_module(module, self.library) if p.is_error]


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
