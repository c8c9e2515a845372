"""The library as the app and the command line open it: a pack import that was killed part-way
is undone first (edukit.core.packs), so no one ever sees half an import.

Kept apart from edukit.core.library, which packs builds on: the library does not reach up."""
from __future__ import annotations

from pathlib import Path

from .library import Library
from .model import Problem
from .paths import IMPORT_STAGING_PREFIX, AppDirs


def open_library(extra: list[Path] | None = None, dirs: AppDirs | None = None) -> Library:
    """Library.default, after undoing any interrupted import (each undoing is a warning among
    the library's problems)."""
    dirs = dirs or AppDirs.default()
    undone = recover_imports(dirs)
    library = Library.default(extra=extra, dirs=dirs)
    library.problems += undone
    return library


def recover_imports(dirs: AppDirs) -> list[Problem]:
    if not any(dirs.data.glob(IMPORT_STAGING_PREFIX + "*")):
        return []
    from .packs import recover_interrupted_imports  # zip and signature code load only if needed

    return recover_interrupted_imports(dirs)
