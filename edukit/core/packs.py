"""Content packs: a zip of lesson modules (and route directories) installed into the user's
content folder — checked before anything is written, validated, installed by rename, with the
modules it replaces kept as backups that can be restored (edukit.core.backups).

Pack layout: `modules/<id>/module.md` (+ files beside it), `modules/<id>.md`,
`routes/<region>.yaml`, and optionally `README.md` / `pack.yaml` at the top, all possibly
inside one top-level folder; a published pack also has `manifest.json` (every member's SHA-256)
and `manifest.json.sig` (its publisher's signature; edukit.core.signing). A pack that does not
match its manifest or signature is refused whole; only a trusted publisher's signed pack may
install route files (they change the helplines every handout prints).

What was checked is what is installed: the pack is read once into memory (read_pack) and both
the check and the install read that copy, never the path again. The check reads every member
in full (a damaged one is refused by name) and validates every module as `edukit validate` does.
"""
from __future__ import annotations

import errno
import io
import json
import lzma
import os
import re
import shutil
import stat
import struct
import tempfile
import unicodedata
import warnings
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from .atomic import write_atomic
from .backups import fresh_stamp, remove_empty_folders
from .library import Root, load_module, module_files
from .model import EdukitWarning, Problem
from .paths import IMPORT_STAGING_PREFIX, AppDirs, content_dir
from .provenance import Provenance, item_key, record
from .provenance import load as load_provenance
from .routes import RouteDirectory, RouteError, load_routes, not_bundled_warning
from .signing import MANIFEST, SIGNATURE, PackSignature, blob_line, check_signature, sha256
from .trust import TrustError, trusted_keys
from .validate import validate_module

MAX_FILES = 2000
MAX_UNPACKED_BYTES = 200 * 2**20
MAX_FILE_BYTES = 50 * 2**20
MAX_PACK_BYTES = MAX_UNPACKED_BYTES + 2**20  # the zip itself: its members plus their headers
MAX_RATIO = 100  # uncompressed / compressed, for members over RATIO_FLOOR bytes
RATIO_FLOOR = 2**20
TOP_LEVEL_EXTRAS = {"readme.md", "readme.txt", "pack.yaml", "licence.txt", "license.txt",
                    MANIFEST, SIGNATURE}
MAX_WARNINGS = 20  # per module, in the pack summary
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

Progress = Callable[[int, int, str], None]  # (done, total, what)


class PackError(Exception):
    """A pack that cannot be installed; the message names the pack and the member."""


@dataclass(frozen=True)
class PackItem:
    """One module or route file in a pack and what installing it does."""

    kind: str  # "module" | "routes"
    name: str  # module id, or the route file name
    title: str
    members: tuple[str, ...]  # zip names, in pack order
    prefix: str  # zip folder (module) or zip name (routes) the members sit under
    action: str  # "add" | "replace" (a user copy) | "shadow" (hides a bundled module)
    single_file: bool = False


@dataclass
class PackPlan:
    """What a checked pack will install. Nothing has been written when this exists."""

    pack: Path
    items: list[PackItem]
    warnings: list[Problem] = field(default_factory=list)
    data: bytes = field(default=b"", repr=False)  # the checked bytes: install reads only these
    signature: PackSignature | None = None
    refused: list[str] = field(default_factory=list)  # route files it may not install, and why
    updates: list[str] = field(default_factory=list)  # "updates pack X from version A to B"

    def summary(self) -> list[str]:
        """Who signed the pack, then one line per module or route file, in plain words."""
        verbs = {"add": "add", "replace": "replace your copy of", "shadow": "add (in place of "
                 "the bundled lesson)"}
        lines = [f"{verbs[i.action]} {i.kind} '{i.name}'" + (f" — {i.title}" if i.title else "")
                 if (i.kind, i.action) != ("routes", "shadow") else
                 f"add routes '{i.name}' (in place of the bundled helplines for that region)"
                 for i in self.items]
        if self.signature is not None:
            lines.insert(0, self.signature.describe())
        lines[1:1] = self.updates
        lines += self.refused
        added = sum(i.action != "replace" for i in self.items)
        replaced = len(self.items) - added
        lines.append(f"{added} to add, {replaced} to replace (replaced ones are kept as backups)")
        return lines


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


