"""Every action in the app, declared once: id, text, shortcuts, menu. Menus and the toolbar are
built from this table; windows connect handlers by id and never create actions themselves."""
from __future__ import annotations

import functools
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar, QWidget

StdKey = QKeySequence.StandardKey


@dataclass(frozen=True)
class ActionSpec:
    """One action: its id, menu text, menu, shortcuts, and whether it is on the toolbar."""

    id: str
    text: str
    menu: str
    shortcuts: tuple[str | QKeySequence.StandardKey, ...] = ()
    toolbar: bool = False
    checkable: bool = False
    tip: str = ""


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("file.open", "&Open lesson file…", "&File", (StdKey.Open,)),
    ActionSpec("file.import", "&Import lessons…", "&File", tip="Install a content pack (zip)"),
    ActionSpec("file.restore", "&Restore a replaced lesson…", "&File",
               tip="Put back a lesson that an import replaced"),
    ActionSpec("file.print", "&Print…", "&File", (StdKey.Print,), toolbar=True),
    ActionSpec("file.publish", "Publish as &website…", "&File",
               tip="The library as an offline website for any device"),
    ActionSpec("file.quit", "&Quit", "&File", (StdKey.Quit, "Ctrl+Q")),
    ActionSpec("edit.find", "&Find in lesson…", "&Edit", (StdKey.Find,)),
    ActionSpec("edit.find_next", "Find &next", "&Edit", (StdKey.FindNext,)),
    ActionSpec("edit.find_previous", "Find pre&vious", "&Edit", (StdKey.FindPrevious,)),
    ActionSpec("view.guide", "Teacher &guide", "&View", ("Ctrl+G",), toolbar=True, checkable=True,
               tip="Show teacher notes and safeguarding blocks"),
    ActionSpec("view.library", "&Library", "&View", ("Ctrl+L",), checkable=True),
    ActionSpec("view.contents", "&Contents", "&View", ("Ctrl+T",), checkable=True),
    ActionSpec("view.zoom_in", "Zoom &in", "&View", (StdKey.ZoomIn, "Ctrl+=")),
    ActionSpec("view.zoom_out", "Zoom &out", "&View", (StdKey.ZoomOut,)),
    ActionSpec("view.zoom_reset", "&Actual size", "&View", ("Ctrl+0",)),
    ActionSpec("view.theme_light", "Ligh&t theme", "&View", checkable=True),
    ActionSpec("view.theme_dark", "&Dark theme", "&View", checkable=True),
    ActionSpec("view.theme_contrast", "&High-contrast theme", "&View", checkable=True),
    ActionSpec("view.next_pane", "&Next pane", "&View", ("F6",),
               tip="Move the keyboard to the next pane: search, library, lesson, contents"),
    ActionSpec("view.previous_pane", "Pre&vious pane", "&View", ("Shift+F6",)),
    ActionSpec("go.back", "&Back", "&Go", (StdKey.Back,), toolbar=True),
    ActionSpec("go.forward", "&Forward", "&Go", (StdKey.Forward,), toolbar=True),
    ActionSpec("go.search", "&Search lessons…", "&Go", ("Ctrl+K", "Ctrl+Shift+F"), toolbar=True),
    ActionSpec("present.start", "Present from the &start", "&Present", ("F5",), toolbar=True),
    ActionSpec("present.current", "Present from the &current slide", "&Present", ("Shift+F5",)),
    ActionSpec("present.slides_theme", "Slides in the &reading theme (projectors want light)",
               "&Present", checkable=True),
    ActionSpec("settings.school", "&School details…", "&Settings"),
    ActionSpec("settings.font_default", "Reading font: e&dukit's usual", "&Settings",
               checkable=True),
    ActionSpec("settings.font_legible", "Reading font: &legible (Atkinson Hyperlegible)",
               "&Settings", checkable=True,
               tip="Letters that are hard to confuse, for pupils who find reading hard"),
    ActionSpec("settings.font_dyslexic", "Reading font: dyslexia-&friendly (OpenDyslexic)",
               "&Settings", checkable=True),
    ActionSpec("settings.font_system", "Reading font: s&ystem's own", "&Settings",
               checkable=True),
    ActionSpec("settings.spacing_normal", "Line spacing: &usual", "&Settings", checkable=True),
    ActionSpec("settings.spacing_wide", "Line spacing: &wide (1.8)", "&Settings", checkable=True),
    ActionSpec("settings.spacing_widest", "Line spacing: wid&est (2.0)", "&Settings",
               checkable=True),
    ActionSpec("settings.spacing_wcag", "Line spacing: WCAG te&xt spacing", "&Settings",
               checkable=True, tip="Lines 1.5 apart, paragraphs 2 lines apart, wider letters "
               "and words (WCAG 1.4.12)"),
    ActionSpec("settings.trust", "&Trusted publishers…", "&Settings",
               tip="Publishers whose signed packs may change helplines"),
    ActionSpec("help.shortcuts", "&Keyboard shortcuts", "&Help", ("F1",),
               tip="Every key the app answers to"),
    ActionSpec("help.about", "&About edukit", "&Help"),
)

