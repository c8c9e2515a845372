"""The library pane: modules grouped by audience and age band, with summaries, durations and
"review due" / "your copy" badges, filtered by audience, age band and topic."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.model import AGE_BANDS, AUDIENCES, Module
from ..core.provenance import Provenance, module_source, source_badge
from .focus_ring import FocusRingDelegate, draw_focus_ring
from .plain_text import tooltip_text
from .session import Session

if TYPE_CHECKING:  # the drawing classes load when the first item is drawn (ModuleDelegate):
    # making their Python types builds hundreds of enum members, ~0.05 s the launch need not wait
    from PySide6.QtCore import QModelIndex
    from PySide6.QtGui import QColor, QPainter
    from PySide6.QtWidgets import QStyleOptionViewItem

ID_ROLE = Qt.ItemDataRole.UserRole
SUMMARY_ROLE = Qt.ItemDataRole.UserRole + 1
BADGES_ROLE = Qt.ItemDataRole.UserRole + 2
FILTER_KEYS = ("audience", "ages", "topic")
MAX_SOURCE_BADGE = 28  # a publisher's name as a badge; the tooltip has it whole
FILTER_NAMES = {"audience": "Show lessons for audience", "ages": "Show lessons for ages",
                "topic": "Show lessons on topic"}
# (text, fill) of each badge on a light background, and on a dark one (the dark themes).
BADGE_COLOURS = {"review due": ("#6e3c00", "#fff1d6"), "your copy": ("#173f75", "#e3eeff")}
DARK_BADGE_COLOURS = {"review due": ("#ffd59a", "#4a2f00"), "your copy": ("#cfe0ff", "#1b3558")}


def badge_colours(name: str, background: QColor) -> tuple[str | None, str | None]:
    """A badge's text and fill that stand out on this background without glaring on a dark one."""
    table = DARK_BADGE_COLOURS if background.lightnessF() < 0.5 else BADGE_COLOURS
    return table.get(name, (None, None))


def group_name(module: Module) -> str:
    m = module.meta
    if m.is_resource:  # letters, forms, flowcharts: printed around lessons, not taught
        return "Letters, forms and training records"
    if m.audience == "pupils":
        return f"Pupils, ages {m.ages}" if m.ages else "Pupils"
    if m.audience in ("staff", "parents"):
        return "Staff" if m.audience == "staff" else "Parents and carers"
    return "Other lessons"


def badges(module: Module, source: str = "") -> list[str]:
    """Duration, review state and where the lesson came from (nothing for bundled lessons)."""
    found = [f"{module.meta.duration_text()} min"] if module.meta.duration else []
    if source:
        found.append(source[:MAX_SOURCE_BADGE])
    if module.meta.review_status() == "review due":
        found.append("review due")
    if module.shadows:
        found.append("your copy")
    return found


def item_text(module: Module, source: str = "") -> str:
    """The accessible text of an item: title and badges."""
    return "  ·  ".join([module.meta.title, *badges(module, source)])


SOURCE_WORDS = {"own": "your own lessons", "extra": "a folder you opened (--content)",
                "file": "a file you opened"}


def item_tooltip(module: Module, packs: dict[str, Provenance]) -> str:
    """The summary and, for a lesson not bundled with edukit, where it came from in full."""
    where = module_source(module, packs)
    lines = [module.meta.summary or module.meta.title]
    if where != "bundled":
        lines.append(f"From: {SOURCE_WORDS.get(where, where)}")
    return tooltip_text("\n".join(lines))


def matches(module: Module, filters: dict[str, str]) -> bool:
    m = module.meta
    return ((not filters.get("audience") or m.audience == filters["audience"])
            and (not filters.get("ages") or m.ages == filters["ages"])
            and (not filters.get("topic") or filters["topic"] in m.topics))


def topic_label(topic: str, labels: dict[str, str]) -> str:
    """A topic as people write it: its label in topics.yaml ("AI images"), else its id in words."""
    return labels.get(topic) or topic.replace("-", " ").capitalize()


def audience_badge(module: Module) -> str:
    """Who a lesson is for, in a few words: "Pupils 8-11", "Staff", "Parents"."""
    m = module.meta
    who = (m.audience or "").capitalize()
    return f"{who} {m.ages}".strip() if m.audience == "pupils" and m.ages else who


def summary_line(module: Module) -> str:
    """The line under a lesson's title: its summary; for a lesson without one (often a
    teacher's own), its topics or else its file, rather than a blank line."""
    return (module.meta.summary or " · ".join(module.meta.topics)
            or (module.path.parent.name if module.path.name == "module.md" else module.path.name))