def group_items(pack: Path, files: list[zipfile.ZipInfo]) -> dict[tuple[str, str], list[str]]:
    """Members grouped by the module folder, module file or route file they belong to."""
    root = common_root([PurePosixPath(i.filename) for i in files])
    groups: dict[tuple[str, str], list[str]] = {}
    for info in files:
        rel = PurePosixPath(info.filename[len(root):])
        parts = rel.parts
        if len(parts) == 1 and parts[0].lower() in TOP_LEVEL_EXTRAS:
            continue
        if parts[:1] == ("modules",) and len(parts) == 2 and parts[1].lower() == "readme.md":
            continue  # the library never lists modules/README.md: it is not a lesson
        if parts[0] == "modules" and len(parts) == 2 and rel.suffix == ".md":
            groups.setdefault(("file", root + str(rel)), []).append(info.filename)
        elif parts[0] == "modules" and len(parts) >= 3:
            groups.setdefault(("folder", f"{root}modules/{parts[1]}/"), []).append(info.filename)
        elif parts[0] == "routes" and len(parts) == 2 and rel.suffix == ".yaml":
            groups.setdefault(("routes", root + str(rel)), []).append(info.filename)
        else:
            raise PackError(f"{pack.name}: '{info.filename}' is not part of a module or route "
                            "directory (a pack holds modules/ and routes/)")
    if not groups:
        raise PackError(f"{pack.name}: no modules or routes found "
                        "(expected modules/<id>/module.md)")
    return groups


def check_pack(pack: Path, dirs: AppDirs | None = None, bundled_ids: set[str] | None = None,
               progress: Progress | None = None,
               trusted: dict[bytes, str] | None = None) -> PackPlan:
    """Check a pack completely without writing anything in the user's folders (members are
    unpacked to a private temporary folder to be validated); PackError says what is wrong.
    trusted: the keys of publishers the school trusts (default: the trust list)."""
    dirs = dirs or AppDirs.default()
    data = read_pack(pack)
    if trusted is None:
        try:
            trusted = trusted_keys(dirs)
        except TrustError as exc:
            raise PackError(str(exc)) from None
    signature = pack_signature(pack, data, trusted)
    try:
        items, warnings = check_items(pack, data, dirs, bundled_ids or set(), progress)
    except OSError as exc:  # the temporary folder, not the pack: full, or not writable
        raise PackError(f"{pack.name}: could not be unpacked in {tempfile.gettempdir()} to be "
                        f"checked ({exc.strerror or exc})") from None
    ids = [i.name for i in items if i.kind == "module"]
    if len(ids) != len(set(ids)):
        dup = next(i for i in ids if ids.count(i) > 1)
        raise PackError(f"{pack.name}: two modules have the id '{dup}'")
    refused = [] if signature.may_change_helplines else [
        f"refused route file '{i.prefix}': only a pack signed by a publisher you trust may "
        f"change helplines ({signature.why_not_trusted()})" for i in items if i.kind == "routes"]
    items = [i for i in items if signature.may_change_helplines or i.kind != "routes"]
    return PackPlan(pack, items, warnings, data, signature, refused,
                    version_updates(items, signature, dirs))


