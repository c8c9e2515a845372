"""The library pane: modules grouped by audience and age band, with review badges."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from ..core.model import Module
from .session import Session

ID_ROLE = Qt.ItemDataRole.UserRole


def group_name(module: Module) -> str:
    m = module.meta
    if m.audience == "pupils":
        return f"Pupils, ages {m.ages}" if m.ages else "Pupils"
    if m.audience in ("staff", "parents"):
        return "Staff" if m.audience == "staff" else "Parents and carers"
    return "Other lessons"


def item_text(module: Module) -> str:
    m = module.meta
    text = m.title
    if m.duration:
        text += f"  ·  {m.duration} min"
    if m.review_status() == "review due":
        text += "  ·  review due"
    if module.shadows:
        text += "  ·  your copy"
    return text


class LibraryPane(QTreeWidget):
    """Lists the session's library; selecting a module opens it in the session."""

    def __init__(self, session: Session):
        super().__init__()
        self.session = session
        self.setObjectName("library")
        self.setHeaderHidden(True)
        self.setMinimumWidth(260)
        self.fill()
        self.itemActivated.connect(self.open_item)
        self.itemClicked.connect(self.open_item)
        session.moduleChanged.connect(self.select_module)
        session.libraryChanged.connect(self.fill)

    def fill(self) -> None:
        self.clear()
        groups: dict[str, QTreeWidgetItem] = {}
        for module in self.session.library.modules:
            name = group_name(module)
            if name not in groups:
                groups[name] = QTreeWidgetItem(self, [name])
                groups[name].setFlags(Qt.ItemFlag.ItemIsEnabled)
            item = QTreeWidgetItem(groups[name], [item_text(module)])
            item.setData(0, ID_ROLE, module.id)
            item.setToolTip(0, module.meta.summary or module.meta.title)
        self.expandAll()

    def open_item(self, item: QTreeWidgetItem) -> None:
        module_id = item.data(0, ID_ROLE)
        if module_id and (self.session.module is None or self.session.module.id != module_id):
            self.session.open(module_id)

    def select_module(self, module_id: str) -> None:
        for item in self.findItems("*", Qt.MatchFlag.MatchWildcard | Qt.MatchFlag.MatchRecursive):
            if item.data(0, ID_ROLE) == module_id:
                self.setCurrentItem(item)
                return
