"""What a test's user folders (conftest.user_dirs) hold, to key and to put back an export
made once and copied for each test that makes the same one: the export reads the config and
data folders and writes its caches in the cache folder."""
from __future__ import annotations

import os
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