def version_updates(items: list[PackItem], signature: PackSignature, dirs: AppDirs) -> list[str]:
    """One line per earlier version of this pack that the import updates in place."""
    if signature.manifest is None:
        return []
    known = load_provenance(dirs)
    name, version = signature.manifest.name, signature.manifest.version
    before = sorted({p.version for i in items if (p := known.get(item_key(i.kind, i.name)))
                     and p.pack == name and p.version != version}, key=version_key)
    if not before:
        return []
    if version_key(before[-1]) > version_key(version):
        raise PackError(f"{signature.manifest.name}: this is version {version}, older than "
                        f"version {before[-1]} you have installed; nothing was written (an older "
                        "pack could bring back lessons or helplines its publisher has since "
                        "corrected; import-pack --restore puts back an earlier copy you kept)")
    line = (f"updates pack '{name}' from version {', '.join(before)} to {version} (the older "
            "copies are kept as backups)")
    return [line]


def version_key(version: str) -> tuple:
    """Orders '2026.10' after '2026.9' and '1.2' after '1.2-rc1': numbers compare as numbers,
    and a version that only adds a suffix (a pre-release) sorts before the bare one."""
    parts = re.findall(r"\d+|[^\d.\-_ ]+", version.casefold())
    return tuple((0, int(p), "") if p.isdigit() else (-1, 0, p) for p in parts) + ((0, -1, ""),)


def pack_signature(pack: Path, data: bytes, trusted: dict[bytes, str]) -> PackSignature:
    """Who signed the pack; PackError, before anything is unpacked, if its signature is broken
    or any member differs from its manifest (changed, added or missing)."""
    with open_zip(pack, data) as zf:
        manifest, signature, hashes, _root = signature_members(pack, zf)
    result = check_signature(manifest, signature, hashes, trusted)
    if result.problems:
        shown = result.problems[:10] + ([f"and {len(result.problems) - 10} more"]
                                        if len(result.problems) > 10 else [])
        raise PackError(f"{pack.name}: refused: " + "; ".join(shown)
                        + "; nothing was installed")
    return result


def signature_members(pack: Path, zf: zipfile.ZipFile
                      ) -> tuple[bytes | None, bytes | None, dict[str, str], str]:
    """The pack's manifest and signature (None where absent), every other file's SHA-256 by
    its name below the pack's top folder, and that folder ('' if none)."""
    files = check_members(pack, zf.infolist())
    root = common_root([PurePosixPath(i.filename) for i in files])
    manifest = signature = None
    hashes = {}
    for info in files:
        name = info.filename[len(root):]
        data = read_member(pack, zf, info)
        if name == MANIFEST:
            manifest = data
        elif name == SIGNATURE:
            signature = data
        else:
            hashes[name] = sha256(data)
    return manifest, signature, hashes, root


def check_items(pack: Path, data: bytes, dirs: AppDirs, bundled_ids: set[str],
                progress: Progress | None) -> tuple[list[PackItem], list[Problem]]:
    """Every member checked, then every module and route file, unpacked in a private
    temporary folder that is removed after."""
    with open_zip(pack, data) as zf, tempfile.TemporaryDirectory(prefix="edukit-pack-") as tmp:
        files = check_members(pack, zf.infolist())
        groups = group_items(pack, files)
        items, warnings = [], []
        for n, ((kind, prefix), members) in enumerate(sorted(groups.items())):
            if progress:
                progress(n + 1, len(groups), prefix)
            item, found = plan_item(pack, zf, kind, prefix, members, dirs, bundled_ids,
                                    Path(tmp))
            items.append(item)
            warnings += found
    return items, warnings


