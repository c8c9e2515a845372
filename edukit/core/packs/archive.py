"""A pack's zip read once into memory and checked against edukit's bounds: member names,
links, encryption, sizes and ratio, each member read in full; and its members unpacked."""
from __future__ import annotations

import errno
import io
import lzma
import os
import re
import stat
import struct
import unicodedata
import zipfile
import zlib
from pathlib import Path, PurePosixPath

MAX_FILES = 2000
MAX_UNPACKED_BYTES = 200 * 2**20
MAX_FILE_BYTES = 50 * 2**20
MAX_PACK_BYTES = MAX_UNPACKED_BYTES + 2**20  # the zip itself: its members plus their headers
MAX_RATIO = 100  # uncompressed / compressed, for members over RATIO_FLOOR bytes
RATIO_FLOOR = 2**20
MAX_NAME_BYTES = 200  # a file name; most disks allow 255, and the staging folder adds a prefix
BAD_NAME = re.compile(r"[\x00-\x1f\x7f:\\]")
WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:")
READABLE_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
# What Python's zipfile and its decompressors raise for damaged data, each in plain words.
DAMAGE = ((zipfile.BadZipFile, "it is damaged"), (zlib.error, "its compressed data is corrupt"),
          (lzma.LZMAError, "its compressed data is corrupt"),
          (EOFError, "its data ends before its listed size"),
          (NotImplementedError, "it uses a compression method edukit cannot read"),
          (RuntimeError, "it is encrypted"), (ValueError, "it is damaged"),
          (struct.error, "it is damaged"), (OSError, "its compressed data is corrupt"))


class PackError(Exception):
    """A pack that cannot be installed; the message names the pack and the member."""


def member_kind(info: zipfile.ZipInfo) -> str:
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        return "symlink"
    return "dir" if info.is_dir() else "file"


def check_name(pack: Path, name: str) -> PurePosixPath:
    """The member's path, if it is a plain relative path; PackError otherwise."""
    where = f"{pack.name}: '{name[:120]}'"
    if BAD_NAME.search(name) or WINDOWS_DRIVE.match(name):
        raise PackError(f"{where}: names with drive letters, backslashes or control characters "
                        "are not allowed")
    if name.startswith("/"):
        raise PackError(f"{where}: absolute paths are not allowed")
    path = PurePosixPath(name)
    if ".." in path.parts:
        raise PackError(f"{where}: '..' would write outside the content folder")
    if any(len(part.encode("utf-8")) > MAX_NAME_BYTES for part in path.parts):
        raise PackError(f"{where}: a name in it is longer than {MAX_NAME_BYTES} bytes")
    return path


def check_members(pack: Path, infos: list[zipfile.ZipInfo]) -> list[zipfile.ZipInfo]:
    """Every member checked for names, links, encryption, sizes and ratio; files returned."""
    if len(infos) > MAX_FILES:
        raise PackError(f"{pack.name}: {len(infos)} files; a pack may hold at most {MAX_FILES}")
    files, seen, total = [], set(), 0
    for info in infos:
        check_name(pack, info.filename)
        kind = member_kind(info)
        if kind == "symlink":
            raise PackError(f"{pack.name}: '{info.filename}' is a symbolic link; packs may not "
                            "contain links")
        if info.flag_bits & 0x1:
            raise PackError(f"{pack.name}: '{info.filename}' is encrypted")
        if kind == "file" and info.compress_type not in READABLE_METHODS:
            raise PackError(f"{pack.name}: '{info.filename}' uses compression method "
                            f"{info.compress_type}, which edukit cannot read (zip it again with "
                            "an ordinary zip tool)")
        # The same name for a file system that folds case or Unicode forms (macOS, Windows).
        key = unicodedata.normalize("NFC", info.filename.rstrip("/")).casefold()
        if key in seen:
            raise PackError(f"{pack.name}: '{info.filename}' appears twice")
        seen.add(key)
        if kind == "dir":
            continue
        total += info.file_size
        if info.file_size > MAX_FILE_BYTES or total > MAX_UNPACKED_BYTES:
            raise PackError(f"{pack.name}: unpacks to more than {MAX_UNPACKED_BYTES // 2**20} MB "
                            f"(at '{info.filename}')")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise PackError(f"{pack.name}: '{info.filename}' is compressed {ratio} to 1 — "
                            "refused as a zip bomb")
        files.append(info)
    return files


