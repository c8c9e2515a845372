"""Typed settings and school details in the user's config folder, written atomically."""
from __future__ import annotations

import errno
import json
import math
import time
import warnings
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from .atomic import write_atomic
from .files import read_regular
from .model import EdukitWarning, School
from .paths import AppDirs
from .typography import LINE_SPACINGS, READING_FONTS

SCHEMA_VERSION = 2  # 2: school.json gained phone, LADO and children's social care
# Older files read as they are: what a version lacks takes its default. An edukit that reads
# only version 1 leaves a version-2 file alone rather than save over the newer fields.
READABLE_VERSIONS = (1, 2)


@dataclass
class Preferences:
    """What the user chose: theme, zoom, paper."""

    theme: str = "light"
    zoom: float = 1.0
    paper: str = "a4"
    large_print: bool = False
    presenter_notes_points: int = 22
    reading_font: str = "default"  # default | legible | dyslexic | system (core/pages.py READING_FONTS)
    line_spacing: str = "normal"  # normal | wide | widest | wcag (core/typography.py LINE_SPACINGS)
    slides_follow_theme: bool = False  # slides on the projector stay light unless asked  # the console's notes type size, changed with + and -


@dataclass
class UiState:
    """Where the user left off; kept apart from preferences."""

    last_module: str = ""
    last_section: str = ""
    view: str = "lesson"
    window_geometry: str = ""
    recent: list[str] = field(default_factory=list)
    filters: dict[str, str] = field(default_factory=dict)
    splitter: str = ""  # the panes' sizes (QSplitter.saveState, base64)
    contents_visible: bool = True
    library_visible: bool = True

    def visited(self, module_id: str, keep: int = 10) -> None:
        """Put a module at the top of the recent list."""
        self.recent = [module_id] + [m for m in self.recent if m != module_id][:keep - 1]


PREFERENCES_FILE, UI_STATE_FILE = "preferences.json", "ui-state.json"


def load_preferences(dirs: AppDirs | None = None) -> Preferences:
    path = (dirs or AppDirs.default()).config / PREFERENCES_FILE
    data = read_json(path)
    tell_unknown_choices(data, path)
    return from_dict(Preferences, data)


CHOICES = {"reading_font": READING_FONTS, "line_spacing": LINE_SPACINGS}  # what each may be


def tell_unknown_choices(data: dict | None, path: Path) -> None:
    """A stored choice edukit does not know (a typo, a number, a newer edukit's word) is
    dropped for its default, said once in one plain line; the file stays as it is until the
    user chooses again."""
    for name, allowed in CHOICES.items():
        value = (data or {}).get(name, allowed[0])
        if value in allowed:
            continue
        if (path, name, repr(value)) not in TOLD_UNKNOWN:
            TOLD_UNKNOWN.add((path, name, repr(value)))
            shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:40] + "…"
            warnings.warn(f"{path}:{key_line(path, name)}: {name} {shown} is not one of "
                          f"{', '.join(allowed)}; using {allowed[0]}", EdukitWarning,
                          stacklevel=3)
        data.pop(name)  # from_dict then gives the default


TOLD_UNKNOWN: set[tuple[Path, str, str]] = set()  # unknown choices already reported


def key_line(path: Path, key: str) -> int:
    """The line of a settings file where a key is written (1 if it cannot be found)."""
    try:
        lines = read_settings_text(path).splitlines()
    except (OSError, ValueError):
        return 1
    return next((n for n, line in enumerate(lines, 1) if f'"{key}"' in line), 1)


def save_preferences(prefs: Preferences, dirs: AppDirs | None = None) -> None:
    save((dirs or AppDirs.default()).config / PREFERENCES_FILE, prefs)


def update_preferences(dirs: AppDirs | None = None, **changes: object) -> Preferences:
    """Change some preferences and save them at once (a choice is kept even if the app is
    killed before it quits); raises SaveError when they cannot be written."""
    prefs = load_preferences(dirs)
    for name, value in changes.items():
        if not hasattr(prefs, name):
            raise AttributeError(f"no preference named {name!r}")
        setattr(prefs, name, value)
    save_preferences(prefs, dirs)
    return prefs


def load_ui_state(dirs: AppDirs | None = None) -> UiState:
    return from_dict(UiState, read_json((dirs or AppDirs.default()).config / UI_STATE_FILE))


def save_ui_state(state: UiState, dirs: AppDirs | None = None) -> None:
    save((dirs or AppDirs.default()).config / UI_STATE_FILE, state)


