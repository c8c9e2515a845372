"""What a test's user folders (conftest.user_dirs) hold, to key and to put back an export
made once and copied for each test that makes the same one: the export reads the config and
data folders and writes its caches in the cache folder."""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

Files = tuple[tuple[str, str, bytes], ...]


def user_folders() -> dict[str, Path]:
    return {name: Path(os.environ[f"EDUKIT_{name.upper()}_DIR"])
            for name in ("config", "data", "cache")}


def user_files() -> Files:
    """(folder, path in it, bytes) of every file in the user folders."""
    return tuple((name, str(path.relative_to(folder)), path.read_bytes())
                 for name, folder in user_folders().items()
                 for path in sorted(folder.rglob("*")) if path.is_file())


def put_back(files: Files) -> None:
    """Write the files into the test's user folders, as the export left them."""
    folders = user_folders()
    for name, relative, data in files:
        path = folders[name] / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


class ExportedOnce:
    """Exports made once per test file, by what they read: the caller's key (the export's
    arguments) and every file in the test's user folders. A repeat writes a copy of the
    output at its own path and puts back the files the export left; a file written over
    is exported again."""

    def __init__(self) -> None:
        self.made: dict[tuple, tuple[bytes, str, Files]] = {}

    def __call__(self, out: Path, key: tuple, export: Callable[[], str]) -> str:
        """`export()` (it writes `out` and returns its stderr), or a copy of the same one."""
        key = (key, user_files())
        if out.exists() or key not in self.made:
            stderr = export()
            self.made[key] = (out.read_bytes(), stderr, user_files())
        else:
            data, _, left = self.made[key]
            out.write_bytes(data)
            put_back(left)
        return self.made[key][1]
