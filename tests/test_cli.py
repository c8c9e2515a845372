"""The `edukit` command through its real entry point (`python -m edukit`), in a subprocess."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from edukit.core.pages import stylesheets

REPO = Path(__file__).parent.parent
FIXTURE_CONTENT = "tests/fixtures/content"
ROW_KEYS = {"id", "title", "audience", "ages", "duration", "review"}


def edukit(*args: str) -> subprocess.CompletedProcess:
    """Run the CLI from the repository root; the user dirs come from conftest's environment."""
    return subprocess.run([sys.executable, "-m", "edukit", *args], cwd=REPO, check=False,
                          capture_output=True, text=True, timeout=300)


def ok(*args: str) -> subprocess.CompletedProcess:
    result = edukit(*args)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


def rows(*args: str) -> list[dict]:
    return json.loads(ok(*args, "list", "--json").stdout)


def bundled_ids() -> set[str]:
    return {p.parent.name for p in (REPO / "content" / "modules").glob("*/module.md")}


def assert_user_error(result: subprocess.CompletedProcess) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("edukit:"), result.stderr


# list

def test_list_shows_bundled_modules():
    out = ok("list").stdout
    assert out.splitlines()[0].split()[:3] == ["id", "title", "audience"]
    for module_id in bundled_ids():
        assert module_id in out


def test_list_json_has_the_documented_keys():
    listed = rows()
    assert {r["id"] for r in listed} == bundled_ids()
    for row in listed:
        assert ROW_KEYS <= set(row)
        assert row["origin"] == "bundled" and row["shadows"] is None


@pytest.mark.parametrize("before", [True, False], ids=["content-before-command", "content-after-command"])
def test_content_option_adds_a_folder_of_modules(before: bool):
    args = ["--content", FIXTURE_CONTENT, "list"] if before else ["list", "--content", FIXTURE_CONTENT]
    assert "sample-lesson" in ok(*args).stdout


def test_content_option_twice_keeps_both_folders(tmp_path: Path):
    (tmp_path / "extra-one.md").write_text("---\ntitle: Extra one\n---\nBody\n", encoding="utf-8")
    listed = rows("--content", FIXTURE_CONTENT, "--content", str(tmp_path))
    ids = {r["id"] for r in listed}
    assert {"sample-lesson", "extra-one"} <= ids


def test_without_content_option_fixture_module_is_absent():
    assert "sample-lesson" not in ok("list").stdout


def test_user_module_shadows_bundled_module(user_dirs: dict[str, Path]):
    shadowed = min(bundled_ids())
    folder = user_dirs["data"] / "modules" / shadowed
    folder.mkdir(parents=True)
    (folder / "module.md").write_text(f"---\nid: {shadowed}\ntitle: My own copy\n---\nBody\n",
                                      encoding="utf-8")
    row = next(r for r in rows() if r["id"] == shadowed)
    assert row["origin"] == "user"
    assert row["title"] == "My own copy"
    assert row["shadows"] is not None and Path(row["shadows"]).parent.name == shadowed
    assert "(user copy)" in ok("list").stdout


# validate

def test_validate_bundled_content_folder_is_clean():
    result = ok("validate", "content")
    assert result.stdout.strip() == ""


def test_validate_whole_library_is_clean():
    # With no arguments bundled modules are checked strictly (full front matter).
    result = ok("validate")
    assert result.stdout.strip() == ""


# export

@pytest.mark.parametrize("kind", ["handout", "guide", "slides"])
def test_export_html_writes_a_standalone_file(kind: str, tmp_path: Path):
    out = tmp_path / f"{kind}.html"
    ok("--content", FIXTURE_CONTENT, "export", "sample-lesson", "--as", kind,
       "--format", "html", "-o", str(out))
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "Sample lesson" in html
    assert "edukit://" not in html
    assert "<link" not in html and "<style>" in html
    for name in stylesheets(kind):  # the view's stylesheets, inlined whole (fonts.css: all but
        css = REPO / "resources" / "css" / name  # the @font-face rules, embedded or left out)
        if css.is_file():
            text = css.read_text(encoding="utf-8")
            parts = re.split(r"@font-face\s*\{[^}]*\}\s*", text) if name == "fonts.css" else [text]
            assert all(part in html for part in parts)
    assert f"view-{kind}" in html


