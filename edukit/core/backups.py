"""Backups of the lessons a content-pack import replaced: listed by the folder (one per import
or restore) they were kept in, under the user data dir's backups/<time>/, and put back by
rename — all of one folder or nothing, with whatever they displace kept in its turn.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .library import load_module
from .paths import AppDirs


class BackupError(LookupError):
    """A backup that does not exist; the message says how to list the ones that do."""


@dataclass(frozen=True)
class Backup:
    """A module or route file an import (or a restore) replaced, kept under backups/<time>/."""

    stamp: str
    path: Path  # the backup itself
    original: Path  # where it was installed

    @property
    def kind(self) -> str:
        return "routes" if self.path.parent.name == "routes" else "module"

    @property
    def name(self) -> str:
        """The module id (a folder, or a file without .md) or the route file's name."""
        single = self.kind == "module" and self.path.suffix == ".md"
        return self.path.stem if single else self.path.name

    def title(self) -> str:
        """The kept module's title ("" for route files or an unreadable copy)."""
        if self.kind != "module":
            return ""
        text = self.path if self.path.is_file() else self.path / "module.md"
        module = load_module(text, "user")
        return "" if any(p.is_error for p in module.problems) else module.meta.title


def fresh_stamp(dirs: AppDirs) -> str:
    """A backups/ folder name not used yet: the time, with a counter if needed."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    name, n = stamp, 1
    while (dirs.data / "backups" / name).exists():
        n += 1
        name = f"{stamp}-{n}"
    return name


def stamp_time(stamp: str) -> datetime | None:
    """When a backups/ folder was made, from its name (None for a name edukit did not make)."""
    try:
        return datetime.strptime(stamp[:15], "%Y%m%d-%H%M%S")
    except ValueError:
        return None


def stamp_order(stamp: str) -> tuple[str, int]:
    base, _, count = stamp[:15], stamp[15:16], stamp[16:]
    return base, int(count) if count.isdigit() else 1


def list_backups(dirs: AppDirs | None = None) -> list[Backup]:
    """Every kept backup, newest first. Only real folders are looked in: a backups/ folder
    (or one inside it) that is a link may lead outside the data folder, and restoring from
    it would move someone else's files into the lessons."""
    dirs = dirs or AppDirs.default()
    root = dirs.data / "backups"
    found = []
    if not is_real_folder(root):
        return found
    for stamp_dir in sorted(root.glob("*"), key=lambda d: stamp_order(d.name), reverse=True):
        for kind in ("modules", "routes"):
            if not (is_real_folder(stamp_dir) and is_real_folder(stamp_dir / kind)):
                continue
            for path in sorted((stamp_dir / kind).glob("*")):
                found.append(Backup(stamp_dir.name, path, dirs.data / kind / path.name))
    return found


def is_real_folder(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink()


def backups_by_stamp(dirs: AppDirs | None = None) -> dict[str, list[Backup]]:
    """Kept backups grouped by the folder (one import or restore) they were made by, newest
    first."""
    groups: dict[str, list[Backup]] = {}
    for backup in list_backups(dirs):
        groups.setdefault(backup.stamp, []).append(backup)
    return groups


def restore_backup(backup: Backup, dirs: AppDirs | None = None) -> Path:
    """Put a backup back in place; what is there now becomes a backup in its turn."""
    restore_backups([backup], dirs)
    return backup.original


def backups_in(stamp: str, dirs: AppDirs | None = None) -> list[Backup]:
    """What one backups/ folder keeps; BackupError if it is not a kept backup."""
    backups = backups_by_stamp(dirs).get(stamp)
    if not backups:
        raise BackupError(f"no backup called '{stamp}' (edukit import-pack --list-backups "
                          "shows them)")
    return backups


def restore_backups(backups: list[Backup], dirs: AppDirs | None = None) -> str:
    """Move each backup back to where it was installed, by rename; all or nothing. What is
    there now moves to a new backups/ folder first, whose name is returned ("" if nothing was
    displaced). A failure part-way puts everything back as it was."""
    dirs = dirs or AppDirs.default()
    gone = next((b for b in backups if not (b.path.exists() or b.path.is_symlink())), None)
    if gone is not None:
        raise BackupError(f"{gone.path}: the kept copy is no longer there")
    aside_stamp = fresh_stamp(dirs)
    aside_root = dirs.data / "backups" / aside_stamp
    done: list[tuple[Backup, Path | None]] = []  # (restored backup, what it displaced)
    try:
        for backup in backups:
            aside = None
            if backup.original.exists() or backup.original.is_symlink():
                aside = aside_root / backup.original.relative_to(dirs.data)
                aside.parent.mkdir(parents=True, exist_ok=True)
                backup.original.rename(aside)
            done.append((backup, aside))
            backup.original.parent.mkdir(parents=True, exist_ok=True)
            backup.path.rename(backup.original)
    except BaseException:
        undo_restore(done)
        remove_empty_folders(aside_root / "modules", stop=dirs.data / "backups")
        remove_empty_folders(aside_root / "routes", stop=dirs.data / "backups")
        raise
    for backup in backups:
        remove_empty_folders(backup.path.parent, stop=dirs.data / "backups")
    return aside_stamp if any(aside for _, aside in done) else ""


def undo_restore(done: list[tuple[Backup, Path | None]]) -> None:
    for backup, aside in reversed(done):
        if backup.original.exists() and not backup.path.exists():
            backup.original.rename(backup.path)
        if aside is not None and aside.exists():
            aside.rename(backup.original)


def remove_empty_folders(folder: Path, stop: Path) -> None:
    """Remove folder and its parents while they are empty, up to (not including) stop."""
    while folder != stop and folder.is_relative_to(stop):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