def read_json(path: Path) -> dict | None:
    """The file's data, or None if missing; a corrupt file is moved aside with a warning. One
    from a newer edukit stays where it is, untouched (save() will not replace it): going back
    to that version finds the settings as they were."""
    try:
        data = json.loads(read_settings_text(path))
        if newer_schema(data):
            if path not in TOLD_NEWER:  # it stays, so every later read would say it again
                TOLD_NEWER.add(path)
                warnings.warn(f"{path}: unreadable ({schema_problem(data)}); using defaults, the "
                              "file was left as it is", EdukitWarning, stacklevel=2)
            return None
        if not isinstance(data, dict) or data.get("schema_version") not in READABLE_VERSIONS:
            raise ValueError(schema_problem(data))
        return data
    except FileNotFoundError:
        return None
    except (OSError, ValueError, RecursionError) as exc:  # RecursionError: absurdly nested JSON
        aside = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
        try:
            path.replace(aside)
            kept = f"old file kept as {aside.name}"
        except OSError:  # e.g. the config folder is a file, or read-only: it stays as it is
            kept = "the file was left as it is"
        warnings.warn(f"{path}: unreadable ({exc}); using defaults, {kept}",
                      EdukitWarning, stacklevel=2)
        return None


def read_settings_text(path: Path) -> str:
    """A settings file's text. A pipe or a device put in its place (or linked there) would make
    a plain read wait for ever, or never end: it is an OSError at once, as is a file too big to
    be settings (ValueError, like any other file that is not edukit's)."""
    data, size = read_regular(path, MAX_SETTINGS_BYTES)
    if size > MAX_SETTINGS_BYTES:
        raise ValueError(f"larger than {MAX_SETTINGS_BYTES // 1024} KB")
    return data.decode("utf-8")


MAX_SETTINGS_BYTES = 1024 * 1024
TOLD_NEWER: set[Path] = set()  # newer-schema files already reported in this process


def newer_schema(data: object) -> int | None:
    """The schema version, if the data was written by a newer edukit."""
    version = data.get("schema_version") if isinstance(data, dict) else None
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        return version
    return None


def schema_problem(data: object) -> str:
    version = newer_schema(data)
    if version:
        return f"written by a newer edukit (schema {version}; this one reads {SCHEMA_VERSION})"
    return "wrong schema"


def written_by_newer(path: Path) -> bool:
    try:
        return newer_schema(json.loads(read_settings_text(path))) is not None
    except (OSError, ValueError, RecursionError):
        return False


def from_dict(cls, data: dict | None):
    """Build a dataclass from stored data, ignoring unknown keys and wrong types."""
    obj = cls()
    for f in fields(cls):
        if data and f.name in data and same_shape(data[f.name], getattr(obj, f.name)):
            setattr(obj, f.name, data[f.name])
    return obj


def same_shape(value: object, default: object) -> bool:
    """Whether a stored value may replace a default: same type, text items, finite numbers."""
    if isinstance(value, bool) != isinstance(default, bool) or not isinstance(value, type(default)):
        return False
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list):
        return all(isinstance(item, str) for item in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
    return True


class SaveError(OSError):
    """A settings file could not be written; the message says why in plain words."""


WRITE_FAILURES = {
    errno.EACCES: "the folder is read-only", errno.EPERM: "the folder is read-only",
    errno.EROFS: "the disk is read-only", errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is full", errno.EFBIG: "the file is too large for the disk",
}


def save(path: Path, obj) -> None:
    """Write atomically; on failure the old file is untouched and SaveError says why."""
    data = {"schema_version": SCHEMA_VERSION, **asdict(obj)}
    if written_by_newer(path):
        raise SaveError(errno.EEXIST, f"cannot save {path.name}: a newer edukit wrote it, and "
                        "its settings are kept for it; nothing was changed", str(path))
    try:
        write_atomic(path, json.dumps(data, indent=2).encode("utf-8"))
    except OSError as exc:
        reason = WRITE_FAILURES.get(exc.errno, exc.strerror or str(exc))
        raise SaveError(exc.errno, f"cannot save {path.name}: {reason}; nothing else was changed",
                        str(path)) from exc


def load_school(dirs: AppDirs | None = None) -> School:
    dirs = dirs or AppDirs.default()
    data = read_json(dirs.config / "school.json") or {}
    return School(**{f.name: str(data.get(f.name, getattr(School(), f.name)))
                     for f in fields(School)})


def save_school(school: School, dirs: AppDirs | None = None) -> None:
    save((dirs or AppDirs.default()).config / "school.json", school)
