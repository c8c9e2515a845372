"""Checking a pack completely before anything is written: its signature, every member, every
module validated and every route file loaded, giving the PackPlan of what installing it does."""
from __future__ import annotations

import os
import re
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from ..library import Root, load_module, module_files
from ..model import Problem
from ..paths import AppDirs, content_dir
from ..provenance import item_key
from ..provenance import load as load_provenance
from ..routes import RouteDirectory, RouteError, load_routes, not_bundled_warning
from ..signing import MANIFEST, SIGNATURE, PackSignature, check_signature, sha256
from ..trust import TrustError, trusted_keys
from ..validate import validate_module
from .archive import (
    PackError,
    check_members,
    common_root,
    open_zip,
    read_member,
    read_pack,
    write_item,
)

TOP_LEVEL_EXTRAS = {"readme.md", "readme.txt", "pack.yaml", "licence.txt", "license.txt",
                    MANIFEST, SIGNATURE}
MAX_WARNINGS = 20  # per module, in the pack summary

Progress = Callable[[int, int, str], None]  # (done, total, what)


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
