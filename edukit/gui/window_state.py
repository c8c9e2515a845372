"""Where the reader left off: open the viewer as it was closed (module, section, view, zoom, theme,
window size, panes, filters) and keep the recent-modules menu. State is saved atomically on close."""
from __future__ import annotations

import sys

from PySide6.QtCore import QByteArray, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from ..core.escape import terminal_text
from ..core.library import Library
from ..core.render_cache import RenderCache
from ..core.settings import UiState, load_ui_state, save_ui_state
from .geometry import opens_maximised, screen_size
from .main_window import MainWindow
from .session import Session
from .settings_store import SettingsStore


def open_viewer(library: Library, module: str | None = None) -> MainWindow:
    """The main window as the user left it, showing `module` or else the last one read.

    Raises LookupError when `module` names no module."""
    settings, ui = SettingsStore.load(), load_ui_state()  # the only reads of the settings
    session = Session(library, settings.school, settings=settings,
                      kept=RenderCache.default())  # the lesson paints from the last run's render
    session.view = ui.view if ui.view in ("lesson", "guide") else "lesson"
    target, section = start_place(library, ui, module)
    first = (session.find(target) or library.resolve(target)) if target else None
    if first is not None:
        session.remember(first)  # a lesson opened by path is served by id
    window = MainWindow(session, opening=(first.id, section) if first is not None else None)
    restore(window, ui)
    window.closing.connect(lambda: save_on_close(window, ui))
    if opens_maximised(ui.window_geometry, screen_size(window)):
        window.showMaximized()
    else:
        window.show()
    if target:
        session.open(target, section)
    return window


def start_place(library: Library, ui: UiState, requested: str | None) -> tuple[str | None, str]:
    if requested:
        return requested, ui.last_section if requested == ui.last_module else ""
    if ui.last_module and library.get(ui.last_module) is not None:
        return ui.last_module, ui.last_section
    return next((m.id for m in library.modules), None), ""


def restore(window: MainWindow, ui: UiState) -> None:
    if ui.splitter:
        window.splitter.restoreState(QByteArray.fromBase64(ui.splitter.encode("ascii")))
    window.actions["view.library"].setChecked(ui.library_visible)
    window.actions["view.contents"].setChecked(ui.contents_visible)
    window.library_pane.set_filters({k: v for k, v in ui.filters.items() if isinstance(v, str)})
    RecentMenu(window, ui)
    if ui.window_geometry:  # last: hiding a pane before the window shows would shrink it
        window.restoreGeometry(QByteArray.fromBase64(ui.window_geometry.encode("ascii")))


def capture(window: MainWindow, ui: UiState) -> UiState:
    """The window's state now, for saving (`ui` as read at start, with the recent modules)."""
    session = window.session
    if session.module is not None:
        ui.last_module, ui.last_section = session.module.id, session.section
    ui.view = session.view
    ui.window_geometry = bytes(window.saveGeometry().toBase64()).decode("ascii")
    ui.splitter = bytes(window.splitter.saveState().toBase64()).decode("ascii")
    ui.library_visible = window.actions["view.library"].isChecked()
    ui.contents_visible = window.actions["view.contents"].isChecked()
    ui.filters = window.library_pane.filters()
    return ui


def save_state(window: MainWindow, ui: UiState) -> None:
    """Where the reader was, and the zoom (the one preference changed without a menu); the
    preferences file is written only if the zoom changed."""
    save_ui_state(capture(window, ui))
    window.session.settings.update(zoom=float(window.lesson.zoom))


def save_on_close(window: MainWindow, ui: UiState) -> None:
    """Remember where the reader was; a failed save is one line on stderr, never a crash."""
    try:
        save_state(window, ui)
    except OSError as exc:
        print(terminal_text(f"edukit: could not save the window state: {exc}"), file=sys.stderr)


class RecentMenu(QObject):
    """File > Open recent: the last modules read, newest first (a child of the window)."""

    def __init__(self, window: MainWindow, ui: UiState):
        super().__init__(window)
        self.window, self.ui = window, ui
        file_menu = window.menus.get("&File")
        self.menu = QMenu("Open recen&t", window)  # R is Restore's
        self.menu.setObjectName("recent-menu")
        if file_menu is not None:
            first = file_menu.actions()[1] if len(file_menu.actions()) > 1 else None
            file_menu.insertMenu(first, self.menu)
        window.session.moduleChanged.connect(self.visited)
        self.menu.aboutToShow.connect(self.fill)
        self.fill()

    def visited(self, module_id: str) -> None:
        module = self.window.session.module
        if module is not None and module.origin != "file":
            self.ui.visited(module_id)

    def open(self, module_id: str) -> None:
        self.window.session.open(module_id)

    def fill(self) -> None:
        self.menu.clear()
        session = self.window.session
        for module_id in self.ui.recent:
            module = session.find(module_id)
            if module is None:
                continue
            action = QAction(module.meta.title, self.menu)
            action.setData(module_id)
            action.triggered.connect(lambda _=False, m=module_id: self.open(m))
            self.menu.addAction(action)
        self.menu.setEnabled(bool(self.menu.actions()))
