"""Typed settings and school details in the user's config folder, written atomically."""
from __future__ import annotations

import json
import time
import warnings
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from .atomic import write_atomic
from .model import EdukitWarning, School
from .paths import AppDirs

SCHEMA_VERSION = 1


@dataclass
class Preferences:
    """What the user chose: theme, zoom, paper."""

    theme: str = "light"
    zoom: float = 1.0
    paper: str = "a4"
    large_print: bool = False


@dataclass
class UiState:
    """Where the user left off; kept apart from preferences."""

    last_module: str = ""
    last_section: str = ""
    view: str = "lesson"
    window_geometry: str = ""
    recent: list[str] = field(default_factory=list)
    filters: dict[str, str] = field(default_factory=dict)


def read_json(path: Path) -> dict | None:
    """The file's data, or None if missing; a corrupt file is moved aside with a warning."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("schema_version") != SCHEMA_VERSION:
            raise ValueError("wrong schema")
        return data
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        aside = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
        try:
            path.replace(aside)
        except OSError:
            aside = path
        warnings.warn(f"{path}: unreadable ({exc}); using defaults, old file kept as {aside.name}",
                      EdukitWarning, stacklevel=2)
        return None


def from_dict(cls, data: dict | None):
    """Build a dataclass from stored data, ignoring unknown keys and wrong types."""
    obj = cls()
    for f in fields(cls):
        if data and f.name in data and isinstance(data[f.name], type(getattr(obj, f.name))):
            setattr(obj, f.name, data[f.name])
    return obj


def save(path: Path, obj) -> None:
    data = {"schema_version": SCHEMA_VERSION, **asdict(obj)}
    write_atomic(path, json.dumps(data, indent=2).encode("utf-8"))


def load_school(dirs: AppDirs | None = None) -> School:
    dirs = dirs or AppDirs.default()
    data = read_json(dirs.config / "school.json") or {}
    return School(**{f.name: str(data.get(f.name, getattr(School(), f.name)))
                     for f in fields(School)})


def save_school(school: School, dirs: AppDirs | None = None) -> None:
    save((dirs or AppDirs.default()).config / "school.json", school)
