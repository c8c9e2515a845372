"""Write files so a crash leaves either the old file or the new one, never half of either."""
from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes, overwrite: bool = True) -> None:
    """Write to a temporary file beside `path`, fsync it, then rename it over `path`. With
    overwrite=False the file is created exclusively: if `path` exists (or appears meanwhile,
    from another export racing this one) FileExistsError is raised and it is left untouched."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = file_mode(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, mode)  # mkstemp's 0600 would make a shared handout unreadable to others
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            publish_new(Path(tmp), path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    sync_folder(path.parent)


def publish_new(tmp: Path, path: Path) -> None:
    """Give the finished temporary file its final name only if that name is free, in one step
    (a hard link fails if the name exists). Where links are not supported (FAT, exFAT, some
    network shares), the name is claimed with O_EXCL first and then replaced whole (a crash
    in that moment leaves an empty file under the name, never a half-written one)."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise taken(path) from None
    except OSError:
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            raise taken(path) from None
        os.replace(tmp, path)
    else:
        tmp.unlink()


def taken(path: Path) -> FileExistsError:
    return FileExistsError(errno.EEXIST, f"{path} already exists; it was left as it is "
                           "(give --overwrite to replace it)", str(path))


def file_mode(path: Path) -> int:
    """The mode the file has now, or the one a plain open() would give a new file."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~current_umask()


def current_umask() -> int:
    try:  # Linux: read it without changing it (os.umask would, for every thread, briefly)
        with open("/proc/self/status", encoding="ascii") as f:
            return next(int(line.split()[1], 8) for line in f if line.startswith("Umask:"))
    except (OSError, StopIteration, ValueError, IndexError):
        mask = os.umask(0o022)
        os.umask(mask)
        return mask


def sync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX); a folder that cannot be opened is left as it is."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
