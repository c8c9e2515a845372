"""What a lesson may reference: the one rule behind the app's `edukit:` scheme, HTML exports and
the sanitiser's idea of a local path.

A lesson comes from a colleague, a pack or a download, and names files by relative path. It may
reach only pictures in its own folder: never a file beside a single-file lesson (that folder is
the teacher's Downloads or Documents, not the lesson's), never a dotfile or dot-folder (.ssh,
.env, .git), never a file of another type (a key, a spreadsheet, an .html page), never a link
out of the folder, never anything larger than MAX_FILE_BYTES. What the app would not show, an
export must not carry either: both ask module_file / read_module_file.
"""
from __future__ import annotations

import re
from pathlib import Path

from .files import read_regular

MODULE_TEXT = "module.md"  # a folder module's text; any other name is a single-file lesson
IMAGE_TYPES = {
    ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
    ".webp": "image/webp", ".svg": "image/svg+xml",
}
RESOURCE_TYPES = {
    ".css": "text/css", ".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf",
    ".otf": "font/otf",
}
RESOURCE_FOLDERS = {"css", "fonts"}  # what the app's pages need from resources/, nothing more
MAX_FILE_BYTES = 8 * 1024 * 1024  # a picture in a lesson; a bigger file is refused, not cut
UNSAFE_CHARACTER = re.compile(r"[\x00-\x1f\x7f:\\]")  # control, drive/scheme colon, backslash


def own_folder(module_path: Path) -> Path | None:
    """The folder that belongs to a lesson: a folder module's folder; None for a single file,
    whose folder is shared with whatever else the user keeps there."""
    return module_path.parent if module_path.name == MODULE_TEXT else None


def inside_path(rel: str) -> str | None:
    """A decoded relative path as '/'-joined parts if it stays inside its folder and names no
    dotfile; None otherwise. '.' parts are dropped ('./images/a.png' is 'images/a.png');
    '..', absolute paths, drive letters, backslashes, empty parts, control characters and
    names starting with a dot are refused."""
    if not rel or rel.startswith("/") or UNSAFE_CHARACTER.search(rel):
        return None
    parts = [part for part in rel.split("/") if part != "."]
    if not parts or any(not part or part.startswith(".") for part in parts):
        return None
    return "/".join(parts)


def image_type(name: str) -> str | None:
    """The MIME type of a picture edukit shows, by extension (any case), or None."""
    return IMAGE_TYPES.get(Path(name).suffix.lower())


def module_file(folder: Path | None, rel: str) -> Path | None:
    """The file `rel` (decoded, relative) in a lesson's own folder if the lesson may reference
    it: a picture, inside the folder after every link is followed, named by no dot part, there
    and regular. None for a single-file lesson (folder None) and for anything else."""
    return confined_file(folder, rel, IMAGE_TYPES)


def resource_file(rel: str, resources: Path) -> Path | None:
    """A stylesheet or font under resources/css or resources/fonts; nothing else there."""
    clean = inside_path(rel)
    if clean is None or clean.split("/")[0] not in RESOURCE_FOLDERS:
        return None
    return confined_file(resources, clean, RESOURCE_TYPES)


def confined_file(folder: Path | None, rel: str, types: dict[str, str]) -> Path | None:
    """folder/rel if it is an existing file of one of `types`, inside folder both as named and
    where its links lead, and no part of either is a dotfile."""
    clean = inside_path(rel)
    if folder is None or clean is None or Path(clean).suffix.lower() not in types:
        return None
    try:
        root = folder.resolve()
        target = (root / clean).resolve()
        inside = target.relative_to(root)  # ValueError: a link led out of the folder
        if not target.is_file():  # missing, a folder, a pipe or a device
            return None
    except (OSError, ValueError, RuntimeError):  # NUL, name too long, link loop, outside
        return None
    # A link inside may point at a dotfile or a non-picture inside: judge where it leads too.
    if inside_path(inside.as_posix()) is None or target.suffix.lower() not in types:
        return None
    return target


def page_may_load(page: str, wanted: str) -> bool:
    """Whether an app page at `page` (an edukit: URL path, decoded) may load `wanted`: a
    lesson's page (/module/<id>/...) only its own module's files and pages and the app's
    stylesheets and fonts; never another lesson's files or pages. (Which of its own files
    are served is module_file's to say.)"""
    own = page.lstrip("/").split("/")
    asked = wanted.lstrip("/").split("/")
    if asked[0] == "resources":
        return len(asked) > 2 and asked[1] in RESOURCE_FOLDERS
    if own[0] != "module" or len(own) < 3:
        return False  # the app has no other pages: nothing else loads anything
    return len(asked) > 2 and asked[:2] == own[:2]


def why_not_shown(module_path: Path, rel: str) -> str | None:
    """Why the app would not show (nor an export carry) a picture a lesson names, in words
    for `edukit validate`; None if it would. `rel` is decoded and names an existing file."""
    folder = own_folder(module_path)
    if folder is None:
        return ("is beside a single-file lesson; only pictures in a lesson's own folder "
                f"(<id>/{MODULE_TEXT}) are shown")
    if image_type(rel) is None:
        return f"is not a picture edukit shows ({', '.join(t[1:] for t in IMAGE_TYPES)})"
    path = module_file(folder, rel)
    if path is None:
        return "is not shown: it is, or links to, a hidden or non-picture file, or not a file"
    try:
        too_big = path.stat().st_size > MAX_FILE_BYTES
    except OSError:
        return "cannot be read"
    return f"is larger than {MAX_FILE_BYTES // 2**20} MB and is not shown" if too_big else None


def read_file(path: Path | None, types: dict[str, str] = IMAGE_TYPES) -> tuple[bytes, str] | None:
    """The bytes and MIME type of a file module_file or resource_file allowed; None if it is
    not a regular file (a pipe, a device), cannot be read, or is larger than MAX_FILE_BYTES."""
    if path is None:
        return None
    try:
        data, size = read_regular(path, MAX_FILE_BYTES, follow_links=False)
    except OSError:
        return None
    kind = types.get(path.suffix.lower())
    return (data, kind) if size <= MAX_FILE_BYTES and kind else None


def read_module_file(folder: Path | None, rel: str) -> tuple[bytes, str] | None:
    """What the app serves and an export embeds for a lesson's reference `rel`, or None. A
    picture whose header declares too many pixels (a decompression bomb) is never served,
    even when a page asks for it by address rather than through the lesson's Markdown."""
    from .images import image_problem  # (xml.etree): loaded with the first picture, not at start

    path = module_file(folder, rel)
    if path is None or image_problem(path) is not None:
        return None
    return read_file(path)


def read_resource(rel: str, resources: Path) -> tuple[bytes, str] | None:
    return read_file(resource_file(rel, resources), RESOURCE_TYPES)