class ModuleDelegate(FocusRingDelegate):
    """Draws a module as its title, a one-line summary and small badges (and the focus ring)."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        from PySide6.QtGui import QFontMetrics

        if index.data(ID_ROLE) is None:
            return super().sizeHint(option, index)
        return QSize(200, QFontMetrics(option.font).height() * 3 + 14)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        from PySide6.QtGui import QColor, QFont, QFontMetrics
        from PySide6.QtWidgets import QStyle

        if index.data(ID_ROLE) is None:
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        text = option.text
        option.text = ""
        option.widget.style().drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter,
                                          option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        fg = palette.highlightedText().color() if selected else palette.text().color()
        line = QFontMetrics(option.font).height()
        box = option.rect.adjusted(4, 5, -6, -4)
        painter.save()
        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(fg)
        title = QFontMetrics(bold).elidedText(text.split("  ·  ")[0], Qt.TextElideMode.ElideRight,
                                              box.width())
        painter.drawText(QRect(box.left(), box.top(), box.width(), line), 0, title)
        painter.setFont(option.font)
        muted = QColor(fg)
        muted.setAlpha(170)
        painter.setPen(muted)
        summary = QFontMetrics(option.font).elidedText(index.data(SUMMARY_ROLE) or "",
                                                       Qt.TextElideMode.ElideRight, box.width())
        painter.drawText(QRect(box.left(), box.top() + line, box.width(), line), 0, summary)
        self.paint_badges(painter, option, index.data(BADGES_ROLE) or [],
                          box.left(), box.top() + 2 * line + 2, fg)
        painter.restore()
        draw_focus_ring(painter, option)

    def paint_badges(self, painter: QPainter, option, names: list[str], x: int, y: int,
                     fg: QColor) -> None:
        from PySide6.QtGui import QColor, QFont, QFontMetrics

        small = QFont(option.font)
        small.setPointSizeF(max(option.font.pointSizeF() * 0.85, 7))
        painter.setFont(small)
        metrics = QFontMetrics(small)
        for name in names:
            width = metrics.horizontalAdvance(name) + 10
            rect = QRect(x, y, width, metrics.height() + 2)
            text_colour, fill = badge_colours(name, option.palette.base().color())
            if fill:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor(fill))
                painter.drawRoundedRect(rect, 4, 4)
            painter.setPen(QColor(text_colour) if text_colour else fg)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, name)
            x += width + 6


class LibraryPane(QWidget):
    """Filters above a tree of modules; activating a module opens it in the session."""

    filtersChanged = Signal(dict)

    def __init__(self, session: Session, filled: bool = True):
        """filled=False: the tree stays empty until start_filling() (the window calls it once
        its first lesson is painted: the launch does not wait for ~30 items and their drawing)."""
        super().__init__()
        self.session = session
        self.waiting = not filled
        self.setObjectName("library")
        self.setMinimumWidth(260)
        self.combos: dict[str, QComboBox] = {}
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("library-tree")
        self.tree.setHeaderHidden(True)
        self.tree.setHeaderLabel("Lessons")  # hidden, but a screen reader reads the column's name
        self.tree.setItemDelegate(ModuleDelegate(self.tree))
        self.tree.setIndentation(10)
        self.tree.setAccessibleName("Lesson library")
        self.tree.setAccessibleDescription("Lessons grouped by audience and age. Enter opens one.")
        self.filter_bar = QWidget(self)  # the main window moves it under the search box
        self.filter_bar.setObjectName("library-filters")
        self.filter_bar.setLayout(self.filter_row())
        self.empty = QLabel("No lessons match these filters.", self)
        self.empty.setObjectName("library-empty")
        self.empty.setWordWrap(True)
        self.empty.setContentsMargins(6, 6, 6, 6)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.empty)
        layout.addWidget(self.tree, 1)
        self.fill()
        self.tree.itemActivated.connect(self.open_item)
        self.tree.itemClicked.connect(self.open_item)
        session.moduleChanged.connect(self.select_module)
        session.libraryChanged.connect(self.fill)

    def filter_row(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setContentsMargins(4, 4, 4, 0)
        choices = {
            "audience": [("All audiences", "")] + [(a.capitalize(), a) for a in AUDIENCES],
            "ages": [("All ages", "")] + [(f"Ages {b}", b) for b in AGE_BANDS],
            "topic": [("All topics", "")] + [(topic_label(t, self.session.library.topic_labels), t)
                                             for t in self.topics()],
        }
        for n, key in enumerate(FILTER_KEYS):
            combo = QComboBox(self)
            combo.setObjectName(f"filter-{key}")
            combo.setAccessibleName(FILTER_NAMES[key])
            for label, value in choices[key]:
                combo.addItem(label, value)
            combo.currentIndexChanged.connect(self.filter_changed)
            self.combos[key] = combo
            grid.addWidget(combo, n // 2, n % 2)
        self.clear_filters = QPushButton("Clear filters", self)
        self.clear_filters.setObjectName("clear-filters")
        self.clear_filters.clicked.connect(lambda: self.set_filters({}))
        self.clear_filters.hide()
        grid.addWidget(self.clear_filters, 1, 1)
        return grid

    def topics(self) -> list[str]:
        used = {t for m in self.session.library.modules for t in m.meta.topics}
        return sorted(used | set(self.session.library.topics or ()))

    def filters(self) -> dict[str, str]:
        return {key: combo.currentData() for key, combo in self.combos.items() if combo.currentData()}

    def set_filters(self, filters: dict[str, str]) -> None:
        for key, combo in self.combos.items():
            index = combo.findData(filters.get(key, "")) if isinstance(filters.get(key), str) else 0
            combo.blockSignals(True)
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)
        self.filter_changed()

    def filter_changed(self, *_: object) -> None:
        self.fill()
        self.clear_filters.setVisible(bool(self.filters()))
        self.filtersChanged.emit(self.filters())

    def badge_for(self, module_id: str) -> str:
        """Who a module is for, for its search results ("Pupils 8-11")."""
        module = self.session.library.get(module_id)
        return audience_badge(module) if module is not None else ""

    def shows(self, module_id: str) -> bool:
        """Whether the filters let this module through (search results follow them too)."""
        module = self.session.library.get(module_id)
        return module is not None and matches(module, self.filters())

    def start_filling(self) -> None:
        """Fill the tree now, and from now on whenever the library or the filters change."""
        self.waiting = False
        self.fill()

    def fill(self) -> None:
        if self.waiting:
            self.empty.hide()  # not "no lessons": they are on their way
            return
        self.tree.clear()
        groups: dict[str, QTreeWidgetItem] = {}
        filters = self.filters()
        packs = self.session.library.packs()
        for module in self.session.library.modules:
            if not matches(module, filters):
                continue
            name = group_name(module)
            if name not in groups:
                groups[name] = QTreeWidgetItem(self.tree, [name])
                groups[name].setFlags(Qt.ItemFlag.ItemIsEnabled)
                font = groups[name].font(0)
                font.setBold(True)
                groups[name].setFont(0, font)
            source = source_badge(module, packs)
            item = QTreeWidgetItem(groups[name], [item_text(module, source)])
            item.setData(0, ID_ROLE, module.id)
            item.setData(0, SUMMARY_ROLE, summary_line(module))
            item.setData(0, BADGES_ROLE, badges(module, source))
            item.setToolTip(0, item_tooltip(module, packs))
        self.tree.expandAll()
        self.empty.setVisible(not groups)  # say so, rather than show an empty list
        self.empty.setText("No lessons match these filters. Clear filters to see them all."
                           if filters else "No lessons found.")
        if self.session.module is not None:
            self.select_module(self.session.module.id)

    def module_items(self) -> list[QTreeWidgetItem]:
        return [item for item in self.tree.findItems(
            "*", Qt.MatchFlag.MatchWildcard | Qt.MatchFlag.MatchRecursive) if item.data(0, ID_ROLE)]

    def open_item(self, item: QTreeWidgetItem) -> None:
        module_id = item.data(0, ID_ROLE)
        if module_id and (self.session.module is None or self.session.module.id != module_id):
            self.session.open(module_id)

    def select_module(self, module_id: str) -> None:
        for item in self.module_items():
            if item.data(0, ID_ROLE) == module_id:
                self.tree.setCurrentItem(item)
                QTimer.singleShot(0, self.tree, self.show_current)  # once laid out (dropped if closed)
                return

    def show_current(self) -> None:
        """Scroll the open lesson into view (a lesson near the end of a long list)."""
        if self.tree.currentItem() is not None:
            self.tree.scrollToItem(self.tree.currentItem(), QTreeWidget.ScrollHint.PositionAtCenter)
