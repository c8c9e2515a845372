"""Find lesson modules on the content path (bundled, user, --content) and load them, cached by mtime."""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

from . import yaml_cache
from .files import read_regular
from .frontmatter import MAX_TITLE, load_yaml, read_meta, split_front_matter
from .markdown.title_block import title_block
from .model import Meta, Module, Problem
from .paths import AppDirs, content_dir
from .provenance import Provenance, load_from, revoked_routes, routes_source
from .routes import RouteDirectory, RouteError, find_routes, not_bundled_warning
from .text import MAX_MODULE_BYTES, decode_source, length_problem, size_problem
from .yaml_cache import read_yaml_file

PRECEDENCE = {"bundled": 0, "user": 1, "extra": 2, "file": 3}


@dataclass(frozen=True)
class Root:
    """A folder of modules and where it came from."""

    path: Path
    origin: str  # "bundled" | "user" | "extra"

    @property
    def modules_dir(self) -> Path:
        sub = self.path / "modules"
        return sub if sub.is_dir() else self.path

    @property
    def routes_dir(self) -> Path:
        return self.path / "routes"


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "module"


def default_id(path: Path) -> str:
    return slugify(path.parent.name if path.name == "module.md" else path.stem)


def load_module(path: Path, origin: str, topics: set[str] | None = None) -> Module:
    """Read one module file; every problem is recorded on the Module, nothing raises."""
    where = str(path)
    fallback_id = default_id(path)
    try:
        data, size = read_bounded(path)
    except OSError as exc:
        problem = Problem(where, 1, "error", f"cannot read file: {exc.strerror or exc}")
        return Module(read_meta({}, {}, where, 1, fallback_id)[0], path, origin, problems=(problem,),
                      loaded=False)
    text, problems = decode_source(data, where) if size <= MAX_MODULE_BYTES else ("", [])
    too_big = size_problem(size, where) or length_problem(text, where)
    if too_big:  # refused whole: rendering it could freeze the app
        return Module(read_meta({}, {}, where, 1, fallback_id)[0], path, origin, problems=(too_big,),
                      loaded=False)
    titles, text, skipped = title_block(text)  # Pandoc's `% title / % author / % date`
    yaml_text, body, body_line, front_problems = split_front_matter(text, where)
    body_line += skipped
    front, key_lines = {}, {}
    if yaml_text is not None:
        front, key_lines, yaml_problems = load_yaml(yaml_text, where, 2 + skipped)
        front_problems += yaml_problems
    if titles and (front is None or isinstance(front, dict)):
        front = {**titles, **(front or {})}  # YAML after the title block has the last word
    problems += front_problems
    readable = not any(p.is_error for p in front_problems)
    meta, meta_problems = read_meta(front, key_lines, where, 2, fallback_id,
                                    strict=origin == "bundled", topics=topics, readable=readable)
    untitled = not (isinstance(front, dict) and front.get("title"))
    if untitled and readable and origin != "bundled" and (front is None or isinstance(front, dict)):
        meta, missing = title_fallback(meta, body, path, body_line)  # (broken front matter
        meta_problems.append(missing)  # is reported already, and keeps the folder's name)
    return Module(meta, path, origin, body, body_line, tuple(problems + meta_problems))


def title_fallback(meta: Meta, body: str, path: Path, body_line: int) -> tuple[Meta, Problem]:
    """A file from another tool with no `title`: its first `# heading`, else its file name,
    and a warning saying which (Pandoc and Quarto decks often carry no title)."""
    # Imported here: only such a file needs the Markdown helpers (not the app's start-up).
    from .markdown.blocks import code_lines
    from .markdown.slides import heading

    lines = body.split("\n")
    code = code_lines(lines)
    for i, line in enumerate(lines):
        if i not in code and (h := heading(line)) and h[0] == 1 and h[1].strip():
            title = strip_inline_markup(h[1])[:MAX_TITLE]
            return (replace(meta, title=title, title_from="heading"),
                    Problem(str(path), body_line + i, "warning",
                            f"no 'title' in the front matter: using the first heading '{title}'"))
    title = path.parent.name if path.name == "module.md" else path.stem
    return (replace(meta, title=title, title_from="file name"),
            Problem(str(path), 1, "warning",
                    f"no 'title' in the front matter and no '# heading': using the file name "
                    f"'{title}'"))


