"""Search everything (Ctrl+K / Ctrl+Shift+F): a box with ranked, highlighted results that update
as you type. The index is built and refreshed off the UI thread.

The box is part of the first window, the index is not: it is opened on first use (the build
that starts after the first paint, or a search typed before it), so edukit.core.search and
sqlite3 are not loaded while the lesson waits to be drawn (issue 17)."""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.escape import html_text
from ..core.model import Module
from .background import Job
from .plain_text import plain_label

if TYPE_CHECKING:
    from ..core.search import Hit, SearchIndex

HIT_ROLE = Qt.ItemDataRole.UserRole
RESULTS_LIMIT = 20
SUFFIXES = ("ing", "ers", "er", "ed", "es", "s")


def highlight_words(query: str, hit: Hit) -> list[str]:
    """Words to mark in the opened lesson: the matched words, and the query's rough stems."""
    words = [w.lower() for w in re.findall(r"\w+", query) if len(w) > 1]
    stems = [next((w[: -len(s)] for s in SUFFIXES if w.endswith(s) and len(w) - len(s) >= 3), w)
             for w in words]
    return sorted(set(stems) | {w.lower() for w in hit.matched_words})


class Indexer(QObject):
    """Refreshes the search index on a pool thread (a Job: edukit.gui.background); `ready`
    and `failed` fire back on the UI thread."""

    ready = Signal(int)  # modules (re)indexed
    failed = Signal(str)

    def __init__(self, index_of: Callable[[], SearchIndex], parent: QObject | None = None):
        super().__init__(parent)
        self.index_of = index_of  # the index, opened on first use (SearchBox.index)
        self.done = False
        self.modules: list[Module] = []  # the library last indexed

    def start(self, modules: list[Module]) -> Job:
        self.modules = list(modules)
        index = self.index_of()  # opened here, on the UI thread
        # If the window closed meanwhile, the result goes nowhere (edukit.gui.background).
        return Job(lambda: self.build(index, self.modules), expected=(Exception,),
                   succeeded=self.built, failed=self.not_built).start()

    def rebuild(self) -> None:
        """Build the index again (its file was deleted while the app ran)."""
        self.done = False
        self.start(self.modules)

    def build(self, index: SearchIndex, modules: list[Module]) -> int:
        """On the pool thread: refresh the index; a failure must never take the app down."""
        count = index.refresh(modules)
        index.close()  # the worker thread's connection
        return count

    def built(self, count: int) -> None:
        self.done = True
        self.ready.emit(count)

    def not_built(self, message: str) -> None:
        self.failed.emit(f"search index: {message}")