def plan_item(pack: Path, zf: zipfile.ZipFile, kind: str, prefix: str, members: list[str],
              dirs: AppDirs, bundled_ids: set[str], tmp: Path) -> tuple[PackItem, list[Problem]]:
    """What installing one module or route file does, checked in tmp, where the pack is
    unpacked as it will be installed (modules/, routes/: names in a pack are unique)."""
    if kind == "routes":
        name = PurePosixPath(prefix).name
        (tmp / "routes").mkdir(exist_ok=True)
        found = check_routes(pack, prefix, write_item(pack, zf, prefix, members, True,
                                                      tmp / "routes" / name))
        if (dirs.data / "routes" / name).exists():
            action = "replace"
        else:  # a pack's uk.yaml takes the place of the bundled helplines: say so
            action = "shadow" if (content_dir() / "routes" / name).is_file() else "add"
        where = f"{pack.name}:{prefix}"
        changes = not_bundled_warning(replace(found, path=where, origin="pack"))
        return (PackItem("routes", name, "", tuple(members), prefix, action),
                [Problem(where, 1, "warning", changes, helpline=True)])
    text_name = prefix if kind == "file" else prefix + "module.md"
    if text_name not in members:
        raise PackError(f"{pack.name}: '{prefix}' has no module.md")
    single = kind == "file"
    where = tmp / "modules" / PurePosixPath(prefix).name
    where.parent.mkdir(exist_ok=True)
    write_item(pack, zf, prefix, members, single, where)
    module = load_module(where if single else where / "module.md", "user")
    # Everything `edukit validate` checks but the reading level: that is advice, not safety,
    # and its word list costs seconds and ~75 MB to load (measured 4.5 s for the bundled 15).
    problems = in_pack(validate_module(module, reading_level=False), pack, prefix, where)
    errors = [p for p in problems if p.is_error]
    if errors:
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        raise PackError("; ".join(str(p) for p in errors[:5]) + more)
    module_id = module.id
    if user_copies(module_id, dirs):
        action = "replace"
    else:
        action = "shadow" if module_id in bundled_ids else "add"
    item = PackItem("module", module_id, module.meta.title, tuple(members), prefix, action,
                    single_file=single)
    return item, problems


def in_pack(problems: list[Problem], pack: Path, prefix: str, where: Path) -> list[Problem]:
    """Problems found in the temporary copy, named by the file inside the pack instead; at
    most MAX_WARNINGS warnings, then one line saying how many more (all errors are kept)."""
    base = str(where)
    named, warnings = [], 0
    for problem in problems:
        if not problem.is_error:
            warnings += 1
            if warnings > MAX_WARNINGS:
                continue
        path = problem.path
        if path == base:
            path = f"{pack.name}:{prefix}"
        elif path.startswith(base + os.sep):
            path = f"{pack.name}:{prefix}" + path[len(base) + 1:].replace(os.sep, "/")
        named.append(replace(problem, path=path))
    if warnings > MAX_WARNINGS:
        text = prefix if prefix.endswith(".md") else prefix + "module.md"
        named.append(Problem(f"{pack.name}:{text}", 1, "warning",
                             f"and {warnings - MAX_WARNINGS} more warnings in this module "
                             "(edukit validate lists them all once it is installed)"))
    return named


def check_routes(pack: Path, member: str, path: Path) -> RouteDirectory:
    """Refuse a route file the app could not use: installed, it would hide the bundled one
    and take the helplines off every handout of its region."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*\.yaml", path.name):
        raise PackError(f"{pack.name}: '{member}': a route file is named <region>.yaml, with "
                        "lower-case letters, digits and dashes")
    try:
        directory = load_routes(path)
    except (RouteError, RecursionError) as exc:
        reason = " ".join(exc.message.split()) if isinstance(exc, RouteError) else \
            "nested too deeply"
        raise PackError(f"{pack.name}: '{member}': {reason}") from None
    if not directory.routes:
        raise PackError(f"{pack.name}: '{member}': lists no routes")
    return directory


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


STAGING_PREFIX, JOURNAL = IMPORT_STAGING_PREFIX, "moves.json"


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


Move = tuple[Path | None, Path, Path | None]  # (staged source or None, target, its backup)


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


def user_copies(module_id: str, dirs: AppDirs) -> list[Path]:
    """The user's modules with this id, as the folder or file that holds each."""
    base = dirs.user_modules
    if not base.is_dir():
        return []
    try:
        files = module_files(Root(dirs.data, "user"))
    except OSError:
        return []
    named = {base / module_id, base / f"{module_id}.md"}
    return [path.parent if path.parent != base else path for path in files
            if (path.parent if path.parent != base else path) in named
            or load_module(path, "user").id == module_id]


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
