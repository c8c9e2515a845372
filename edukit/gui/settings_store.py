"""The app's one settings store: the user's preferences and the school's details, read once at
start, checked once, written atomically (edukit.core.settings) and announced on `changed`, so
every view that depends on a setting follows it at once and nothing reads the files again.

Generic over the Preferences fields: a new preference needs a field in core/settings.py and
the views that use it, not a change here."""
from __future__ import annotations

from dataclasses import fields, replace

from PySide6.QtCore import QObject, Signal

from ..core.model import School
from ..core.options import PAPER
from ..core.pages import READING_FONTS, THEMES
from ..core.paths import AppDirs
from ..core.settings import (
    Preferences,
    load_preferences,
    load_school,
    same_shape,
    save_preferences,
    save_school,
)
from ..core.typography import LINE_SPACINGS

SCHOOL = "school"  # the name `changed` carries when the school's details changed
# Preferences with a fixed set of values: anything else read from the file takes the default.
CHOICES: dict[str, tuple[str, ...]] = {"theme": THEMES, "reading_font": READING_FONTS,
                                       "paper": tuple(PAPER), "line_spacing": LINE_SPACINGS}


def every_setting() -> frozenset[str]:
    """Every name `changed` can carry: to bring a view up to date with all of them."""
    return frozenset(f.name for f in fields(Preferences)) | {SCHOOL}


def checked(prefs: Preferences) -> Preferences:
    """The preferences with every value outside its choices put back to its default."""
    defaults = Preferences()
    wrong = {name: getattr(defaults, name) for name, allowed in CHOICES.items()
             if hasattr(prefs, name) and getattr(prefs, name) not in allowed}
    return replace(prefs, **wrong)


class SettingsStore(QObject):
    """Preferences and school details for one run of the app. Read them here; change them
    with update() and set_school(), which save at once and emit `changed`."""

    changed = Signal(object)  # frozenset of names: Preferences fields, or SCHOOL

    def __init__(self, preferences: Preferences | None = None, school: School | None = None,
                 dirs: AppDirs | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self._prefs = checked(preferences or Preferences())
        self._school = school or School()
        self.dirs = dirs  # None: the user's own folders (AppDirs.default), looked up on save

    @classmethod
    def load(cls, dirs: AppDirs | None = None) -> SettingsStore:
        """Both files, read once. A corrupt one is set aside with a warning (EdukitWarning)
        and its defaults are used; no file is written until a setting is changed."""
        return cls(load_preferences(dirs), load_school(dirs), dirs)

    @property
    def preferences(self) -> Preferences:
        """A copy: changing it changes nothing (use update)."""
        return replace(self._prefs)

    @property
    def school(self) -> School:
        return self._school

    def update(self, **changes: object) -> frozenset[str]:
        """Change preferences; the views are told at once, then the file is saved. Returns the
        names that changed (nothing is written if none did). AttributeError for a name that is
        no preference, ValueError for a value of the wrong kind; SaveError (an OSError) when
        the file cannot be written: the change still holds until the app quits."""
        for name, value in changes.items():
            self.check(name, value)
        now = replace(self._prefs, **changes)
        names = frozenset(f.name for f in fields(Preferences)
                          if getattr(now, f.name) != getattr(self._prefs, f.name))
        if not names:
            return names
        self._prefs = now
        self.changed.emit(names)
        save_preferences(self._prefs, self.dirs)
        return names

    def set_school(self, school: School) -> bool:
        """Save new school details, then tell the views; SaveError (nothing changed) when they
        cannot be written. False if they are the same as before."""
        if school == self._school:
            return False
        save_school(school, self.dirs)
        self._school = school
        self.changed.emit(frozenset({SCHOOL}))
        return True

    @staticmethod
    def check(name: str, value: object) -> None:
        defaults = Preferences()
        if not hasattr(defaults, name):
            raise AttributeError(f"no preference named {name!r}")
        if not same_shape(value, getattr(defaults, name)) or \
                value not in CHOICES.get(name, (value,)):
            raise ValueError(f"not a value for {name}: {value!r}")
