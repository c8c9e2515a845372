"""Front matter is read safely: no YAML object construction, clear problems with line numbers."""
from __future__ import annotations

from pathlib import Path

from edukit.core.frontmatter import load_yaml, split_front_matter
from edukit.core.library import load_module
from edukit.core.model import Module


def load_bytes(tmp_path: Path, data: bytes, name: str = "module.md") -> Module:
    path = tmp_path / name
    path.write_bytes(data)
    return load_module(path, "file")


def problem_lines(module: Module) -> list[str]:
    return [str(p) for p in module.problems]


def test_python_tag_is_never_constructed(tmp_path: Path):
    marker = tmp_path / "PWNED"
    module = load_bytes(tmp_path, (
        "---\ntitle: Tagged\n"
        f'summary: !!python/object/apply:os.system ["touch {marker}"]\n'
        "---\nBody\n").encode())
    assert not marker.exists()
    path = tmp_path / "module.md"
    assert (f"{path}:3: error: invalid YAML: could not determine a constructor for the tag "
            "'tag:yaml.org,2002:python/object/apply:os.system'") in problem_lines(module)


def test_python_tag_at_top_level_is_an_error_not_a_call(tmp_path: Path):
    marker = tmp_path / "PWNED"
    module = load_bytes(tmp_path, (
        f'---\n!!python/object/apply:os.system ["touch {marker}"]\n---\nBody\n').encode())
    assert not marker.exists()
    assert any(p.is_error and p.line == 2 and "constructor" in p.message for p in module.problems)


def test_python_name_tag_is_refused():
    data, _, problems = load_yaml("title: !!python/name:os.system\n", "f.md", 2)
    assert data is None
    assert [p.line for p in problems] == [2] and problems[0].is_error


def test_duplicate_key_is_reported_with_its_line(tmp_path: Path):
    module = load_bytes(tmp_path, b"---\ntitle: One\nsummary: x\ntitle: Two\n---\nBody\n")
    assert problem_lines(module) == [f"{tmp_path / 'module.md'}:4: error: duplicate key 'title'"]


def test_crlf_file_loads(tmp_path: Path):
    module = load_bytes(tmp_path, b"---\r\ntitle: Windows\r\nduration: 10\r\n---\r\n# Windows\r\n\r\nText\r\n")
    assert module.problems == ()
    assert (module.meta.title, module.meta.duration) == ("Windows", 10)
    assert "\r" not in module.body


def test_utf8_bom_file_loads(tmp_path: Path):
    module = load_bytes(tmp_path, "\ufeff---\ntitle: Café rules\n---\nBody\n".encode())
    assert module.problems == ()
    assert module.meta.title == "Café rules"


def test_invalid_utf8_reports_its_line(tmp_path: Path):
    module = load_bytes(tmp_path, b"---\ntitle: Latin\n---\n# Latin\n\nCaf\xe9 au lait\n")
    assert problem_lines(module) == [
        f"{tmp_path / 'module.md'}:6: error: not valid UTF-8 text (save the file as UTF-8)"]
    assert module.meta.title == "Latin"  # the rest of the file is still read


def test_unknown_key_is_a_warning_with_its_line(tmp_path: Path):
    module = load_bytes(tmp_path, b"---\ntitle: Unknown\nflavour: mint\n---\nBody\n")
    assert problem_lines(module) == [
        f"{tmp_path / 'module.md'}:3: warning: unknown front matter key 'flavour'"]


def test_marp_keys_are_silent(tmp_path: Path):
    module = load_bytes(tmp_path, b"---\ntitle: Deck\nmarp: true\ntheme: gaia\npaginate: true\n---\nBody\n")
    assert module.problems == ()
    assert module.meta.marp is True


def test_valid_date_is_read_as_a_date(tmp_path: Path):
    module = load_bytes(tmp_path, b"---\ntitle: Dated\nreviewed: 2026-02-28\nreview_months: 12\n---\n")
    assert module.problems == ()
    assert str(module.meta.review_due_on()) == "2027-02-28"


def test_impossible_date_is_reported_at_its_key(tmp_path: Path):
    module = load_bytes(tmp_path, b"---\ntitle: Dated\nsummary: s\nreviewed: 2026-02-30\n---\n")
    assert problem_lines(module) == [
        f"{tmp_path / 'module.md'}:4: error: "
        + "'reviewed' must be a date like 2026-09-01, not '2026-02-30'"]
    assert module.meta.summary == "s"


def test_front_matter_must_start_on_the_first_line():
    yaml_text, _body, body_line, problems = split_front_matter("\n---\ntitle: x\n---\n", "f.md")
    assert yaml_text is None and body_line == 1 and problems == []


def test_dot_dot_dot_closes_front_matter():
    yaml_text, body, body_line, problems = split_front_matter("---\ntitle: x\n...\nBody", "f.md")
    assert (yaml_text, body, body_line, problems) == ("title: x", "Body", 4, [])