class SearchBox(QWidget):
    """The query line and its results; choosing a result emits `chosen(hit, words)`."""

    chosen = Signal(object, list)  # Hit, words to highlight
    activeChanged = Signal(bool)  # results are showing (the library hides meanwhile)

    def __init__(self, index: SearchIndex | None = None, parent: QWidget | None = None):
        """`index`: the search index to use; None for the user's own (opened on first use)."""
        super().__init__(parent)
        self._index = index
        self.indexer = Indexer(lambda: self.index, self)
        self.indexer.ready.connect(self.index_ready)
        self.indexer.failed.connect(self.show_status)
        self.setObjectName("search")
        self.edit = QueryLine(self)
        self.edit.setObjectName("search-edit")
        self.edit.setPlaceholderText("Search all lessons (Ctrl+K)")
        self.edit.setClearButtonEnabled(True)
        self.edit.setAccessibleName("Search all lessons")
        self.status = plain_label(parent=self)
        self.status.setObjectName("search-status")
        self.status.hide()
        self.results = QListWidget(self)
        self.results.setObjectName("search-results")
        self.results.setAccessibleName("Search results")
        self.results.setWordWrap(True)
        self.results.setAlternatingRowColors(True)
        self.results.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.addWidget(self.edit)
        layout.addWidget(self.status)
        layout.addWidget(self.results, 1)
        self.edit.textChanged.connect(self.update_results)
        self.edit.returnPressed.connect(self.open_current)
        self.watching_width = False  # the results' width: watched once they first show
        self.results.currentItemChanged.connect(self.mark_current)
        self.results.itemActivated.connect(self.open_item)
        self.results.itemClicked.connect(self.open_item)
        self.hits: list[Hit] = []
        # Set by the window: whether the library's filters let a module through, and a
        # module's audience and age badge for its results.
        self.accepts: Callable[[str], bool] = lambda _module_id: True
        self.badge: Callable[[str], str] = lambda _module_id: ""

    @property
    def index(self) -> SearchIndex:
        if self._index is None:
            from ..core.search import SearchIndex

            self._index = SearchIndex.default()
        return self._index

    def add_below_edit(self, widget: QWidget) -> None:
        """Put a widget (the library's filters) between the query line and the results."""
        self.layout().insertWidget(1, widget)

    def focus(self) -> None:
        self.edit.setFocus()
        self.edit.selectAll()

    def update_results(self, *_: object) -> None:
        query = self.edit.text()
        active = bool(query.strip())
        if active:
            self.watch_results_width()
        self.results.setVisible(active)
        self.activeChanged.emit(active)
        self.results.clear()
        self.hits = []
        if not active:
            self.status.hide()
            return
        if self.indexer.done and self.index.missing():
            self.indexer.rebuild()
        if not self.indexer.done:
            self.show_status("Preparing the search index…")
            return
        # The filters pick the lessons before their snippets are made (20 made, not 200).
        self.hits = self.index.search(query, limit=RESULTS_LIMIT, accepts=self.accepts)
        note = f"Searching without a saved index: {self.index.fallback}." if self.index.fallback else ""
        filtered = not self.hits and bool(self.index.search(query, limit=1))
        self.show_status(note if self.hits else no_results(query, filtered=filtered))
        for hit in self.hits:
            self.add_result(hit)
        if self.hits:
            self.results.setCurrentRow(0)

    def watch_results_width(self) -> None:
        """Refit the results when their width changes (eventFilter), from when they first show.
        Not while the window is built: the list's viewport is of a class PySide does not wrap,
        and handing the first such object to Python costs ~15 ms (see MainWindow.__init__)."""
        if not self.watching_width:
            self.watching_width = True
            self.results.viewport().installEventFilter(self)

    def index_ready(self, _count: int = 0) -> None:
        """This thread reopens the index the worker wrote (a rebuilt file is a new file)."""
        self.index.close()
        self.update_results()

    def add_result(self, hit: Hit) -> None:
        item = QListWidgetItem(self.results)
        item.setData(HIT_ROLE, hit)
        # No item text: it would be drawn under the label when selected; screen readers get this.
        item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{hit.title} — {hit.section}")
        # No colours of its own: the label takes the theme's, and the selection's when chosen.
        badge = self.badge(hit.module_id)
        who = f"<small><b>{html_text(badge)}</b> · </small>" if badge else ""
        label = QLabel(f"<b>{html_text(hit.title)}</b><br>{who}"
                       f"<small>{html_text(hit.section)}</small><br>"
                       f"{hit.snippet_html()}")
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setContentsMargins(4, 3, 4, 3)
        label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.results.setItemWidget(item, label)
        self.fit_result(item)

    def fit_result(self, item: QListWidgetItem) -> None:
        """As tall as its wrapped text at the list's width (a label's own size hint guesses a
        width, leaving some results with lines of empty space)."""
        label = self.results.itemWidget(item)
        width = self.results.viewport().width()
        if label is not None and width > 0:
            item.setSizeHint(QSize(width, label.heightForWidth(width)))

    def fit_results(self) -> None:
        for row in range(self.results.count()):
            self.fit_result(self.results.item(row))

    def mark_current(self, *_: object) -> None:
        """The chosen result's label is drawn in the selection's text colour (readable on it)."""
        current = self.results.currentRow()
        for row in range(self.results.count()):
            label = self.results.itemWidget(self.results.item(row))
            if label is not None:
                label.setForegroundRole(QPalette.ColorRole.HighlightedText if row == current
                                        else QPalette.ColorRole.Text)

    def show_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def open_current(self) -> None:
        item = self.results.currentItem() or self.results.item(0)
        if item is not None:
            self.open_item(item)

    def open_item(self, item: QListWidgetItem) -> None:
        hit = item.data(HIT_ROLE)
        self.chosen.emit(hit, highlight_words(self.edit.text(), hit))

    def clear(self) -> None:
        self.edit.clear()

    def eventFilter(self, watched, event) -> bool:
        """Results refit their height when the list changes width."""
        from PySide6.QtCore import QEvent

        resized = event.type() == QEvent.Type.Resize and watched is self.results.viewport()
        if resized and event.size().width() != event.oldSize().width():
            self.fit_results()
        return super().eventFilter(watched, event)

    def key_pressed(self, key: int) -> bool:
        """Up/Down in the query line move through the results; Esc clears the search. True if
        the key was used here."""
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.results.count():
            step = 1 if key == Qt.Key.Key_Down else -1
            row = min(max(self.results.currentRow() + step, 0), self.results.count() - 1)
            self.results.setCurrentRow(row)
            return True
        if key == Qt.Key.Key_Escape and self.edit.text():
            self.clear()
            return True
        return False


class QueryLine(QLineEdit):
    """The search box's query line: its keys go to SearchBox.key_pressed first. (Not an event
    filter: a filter is handed every event the line gets, some of classes PySide does not wrap,
    and the first of those costs ~15 ms while the window is being built.)"""

    def __init__(self, box: SearchBox):
        super().__init__(box)
        self.box = box

    def keyPressEvent(self, event) -> None:
        if not self.box.key_pressed(event.key()):
            super().keyPressEvent(event)


def no_results(query: str, filtered: bool) -> str:
    """Why the list is empty: nothing mentions the words, or the filters hide what does."""
    words = f"“{query.strip()}”"
    if filtered:
        return f"No lessons for the chosen filters mention {words}. Clear filters to search all."
    return f"No lessons mention {words}."

