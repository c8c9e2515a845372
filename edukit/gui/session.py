"""The session: which module and view are current, and the rendered pages for them.

Widgets do not call each other; they call the session and follow its signals.
"""
from __future__ import annotations

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
    schoolChanged = Signal()  # school details were edited: pages that show them are redrawn
    slideChanged = Signal(int)  # index of the current slide (0-based) while presenting

    def __init__(self, library: Library, school: School, theme: str = "light",
                 parent: QObject | None = None):
        super().__init__(parent)
        self.library, self.school, self.theme = library, school, theme
        self.module: Module | None = None
        self.view = "lesson"
        self.slide = 0  # the current slide of the current module
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

    def open(self, ref: str) -> Module:
        """Make a module current, by id or path; raises LookupError if there is none."""
        module = self.find(ref) or self.library.resolve(ref)
        self.remember(module)
        self.module = module
        self.slide = 0
        self.moduleChanged.emit(module.id)
        return module

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
