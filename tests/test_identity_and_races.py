"""Identity and races (issue 10, class 6): a file opened by path never takes over a library
lesson's id; two exports to one OUT cannot both succeed; a settings file that is a pipe or a
device is refused at once instead of freezing the app."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from edukit.core import atomic
from edukit.core.atomic import write_atomic
from edukit.core.export import ExportOptions, output_paths
from edukit.core.library import Library

REPO = Path(__file__).parent.parent
BUNDLED_ID = "who-can-i-tell"
IMPOSTOR = f"""---
id: {BUNDLED_ID}
title: Call 0900 000 000 for help
---
# Call 0900 000 000 for help
"""


def edukit(*args: str, env: dict | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "edukit", *args], cwd=REPO, check=False,
                          capture_output=True, text=True, timeout=timeout, env=env)


# Identity

def test_a_file_opened_by_path_gets_its_own_id(tmp_path):
    impostor = tmp_path / "x.md"
    impostor.write_text(IMPOSTOR)
    library = Library.default()
    bundled = library.get(BUNDLED_ID)
    assert bundled is not None and bundled.origin == "bundled"  # positive control: it exists
    opened = library.resolve(str(impostor))
    assert opened.meta.title == "Call 0900 000 000 for help"
    assert opened.id != BUNDLED_ID and opened.id.startswith(f"{BUNDLED_ID}-file-")
    assert library.get(BUNDLED_ID) is bundled and library.resolve(BUNDLED_ID) is bundled
    assert library.resolve(str(impostor)) is opened  # stable: a reload sees no change
    other = tmp_path / "other" / "x.md"
    other.parent.mkdir()
    other.write_text(IMPOSTOR)
    assert library.resolve(str(other)).id not in (opened.id, BUNDLED_ID)  # nor another file's


def test_opening_a_library_lessons_own_file_by_path_is_that_lesson():
    library = Library.default()
    bundled = library.get(BUNDLED_ID)
    assert library.resolve(str(bundled.path)) is bundled
    assert library.resolve(str(bundled.folder)) is bundled


def test_the_app_session_keeps_the_bundled_lesson_under_its_id(tmp_path):
    from edukit.core.model import School
    from edukit.gui.session import Session

    impostor = tmp_path / "x.md"
    impostor.write_text(IMPOSTOR)
    session = Session(Library.default(), School())
    bundled = session.find(BUNDLED_ID)
    opened = session.open(str(impostor))
    assert session.find(BUNDLED_ID) is bundled  # pages, history, recent: still the bundled one
    assert session.find(opened.id) is opened
    session.open(BUNDLED_ID)
    assert session.module is bundled
    session.back()
    assert session.module is opened


def test_export_by_path_does_not_write_under_the_bundled_id(tmp_path):
    impostor = tmp_path / "x.md"
    impostor.write_text(IMPOSTOR)
    out = tmp_path / "out"
    result = edukit("export", str(impostor), BUNDLED_ID, "--as", "handout", "--format", "html",
                    "-o", str(out))
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 2 and f"{BUNDLED_ID}-handout.html" in names  # two files, not one twice
    assert "0900" not in (out / f"{BUNDLED_ID}-handout.html").read_text(encoding="utf-8")


# Two exports to one OUT

def test_an_export_that_lost_the_race_leaves_the_winners_file(tmp_path):
    """Both exports checked OUT before either wrote (the interleaving the old code allowed):
    the second write is refused, and the first file is whole."""
    out = tmp_path / "handout.html"
    options = ExportOptions(format="html")
    assert output_paths([object()], options, out) == [out]  # A checks: free
    assert output_paths([object()], options, out) == [out]  # B checks: still free
    write_atomic(out, b"A" * 100_000, overwrite=False)
    with pytest.raises(FileExistsError) as raised:
        write_atomic(out, b"B" * 100_000, overwrite=False)
    assert "already exists" in raised.value.args[-1] and "--overwrite" in raised.value.args[-1]
    assert out.read_bytes() == b"A" * 100_000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["handout.html"]  # no temp left
    write_atomic(out, b"C", overwrite=True)  # positive control: --overwrite replaces it
    assert out.read_bytes() == b"C"


def race(tmp_path: Path, rounds: int) -> None:
    payloads = [bytes([65 + n]) * 300_000 for n in range(2)]
    for r in range(rounds):
        out = tmp_path / f"out-{r}.html"
        start = threading.Barrier(2)
        results: list[str] = []

        def export(data: bytes, start=start, out=out, results=results) -> None:
            start.wait()
            try:
                write_atomic(out, data, overwrite=False)
                results.append("ok")
            except FileExistsError:
                results.append("refused")
        threads = [threading.Thread(target=export, args=(p,)) for p in payloads]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(results) == ["ok", "refused"], (r, results)
        assert out.read_bytes() in payloads
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_two_racing_writes_exactly_one_wins(tmp_path):
    race(tmp_path, 100)


def test_two_racing_writes_without_hard_links_exactly_one_wins(tmp_path, monkeypatch):
    """FAT and exFAT USB sticks have no hard links: the O_EXCL fallback holds the line too."""
    def no_links(*_):
        raise PermissionError(1, "Operation not permitted")
    monkeypatch.setattr(atomic.os, "link", no_links)
    race(tmp_path, 100)


def test_two_real_export_processes_to_one_out(tmp_path):
    for r in range(4):
        out = tmp_path / f"handout-{r}.html"
        command = [sys.executable, "-m", "edukit", "export", BUNDLED_ID, "--as", "handout",
                   "--format", "html", "-o", str(out)]
        procs = [subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(2)]
        done = [(p.wait(timeout=300), *p.communicate()) for p in procs]
        codes = sorted(code for code, _, _ in done)
        assert codes == [0, 1], done
        loser = next(err for code, _, err in done if code)
        assert len(loser.strip().splitlines()) == 1 and loser.startswith("edukit: export:"), loser
        assert "already exists" in loser and "Traceback" not in loser
        html = out.read_text(encoding="utf-8")
        assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")


# Settings files that are pipes or devices

SETTINGS_FILES = ["preferences.json", "ui-state.json", "school.json"]
LOAD_ALL = """
import warnings
from edukit.core import settings
warnings.simplefilter("ignore")
print(settings.load_preferences().theme, settings.load_ui_state().view,
      repr(settings.load_school().name))
