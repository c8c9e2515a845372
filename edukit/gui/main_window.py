"""The main window: search and library, the lesson, its contents; menus from the action table."""
from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QActionGroup
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ..core.region import school_region_problem
from ..core.typography import LINE_SPACINGS
from .geometry import fit_to_screen
from .lesson_view import LessonView, ProblemCheck
from .palette import apply_theme
from .plain_text import message_box, plain_label, tooltip_text, window_title
from .session import Session
from .settings_store import SCHOOL, every_setting

if TYPE_CHECKING:
    from PySide6.QtCore import QEvent

    from ..core.search import Hit, SearchIndex
    from .find_bar import FindBar

FONT_ACTIONS = {"settings.font_default": "default", "settings.font_legible": "legible",
                "settings.font_dyslexic": "dyslexic", "settings.font_system": "system"}
SPACING_ACTIONS = {f"settings.spacing_{s}": s for s in LINE_SPACINGS}
# After the first paint, the start-up work waits this long (MainWindow.first_painted).
AFTER_PAINT_MS = 50
THEME_ACTIONS = {"view.theme_light": "light", "view.theme_dark": "dark",
                 "view.theme_contrast": "contrast"}


class MainWindow(QMainWindow):
    closing = Signal()  # the window is closing: its state can still be read
    firstPainted = Signal()  # the first lesson is on screen: deferred start-up work runs now

    def __init__(self, session: Session, index: SearchIndex | None = None,
                 opening: tuple[str, str] | None = None):
        """`opening` (module id, section): the page the window opens with, loaded first, while
        the rest of the window is built (edukit.gui.window_state.open_viewer)."""
        super().__init__()
        self.session = session
        self.setWindowTitle("edukit")
        fit_to_screen(self, 1200, 800)
        self.lesson = LessonView(session, self)
        if opening is not None:
            self.lesson.preload(opening[0], session.view, opening[1])
        # The panes' modules (and the Qt classes they touch, ~0.05 s) load only now, while
        # Chromium starts its renderer for the page already on its way.
        from .accessible import name_helper_widgets
        from .actions import ActionCollection
        from .library_pane import LibraryPane
        from .module_watcher import ModuleWatcher
        from .search_box import SearchBox
        from .toc_pane import TocPane
        from .zoom_indicator import ZoomIndicator

        self.view, self.page, self.profile = self.lesson.view, self.lesson.page, self.lesson.profile
        self.banner = self.lesson.banner
        self.page.externalLinkClicked.connect(self.confirm_external_link)
        self.search_box = SearchBox(index, self)  # the index opens after the first paint
        # Opening at a lesson, the library's items are made once it is painted (after_first_paint).
        self.library_pane = LibraryPane(session, filled=opening is None)
        self.toc_pane = TocPane(session)
        self.pending_words: list[str] = []  # search words to mark in the next page shown
        self.shows = None  # starts shows (edukit.gui.presentation.launch), made on first F5

        left = QWidget(self)
        layout = QVBoxLayout(left)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.search_box)
        layout.addWidget(self.library_pane, 1)
        self.left_pane = left
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("panes")
        for pane in (left, self.lesson, self.toc_pane):
            self.splitter.addWidget(pane)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([320, 700, 220])
        self.setCentralWidget(self.splitter)
        self.set_tab_order(page_widget=False)  # Chromium's widget: after the first paint
        self.filtered_proxy: QWidget | None = None  # Chromium's widget, once filtered

        self.actions = ActionCollection(self)
        self.menus = self.actions.build_menus(self)
        self.actions.build_toolbar(self)
        self.connect_actions()
        self.zoom_indicator = ZoomIndicator(self.actions["view.zoom_reset"], self.lesson.zoom, self)
        self.statusBar().addPermanentWidget(self.zoom_indicator)
        name_helper_widgets(self)
        self.lesson.zoomChanged.connect(self.zoom_indicator.show_zoom)
        self.region_warning = plain_label(parent=self)
        self.region_warning.setObjectName("region-warning")
        # a narrow window cuts the sentence (the tooltip has it whole) rather than widening
        self.region_warning.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.statusBar().addWidget(self.region_warning, 1)
        self.watcher = ModuleWatcher(session, self)
        self.follow_session()
        session.schoolChanged.connect(self.show_current)
        self.settings = session.settings
        self.lesson.set_zoom(self.settings.preferences.zoom)
        self.settings.changed.connect(self.follow_settings)
        self.follow_settings(every_setting())
        session.libraryChanged.connect(self.show_region_warning)  # a pack added or removed
        self.recolour(session.theme)
        session.themeChanged.connect(self.recolour)

    def connect_actions(self) -> None:
        a = self.actions
        a["view.library"].setChecked(True)
        a["view.contents"].setChecked(True)
        a.connect("file.open", self.open_file)
        a.connect("file.print", self.print_preview)
        a.connect("file.import", self.import_lessons)
        a.connect("file.restore", self.restore_lessons)
        a.connect("file.publish", self.publish_website)
        a.connect("settings.school", self.edit_school_details)
        a.connect("settings.trust", self.edit_trusted_publishers)
        a.connect("file.quit", QApplication.instance().quit)
        a.connect("view.guide", lambda on: self.session.set_view("guide" if on else "lesson"))
        a.connect("view.library", self.left_pane.setVisible)
        a.connect("view.contents", self.toc_pane.setVisible)
        a.connect("view.zoom_in", lambda: self.lesson.step_zoom(+1))
        a.connect("view.zoom_out", lambda: self.lesson.step_zoom(-1))
        a.connect("view.zoom_reset", lambda: self.lesson.set_zoom(1.0))
        a.connect("edit.find", lambda: self.find_bar.open())  # the bar is made on first use
        a.connect("edit.find_next", lambda: self.find_bar.next())
        a.connect("edit.find_previous", lambda: self.find_bar.previous())
        a.connect("go.back", self.session.back)
        a.connect("go.forward", self.session.forward)
        a.connect("go.search", self.show_search)
        themes = QActionGroup(self)
        for action_id, theme in THEME_ACTIONS.items():
            themes.addAction(a[action_id])
            a[action_id].setChecked(theme == self.session.theme)
            a.connect(action_id, lambda on, t=theme: self.choose_theme(t, on))
        fonts = QActionGroup(self)
        for action_id, font in FONT_ACTIONS.items():
            fonts.addAction(a[action_id])
            a[action_id].setChecked(font == self.session.reading_font)
            a.connect(action_id, lambda on, f=font: self.choose_font(f, on))
        spacings = QActionGroup(self)
        for action_id, spacing in SPACING_ACTIONS.items():
            spacings.addAction(a[action_id])
            a[action_id].setChecked(spacing == self.session.line_spacing)
            a.connect(action_id, lambda on, s=spacing: self.choose_spacing(s, on))
        a.connect("present.start", lambda: self.present(from_current=False))
        a.connect("present.current", lambda: self.present(from_current=True))
        a.connect("present.slides_theme", self.choose_slides_theme)
        a.connect("help.about", self.about)
        a.connect("help.shortcuts", self.show_shortcuts)
        a.connect("view.next_pane", lambda: self.focus_pane(+1))
        a.connect("view.previous_pane", lambda: self.focus_pane(-1))

    @property
    def find_bar(self) -> FindBar:
        """The lesson's find bar (made on first use: edukit.gui.lesson_view)."""
        return self.lesson.find_bar

    def panes(self) -> list[QWidget]:
        """Where F6 / Shift+F6 take the keyboard, in reading order (the shown ones only)."""
        panes = [self.search_box.edit, self.library_pane.tree, self.view, self.toc_pane]
        return [pane for pane in panes if pane.isVisibleTo(self)]

    def set_tab_order(self, page_widget: bool = True) -> None:
        """Tab goes down the left column, then to the lesson, then to its contents.

        page_widget=False: the view stands for Chromium's widget inside it. While the window is
        built it does not ask for that widget: the first Qt object of a class PySide does not
        wrap costs ~15 ms to hand to Python (PySide then loads every class it had left for
        later), better spent once the window is up and Chromium is busy starting its renderer."""
        inner = self.view.focusProxy() if page_widget else None
        chain = [self.search_box.edit, *self.library_pane.combos.values(), self.library_pane.tree,
                 inner or self.view, self.toc_pane]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def focus_pane(self, step: int) -> None:
        panes = self.panes()
        focus = QApplication.focusWidget()
        here = next((n for n, pane in enumerate(panes)
                     if focus is not None and (focus is pane or pane.isAncestorOf(focus))), -1)
        if panes:  # not a Tab reason: Chromium would move on to the page's first link and scroll
            target = panes[(here + step) % len(panes)] if here >= 0 else panes[0]
            target.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def show_shortcuts(self):
        """Help > Keyboard shortcuts (edukit.gui.help_dialog)."""
        from .help_dialog import show_shortcuts

        return show_shortcuts(self)

    def show_current(self, *_: object) -> None:
        module = self.session.module
        if module is None:
            return
        self.setWindowTitle(window_title(f"{module.meta.title} — edukit"))
        self.actions["view.guide"].setChecked(self.session.view == "guide")
        self.lesson.show_page(module.id, self.session.view, self.session.section, self.pending_words)
        self.pending_words = []
        # Front-matter errors now; the full check (reading level and all) once the page is up.
        self.lesson.show_problems([p for p in module.problems if p.is_error])
        self.validation_pending = True

    @property
    def presentation(self):
        """The running show, if any."""
        return self.shows.presentation if self.shows is not None else None

    def present(self, from_current: bool = False):
        """F5 / Shift+F5: a show of this lesson (edukit.gui.presentation), loaded on first use."""
        from .measure import fit_slides_then
        from .presentation.launch import ShowStarter

        if self.shows is None:
            self.shows = ShowStarter(self.session, self.view, self.profile, self)
            self.closing.connect(self.shows.end_show)
        # Overlong slides continue on new ones: measured once the slides are rendered (a
        # lesson from outside edukit is rendered in the worker; F5 returns at once meanwhile).
        self.shows.start(from_current, prepare=lambda then: fit_slides_then(self.session, then))

    def print_preview(self):
        """Ctrl+P: preview, print or save the current lesson (edukit.gui.print_preview)."""
        from .print_preview import open_print_preview

        return open_print_preview(self.session, self)

    def import_lessons(self) -> None:
        from .import_dialog import import_lessons

        self._import_job = import_lessons(self.session, self)

    def restore_lessons(self):
        """File > Restore a replaced lesson… (edukit.gui.restore_dialog)."""
        from .restore_dialog import restore_lessons

        return restore_lessons(self.session, self)

    def publish_website(self):
        """File > Publish as website… (edukit.gui.publish_dialog)."""
        from .publish_dialog import publish_website

        return publish_website(self.session, self)

    def edit_trusted_publishers(self):
        """Settings > Trusted publishers… (edukit.gui.trust_dialog)."""
        from .trust_dialog import edit_trusted_publishers

        self._trust_dialog = edit_trusted_publishers(self)
        return self._trust_dialog

    def edit_school_details(self):
        """Settings > School details (edukit.gui.settings_dialog)."""
        from .settings_dialog import edit_school_details

        return edit_school_details(self.session, self)

    def follow_session(self) -> None:
        s = self.session
        s.moduleChanged.connect(self.show_current)
        s.viewChanged.connect(self.show_current)
        s.themeChanged.connect(self.show_current)
        s.fontChanged.connect(self.show_current)
        s.spacingChanged.connect(self.show_current)
        s.sectionRequested.connect(self.lesson.jump)
        s.historyChanged.connect(self.update_history_actions)
        self.lesson.sectionSeen.connect(s.note_section)
        self.search_box.chosen.connect(self.open_hit)
        self.search_box.activeChanged.connect(lambda on: self.library_pane.setVisible(not on))
        # The filters sit under the search field and choose among its results too.
        self.search_box.add_below_edit(self.library_pane.filter_bar)
        self.search_box.accepts = self.library_pane.shows
        self.search_box.badge = self.library_pane.badge_for
        self.library_pane.filtersChanged.connect(self.search_box.update_results)
        self.page.loadFinished.connect(self.page_loaded)
        self.update_history_actions()
        self.validation_pending = False
        self.started = False  # True once the first page is painted (firstPainted)
        self.awaiting_paint = False
        self.problem_check = ProblemCheck(self)
        self.problem_check.done.connect(self.show_checked)

    def page_loaded(self, ok: bool) -> None:
        """After a page is up: check the module fully. Nothing the first paint does not need
        runs before it: the first check and the background work wait until it is drawn."""
        if self.started:
            self.follow_page_widget()
            self.check_if_pending()
        elif not self.awaiting_paint:
            self.awaiting_paint = True
            self.lesson.when_painted(self.first_painted)

    def follow_page_widget(self) -> None:
        """Chromium's widget inside the view is new with a page: the mouse's back and forward
        buttons are filtered on it, and Tab order puts it back in its place.

        Deliberately not before the first paint: PySide wraps that widget, of a class it does not
        know, only after making every Qt class it had left for later (~20 ms of the UI thread's
        CPU), while the lesson waits. Until then the view stands for it in the Tab order (the
        keyboard works), and a mouse's back button on the first page has no page to go back to."""
        self.watch_mouse_buttons()
        self.set_tab_order()

    def first_painted(self) -> None:
        self.started = True
        self.firstPainted.emit()
        # The rest waits a moment, bound to this window (dropped if it closes first): the frame
        # just drawn reaches the screen and the first input is answered before the library is
        # filled and the problem check's imports (~0.3 s of CPU on a pool thread) begin.
        QTimer.singleShot(AFTER_PAINT_MS, self, self.after_first_paint)

    def after_first_paint(self) -> None:
        self.follow_page_widget()
        if self.library_pane.waiting:
            self.library_pane.start_filling()
        self.check_if_pending()
        self.start_background_work()

    def check_if_pending(self) -> None:
        if self.validation_pending and self.session.module is not None:
            self.validation_pending = False
            QTimer.singleShot(0, self.check_current_module)

    def check_current_module(self) -> None:
        if self.session.module is not None:
            self.problem_check.start(self.session, self.session.module)

    def show_checked(self, module_id: str, errors: list) -> None:
        if self.session.module is not None and self.session.module.id == module_id:
            self.lesson.show_problems(errors)

    def start_background_work(self) -> None:
        """Things the first paint does not need: the search index, watching files for edits
        (the library was read before the window opened; the index is built off the UI thread)."""
        self.reindex()
        self.session.libraryChanged.connect(self.reindex)  # a slot: dropped when the window goes
        self.watcher.start()

    def reindex(self) -> None:
        self.search_box.indexer.start(self.session.library.modules)

    def recolour(self, theme: str) -> None:
        """The panes, menus and toolbar take the reading theme's colours too."""
        apply_theme(self, theme, tuple(self.menus.values()))

    def choose_theme(self, theme: str, on: bool) -> None:
        if on:
            self.remember(theme=theme)  # the session follows the store; saved now, not on quit

    def choose_font(self, font: str, on: bool) -> None:
        if on:
            self.remember(reading_font=font)

    def choose_spacing(self, spacing: str, on: bool) -> None:
        if on:
            self.remember(line_spacing=spacing)

    def choose_slides_theme(self, on: bool) -> None:
        self.remember(slides_follow_theme=on)

    def remember(self, **changes: object) -> None:
        """A choice from a menu: applied at once; a failed save only loses it on quitting."""
        try:
            self.settings.update(**changes)
        except OSError as exc:
            self.statusBar().showMessage(f"Not kept for next time: {exc.strerror or exc}", 10000)

    def follow_settings(self, names: frozenset[str]) -> None:
        """The menus show the settings in force, however they were changed."""
        prefs = self.settings.preferences
        if "theme" in names:
            self.actions[f"view.theme_{prefs.theme}"].setChecked(True)
        if "reading_font" in names:
            self.actions[f"settings.font_{prefs.reading_font}"].setChecked(True)
        if "line_spacing" in names:
            self.actions[f"settings.spacing_{prefs.line_spacing}"].setChecked(True)
        if "slides_follow_theme" in names:
            self.actions["present.slides_theme"].setChecked(prefs.slides_follow_theme)
        if SCHOOL in names:
            self.show_region_warning()

    def show_region_warning(self) -> None:
        """Say in the status bar, for as long as it holds, that the school's region has no
        helplines installed (and which print instead)."""
        problem = school_region_problem(self.session.library, self.settings.school)
        self.region_warning.setText(problem)
        self.region_warning.setToolTip(tooltip_text(problem))
        self.region_warning.setVisible(bool(problem))

    def update_history_actions(self) -> None:
        self.actions["go.back"].setEnabled(self.session.history.can_go_back)
        self.actions["go.forward"].setEnabled(self.session.history.can_go_forward)

    def show_search(self) -> None:
        self.actions["view.library"].setChecked(True)
        self.search_box.focus()

    def open_hit(self, hit: Hit, words: list[str]) -> None:
        """Open a search result at its section with the search words marked, in the teacher guide
        when only the guide shows them."""
        self.pending_words = words
        view = "guide" if hit.view == "guide" else ""
        self.session.open(hit.module_id, hit.section_id, view=view)  # the same module is shown afresh
        self.lesson.view.setFocus()

    def closeEvent(self, event) -> None:
        """Tell whoever remembers where the reader was (edukit.gui.window_state)."""
        self.closing.emit()
        super().closeEvent(event)

    def watch_mouse_buttons(self) -> None:
        """Chromium's widget inside the view gets the mouse first: filter it for back/forward."""
        proxy = self.view.focusProxy()
        if proxy is not None and proxy is not self.filtered_proxy:
            proxy.installEventFilter(self)
            self.filtered_proxy = proxy

    def mousePressEvent(self, event) -> None:
        if not self.mouse_history(event):
            super().mousePressEvent(event)

    def mouse_history(self, event) -> bool:
        """The mouse's back and forward buttons move through edukit's history."""
        from PySide6.QtCore import QEvent  # here: the first paint need not make its type

        step = {Qt.MouseButton.BackButton: self.session.back,
                Qt.MouseButton.ForwardButton: self.session.forward}.get(event.button())
        if step and event.type() == QEvent.Type.MouseButtonPress:
            step()
        return step is not None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        from PySide6.QtCore import QEvent  # (as in mouse_history)

        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease) \
                and self.mouse_history(event):
            return True  # Chromium must not walk its own page history
        if event.type() == QEvent.Type.Wheel and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            # Ctrl+wheel zooms in edukit's steps, so the indicator and the saved zoom follow
            self.lesson.step_zoom(1 if event.angleDelta().y() > 0 else -1)
            return True
        return super().eventFilter(watched, event)

    # Dialogs' Qt classes are imported where they are used: making their Python types is work
    # the first paint need not wait for (issue 17).
    def open_file(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(self, "Open lesson", str(Path.home()),
                                              "Markdown lessons (*.md *.markdown)")
        if path:
            self.session.open(path)

    def confirm_external_link(self, url: QUrl) -> None:
        """Web links never open inside edukit: ask, then hand them to the system browser."""
        from PySide6.QtGui import QDesktopServices
        from PySide6.QtWidgets import QMessageBox

        box = message_box(QMessageBox.Icon.Question, "Open web link?",
                          f"This link goes to the internet:\n\n{url.toString()}\n\n"
                          "Open it in your web browser?", parent=self)
        open_button = box.addButton("Open in browser", QMessageBox.ButtonRole.AcceptRole)
        copy_button = box.addButton("Copy link", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is open_button:
            QDesktopServices.openUrl(url)
        elif box.clickedButton() is copy_button:
            QApplication.clipboard().setText(url.toString())

    def about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(self, "About edukit",
                          "edukit — offline lessons on children's online safety.\n"
                          "It never connects to the internet.")