def strip_inline_markup(text: str) -> str:
    """A heading's words without Marp's `<!-- fit -->`, tags or emphasis marks."""
    text = re.sub(r"<!--.*?-->|<[^>]*>", "", text)
    return re.sub(r"[*_`]+", "", text).strip() or text


def read_bounded(path: Path) -> tuple[bytes, int]:
    """At most MAX_MODULE_BYTES + 1 bytes of a regular file, and its size. Anything else (a
    link to a pipe or a device, which would block or never end) is an OSError."""
    return read_regular(path, MAX_MODULE_BYTES)


def file_id(path: Path, declared: str) -> str:
    """The id of a file opened by path: its declared id (or file name) and a digest of where it
    is, so two files that declare the same id are two modules, and neither is a library one."""
    digest = hashlib.sha256(os.fsencode(path)).hexdigest()[:12]
    return f"{declared[:60]}-file-{digest}"


def module_files(root: Root) -> list[Path]:
    """Module folders' module.md, then single .md files; raises OSError if unreadable
    (Path.glob would silently find nothing)."""
    base = root.modules_dir
    names = sorted(os.listdir(base))
    folders = [base / n / "module.md" for n in names if present(base / n / "module.md")]
    singles = [base / n for n in names
               if n.lower().endswith(".md") and n.lower() != "readme.md" and present(base / n)]
    return folders + singles


def present(path: Path) -> bool:
    """A file, or a link that claims to be one (a broken link is reported, not hidden)."""
    return path.is_file() or (path.is_symlink() and not path.is_dir())


def load_topics(path: Path) -> set[str] | None:
    try:
        data = read_yaml_file(path)
    except (OSError, yaml_cache.YAMLError):
        return None
    topics = data.get("topics") if isinstance(data, dict) else None
    return set(topics) if isinstance(topics, (dict, list)) else None


def load_topic_labels(path: Path) -> dict[str, str]:
    """Topic id → the label people read ("ai-images" → "AI images"), from topics.yaml's
    `labels:`; empty when the file or the key is missing."""
    try:
        data = read_yaml_file(path)
    except (OSError, yaml_cache.YAMLError):
        return {}
    labels = data.get("labels") if isinstance(data, dict) else None
    if not isinstance(labels, dict):
        return {}
    return {str(k): str(v) for k, v in labels.items() if isinstance(v, str)}


def file_stamp(path: Path) -> tuple[int, int]:
    """(mtime, size): a file whose stamp is unchanged is not read again."""
    try:
        st = path.stat()
    except OSError:
        return (0, 0)
    return (st.st_mtime_ns, st.st_size)


def files_of(root: Root) -> list[Path]:
    """A root's module files; none when it is missing or unreadable (refresh says so)."""
    try:
        return module_files(root) if root.path.is_dir() else []
    except OSError:
        return []