settings.save_preferences(settings.Preferences(theme="dark"))
print(settings.load_preferences().theme)
"""


def run_with_config(config: Path, code: str, timeout: int = 60) -> subprocess.CompletedProcess:
    """In a child process with a time limit, so a read that blocks fails the test, not hangs it."""
    env = {**os.environ, "EDUKIT_CONFIG_DIR": str(config)}
    return subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, timeout=timeout,
                          capture_output=True, text=True, check=False)


def test_a_fifo_really_blocks_a_plain_read_positive_control(tmp_path):
    os.mkfifo(tmp_path / "preferences.json")
    with pytest.raises(subprocess.TimeoutExpired):
        run_with_config(tmp_path, "open('preferences.json').read()".replace(
            "preferences.json", str(tmp_path / "preferences.json")), timeout=3)


@pytest.mark.parametrize("kind", ["fifo", "link to /dev/zero", "link to a fifo", "huge"])
def test_settings_that_are_not_regular_files_are_refused_at_once(tmp_path, kind):
    config = tmp_path / "config"
    config.mkdir()
    for name in SETTINGS_FILES:
        path = config / name
        if kind == "fifo":
            os.mkfifo(path)
        elif kind == "link to /dev/zero":
            path.symlink_to("/dev/zero")
        elif kind == "link to a fifo":
            os.mkfifo(tmp_path / f"{name}.pipe")
            path.symlink_to(tmp_path / f"{name}.pipe")
        else:
            with open(path, "wb") as f:
                f.write(b'{"schema_version": 1, "theme": "')
                f.truncate(50 * 1024 * 1024)
    result = run_with_config(config, LOAD_ALL)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["light lesson ''", "dark"]  # defaults, then saved


def test_a_fifo_settings_file_is_reported_and_moved_aside(tmp_path):
    os.mkfifo(tmp_path / "preferences.json")
    result = run_with_config(tmp_path, "from edukit.core import settings\n"
                                       "print(settings.load_preferences().theme)")
    assert result.returncode == 0 and result.stdout == "light\n", result.stderr
    assert "preferences.json: unreadable (" in result.stderr
    assert "not a regular file" in result.stderr
    assert not (tmp_path / "preferences.json").exists()
    assert [p.name.split(".corrupt-")[0] for p in tmp_path.iterdir()] == ["preferences.json"]


def test_exported_files_of_opened_lessons_keep_readable_names(tmp_path):
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "x.md").write_text(IMPOSTOR)
    (tmp_path / "y.md").write_text("---\ntitle: Y\n---\n# Y\n")
    library = Library.default()
    modules = [library.resolve(str(tmp_path / p)) for p in ("a/x.md", "b/x.md", "y.md")]
    modules.append(library.get(BUNDLED_ID))
    paths = output_paths(modules, ExportOptions(format="html"), tmp_path / "out")
    names = [p.name for p in paths]
    assert names[2:] == ["y-handout.html", f"{BUNDLED_ID}-handout.html"]
    assert names[0].startswith(f"{BUNDLED_ID}-file-") and len(set(names)) == 4
