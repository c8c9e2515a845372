"""Validation: one broken module per problem kind, each reported as `path:line: severity: message`."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from edukit.core.library import Library, Root
from edukit.core.validate import validate_module

REPO = Path(__file__).parent.parent
BROKEN = Path(__file__).parent / "fixtures" / "broken"

# file name → every problem validate_module reports for it, as (line, severity, message)
EXPECTED = {
    "bad-yaml.md": [
        (3, "error", "invalid YAML: mapping values are not allowed in this context"),
    ],
    "front-matter-list.md": [
        (2, "error", "front matter must be 'key: value' lines, not a list"),
    ],
    "wrong-type.md": [(3, "error", "'duration' must be minutes, like 50, or a range, like 50-60, not 'ten'")],
    "missing-title.md": [(1, "warning", ("no 'title' in the front matter and no '# heading': "
                                        "using the file name 'missing-title'"))],
    "unknown-audience.md": [
        (3, "error", "unknown audience 'teachers' (use pupils, staff, parents)"),
    ],
    "unknown-topic.md": [(3, "error", "unknown topic 'astrology' (see content/topics.yaml)")],
    "bad-date.md": [(3, "error", "'reviewed' must be a date like 2026-09-01, not '2026-13-45'")],
    "unknown-block.md": [(6, "warning", "unknown block '::: sparkles' (shown as a plain box)")],
    "unclosed-block.md": [(6, "error", "block '::: activity' is never closed with ':::'")],
    "unknown-placeholder.md": [(6, "error", "unknown placeholder '{{ school.headteacher }}'")],
    "image-dotdot.md": [(6, "error", "image '../secret.png' leaves the module folder")],
    "image-absolute.md": [(6, "error", "image '/etc/passwd.png' leaves the module folder")],
    "image-missing.md": [(6, "error", "image file not found: 'images/missing-hand.png'")],
    "image-remote.md": [
        (6, "warning", "remote image 'https://example.com/logo.png' is never loaded (edukit works offline)"),
    ],
    "front-matter-never-closed.md": [
        (1, "error", "front matter opened with '---' on line 1 is never closed"),
    ],
}
DUPLICATE = "error: duplicate id 'same-id' (also {first})"


@pytest.fixture(scope="module")
def library() -> Library:
    library = Library([Root(BROKEN, "extra")])
    library.refresh()
    return library


def problems_of(library: Library, name: str) -> list[str]:
    path = BROKEN / name
    module = next(m for m in library.all if m.path == path)
    return [str(p) for p in validate_module(module) if NO_BOX not in p.message]


NO_BOX = "no help box on this handout"  # these fixtures are not about safety (pinned elsewhere)


def expected_lines(name: str, folder: Path = BROKEN) -> list[str]:
    return [f"{folder / name}:{line}: {severity}: {message}"
            for line, severity, message in EXPECTED[name]]


def test_every_broken_fixture_is_covered():
    on_disk = {p.name for p in BROKEN.glob("*.md")}
    assert on_disk == set(EXPECTED) | {"duplicate-id-a.md", "duplicate-id-b.md"}


def test_bad_yaml_is_reported_at_the_yaml_line(library: Library):
    assert problems_of(library, "bad-yaml.md") == expected_lines("bad-yaml.md")


def test_front_matter_list_is_an_error(library: Library):
    assert problems_of(library, "front-matter-list.md") == expected_lines("front-matter-list.md")


def test_missing_title_is_a_warning_naming_the_file_name_used(library: Library):
    assert problems_of(library, "missing-title.md") == expected_lines("missing-title.md")


def test_wrong_type_is_reported_at_its_key(library: Library):
    assert problems_of(library, "wrong-type.md") == expected_lines("wrong-type.md")


def test_unknown_audience_is_an_error(library: Library):
    assert problems_of(library, "unknown-audience.md") == expected_lines("unknown-audience.md")


def test_unknown_topic_is_an_error(library: Library):
    assert problems_of(library, "unknown-topic.md") == expected_lines("unknown-topic.md")


def test_impossible_date_is_reported_at_its_key_and_keeps_the_rest(library: Library):
    assert problems_of(library, "bad-date.md") == expected_lines("bad-date.md")
    module = next(m for m in library.all if m.path == BROKEN / "bad-date.md")
    assert module.meta.title == "Bad date"


def test_duplicate_ids_in_one_root_are_a_library_problem(library: Library):
    first, second = BROKEN / "duplicate-id-a.md", BROKEN / "duplicate-id-b.md"
    assert [str(p) for p in library.problems] == [
        f"{second}:1: " + DUPLICATE.format(first=first)]


def test_unknown_block_is_a_warning(library: Library):
    assert problems_of(library, "unknown-block.md") == expected_lines("unknown-block.md")


def test_unclosed_block_is_an_error(library: Library):
    assert problems_of(library, "unclosed-block.md") == expected_lines("unclosed-block.md")


def test_unknown_placeholder_is_an_error(library: Library):
    assert problems_of(library, "unknown-placeholder.md") == expected_lines("unknown-placeholder.md")


def test_image_with_dotdot_is_an_error(library: Library):
    assert problems_of(library, "image-dotdot.md") == expected_lines("image-dotdot.md")


def test_absolute_image_path_is_an_error(library: Library):
    assert problems_of(library, "image-absolute.md") == expected_lines("image-absolute.md")


def test_missing_image_file_is_an_error(library: Library):
    assert problems_of(library, "image-missing.md") == expected_lines("image-missing.md")


def test_remote_image_is_a_warning(library: Library):
    assert problems_of(library, "image-remote.md") == expected_lines("image-remote.md")


def test_never_closed_front_matter_is_an_error(library: Library):
    assert problems_of(library, "front-matter-never-closed.md") == expected_lines(
        "front-matter-never-closed.md")


def test_present_image_file_is_not_reported(tmp_path: Path):
    # Control for the missing-image check: the same reference with the file in place is clean
    # (in the lesson's own folder: a single file's neighbours are not its own, test_serving).
    (tmp_path / "ok" / "images").mkdir(parents=True)
    (tmp_path / "ok" / "images" / "hand.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "ok" / "module.md").write_text(
        "---\ntitle: Ok\naudience: pupils\n---\n# Ok\n\n![Hand](images/hand.png)\n")
    library = Library([Root(tmp_path, "extra")])
    library.refresh()
    problems = validate_module(library.all[0])
    assert [p for p in problems if "adaptations" not in p.message] == []  # test_adaptations


def run_validate(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "edukit", "validate", *args],
                          cwd=REPO, check=False, capture_output=True, text=True,
                          timeout=120)


def test_cli_validate_prints_every_problem_and_exits_1():
    result = run_validate("tests/fixtures/broken")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    printed = [line for line in result.stdout.splitlines() if NO_BOX not in line]
    folder = Path("tests/fixtures/broken")
    for name in EXPECTED:
        for line in expected_lines(name, folder):
            assert line in printed
    first, second = folder / "duplicate-id-a.md", folder / "duplicate-id-b.md"
    assert f"{second}:1: " + DUPLICATE.format(first=first) in printed
    assert len(printed) == sum(len(v) for v in EXPECTED.values()) + 1


def test_impossible_date_in_route_file_is_a_problem_not_a_crash(tmp_path: Path):
    (tmp_path / "routes").mkdir()
    routes = tmp_path / "routes" / "uk.yaml"
    routes.write_text("region: uk\nroutes:\n  - id: a\n    name: A\n    for: [pupils]\n"
                      "    verified: 2026-13-45\n", encoding="utf-8")
    (tmp_path / "t.md").write_text("---\ntitle: T\n---\nBody\n", encoding="utf-8")
    library = Library([Root(tmp_path, "extra")])
    library.refresh()
    assert library.routes("uk") is None
    assert [str(p) for p in library.problems] == [
        f"{routes}:1: error: cannot read route directory: month must be in 1..12"]
    result = run_validate("--content", str(tmp_path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
