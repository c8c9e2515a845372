"""YAML parsed on an earlier run (edukit.core.yaml_cache): the app's start reads every lesson's
front matter, the topics and the helplines without PyYAML, and what it shows is exactly what a
fresh parse gives — an edited lesson shows its edit, however its file's stamps look, and a
damaged or forged cache file is never believed."""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from edukit.core import frontmatter, yaml_cache, yaml_safe
from edukit.core.library import Library
from edukit.core.paths import content_dir
from edukit.core.routes import load_routes

MODULE = "who-can-i-tell"


@pytest.fixture
def parsed(user_dirs):
    """The app's cache of parsed YAML, in use for the test, and a way to start afresh from
    its file as the next run would."""
    def start() -> yaml_cache.ParsedYaml:
        cache = yaml_cache.ParsedYaml.default()
        yaml_cache.use(cache)
        return cache
    yield start
    yaml_cache.use(None)


def lesson_copy(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(content_dir() / "modules" / MODULE, root / "modules" / MODULE)
    return root


def test_the_next_start_reads_the_library_without_parsing_and_sees_the_same(
        parsed, tmp_path, monkeypatch):
    extra = lesson_copy(tmp_path)
    yaml_cache.use(None)
    fresh = Library.default(extra=[extra])  # no cache at all: the reference
    first = parsed()
    Library.default(extra=[extra]).routes("uk")  # as the app's start reads them
    first.save()
    no_parsing_now(monkeypatch)
    parsed()
    again = Library.default(extra=[extra])
    assert again.all == fresh.all  # every module: meta, body, problems, lines
    assert again.topics == fresh.topics and again.topic_labels == fresh.topic_labels
    assert again.routes("uk") == fresh.routes("uk")
    assert again.problems == fresh.problems
    assert len(again.all) > 20


def no_parsing_now(monkeypatch) -> None:
    """Make any YAML parse fail the test: what is read must come from the cache."""
    def refuse(*_args, **_kwargs):
        raise AssertionError("YAML was parsed")
    monkeypatch.setattr(frontmatter, "parse_yaml", refuse)
    monkeypatch.setattr(yaml_safe, "parse_yaml_bytes", refuse)


def test_without_the_app_nothing_is_kept(user_dirs):
    Library.default()
    assert not list(user_dirs["cache"].iterdir())


@pytest.mark.parametrize("same_stamps", [True, False])
def test_an_edited_lesson_shows_its_edit_whatever_its_file_stamps_say(
        parsed, tmp_path, same_stamps):
    extra = lesson_copy(tmp_path)
    lesson = extra / "modules" / MODULE / "module.md"
    parsed()
    assert Library.default(extra=[extra]).get(MODULE).meta.title == "Who can I tell?"
    yaml_cache.active().save()
    before = lesson.stat()
    text = lesson.read_text(encoding="utf-8")
    edited = text.replace("title: Who can I tell?", "title: Who can I help?", 1)
    assert edited != text and len(edited.encode()) == len(text.encode())  # the same size
    lesson.write_text(edited, encoding="utf-8")
    if same_stamps:  # as a copy tool that keeps times would leave it
        os.utime(lesson, ns=(before.st_atime_ns, before.st_mtime_ns))
        assert lesson.stat().st_mtime_ns == before.st_mtime_ns
    parsed()
    assert Library.default(extra=[extra]).get(MODULE).meta.title == "Who can I help?"


@pytest.mark.parametrize("damage", ["truncated", "value changed", "forged whole", "not json"])
def test_a_damaged_or_forged_cache_file_is_not_believed(parsed, user_dirs, damage):
    parsed()
    reference = Library.default()
    yaml_cache.active().save()
    path = user_dirs["cache"] / "parsed-yaml.json"
    data = json.loads(path.read_text())
    if damage == "truncated":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif damage == "not json":
        path.write_bytes(b"\x00\xff" * 100)
    else:  # every kept title says something else
        text = json.dumps(data["entries"]).replace("Who can I tell?", "Forged title")
        assert "Forged title" in text
        data["entries"] = json.loads(text)
        if damage == "forged whole":  # the digest made to match: each value is still checked
            data["entries"] = {k: ["x", v] for k, v in data["entries"].items()}
            data["digest"] = yaml_cache.entries_digest(data["entries"])
        path.write_text(json.dumps(data))
    parsed()
    again = Library.default()
    assert again.get(MODULE).meta.title == "Who can I tell?"
    assert again.all == reference.all


def test_problems_in_front_matter_keep_their_lines_and_are_never_kept(parsed, tmp_path):
    root = tmp_path / "content"
    (root / "modules").mkdir(parents=True)
    (root / "modules" / "dup.md").write_text(
        "---\ntitle: One\nsummary: s\ntitle: Two\n---\n# Body\n", encoding="utf-8")
    (root / "modules" / "bad.md").write_text(
        "---\ntitle: [unclosed\n---\n# Body\n", encoding="utf-8")
    runs = []
    for _ in range(2):
        parsed()
        library = Library.default(extra=[root])
        yaml_cache.active().save()
        runs.append([str(p) for m in library.all if m.origin == "extra" for p in m.problems])
    assert runs[0] == runs[1]
    assert any("dup.md:4: error: duplicate key 'title'" in p for p in runs[0])
    assert any("bad.md:" in p and "invalid YAML" in p for p in runs[0])


@pytest.mark.parametrize("value", [
    {"a": 1, "b": [1.5, True, None, "x"], "c": {"d": dt.date(2026, 1, 31)}},
    ["é", "\u202e", "", 0, -3, 2.0],
    "plain text", 12, None, {},
])
def test_the_kinds_yaml_gives_come_back_as_they_were(value):
    encoded = json.loads(json.dumps(yaml_cache.encode(value)))
    decoded = yaml_cache.decode(encoded)
    assert decoded == value
    assert json.dumps(decoded, default=str) == json.dumps(value, default=str)  # types too


@pytest.mark.parametrize("value", [
    dt.datetime(2026, 1, 1, 12, 0), {1: "a"}, {"a": {1, 2}}, b"bytes", float("nan"),
    float("inf"), ("tuple",),
])
def test_other_kinds_are_not_kept(value):
    with pytest.raises((TypeError, ValueError)):
        yaml_cache.encode(value)


def test_a_value_that_is_not_kept_is_parsed_each_time_and_right(parsed, tmp_path):
    path = tmp_path / "routes.yaml"
    path.write_text("when: 2026-01-01 12:00:00\nkeys: !!set {a, b}\n", encoding="utf-8")
    parsed()
    first = yaml_cache.read_yaml_file(path)
    yaml_cache.active().save()
    parsed()
    assert yaml_cache.read_yaml_file(path) == first == yaml_safe.read_yaml_file(path)
    assert first["when"] == dt.datetime(2026, 1, 1, 12, 0)


def test_a_broken_route_file_still_says_why(parsed, tmp_path):
    path = tmp_path / "uk.yaml"
    path.write_text("routes: [\n", encoding="utf-8")
    for _ in range(2):
        parsed()
        with pytest.raises(Exception, match="cannot read route directory"):
            load_routes(path)


START_PROBE = """
import json, sys
from edukit.core import yaml_cache
from edukit.core.startup import open_library
cache = yaml_cache.ParsedYaml.default()
yaml_cache.use(cache)
library = open_library()
library.routes("uk")
cache.save()
print(json.dumps({"yaml": "yaml" in sys.modules, "title": library.get(sys.argv[1]).meta.title}))
"""


def start_probe() -> dict:
    out = subprocess.run([sys.executable, "-c", START_PROBE, MODULE], capture_output=True,
                         text=True, timeout=120, check=False)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_a_start_with_the_cache_does_not_load_pyyaml(user_dirs):
    first = start_probe()
    assert first["yaml"] is True  # the probe sees PyYAML load: the first start parses
    again = start_probe()
    assert again == {"yaml": False, "title": "Who can I tell?"}
