"""The session: which module and view are current, where the reader has been, and the theme.

Widgets do not call each other; they call the session and follow its signals. The pages
themselves come from the session's page server (edukit.gui.page_server).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QObject, Signal

from ..core.history import History, Place
from ..core.library import Library
from ..core.model import Module, Problem, School
from ..core.pages import READING_FONTS
from ..core.region import region_for
from ..core.render_cache import RenderCache
from ..core.rendered import Rendered
from ..core.settings import load_preferences
from ..core.typography import LINE_SPACINGS
from .page_server import PageServer
from .settings_store import SCHOOL, SettingsStore


class Session(QObject):
    moduleChanged = Signal(str)  # module id
    viewChanged = Signal(str)  # "lesson" | "guide"
    libraryChanged = Signal()
    slideChanged = Signal(int)  # index of the current slide (0-based) while presenting
    sectionChanged = Signal(str)  # the section now current (the contents pane follows it)
    sectionRequested = Signal(str)  # show this section of the current page (a jump, not a scroll)
    historyChanged = Signal()  # back/forward became possible or not
    themeChanged = Signal(str)  # "light" | "dark" | "contrast"
    fontChanged = Signal(str)  # the reading font: core/pages.py READING_FONTS
    spacingChanged = Signal(str)  # the line spacing: core/typography.py LINE_SPACINGS
    schoolChanged = Signal()  # school details were edited: pages that show them are redrawn
    renderReady = Signal(str, str)  # module id, view: rendered in the worker, now at hand

    def __init__(self, library: Library, school: School, theme: str | None = None,
                 parent: QObject | None = None, render_time_limit: float | None = None,
                 settings: SettingsStore | None = None, kept: RenderCache | None = None):
        """The app hands in its settings store; without one (tests, scripts) the saved
        preferences (with `theme`, if given) and the school given make one."""
        super().__init__(parent)
        if settings is None:
            prefs = load_preferences()
            settings = SettingsStore(replace(prefs, theme=theme or prefs.theme), school)
        self.settings = settings
        prefs = self.settings.preferences
        # Not a Qt child: a profile's scheme handler may hold the pages past the session.
        self.pages = PageServer(library, self.settings.school, prefs.theme,
                                render_time_limit=render_time_limit, kept=kept)
        self.pages.reading_font = prefs.reading_font
        self.pages.line_spacing = prefs.line_spacing
        self.pages.slides_follow_theme = prefs.slides_follow_theme
        self.pages.renderReady.connect(self.renderReady)
        self.settings.changed.connect(self.follow_settings)
        self.module: Module | None = None
        self.view = "lesson"
        self.slide = 0  # the current slide of the current module
        self.section = ""  # id of the current section of the current module ("" = the top)
        self.history = History()

    def follow_settings(self, names: frozenset[str]) -> None:
        """A setting changed (Settings, a menu, another window): the pages follow it."""
        prefs = self.settings.preferences
        if "theme" in names:
            self.set_theme(prefs.theme)
        if "reading_font" in names:
            self.set_reading_font(prefs.reading_font)
        if "line_spacing" in names:
            self.set_line_spacing(prefs.line_spacing)
        if "slides_follow_theme" in names:
            self.slides_follow_theme = prefs.slides_follow_theme
        if SCHOOL in names:
            self.set_school(self.settings.school)

    @property
    def library(self) -> Library:
        return self.pages.library

    @property
    def school(self) -> School:
        return self.pages.school

    @property
    def theme(self) -> str:
        return self.pages.theme

    @property
    def slides_follow_theme(self) -> bool:
        """Slides in the reading theme (else light: projectors usually want light slides)."""
        return self.pages.slides_follow_theme

    @slides_follow_theme.setter
    def slides_follow_theme(self, on: bool) -> None:
        self.pages.slides_follow_theme = on

    @property
    def reading_font(self) -> str:
        return self.pages.reading_font

    def set_reading_font(self, font: str) -> None:
        """Pages are set in this font from the next one drawn (the open one is drawn again)."""
        if font in READING_FONTS and font != self.reading_font:
            self.pages.set_reading_font(font)
            self.fontChanged.emit(font)

    @property
    def line_spacing(self) -> str:
        return self.pages.line_spacing

    def set_line_spacing(self, spacing: str) -> None:
        """Pages get this line spacing from the next one drawn (the open one is drawn again)."""
        if spacing in LINE_SPACINGS and spacing != self.line_spacing:
            self.pages.set_line_spacing(spacing)
            self.spacingChanged.emit(spacing)

    def set_school(self, school: School) -> None:
        """New school details: forget pages rendered with the old ones and tell the views."""
        if self.pages.set_school(school):
            self.schoolChanged.emit()

    def find(self, module_id: str) -> Module | None:
        return self.pages.find(module_id)

    def remember(self, module: Module) -> None:
        """Make a module opened by path reachable by id (for the scheme handler)."""
        self.pages.remember(module)

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
            self.pages.theme = theme
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

    def set_slide(self, index: int, count: int | None = None) -> None:
        """Make slide `index` current, clamped to `count` slides (by default the current
        module's, if they are at hand: this never waits for the render worker)."""
        if count is None:
            deck = self.ready(self.module, "slides") if self.module else None
            count = len(deck.slides) if deck else index + 1
        index = max(0, min(index, count - 1))
        if index != self.slide:
            self.slide = index
            self.slideChanged.emit(index)

    def rendered(self, module: Module, view: str) -> Rendered:
        """A view of a module, now (see PageServer.rendered)."""
        return self.pages.rendered(module, view)

    def ready(self, module: Module, view: str) -> Rendered | None:
        """A view of a module if it is at hand; else None, and renderReady follows."""
        return self.pages.ready(module, view)

    def when_rendered(self, module: Module, view: str, done: Callable[[Rendered], None]) -> None:
        """done(rendered) now if the view is at hand, else on the UI thread once it is."""
        self.pages.when_rendered(module, view, done)

    def problems(self, module: Module) -> list[Problem]:
        """What the window shows about a module, checked now (see problem_check)."""
        return self.problem_check(module)()

    def problem_check(self, module: Module) -> Callable[[], list[Problem]]:
        """The window's check of a module, to run on any thread: what needs the Library (its
        route warnings, the route directory the school's region picks) is read here, on the UI
        thread; the returned function touches only frozen values, so a library refresh on the
        UI thread cannot race it. The window shows errors, and warnings about helplines (a
        number not in the route directory, a route file edukit did not ship): never the
        reading level (textstat costs ~75 MB)."""
        region = region_for(self.library, module, self.school)
        found = self.library.route_warnings([region])
        routes = self.library.routes(region)

        def check() -> list[Problem]:
            # Loaded here, off the UI thread: the first check comes right after the first
            # paint, and the validator's imports (Python-Markdown and all) take ~0.1 s.
            from ..core.validate import check_module

            problems = found + check_module(module, routes, reading_level=False, region=region)
            return [p for p in problems if p.is_error or p.helpline]
        return check
