"""State survives crashes and bad files: atomic writes (a writer killed mid-way leaves the old
or the new file), corrupt or wrong-schema files moved aside once with defaults used, and a
read-only folder or a full disk reported in plain words with nothing else lost."""
from __future__ import annotations

import contextlib
import json
import os
import resource
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from edukit.core.model import EdukitWarning, School
from edukit.core.paths import AppDirs
from edukit.core.settings import (
    Preferences,
    SaveError,
    UiState,
    load_preferences,
    load_school,
    load_ui_state,
    save_preferences,
    save_school,
    save_ui_state,
)

WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from edukit.core.atomic import write_atomic
    path, n = Path(sys.argv[1]), 0
    print("ready", flush=True)
    while True:  # rewrite forever with ever-growing documents until killed
        n += 1
        write_atomic(path, ('{"schema_version": 1, "n": %d, "pad": "%s"}' % (n, "x" * (n % 5000 * 200))).encode())
""")


def test_writer_killed_at_any_moment_leaves_a_whole_file(tmp_path):
    target = tmp_path / "preferences.json"
    target.write_text('{"schema_version": 1, "n": 0, "pad": ""}')
    for delay in (0.05, 0.11, 0.17, 0.23, 0.31):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(target)], stdout=subprocess.PIPE)
        assert proc.stdout.readline() == b"ready\n"
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        data = json.loads(target.read_text())  # never half a file
        assert data["schema_version"] == 1 and len(data["pad"]) == data["n"] % 5000 * 200
    assert data["n"] > 0  # positive control: the writer really was replacing the file


def test_plain_write_killed_mid_way_does_corrupt_positive_control(tmp_path):
    """Without write_atomic the same kill leaves a truncated file: the test above can fail."""
    target = tmp_path / "plain.json"
    script = ("import sys,time\nf=open(sys.argv[1],'w'); f.write('{\"half\": '); f.flush()\n"
              "print('ready', flush=True); time.sleep(30)")
    proc = subprocess.Popen([sys.executable, "-c", script, str(target)], stdout=subprocess.PIPE)
    assert proc.stdout.readline() == b"ready\n"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with pytest.raises(json.JSONDecodeError):
        json.loads(target.read_text())


@pytest.mark.parametrize("content", [
    b"{not json", b"[1, 2, 3]", b'"a string"', b'{"schema_version": 0, "theme": "dark"}',
    b'{"theme": "dark"}', b"\xff\xfe\x00garbage", b"[" * 100_000, b"",
], ids=["invalid", "list", "string", "old-schema", "no-schema", "binary", "deep", "empty"])
def test_corrupt_or_wrong_schema_file_is_moved_aside_once_and_defaults_used(content):
    dirs = AppDirs.default()
    path = dirs.config / "preferences.json"
    path.write_bytes(content)
    with pytest.warns(EdukitWarning, match="preferences.json: unreadable .* using defaults"):
        prefs = load_preferences(dirs)
    assert prefs == Preferences()
    aside = list(dirs.config.glob("preferences.json.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == content  # nothing silently lost
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert load_preferences(dirs) == Preferences()  # told once: no second warning


def test_values_of_the_wrong_shape_fall_back_to_defaults_one_by_one():
    dirs = AppDirs.default()
    (dirs.config / "ui-state.json").write_text(json.dumps({
        "schema_version": 1, "last_module": "sextortion", "recent": ["a", {"x": 1}],
        "filters": {"audience": 3}, "view": 7}))
    (dirs.config / "preferences.json").write_text(
        '{"schema_version": 1, "zoom": NaN, "theme": "dark", "large_print": 1}')
    ui, prefs = load_ui_state(dirs), load_preferences(dirs)
    assert (ui.last_module, ui.recent, ui.filters, ui.view) == ("sextortion", [], {}, "lesson")
    assert (prefs.zoom, prefs.theme, prefs.large_print) == (1.0, "dark", False)


def test_settings_round_trip():
    dirs = AppDirs.default()
    save_school(School(name="Oak Primary", dsl_name="Ms Patel"), dirs)
    save_ui_state(UiState(last_module="who-can-i-tell", recent=["who-can-i-tell"]), dirs)
    assert load_school(dirs).dsl_name == "Ms Patel"
    assert load_ui_state(dirs).recent == ["who-can-i-tell"]



@contextlib.contextmanager
def small_filesystem(tmp_path: Path, options: str):
    """A tmpfs of our own when running as root (root ignores folder permissions), else None."""
    if os.geteuid() != 0:
        yield None
        return
    mount = tmp_path / "mnt"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(mount)], check=False).returncode:
        pytest.fail("running as root but cannot mount a tmpfs for the test")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_read_only_folder_gives_a_plain_message_and_keeps_the_old_file(tmp_path):
    with small_filesystem(tmp_path, "size=1m") as mount:
        folder = mount or tmp_path
        dirs = AppDirs(folder, folder, folder)
        save_school(School(name="Old"), dirs)
        if mount:
            subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        else:
            folder.chmod(0o555)
        try:
            with pytest.raises(SaveError) as info:
                save_school(School(name="New"), dirs)
        finally:
            folder.chmod(0o755) if not mount else None
        assert info.value.strerror in (
            "cannot save school.json: the folder is read-only; nothing else was changed",
            "cannot save school.json: the disk is read-only; nothing else was changed")
        assert load_school(dirs).name == "Old"
        assert [p.name for p in folder.iterdir()] == ["school.json"]  # no temp file left


def test_full_disk_gives_a_plain_message_and_keeps_the_old_file(tmp_path):
    with small_filesystem(tmp_path, "size=16k") as mount:
        folder = mount or tmp_path
        dirs = AppDirs(folder, folder, folder)
        save_school(School(name="Old"), dirs)
        big = School(name="N" * 200_000)
        limits = resource.getrlimit(resource.RLIMIT_FSIZE)
        handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        if not mount:  # no tmpfs: a file-size limit makes the write fail part-way instead
            resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, limits[1]))
        try:
            with pytest.raises(SaveError) as info:
                save_school(big, dirs)
        finally:
            resource.setrlimit(resource.RLIMIT_FSIZE, limits)
            signal.signal(signal.SIGXFSZ, handler)
        assert info.value.strerror in (
            "cannot save school.json: the disk is full; nothing else was changed",
            "cannot save school.json: the file is too large for the disk; nothing else was changed")
        assert load_school(dirs).name == "Old"
        assert [p.name for p in folder.iterdir()] == ["school.json"]
        save_school(School(name="Fits"), dirs)  # positive control: small writes still work
        assert load_school(dirs).name == "Fits"


def test_save_error_is_an_os_error_with_the_file_name(tmp_path):
    blocker = tmp_path / "config"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(SaveError) as info:
        save_preferences(Preferences(), AppDirs(blocker, tmp_path, tmp_path))
    assert isinstance(info.value, OSError) and info.value.filename.endswith("preferences.json")


def test_settings_from_a_newer_edukit_are_left_in_place_and_never_replaced(tmp_path):
    """Going back to an older version must not lose what the newer one saved."""
    dirs = AppDirs.default()
    path = dirs.config / "preferences.json"
    newer = '{"schema_version": 3, "theme": "dark", "new_thing": true}'
    path.write_text(newer)
    with pytest.warns(EdukitWarning, match=r"written by a newer edukit \(schema 3; this one reads "
                                           r"2\)\); using defaults, the file was left as it is"):
        assert load_preferences(dirs) == Preferences()
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert load_preferences(dirs) == Preferences()  # told once
    with pytest.raises(SaveError, match="a newer edukit wrote it"):
        save_preferences(Preferences(theme="light"), dirs)
    assert path.read_text() == newer
    assert sorted(p.name for p in dirs.config.iterdir()) == ["preferences.json"]
    save_ui_state(UiState(last_module="sextortion"), dirs)  # positive control: others save
    assert load_ui_state(dirs).last_module == "sextortion"


def test_school_details_from_before_the_new_contacts_load_and_save_with_them(user_dirs):
    """school.json of schema 1 (no phone, LADO or social care) reads as it was; saving adds the
    new fields and schema 2, so an edukit that knows only schema 1 will not save over them."""
    from edukit.core.model import School
    from edukit.core.settings import load_school, save_school

    path = user_dirs["config"] / "school.json"
    path.write_text('{"schema_version": 1, "name": "Hill Primary", "dsl_name": "Ms Rivera"}')
    school = load_school()
    assert (school.name, school.dsl_name, school.lado) == ("Hill Primary", "Ms Rivera", "")
    save_school(School(name="Hill Primary", lado="01632 960456", phone="01632 960123"))
    stored = json.loads(path.read_text())
    assert stored["schema_version"] == 2 and stored["lado"] == "01632 960456"
    assert load_school().phone == "01632 960123"
