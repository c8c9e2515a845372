"""The contents pane: the current page's sections; follows the reading position, click to jump."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from ..core.model import Section
from .focus_ring import FocusRingDelegate
from .plain_text import tooltip_text
from .session import Session

ID_ROLE = Qt.ItemDataRole.UserRole


class TocPane(QTreeWidget):
    """Lists the sections of the session's module in the current view."""

    def __init__(self, session: Session):
        super().__init__()
        self.session = session
        self.setObjectName("contents")
        self.setHeaderLabel("Contents")
        self.setMinimumWidth(180)
        self.setIndentation(14)
        self.setItemDelegate(FocusRingDelegate(self))
        self.setAccessibleName("Contents")
        self.setAccessibleDescription("The parts of this lesson. Enter goes to one.")
        self.itemClicked.connect(self.jump)
        self.itemActivated.connect(self.jump)
        session.moduleChanged.connect(self.fill)
        session.viewChanged.connect(self.fill)
        session.renderReady.connect(self.fill_if_current)
        session.sectionChanged.connect(self.follow)

    def sections(self) -> tuple[Section, ...]:
        """The sections, if the page is rendered yet (renderReady refills the pane when it is)."""
        module = self.session.module
        rendered = self.session.ready(module, self.session.view) if module else None
        return rendered.sections if rendered else ()

    def fill_if_current(self, module_id: str, view: str) -> None:
        module = self.session.module
        if module is not None and module.id == module_id and view == self.session.view:
            self.fill()

    def fill(self, *_: object) -> None:
        self.clear()
        parents: list[tuple[int, QTreeWidgetItem | QTreeWidget]] = [(0, self)]
        for section in self.sections():
            while len(parents) > 1 and parents[-1][0] >= section.level:
                parents.pop()
            item = QTreeWidgetItem(parents[-1][1], [section.title])
            item.setData(0, ID_ROLE, section.id)
            item.setToolTip(0, tooltip_text(section.title))
            parents.append((section.level, item))
        self.expandAll()
        self.follow(self.session.section)

    def items(self) -> list[QTreeWidgetItem]:
        return self.findItems("*", Qt.MatchFlag.MatchWildcard | Qt.MatchFlag.MatchRecursive)

    def jump(self, item: QTreeWidgetItem) -> None:
        self.session.go_to_section(item.data(0, ID_ROLE))

    def follow(self, section: str) -> None:
        """Select the item of the section being read (the first one at the top of the page)."""
        items = self.items()
        match = next((i for i in items if i.data(0, ID_ROLE) == section), items[0] if items else None)
        if match is not None and match is not self.currentItem():
            self.blockSignals(True)
            self.setCurrentItem(match)
            self.blockSignals(False)
            self.scrollToItem(match)
