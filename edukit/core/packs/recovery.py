"""Undoing an import that was killed part-way, on the next start: its note of moves obeyed
only if every path in it is one an import could have written."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from ..backups import remove_empty_folders
from ..model import Problem
from ..paths import IMPORT_STAGING_PREFIX, AppDirs

STAGING_PREFIX, JOURNAL = IMPORT_STAGING_PREFIX, "moves.json"

Move = tuple[Path | None, Path, Path | None]  # (staged source or None, target, its backup)


def recover_interrupted_imports(dirs: AppDirs) -> list[Problem]:
    """Undo an import whose process was killed part-way (its staging folder is still there):
    what it moved in is taken out, what it moved aside is put back. A warning for each.
    The note of moves is obeyed only if every path in it is one an import could have written
    (journal_moves); otherwise nothing is moved, the staging folder is set aside, and the
    warning says so: a tampered note must not move or delete anything outside the data folder."""
    undone = []
    for staging in sorted(dirs.data.glob(STAGING_PREFIX + "*")):
        moves, refused = journal_moves(staging, dirs)
        if refused:
            aside = set_aside(staging, dirs)
            undone.append(Problem(str(staging / JOURNAL), 1, "warning",
                                  f"the note of an interrupted import was ignored ({refused}); "
                                  f"nothing was moved, and it was set aside as {aside.name}"))
            continue
        for source, target, backup in reversed(moves):
            undo_move(source, target, backup, dirs)
        if moves:
            undone.append(Problem(str(staging), 1, "warning", "an import was stopped part-way; "
                                  "what it had installed was taken out again"))
        shutil.rmtree(staging, ignore_errors=True)
    return undone


def journal_moves(staging: Path, dirs: AppDirs) -> tuple[list[Move], str]:
    """The moves noted in staging's journal, or why the note is not to be obeyed. An unreadable
    note means none was written (it is written atomically, before the first move)."""
    if staging.is_symlink() or not staging.is_dir():
        return [], "the import folder is not a plain folder"
    journal = staging / JOURNAL
    try:
        entries = json.loads(journal.read_text(encoding="utf-8")) if journal.is_file() else []
    except (OSError, ValueError):
        return [], ""
    if not isinstance(entries, list) or not all(
            isinstance(e, list) and len(e) == 3 and all(isinstance(p, (str, type(None))) for p in e)
            and isinstance(e[1], str) for e in entries):
        return [], "it is not a list of moves"
    moves = [(Path(s) if s else None, Path(t), Path(b) if b else None) for s, t, b in entries]
    for move in moves:
        wrong = wrong_path(move, staging.absolute(), dirs.data.absolute())
        if wrong:
            return [], wrong[:200]
    return moves, ""


def wrong_path(move: Move, staging: Path, data: Path) -> str:
    """Why a noted move is not one install_pack makes, or "". Sources are in the staging
    folder, targets in modules/ or routes/, backups in backups/<stamp>/ mirroring the target;
    each checked by name (no '..') and by where its folder really is (no link leading out)."""
    source, target, backup = move
    if source is not None and source.parent != staging:
        return f"'{source}' is not in the import's own folder"
    if not inside(target, [data / "modules", data / "routes"], data):
        return f"'{target}' is outside the lessons and routes in {data}"
    if backup is not None:
        if not inside(backup, [data / "backups"], data):
            return f"'{backup}' is outside the backups in {data}"
        if backup.relative_to(data / "backups").parts[1:] != target.relative_to(data).parts:
            return f"'{backup}' is not a backup of '{target}'"
    return ""


def inside(path: Path, folders: list[Path], data: Path) -> bool:
    """path is below one of folders by its name and where its parent folder really is."""
    if not path.is_absolute() or ".." in path.parts:
        return False
    for folder in folders:
        if path.is_relative_to(folder) and path != folder:
            real = folder.resolve()
            real_parent = path.parent.resolve()
            return real.is_relative_to(data.resolve()) and real_parent.is_relative_to(real)
    return False


def set_aside(staging: Path, dirs: AppDirs) -> Path:
    """Move a refused import folder out of the way (kept to be looked at, never read again)."""
    aside = dirs.data / f"refused-{staging.name.lstrip('.')}"
    try:
        staging.rename(aside)
    except OSError:
        if staging.is_symlink():
            staging.unlink(missing_ok=True)
        else:
            shutil.rmtree(staging, ignore_errors=True)
    return aside


def undo_move(source: Path | None, target: Path, backup: Path | None, dirs: AppDirs) -> None:
    # A source no longer in staging was moved in; None: only moved aside
    moved_in = source is not None and not (source.exists() or source.is_symlink())
    if moved_in and (target.exists() or target.is_symlink()):
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        else:
            target.unlink()
    if backup is not None and backup.exists() and not target.exists():
        backup.rename(target)
        remove_empty_folders(backup.parent, stop=dirs.data.absolute() / "backups")