def common_root(names: list[PurePosixPath]) -> str:
    """The single top-level folder every member sits in (if the pack was zipped from one)."""
    tops = {n.parts[0] for n in names}
    if len(tops) == 1 and all(len(n.parts) > 1 for n in names):
        top = next(iter(tops))
        if top not in ("modules", "routes"):
            return top + "/"
    return ""


def read_pack(pack: Path) -> bytes:
    """The whole pack, read once. Check and install both use these bytes, so a file swapped
    on disk after the check is never what gets installed. Opened without blocking (a FIFO is
    refused, not waited on) and never read past MAX_PACK_BYTES."""
    try:
        fd = os.open(pack, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise PackError(f"{pack}: no such file") from None
    except OSError as exc:
        raise PackError(f"{pack}: cannot read it ({exc.strerror or exc})") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        what = "Is a directory" if stat.S_ISDIR(mode) else "not a regular file"
        raise PackError(f"{pack}: cannot read it ({what})")
    with os.fdopen(fd, "rb") as f:
        try:
            data = f.read(MAX_PACK_BYTES + 1)
        except OSError as exc:
            raise PackError(f"{pack}: cannot read it ({exc.strerror or exc})") from None
    if len(data) > MAX_PACK_BYTES:
        raise PackError(f"{pack.name}: larger than {MAX_PACK_BYTES // 2**20} MB; a pack may "
                        f"unpack to at most {MAX_UNPACKED_BYTES // 2**20} MB")
    return data


def open_zip(pack: Path, data: bytes) -> zipfile.ZipFile:
    """The zip held in data (read_pack's copy); PackError if it is not one."""
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, struct.error) as exc:
        raise PackError(f"{pack.name}: not a zip file ({exc})") from None


def read_member(pack: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The member's bytes, all of them checked against the zip's checksum and listed size; a
    damaged member is a PackError naming it, whatever the decompressor raised."""
    try:
        with zf.open(info) as f:
            data = f.read(min(info.file_size, MAX_FILE_BYTES) + 1)
    except tuple(kind for kind, _ in DAMAGE) as exc:
        reason = next(words for kind, words in DAMAGE if isinstance(exc, kind))
        if "CRC" in str(exc):
            reason = "its checksum does not match its contents"
        raise PackError(f"{pack.name}: '{info.filename}' cannot be read: {reason}; the pack "
                        "is damaged") from None
    if len(data) != info.file_size:
        raise PackError(f"{pack.name}: '{info.filename}' cannot be read: it holds "
                        f"{'more' if len(data) > info.file_size else 'less'} data than the zip "
                        "lists; the pack is damaged")
    return data


def write_item(pack: Path, zf: zipfile.ZipFile, prefix: str, members: tuple[str, ...] | list[str],
               single: bool, dest: Path) -> Path:
    """Unpack one module or route file to dest (a file, or a folder for a module folder)."""
    names = [prefix] if single else [n for n in members if not n.endswith("/")]
    for name in names:
        out = dest if single else dest / name[len(prefix):]
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(read_member(pack, zf, zf.getinfo(name)))
        except (FileExistsError, NotADirectoryError, IsADirectoryError) as exc:
            raise PackError(f"{pack.name}: '{name[:120]}' cannot be unpacked "
                            f"({exc.strerror}: a file and a folder share a name)") from None
        except OSError as exc:
            if exc.errno != errno.ENAMETOOLONG:
                raise
            raise PackError(f"{pack.name}: '{name[:120]}…' cannot be unpacked: its path is "
                            "too long for the disk") from None
    return dest
