"""YAML from outside the app (front matter, route files, topics), loaded at a bounded cost.

PyYAML's safe loader builds an alias (`*name`) as a second reference to the same object, so a
"billion laughs" file of a few hundred bytes loads quickly — and then costs minutes and
gigabytes the first time anything walks, prints or copies the value (merge keys `<<: *a` copy
at load time). Every YAML edukit reads goes through `check_node`, which counts the values the
document has once every alias is expanded, before anything is constructed, and refuses a
document above MAX_NODES, nested deeper than MAX_DEPTH, or an alias that contains itself.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_BYTES = 256 * 1024  # a YAML file larger than this is refused unread (the bundled: 8 KB)
MAX_NODES = 20_000  # values after expanding aliases (the bundled route file: about 700)
MAX_DEPTH = 50  # nesting of lists and mappings (the bundled files: 4)


class YamlTooLarge(yaml.YAMLError):
    """A YAML document whose expanded size or depth is beyond edukit's limits; `line` (from 0,
    as in PyYAML's marks) says where, when one place is to blame."""

    def __init__(self, problem: str, line: int | None = None):
        super().__init__(problem)
        self.problem, self.line = problem, line

    def __str__(self) -> str:
        return self.problem if self.line is None else f"{self.problem} (line {self.line + 1})"


def children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def check_node(root: yaml.Node | None) -> None:
    """Raise YamlTooLarge unless the composed document stays within the limits once expanded.

    Each distinct node is counted once and its expanded size remembered, so the check costs
    as much as the text itself, however many times an alias is used."""
    if root is None:
        return
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()  # on the path from the root: reaching one again is a loop
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, finished = stack.pop()
        key = id(node)
        if len(sizes) + len(open_nodes) > MAX_NODES:  # distinct values alone are too many
            raise YamlTooLarge(f"more than {MAX_NODES:,} values", node.start_mark.line)
        if finished:
            open_nodes.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in children(node))
            if sizes[key] > MAX_NODES:
                raise YamlTooLarge(f"these values expand to more than {MAX_NODES:,} items "
                                   "(aliases like '*name' repeat what they point to)",
                                   node.start_mark.line)
            continue
        if key in sizes:
            continue
        if key in open_nodes:
            raise YamlTooLarge("an alias contains itself, so it never ends",
                               node.start_mark.line)
        if depth > MAX_DEPTH:
            raise YamlTooLarge(f"nested more than {MAX_DEPTH} levels deep", node.start_mark.line)
        open_nodes.add(key)
        stack.append((node, depth, True))
        stack.extend((child, depth + 1, False) for child in children(node)
                     if id(child) not in sizes)


def load_node(loader: yaml.BaseLoader) -> tuple[yaml.Node | None, Any]:
    """Compose, check, then construct one document: (its node, its value)."""
    node = loader.get_single_node()
    check_node(node)
    return node, (loader.construct_document(node) if node is not None else None)


def safe_load(text: str, loader_class: type = SafeLoader) -> Any:
    """yaml.safe_load with the limits above; raises yaml.YAMLError (YamlTooLarge) beyond them."""
    if len(text) > MAX_BYTES:
        raise YamlTooLarge(f"{len(text):,} characters is more than the {MAX_BYTES // 1024:,} KB "
                           "edukit reads as YAML")
    loader = loader_class(text)
    try:
        return load_node(loader)[1]
    except RecursionError:
        raise YamlTooLarge("nested too deeply to read") from None
    finally:
        loader.dispose()


def read_yaml_file(path: Path) -> Any:
    """A YAML file's value; OSError if unreadable, yaml.YAMLError if too large or invalid.
    Reads at most MAX_BYTES + 1 bytes, so a huge file costs no more than a small one."""
    with open(path, "rb") as f:
        return parse_yaml_bytes(f.read(MAX_BYTES + 1))


def parse_yaml_bytes(data: bytes) -> Any:
    """The value of a YAML file's bytes (read_yaml_file, once read); yaml.YAMLError if too
    large or invalid."""
    if len(data) > MAX_BYTES:
        raise YamlTooLarge(f"the file is larger than the {MAX_BYTES // 1024:,} KB edukit reads "
                           "as YAML")
    try:
        return safe_load(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise yaml.YAMLError(f"not valid UTF-8 text ({exc.reason} at byte {exc.start})") from None
