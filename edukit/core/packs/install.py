"""Installing a checked pack: unpacked from the checked bytes into a staging folder, then each
item renamed into place, with what it replaces moved to backups/ and its provenance recorded."""
from __future__ import annotations

import json
import shutil
import tempfile
import warnings
from pathlib import Path, PurePosixPath

from ..atomic import write_atomic
from ..backups import fresh_stamp
from ..model import EdukitWarning
from ..paths import AppDirs
from ..provenance import Provenance, item_key, record
from ..signing import blob_line
from .archive import open_zip, write_item
from .check import PackItem, PackPlan, Progress, user_copies
from .recovery import JOURNAL, STAGING_PREFIX, Move, recover_interrupted_imports


def install_pack(plan: PackPlan, dirs: AppDirs | None = None,
                 progress: Progress | None = None) -> list[Path]:
    """Unpack into a staging folder, then rename each item into place; replaced items move to
    backups/. A failure part-way puts back what was already moved; so does the next start
    (recover_interrupted_imports) if the process was killed part-way: the moves are written
    down in the staging folder before the first one, and that note is removed after the last."""
    dirs = dirs or AppDirs.default()
    dirs.data.mkdir(parents=True, exist_ok=True)
    recover_interrupted_imports(dirs)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=dirs.data))
    done: list[tuple[Path, Path | None]] = []  # (installed path, its backup)
    try:
        moves = planned_moves(stage(plan, staging, progress), dirs)
        write_atomic(staging / JOURNAL, json.dumps([[str(p.absolute()) if p else None for p in move]
                                                    for move in moves]).encode("utf-8"))
        for n, (source, target, backup) in enumerate(moves, 1):
            target.parent.mkdir(parents=True, exist_ok=True)
            if backup is not None:
                backup.parent.mkdir(parents=True, exist_ok=True)
                target.rename(backup)
            done.append((target, backup))
            if source is not None:
                source.rename(target)
            if progress:
                progress(n, len(moves), f"in place: {target.name}")
        (staging / JOURNAL).unlink()  # the import is complete from here on
    except BaseException:
        roll_back(done)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    try:
        record(plan_provenance(plan), dirs)
    except OSError as exc:  # installed all the same: only the library's label is missing
        warnings.warn(f"{dirs.data}: could not note where the pack's lessons came from "
                      f"({exc.strerror or exc})", EdukitWarning, stacklevel=2)
    return [target for source, target, _ in moves if source is not None]


def plan_provenance(plan: PackPlan) -> dict[str, Provenance]:
    """Where each item of the plan comes from: the manifest's name, version and publisher (an
    unsigned pack without one: the zip's name)."""
    sig = plan.signature
    manifest = sig.manifest if sig else None
    source = Provenance(manifest.name if manifest else plan.pack.stem,
                        manifest.version if manifest else "",
                        manifest.publisher if manifest else "",
                        sig.trusted_name if sig and sig.may_change_helplines else "",
                        blob_line(sig.key) if sig and sig.key else "")
    return {item_key(i.kind, i.name): source for i in plan.items}


def planned_moves(staged: list[tuple[PackItem, Path]], dirs: AppDirs) -> list[Move]:
    """(staged source, target, backup of what the target holds now, if anything). A user copy
    of the same module elsewhere (a.md when the pack has a/, or another file with that id) is
    moved to the backup too, with no source: two modules with one id would be an error."""
    stamp = fresh_stamp(dirs)

    def backup_of(path: Path) -> Path:
        return dirs.data / "backups" / stamp / path.relative_to(dirs.data)
    moves: list[Move] = []
    for item, source in staged:
        target = target_path(item, dirs)
        if item.kind == "module":
            moves += [(None, other, backup_of(other)) for other in user_copies(item.name, dirs)
                      if other != target]
        exists = target.exists() or target.is_symlink()
        moves.append((source, target, backup_of(target) if exists else None))
    return moves


def stage(plan: PackPlan, staging: Path, progress: Progress | None) -> list[tuple[PackItem, Path]]:
    """Write every item under staging/ from the checked bytes (never the pack's path again)."""
    staged = []
    with open_zip(plan.pack, plan.data) as zf:
        for n, item in enumerate(plan.items):
            if progress:
                progress(n + 1, len(plan.items), f"{item.kind} {item.name}")
            single = item.kind == "routes" or item.single_file
            out = staging / (f"{n}-{PurePosixPath(item.prefix).name}" if single else str(n))
            staged.append((item, write_item(plan.pack, zf, item.prefix, item.members, single, out)))
    return staged


def target_path(item: PackItem, dirs: AppDirs) -> Path:
    if item.kind == "routes":
        return dirs.data / "routes" / item.name
    return dirs.user_modules / (f"{item.name}.md" if item.single_file else item.name)


def roll_back(done: list[tuple[Path, Path | None]]) -> None:
    for target, backup in reversed(done):
        if target.is_dir():
            shutil.rmtree(target, ignore_errors=True)
        else:
            target.unlink(missing_ok=True)
        if backup is not None:
            backup.rename(target)