def test_exported_handout_and_guide_differ_in_teacher_notes(tmp_path: Path):
    for kind in ("handout", "guide"):
        ok("--content", FIXTURE_CONTENT, "export", "sample-lesson", "--as", kind,
           "--format", "html", "-o", str(tmp_path / f"{kind}.html"))
    assert "NOTES-SECRET" in (tmp_path / "guide.html").read_text(encoding="utf-8")
    assert "NOTES-SECRET" not in (tmp_path / "handout.html").read_text(encoding="utf-8")


def test_export_single_markdown_file_by_path(tmp_path: Path):
    source = tmp_path / "loose.md"
    source.write_text("---\ntitle: Loose file\n---\n# Loose file\n\n## Part\n\nHello LOOSE-TEXT.\n",
                      encoding="utf-8")
    out = tmp_path / "loose.html"
    ok("export", str(source), "--as", "slides", "--format", "html", "-o", str(out))
    html = out.read_text(encoding="utf-8")
    assert "LOOSE-TEXT" in html and 'class="slide"' in html


def test_export_all_writes_one_file_per_module(tmp_path: Path):
    out = tmp_path / "all"
    ok("export", "--all", "--format", "html", "-o", str(out))
    written = sorted(p.name for p in out.iterdir())
    assert written == sorted(f"{r['id']}-handout.html" for r in rows())


# search

def test_search_finds_a_module():
    result = ok("search", "grooming")
    first = result.stdout.splitlines()[0].split()[0]
    assert first in bundled_ids()


def test_search_json_parses(user_dirs: dict[str, Path]):
    folder = user_dirs["data"] / "modules" / "zebra"
    folder.mkdir(parents=True)
    (folder / "module.md").write_text("---\ntitle: Zebra\n---\n## Stripes\n\nZebracorn facts.\n",
                                      encoding="utf-8")
    hits = json.loads(ok("search", "--json", "zebracorn").stdout)
    assert [h["module_id"] for h in hits] == ["zebra"]
    assert hits[0]["section"] == "Stripes" and "Zebracorn" in hits[0]["snippet"]


def test_search_finds_teacher_notes_and_says_they_are_in_the_teacher_guide():
    result = edukit("--content", FIXTURE_CONTENT, "search", "--json", "NOTES-SECRET")
    hit = json.loads(result.stdout)[0]  # (the words "notes" and "secret" are in other lessons too)
    assert (hit["module_id"], hit["view"]) == ("sample-lesson", "guide")
    result = edukit("--content", FIXTURE_CONTENT, "search", "NOTES-SECRET")
    assert result.stdout.startswith("sample-lesson  Sample lesson — ") and "(teacher guide)" in result.stdout


# bad input

def test_unknown_module_id_is_one_line_error(tmp_path: Path):
    out = tmp_path / "x.html"
    assert_user_error(edukit("export", "no-such-module", "--format", "html", "-o", str(out)))
    assert not out.exists()


def test_missing_content_folder_is_one_line_error(tmp_path: Path):
    assert_user_error(edukit("--content", str(tmp_path / "missing"), "list"))


def test_validate_unknown_module_is_one_line_error():
    assert_user_error(edukit("validate", "no-such-module"))


def test_open_and_present_with_an_unknown_module_fail_before_any_window():
    for command in ("open", "present"):
        result = edukit(command, "no-such-module")
        assert_user_error(result)
        assert result.stderr.strip().splitlines() == [
            "edukit: no module with id or path 'no-such-module' (try 'edukit list')"]


def test_search_on_the_command_line_matches_the_last_word_as_a_prefix():
    """As the app's search box does while typing: part of a word finds the word."""
    found = json.loads(ok("search", "--json", "sextorti").stdout)
    assert {"sextortion", "sextortion-ks3"} <= {hit["module_id"] for hit in found[:3]}
    assert "sextortion" in found[0]["snippet"].lower()