SPECS = {spec.id: spec for spec in ACTIONS}


def typeable(key: QKeySequence) -> bool:
    """A key on a laptop's keyboard; not a media or browser key ("Back", "Zoom In", "Exit")."""
    return key.count() > 0 and key[0].key().value < Qt.Key.Key_Back.value


@functools.cache
def claimed_keys() -> frozenset[str]:
    """Keys some action names outright (not through a platform's standard key); worked out once
    (asked for every standard binding of every action, it cost the window ~20 ms)."""
    return frozenset(QKeySequence(key).toString() for spec in ACTIONS for key in spec.shortcuts
                     if isinstance(key, str))


def key_sequences(spec: ActionSpec) -> list[QKeySequence]:
    """The action's keys. A platform's standard binding that another action names outright is
    left out: Ctrl+G is Find next on some desktops but is Teacher guide here, and a key bound
    twice does nothing at all (Qt calls it ambiguous)."""
    keys: list[QKeySequence] = []
    for key in spec.shortcuts:
        if isinstance(key, QKeySequence.StandardKey):
            keys += [k for k in QKeySequence.keyBindings(key) if k.toString() not in claimed_keys()]
        else:
            keys.append(QKeySequence(key))
    return sorted(keys, key=lambda k: not typeable(k))  # the menu shows the first: Ctrl+Q, not Exit


def plain_text(spec: ActionSpec) -> str:
    """The action's text as read aloud or listed: no mnemonic marker, no trailing ellipsis."""
    return spec.text.replace("&", "").rstrip("…")


def shortcut_text(spec: ActionSpec) -> str:
    """The action's keys as the user's platform writes them ("Ctrl+P, F5"), or ""."""
    native = QKeySequence.SequenceFormat.NativeText
    return ", ".join(dict.fromkeys(k.toString(native) for k in key_sequences(spec) if typeable(k)))


class ActionCollection:
    """The QActions of one window, created from the table and looked up by id."""

    def __init__(self, owner: QWidget):
        self.actions: dict[str, QAction] = {}
        for spec in ACTIONS:
            action = QAction(spec.text, owner)
            action.setObjectName(spec.id)
            action.setShortcuts(key_sequences(spec))
            action.setCheckable(spec.checkable)
            if spec.tip:
                action.setStatusTip(spec.tip)
            if spec.shortcuts:  # the toolbar's buttons tell their key
                action.setToolTip(f"{plain_text(spec)} ({shortcut_text(spec)})")
            owner.addAction(action)
            self.actions[spec.id] = action

    def __getitem__(self, action_id: str) -> QAction:
        return self.actions[action_id]

    def connect(self, action_id: str, handler) -> None:
        signal = self.actions[action_id].toggled if SPECS[action_id].checkable else \
            self.actions[action_id].triggered
        signal.connect(handler)

    def build_menus(self, window: QMainWindow) -> dict[str, QMenu]:
        menus: dict[str, QMenu] = {}
        for spec in ACTIONS:
            if spec.menu not in menus:
                menus[spec.menu] = window.menuBar().addMenu(spec.menu)
            menus[spec.menu].addAction(self.actions[spec.id])
        return menus

    def build_toolbar(self, window: QMainWindow) -> QToolBar:
        bar = window.addToolBar("Main")
        bar.setObjectName("main-toolbar")
        bar.setMovable(False)
        for spec in ACTIONS:
            if spec.toolbar:
                bar.addAction(self.actions[spec.id])
        return bar
