"""YAML already parsed on an earlier run, by the text it was parsed from (issue 17: launch).

At every start the library reads the front matter of every lesson, the topics and the route
directory. Parsing them, and importing PyYAML to do it, is ~0.035 s of the launch. The app keeps
what each text parsed to in one file in its cache folder: the key is a digest of the text itself,
so an edited lesson is a new text and is parsed afresh (no file stamps are trusted), and the
files are still read on every start. Only clean results are kept: a text whose parse reported a
problem is parsed again each time, so every message keeps its file and line.

The cache file is untrusted input when read (DESIGN §11): it is used whole or not at all (its
digest, format and the parser's fingerprint must match), every value is rebuilt from plain JSON
of the few kinds YAML gives (mapping, list, text, number, true/false, null, date), and a value
of any other kind is never kept. Without `use()` (the command line, tests) nothing is cached.

PyYAML is imported only on a miss: `YAMLError` here is its error class, loaded when asked for.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import math
import os
from pathlib import Path
from typing import Any

from .paths import PACKAGE, AppDirs

FORMAT = 1
MAX_TEXT_BYTES = 64 * 1024  # larger YAML files are parsed every time (the bundled: 11 KB)
MAX_FILE_BYTES = 4 * 1024 * 1024  # the cache file; beyond it, not read at all
MAX_ENTRIES = 5000
MAX_DEPTH = 50  # as edukit.core.yaml_safe
MISS = object()
# The code whose output is kept: a change to any of it parses everything afresh.
PARSER_FILES = ("core/yaml_safe.py", "core/frontmatter.py", "core/yaml_cache.py")


def __getattr__(name: str) -> Any:
    """`yaml_cache.YAMLError`: PyYAML's error class, imported only when an error is caught
    (an `except` clause evaluates its classes only when an exception reaches it)."""
    if name == "YAMLError":
        import yaml

        return yaml.YAMLError
    raise AttributeError(name)


class ParsedYaml:
    """What YAML texts parsed to, by digest; those used this run are written back by save()."""

    def __init__(self, path: Path):
        self.path = path
        self.kept: dict[str, Any] = {}  # digest -> encoded value, as read from the file
        self.used: dict[str, Any] = {}  # digest -> encoded value, looked up or added this run
        self.changed = False

    @classmethod
    def default(cls, dirs: AppDirs | None = None) -> ParsedYaml:
        cache = cls((dirs or AppDirs.default()).cache / "parsed-yaml.json")
        cache.load()
        return cache

    def load(self) -> None:
        """Read the file; anything but a whole file from this parser is ignored."""
        try:
            with self.path.open("rb") as f:
                data = f.read(MAX_FILE_BYTES + 1)
        except OSError:
            return
        self.kept = entries_in(data) if len(data) <= MAX_FILE_BYTES else {}

    def get(self, digest: str) -> Any:
        """The value kept for a text's digest, rebuilt; MISS if none (or it is malformed)."""
        encoded = self.used.get(digest, self.kept.get(digest, MISS))
        if encoded is MISS:
            return MISS
        try:
            value = decode(encoded)
        except (TypeError, ValueError, KeyError, RecursionError):
            return MISS
        self.used[digest] = encoded
        return value

    def put(self, digest: str, value: Any) -> None:
        """Keep a clean parse's value, if it is of the kinds kept (else it is parsed again)."""
        try:
            encoded = encode(value)
        except (TypeError, ValueError, RecursionError):
            return
        if len(self.used) < MAX_ENTRIES:
            self.used[digest] = encoded
            self.changed = True

    def save(self) -> None:
        """Write the entries used this run (others were for texts no longer there), whole: a
        temporary file renamed over the old. A cache that cannot be written is no error."""
        if not self.changed and set(self.used) == set(self.kept):
            return
        entries = dict(self.used)
        text = json.dumps({"format": FORMAT, "parser": parser_fingerprint(),
                           "digest": entries_digest(entries), "entries": entries},
                          ensure_ascii=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(text, encoding="ascii")
            os.replace(tmp, self.path)
        except OSError:
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass
            return
        self.kept, self.changed = entries, False


_active: ParsedYaml | None = None


def use(cache: ParsedYaml | None) -> None:
    """Keep parsed YAML in `cache` from now on in this process (None: stop)."""
    global _active
    _active = cache


def active() -> ParsedYaml | None:
    return _active


def digest_of(kind: str, text: str | bytes) -> str:
    data = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
    return hashlib.sha256(kind.encode("ascii") + b"\0" + data).hexdigest()


def cached(kind: str, text: str | bytes, parse) -> Any:
    """parse()'s value for this text: kept from an earlier run, or parsed now (and kept if
    `keep(value)` says the parse was clean). parse returns (value, clean)."""
    cache = _active
    if cache is None:
        return parse()[0]
    key = digest_of(kind, text)
    value = cache.get(key)
    if value is not MISS:
        return value
    value, clean = parse()
    if clean:
        cache.put(key, value)
    return value


def read_yaml_file(path: Path) -> Any:
    """edukit.core.yaml_safe.read_yaml_file, with the parse kept between runs: the file is read
    each time; OSError if unreadable, YAMLError if too large or invalid (never kept)."""
    with open(path, "rb") as f:
        data = f.read(MAX_TEXT_BYTES + 1)
    if len(data) > MAX_TEXT_BYTES or _active is None:
        from .yaml_safe import read_yaml_file as parse_file

        return parse_file(path)  # (read again: its own bounds and messages)

    def parse() -> tuple[Any, bool]:
        from .yaml_safe import parse_yaml_bytes

        return parse_yaml_bytes(data), True
    return cached("file", data, parse)


def entries_in(data: bytes) -> dict[str, Any]:
    try:
        found = json.loads(data)
        entries = found["entries"]
        if (found["format"] != FORMAT or found["parser"] != parser_fingerprint()
                or not isinstance(entries, dict) or len(entries) > MAX_ENTRIES
                or found["digest"] != entries_digest(entries)):
            return {}
    except (ValueError, TypeError, KeyError, RecursionError):
        return {}
    return entries


def entries_digest(entries: dict[str, Any]) -> str:
    text = json.dumps(entries, ensure_ascii=True, sort_keys=True)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


@functools.cache
def parser_fingerprint() -> str:
    """edukit's parsing code and PyYAML's files, by name, size and modification time (found
    without importing PyYAML)."""
    import importlib.util

    stamps: list = [FORMAT]
    paths = [PACKAGE / name for name in PARSER_FILES]
    spec = importlib.util.find_spec("yaml")
    if spec is not None and spec.origin:
        folder = Path(spec.origin).parent
        try:
            paths += sorted(p for p in folder.iterdir() if p.is_file())
        except OSError:
            pass
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            stamps.append([str(path)])
            continue
        stamps.append([str(path), stat.st_size, stat.st_mtime_ns])
    return hashlib.sha256(json.dumps(stamps).encode("utf-8", "surrogatepass")).hexdigest()


def encode(value: Any, depth: int = 0) -> Any:
    """A YAML value as plain JSON: text, whole numbers, true/false and null as themselves; the
    rest tagged in a list. TypeError for any other kind (a datetime, a set, bytes, a key that
    is not text): such a value is not kept."""
    if depth > MAX_DEPTH:
        raise ValueError("nested too deeply")
    kind = type(value)
    if value is None or kind in (str, bool, int):
        return value
    if kind is float:
        if not math.isfinite(value):
            raise ValueError("not a finite number")
        return ["f", value]
    if kind is dt.date:
        return ["date", value.isoformat()]
    if kind is list:
        return ["l", [encode(item, depth + 1) for item in value]]
    if kind is dict:
        if not all(type(k) is str for k in value):
            raise TypeError("a key that is not text")
        return ["d", [[k, encode(v, depth + 1)] for k, v in value.items()]]
    raise TypeError(f"not kept: {kind.__name__}")


def decode(encoded: Any, depth: int = 0) -> Any:
    """The value encode() made; TypeError/ValueError/KeyError for anything else."""
    if depth > MAX_DEPTH:
        raise ValueError("nested too deeply")
    kind = type(encoded)
    if encoded is None or kind in (str, bool, int):
        return encoded
    if kind is not list or len(encoded) != 2 or type(encoded[0]) is not str:
        raise TypeError("not an encoded value")
    tag, body = encoded
    if tag == "f" and type(body) is float:
        return body
    if tag == "date" and type(body) is str:
        return dt.date.fromisoformat(body)
    if tag == "l" and type(body) is list:
        return [decode(item, depth + 1) for item in body]
    if tag == "d" and type(body) is list:
        pairs = {}
        for pair in body:
            if type(pair) is not list or len(pair) != 2 or type(pair[0]) is not str:
                raise TypeError("not a key and value")
            pairs[pair[0]] = decode(pair[1], depth + 1)
        return pairs
    raise KeyError(tag)
