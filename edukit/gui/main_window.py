"""The main window: the library beside the lesson, a problem banner, menus from the action table."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from .actions import ActionCollection
from .library_pane import LibraryPane
from .session import Session
from .webview import LessonPage, locked_profile, module_url

ZOOM_STEPS = (0.5, 0.67, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0)


class MainWindow(QMainWindow):
    def __init__(self, session: Session):
        super().__init__()
        self.session = session
        self.setWindowTitle("edukit")
        self.resize(1200, 800)
        self.view = QWebEngineView(self)  # created before the profile, so deleted before it
        self.profile = locked_profile(session.page, session.folder, self)
        self.view.setObjectName("lesson-view")
        self.page = LessonPage(self.profile, self.view)
        self.view.setPage(self.page)
        self.page.externalLinkClicked.connect(self.confirm_external_link)

        self.banner = QLabel(self)
        self.banner.setObjectName("problem-banner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background:#fff4ce; color:#3b2f00; padding:6px 10px;")
        self.banner.hide()
        self.library_pane = LibraryPane(session)

        right = QWidget(self)
        layout = QVBoxLayout(right)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.view)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.library_pane)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 900])
        self.setCentralWidget(splitter)

        self.actions = ActionCollection(self)
        self.actions.build_menus(self)
        self.actions.build_toolbar(self)
        self.connect_actions()
        session.moduleChanged.connect(self.show_current)
        session.viewChanged.connect(self.show_current)
        session.schoolChanged.connect(self.show_current)

    def connect_actions(self) -> None:
        a = self.actions
        a["view.library"].setChecked(True)
        a.connect("file.open", self.open_file)
        a.connect("file.print", self.print_preview)
        a.connect("settings.school", self.edit_school_details)
        a.connect("file.quit", QApplication.instance().quit)
        a.connect("view.guide", lambda on: self.session.set_view("guide" if on else "lesson"))
        a.connect("view.library", self.library_pane.setVisible)
        a.connect("view.zoom_in", lambda: self.step_zoom(+1))
        a.connect("view.zoom_out", lambda: self.step_zoom(-1))
        a.connect("view.zoom_reset", lambda: self.view.setZoomFactor(1.0))
        a.connect("go.back", self.view.back)
        a.connect("go.forward", self.view.forward)
        a.connect("present.start", lambda: self.present(from_current=False))
        a.connect("present.current", lambda: self.present(from_current=True))
        a.connect("help.about", self.about)

    def show_current(self, *_: object) -> None:
        module = self.session.module
        if module is None:
            return
        self.setWindowTitle(f"{module.meta.title} — edukit")
        self.actions["view.guide"].setChecked(self.session.view == "guide")
        self.view.load(module_url(module.id, self.session.view))
        errors = self.session.problems(module)
        self.banner.setVisible(bool(errors))
        if errors:
            lines = [f"{p.line}: {p.message}" for p in errors[:5]]
            more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
            self.banner.setText(f"This lesson has problems{more}:\n" + "\n".join(lines))

    def present(self, from_current: bool = False):
        """F5 / Shift+F5: a show of this lesson (edukit.gui.presentation), loaded on first use."""
        from .presentation import present_from_window

        return present_from_window(self, from_current)

    def print_preview(self):
        """Ctrl+P: preview, print or save the current lesson (edukit.gui.print_preview)."""
        from .print_preview import open_print_preview

        return open_print_preview(self.session, self)

    def edit_school_details(self):
        """Settings > School details (edukit.gui.settings_dialog)."""
        from .settings_dialog import edit_school_details

        return edit_school_details(self.session, self)

    def step_zoom(self, direction: int) -> None:
        current = self.view.zoomFactor()
        steps = [z for z in ZOOM_STEPS if (z > current + 0.01 if direction > 0 else z < current - 0.01)]
        if steps:
            self.view.setZoomFactor(steps[0] if direction > 0 else steps[-1])

    def open_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open lesson", str(Path.home()),
                                              "Markdown lessons (*.md *.markdown)")
        if path:
            self.session.open(path)

    def confirm_external_link(self, url: QUrl) -> None:
        """Web links never open inside edukit: ask, then hand them to the system browser."""
        box = QMessageBox(QMessageBox.Icon.Question, "Open web link?",
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
        QMessageBox.about(self, "About edukit",
                          "edukit — offline lessons on children's online safety.\n"
                          "It never connects to the internet.")
