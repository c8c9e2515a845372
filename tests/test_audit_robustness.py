"""Bad input found by the robustness audit (issue 7): each case is a real file or a real
`edukit` process, and each failed before its fix."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from user_files import ExportedOnce

from edukit.core.library import Library

REPO = Path(__file__).parent.parent
LESSON = "---\n{front}title: {title}\n---\n## Part\n\nText.\n"


def edukit(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "edukit", *args], cwd=cwd, check=False,
                          capture_output=True, text=True, timeout=300)


def one_line_error(result: subprocess.CompletedProcess) -> str:
    """The single `edukit: ...` line a failed command must end with (and nothing else)."""
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("edukit: "), result.stderr
    return lines[0]


def write_lesson(folder: Path, name: str, title: str, front: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(LESSON.format(front=front, title=title), encoding="utf-8")
    return path


# --- ids name files: a hostile id must never reach one ------------------------------------

@pytest.mark.parametrize("bad_id", ["../../escaped", "a/b", "café", "UPPER", ".hidden"])
def test_an_invalid_id_is_reported_and_the_file_name_is_used_instead(tmp_path, bad_id):
    path = write_lesson(tmp_path / "c", "lesson-one.md", "One", front=f"id: '{bad_id}'\n")
    library = Library.default(extra=[tmp_path / "c"])
    module = next(m for m in library.all if m.path == path)
    assert module.id == "lesson-one"
    assert [p.message for p in module.problems] == [
        f"id '{bad_id}' must be lower-case letters, digits and dashes (using 'lesson-one')"]


def test_export_all_never_writes_outside_its_folder_whatever_an_id_says(tmp_path):
    content = tmp_path / "work" / "content"
    write_lesson(content, "evil.md", "Evil", front="id: '../../escaped'\n")
    write_lesson(content, "plain.md", "Plain")  # positive control: exported where asked
    out = tmp_path / "work" / "out"
    result = edukit("--content", str(content), "export", "--all", "--format", "html",
                    "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert (out / "plain-handout.html").is_file() and (out / "evil-handout.html").is_file()
    written = {p for p in tmp_path.rglob("*-handout.html")}
    assert all(p.parent == out for p in written), written


# --- dates at the edge of the calendar ----------------------------------------------------

@pytest.mark.parametrize("reviewed", ["9999-12-31", "9999-01-01"])
def test_a_review_date_near_the_year_9999_lists_without_a_traceback(tmp_path, reviewed):
    write_lesson(tmp_path / "c", "far.md", "Far future", front=f"reviewed: {reviewed}\n")
    result = edukit("--content", str(tmp_path / "c"), "list")
    assert result.returncode == 0, result.stderr
    assert "Far future" in result.stdout


# --- command-line mistakes: one plain line, never a usage block ---------------------------

@pytest.mark.parametrize("args, says", [
    (["bogus"], "edukit: argument COMMAND: invalid choice: 'bogus'"),
    (["open"], "edukit: open: the following arguments are required: ID|PATH"),
    (["present"], "edukit: present: the following arguments are required: ID|PATH"),
    (["export", "who-can-i-tell"], "edukit: export: the following arguments are required: -o"),
    (["export", "x", "--per-page", "5", "-o", "y"], "edukit: export: argument --per-page: "),
    (["export", "x", "--as", "poster", "-o", "y"], "edukit: export: argument --as: "),
    (["search"], "edukit: search: the following arguments are required: query"),
    (["list", "extra"], "edukit: unrecognized arguments: extra"),
    (["--content"], "edukit: argument --content: expected one argument"),
])
def test_a_usage_mistake_is_one_plain_line(args, says):
    line = one_line_error(edukit(*args))
    assert line.startswith(says), line
    assert "--help" in line


# --- export never silently destroys a file that is already there --------------------------

def test_export_refuses_to_replace_a_teachers_file_and_writes_nothing(tmp_path):
    mine = tmp_path / "my-notes.pdf"
    mine.write_text("a teacher's own file")
    line = one_line_error(edukit("export", "who-can-i-tell", "--format", "html", "-o", str(mine)))
    assert "already exists" in line and "--overwrite" in line
    assert mine.read_text() == "a teacher's own file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["my-notes.pdf"]  # no temp file left


def test_export_overwrite_replaces_the_file_positive_control(tmp_path):
    mine = tmp_path / "handout.html"
    mine.write_text("old export")
    result = edukit("export", "who-can-i-tell", "--format", "html", "--overwrite", "-o", str(mine))
    assert result.returncode == 0, result.stderr
    assert mine.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_export_all_into_a_folder_with_one_taken_name_writes_none_of_them(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "sextortion-handout.html").write_text("keep me")
    line = one_line_error(edukit("export", "--all", "--format", "html", "-o", str(out)))
    assert "sextortion-handout.html already exists" in line
    assert [p.name for p in out.iterdir()] == ["sextortion-handout.html"]
    assert (out / "sextortion-handout.html").read_text() == "keep me"


def test_export_all_to_a_file_says_it_needs_a_folder(tmp_path):
    mine = tmp_path / "mine.pdf"
    mine.write_text("keep")
    line = one_line_error(edukit("export", "--all", "--format", "html", "-o", str(mine)))
    assert line == f"edukit: export: {mine} is a file; for several modules -o names a folder"
    assert mine.read_text() == "keep"


def test_export_to_an_unwritable_place_names_it_not_a_temporary_file(tmp_path):
    target = Path("/proc/edukit-audit.html")  # /proc refuses new files, even to root
    line = one_line_error(edukit("export", "who-can-i-tell", "--format", "html", "-o", str(target)))
    assert line.startswith(f"edukit: export: cannot write {target}: "), line
    assert ".tmp" not in line


def test_export_into_a_folder_that_does_not_exist_makes_it(tmp_path):
    out = tmp_path / "new" / "folder" / "handout.html"
    result = edukit("export", "who-can-i-tell", "--format", "html", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert out.is_file()


# --- route directories: the helplines on every handout ------------------------------------

CHILDLINE = "0800 1111"  # in the bundled uk.yaml


# Bundled lessons' handouts exported so far: the positive control (no user routes) is the
# same export in each case
HANDOUTS = ExportedOnce()


def handout_of(tmp_path: Path, module: str = "who-can-i-tell", *content: str) -> str:
    out = tmp_path / f"handout-{len(list(tmp_path.glob('handout-*')))}.html"

    def export() -> str:
        extra = [a for c in content for a in ("--content", c)]
        result = edukit(*extra, "export", module, "--format", "html", "-o", str(out))
        assert result.returncode == 0, result.stderr
        return result.stderr
    if content:  # a folder of lessons may change between calls: not kept
        export()
    else:
        HANDOUTS(out, (module,), export)
    return out.read_text(encoding="utf-8")


@pytest.mark.parametrize("broken", ["[[[[", "routes: 7\n", "!!python/object/apply:os.system [x]\n",
                                    "region: uk\nroutes:\n  - name: no id\n"])
def test_a_broken_user_route_file_leaves_the_bundled_helplines_on_handouts(tmp_path, broken):
    assert CHILDLINE in handout_of(tmp_path)  # positive control: the bundled box
    routes = Path(__import__("os").environ["EDUKIT_DATA_DIR"]) / "routes"
    routes.mkdir(parents=True)
    (routes / "uk.yaml").write_text(broken)
    assert CHILDLINE in handout_of(tmp_path)
    checked = edukit("validate", "who-can-i-tell")
    assert f"{routes / 'uk.yaml'}:1: error: " in checked.stdout
    assert checked.returncode == 1


def test_a_region_naming_a_file_elsewhere_is_refused_and_uk_used(tmp_path):
    fake = tmp_path / "fake.yaml"
    fake.write_text("region: fake\nroutes:\n  - id: childline\n    name: Childline\n"
                    "    for: [pupils]\n    phone: '0900 666 666'\n")
    lesson = write_lesson(tmp_path / "c", "reg.md", "Region",
                          front=f"region: '{'../' * 12}{str(fake)[1:-5]}'\n")
    lesson.write_text(lesson.read_text() + "\n::: {.routes for=pupils}\n:::\n")
    html = handout_of(tmp_path, "reg", str(tmp_path / "c"))
    assert "0900 666 666" not in html and CHILDLINE in html
    module = Library.default(extra=[tmp_path / "c"]).get("reg")
    assert module.meta.region == "uk"
    assert "must be lower-case letters, digits and dashes (using 'uk')" in module.problems[0].message


# --- state the CLI meets: warnings, a broken cache, files it cannot use --------------------

def test_a_settings_warning_on_the_command_line_is_one_plain_line_per_file(tmp_path):
    config = tmp_path / "config-is-a-file"
    config.write_text("not a folder")
    env = {**__import__("os").environ, "EDUKIT_CONFIG_DIR": str(config)}
    out = tmp_path / "h.html"
    result = subprocess.run([sys.executable, "-m", "edukit", "export", "who-can-i-tell", "--format",
                             "html", "-o", str(out)], cwd=REPO, env=env, check=False,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    # the export reads the school's details and the reader's type settings: one line each
    assert sorted(result.stderr.splitlines()) == [(
        f"edukit: warning: {config}/{name}: unreadable ([Errno 20] Not a directory: "
        f"'{config}/{name}'); using defaults, the file was left as it is")
        for name in ("preferences.json", "school.json")]
    assert config.read_text() == "not a folder" and out.is_file()


def test_search_works_without_a_usable_cache_folder(tmp_path):
    cache = tmp_path / "cache-is-a-file"
    cache.write_text("x")
    env = {**__import__("os").environ, "EDUKIT_CACHE_DIR": str(cache)}
    result = subprocess.run([sys.executable, "-m", "edukit", "search", "childline"], cwd=REPO,
                            env=env, check=False, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "who-can-i-tell" in result.stdout
    assert result.stderr.splitlines() == [(f"edukit: warning: cannot keep the search index in "
                                           f"{cache} (File exists); searching without it")]


def test_a_module_too_big_to_read_is_not_exported_as_blank_pages(tmp_path):
    big = tmp_path / "big.md"
    big.write_text("---\ntitle: Big\n---\n" + "x" * (2 * 2**20))
    for extra in (["--format", "html"], []):
        line = one_line_error(edukit("export", str(big), *extra, "-o", str(tmp_path / "out")))
        assert line == (f"edukit: export: {big}:1: error: file is 2.0 MB; lessons are limited to "
                        "1 MB; nothing was written")
    assert not (tmp_path / "out").exists()


def test_export_all_skips_a_module_too_big_to_read_and_says_so(tmp_path):
    content = tmp_path / "c"
    content.mkdir()
    (content / "big.md").write_text("---\ntitle: Big\n---\n" + "x" * (2 * 2**20))
    out = tmp_path / "out"
    result = edukit("--content", str(content), "export", "--all", "--format", "html", "-o", str(out))
    assert result.returncode == 1
    assert f"edukit: skipped {content / 'big.md'}:1: error: file is 2.0 MB" in result.stderr
    assert "Traceback" not in result.stderr
    assert (out / "who-can-i-tell-handout.html").is_file() and not (out / "big-handout.html").exists()


def test_exports_get_the_usual_file_permissions_not_private_ones(tmp_path):
    import os
    import stat

    control = tmp_path / "control"
    control.touch()  # what open() makes under this umask
    new = tmp_path / "new.html"
    assert edukit("export", "who-can-i-tell", "--format", "html", "-o", str(new)).returncode == 0
    assert stat.S_IMODE(new.stat().st_mode) == stat.S_IMODE(control.stat().st_mode)
    os.chmod(new, 0o640)  # a teacher's choice survives a re-export
    assert edukit("export", "who-can-i-tell", "--format", "html", "--overwrite",
                  "-o", str(new)).returncode == 0
    assert stat.S_IMODE(new.stat().st_mode) == 0o640


# --- text that shows differently from what it says ----------------------------------------

SPOOF = "evil.exe txt.md"


@pytest.mark.parametrize("where, source, line", [
    ("raw title", f"---\ntitle: \u202e{SPOOF}\u202c Safe\n---\n## A\n\nx\n", 2),
    ("YAML escape", f'---\ntitle: "\\u202e{SPOOF}\\u202c Safe"\n---\n## A\n\nx\n', 2),
    ("isolate in body", f"---\ntitle: {SPOOF} Safe\n---\n## A\n\nsee \u2067{SPOOF}\u2069\n", 6),
])
def test_text_direction_controls_are_removed_and_reported(tmp_path, where, source, line):
    path = tmp_path / "c" / "spoof.md"
    path.parent.mkdir()
    path.write_text(source, encoding="utf-8")
    module = Library.default(extra=[tmp_path / "c"]).get("spoof")
    assert module.meta.title == f"{SPOOF} Safe"
    assert "\u202e" not in module.body and "\u2067" not in module.body
    [problem] = module.problems
    assert (problem.line, problem.severity) == (line, "warning")
    assert problem.message.startswith("invisible text-direction controls removed")


def test_right_to_left_text_and_its_marks_are_kept_positive_control(tmp_path):
    source = "---\ntitle: مرحبا بالعالم\n---\n## שלום\n\nטקסט \u200f(1)\u200e ok\n"
    path = tmp_path / "c" / "rtl.md"
    path.parent.mkdir()
    path.write_text(source, encoding="utf-8")
    module = Library.default(extra=[tmp_path / "c"]).get("rtl")
    assert module.problems == () and module.meta.title == "مرحبا بالعالم"
    assert "טקסט \u200f(1)\u200e ok" in module.body


def test_a_title_too_long_to_show_is_a_warning(tmp_path):
    path = write_lesson(tmp_path / "c", "long.md", "Very long title " * 20)
    module = Library.default(extra=[tmp_path / "c"]).get("long")
    assert [str(p) for p in module.problems] == [
        (f"{path}:2: warning: title is 319 characters; the library, the window and printed "
        "headers show about the first 60 (keep it under 150)")]


# --- files that are not files --------------------------------------------------------------

def test_a_module_that_links_to_a_pipe_or_a_device_is_reported_not_waited_on(tmp_path):
    import os

    root = tmp_path / "c"
    root.mkdir()
    os.mkfifo(root / "pipe")
    (root / "waits.md").symlink_to(root / "pipe")  # opening a FIFO blocks until a writer comes
    (root / "endless.md").symlink_to("/dev/zero")
    write_lesson(root, "fine.md", "Fine")  # positive control
    result = subprocess.run([sys.executable, "-m", "edukit", "--content", str(root), "validate",
                             str(root)], cwd=REPO, capture_output=True, text=True, timeout=60,
                            check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    for name in ("waits.md", "endless.md"):
        assert (f"{root / name}:1: error: cannot read file: not a regular file (a pipe, a device "
                "or a socket)") in result.stdout
    assert "fine.md" not in result.stdout


def test_exporting_a_file_that_is_not_a_lesson_names_its_errors(tmp_path):
    photo = tmp_path / "photo.md"
    photo.write_bytes(b"\xff\xd8\xff\xe0 JFIF not text at all \x00\x01")
    out = tmp_path / "out.html"
    result = edukit("export", str(photo), "--format", "html", "-o", str(out))
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [  # (no title: a warning, its file name is used)
        f"{photo}:1: error: not valid UTF-8 text (save the file as UTF-8)"]


@pytest.mark.parametrize("query", ['"', "NEAR(", "(((", "a\"b", "{col}:x", "^", "zzzqqq"])
def test_search_syntax_that_means_something_to_sqlite_is_just_words(query):
    line = one_line_error(edukit("search", query))
    assert line == f"edukit: search: no results for '{query}'"


def test_search_finds_what_is_there_positive_control():
    result = edukit("search", "childline")
    assert result.returncode == 0 and "who-can-i-tell" in result.stdout