class Library:
    """All modules on the content path; a module in a later root shadows one with the same id."""

    def __init__(self, roots: list[Root]):
        self.roots = roots
        self.topics = load_topics(content_dir() / "topics.yaml")
        self.topic_labels = load_topic_labels(content_dir() / "topics.yaml")
        self._cache: dict[Path, tuple[tuple[int, int], Module]] = {}
        self._routes: dict[str, RouteDirectory | None] = {}
        self._opened: dict[Path, tuple[Module, Module]] = {}  # by path: as read, as opened
        self._route_warnings: dict[str, Problem] = {}  # region -> "not bundled" warning
        self.all: list[Module] = []  # every module found, shadowed ones included
        self.problems: list[Problem] = []  # about roots and ids, not single files
        self.by_id: dict[str, Module] = {}

    @classmethod
    def default(cls, extra: list[Path] | None = None, dirs: AppDirs | None = None) -> Library:
        """The bundled lessons, the user's and `extra` folders. (The app and the CLI open it
        through edukit.core.startup.open_library, which first undoes an interrupted import.)"""
        dirs = dirs or AppDirs.default()
        roots = [Root(content_dir(), "bundled"), Root(dirs.data, "user")]
        roots += [Root(Path(p), "extra") for p in extra or []]
        library = cls(roots)
        library.refresh()
        return library

    def refresh(self) -> None:
        """Rescan every root; files whose mtime and size are unchanged are not re-read."""
        self.problems, found = [], []
        for root in self.roots:
            if root.origin != "user" and not root.path.is_dir():
                self.problems.append(Problem(str(root.path), 1, "error", "content folder not found"))
                continue
            try:
                files = module_files(root) if root.path.is_dir() else []
            except OSError as exc:
                self.problems.append(Problem(str(root.path), 1, "error", f"cannot read folder: {exc}"))
                continue
            found += [self.cached(path, root.origin) for path in files]
        self.all = found
        self.by_id = self.effective(found)

    def cached(self, path: Path, origin: str) -> Module:
        stamp = file_stamp(path)
        hit = self._cache.get(path)
        if hit and hit[0] == stamp and hit[1].origin == origin:
            return hit[1]
        module = load_module(path, origin, self.topics)
        self._cache[path] = (stamp, module)
        return module

    def read_changed(self, also: list[Path] | None = None) -> dict[Path, tuple[tuple[int, int], Module]]:
        """Read every module file (and each of `also`, opened by path) that changed since it
        was last read, without changing the library. The app runs this off the UI thread and
        hands the result to `take`, so a lesson edited on disk is never read while the window
        waits: the refresh that follows finds it read."""
        fresh: dict[Path, tuple[tuple[int, int], Module]] = {}
        wanted = [(path, root.origin) for root in self.roots for path in files_of(root)]
        for path, origin in wanted + [(path, "file") for path in also or []]:
            stamp, hit = file_stamp(path), self._cache.get(path)
            if not (hit and hit[0] == stamp and hit[1].origin == origin):
                fresh[path] = (stamp, load_module(path, origin, self.topics))
        return fresh

    def take(self, fresh: dict[Path, tuple[tuple[int, int], Module]]) -> None:
        """Keep modules read_changed read (on the UI thread, where the library is used)."""
        self._cache.update(fresh)

    def effective(self, modules: list[Module]) -> dict[str, Module]:
        """Pick one module per id: user and --content modules shadow bundled ones."""
        chosen: dict[str, Module] = {}
        for module in modules:
            held = chosen.get(module.id)
            if held is None:
                chosen[module.id] = module
            elif held.origin == "bundled" and module.origin != "bundled":
                chosen[module.id] = replace(module, shadows=held.path)
            else:
                self.problems.append(Problem(
                    str(module.path), 1, "error", f"duplicate id '{module.id}' (also {held.path})"))
        return chosen

    @property
    def modules(self) -> list[Module]:
        return sorted(self.by_id.values(), key=sort_key)

    def get(self, module_id: str) -> Module | None:
        return self.by_id.get(module_id)

    def resolve(self, ref: str) -> Module:
        """A module by id, or by path to a Markdown file or a module folder."""
        if ref in self.by_id:
            return self.by_id[ref]
        path = Path(ref)
        if path.is_dir() and (path / "module.md").is_file():
            path = path / "module.md"
        if path.is_file():
            return self.opened_file(path.resolve())
        raise LookupError(f"no module with id or path '{ref}' (try 'edukit list')")

    def opened_file(self, path: Path) -> Module:
        """A module opened by path. One of the library's own files is that module; any other
        file gets an id of its own, made from its path: whatever its front matter says, it
        must not take over a library lesson's id (the recent list, history, settings and the
        app's pages would then lead to it), nor another opened file's."""
        known = next((m for m in self.by_id.values() if m.path.resolve() == path), None)
        if known is not None:
            return known
        module = self.cached(path, "file")
        held = self._opened.get(path)
        if held and held[0] is module and held[1].id not in self.by_id:
            return held[1]  # unchanged on disk: the same object (a reload sees no change)
        module_id = file_id(path, module.id)
        while module_id in self.by_id:  # only a library made to collide gets here
            module_id += "-x"
        opened = replace(module, meta=replace(module.meta, id=module_id))
        self._opened[path] = (module, opened)
        return opened

    def route_dirs(self) -> list[Path]:
        return [root.routes_dir for root in self.route_roots()]

    def route_roots(self) -> list[Root]:
        return [root for root in self.roots if root.routes_dir.is_dir()]

    @property
    def user_data(self) -> Path | None:
        """The user's data folder (their lessons, installed packs), if the library has one."""
        return next((root.path for root in self.roots if root.origin == "user"), None)

    def packs(self) -> dict[str, Provenance]:
        """The provenance recorded in the user data folder: which pack each item came from."""
        return load_from(self.user_data) if self.user_data is not None else {}

    def routes_source(self, routes: RouteDirectory | None, region: str) -> str:
        """Who vouches for a route directory of this library (provenance.routes_source)."""
        return routes_source(routes, region, self.user_data) if self.user_data is not None else ""

    def routes(self, region: str) -> RouteDirectory | None:
        """The route directory for a region, or None if there is none. A broken file is
        reported and passed over for the next one down (a user's or a pack's broken uk.yaml
        must not take the bundled helplines off every handout)."""
        if region not in self._routes:
            self._routes[region] = self.first_usable_routes(region, self.route_roots())
        return self._routes[region]

    def first_usable_routes(self, region: str, roots: list[Root]) -> RouteDirectory | None:
        """Later roots first, as find_routes; a broken file is reported and skipped. One that
        is not bundled is used, with a warning naming every contact it changes."""
        for root in reversed(roots):
            try:
                found = find_routes(region, [root.routes_dir])
            except RouteError as exc:
                self.problems.append(Problem(exc.path, 1, "error", exc.message))
                continue
            if found is not None and root.origin == "user" and (why := revoked_routes(
                    root.path, region)):
                self._route_warnings[region] = Problem(found.path, 1, "warning", why,
                                                       helpline=True)
                continue
            if found is not None:
                found = replace(found, origin=root.origin)
                if root.origin != "bundled":
                    self._route_warnings[region] = Problem(
                        found.path, 1, "warning", not_bundled_warning(found), helpline=True)
                return found
        return None

    def route_warnings(self, regions: list[str] | None = None) -> list[Problem]:
        """A warning for each region (all in use, if none are named) whose helplines come from
        a route file that is not bundled: said every time, never silently applied."""
        if regions is None:
            extra = [p.stem for root in self.route_roots() if root.origin != "bundled"
                     for p in sorted(root.routes_dir.glob("*.yaml"))]
            regions = sorted({m.meta.region for m in self.all} | set(extra))
        for region in regions:
            self.routes(region)
        return [self._route_warnings[r] for r in dict.fromkeys(regions) if r in self._route_warnings]


AUDIENCE_ORDER = {"pupils": 0, "staff": 1, "parents": 2}
AGE_ORDER = {"8-11": 0, "11-14": 1, "14-16": 2}


def sort_key(module: Module) -> tuple:
    m = module.meta
    return (AUDIENCE_ORDER.get(m.audience or "", 3), AGE_ORDER.get(m.ages or "", 9), m.title.lower())
