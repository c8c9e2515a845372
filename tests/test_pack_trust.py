"""Packs: what was checked is what is installed. A pack swapped on disk after the check is
never installed; a damaged member is one plain line, not a traceback; every module body is
validated as `edukit validate` does; a tampered note of an interrupted import moves nothing
outside the data folder."""
from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

import edukit.cli
from edukit.cli import main
from edukit.core.library import Library, load_module
from edukit.core.packs import PackError, check_pack, install_pack
from edukit.core.packs.recovery import undo_move
from edukit.core.paths import AppDirs
from edukit.core.startup import open_library
from edukit.core.validate import validate_module

LESSON = "---\ntitle: {title}\n---\n# {title}\n\n{body}\n"
BODY = "Tell a grown-up you trust. " * 20


def zip_bytes(members: dict[str, bytes | str], compress: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compress) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


def lesson_pack(title: str, body: str = BODY, compress: int = zipfile.ZIP_DEFLATED) -> bytes:
    return zip_bytes({"modules/our-lesson/module.md": LESSON.format(title=title, body=body),
                      "modules/our-lesson/pic.png": b"\x89PNG fake " * 40}, compress)


def user_files(dirs: AppDirs) -> list[str]:
    return sorted(str(p.relative_to(dirs.data)) for p in dirs.data.rglob("*"))


def installed_title(dirs: AppDirs) -> str:
    return Library.default(dirs=dirs).get("our-lesson").meta.title


# --- What was checked is what is installed ------------------------------------------------

SWAPS = {
    "another lesson": lesson_pack("Swapped in"),
    "a lesson the check would refuse": lesson_pack("Swapped in", body="{{ evil }}"),
    "not a zip at all": b"not a zip",
    "nothing (deleted)": None,
}


def swap(pack: Path, data: bytes | None) -> None:
    if data is None:
        pack.unlink()
    else:
        pack.write_bytes(data)


@pytest.mark.parametrize("swapped", SWAPS, ids=list(SWAPS))
def test_a_pack_swapped_on_disk_after_the_check_is_not_what_gets_installed(tmp_path, swapped):
    dirs = AppDirs.default()
    pack = tmp_path / "pack.zip"
    pack.write_bytes(lesson_pack("Checked"))
    plan = check_pack(pack, dirs)
    swap(pack, SWAPS[swapped])
    install_pack(plan, dirs)
    assert installed_title(dirs) == "Checked"
    text = (dirs.user_modules / "our-lesson" / "module.md").read_text()
    assert "Swapped" not in text and "evil" not in text


def test_positive_control_reading_the_path_again_would_see_the_swapped_pack(tmp_path):
    """The swap is real: checking the path again gives the other lesson (or refuses it)."""
    pack = tmp_path / "pack.zip"
    pack.write_bytes(lesson_pack("Checked"))
    check_pack(pack, AppDirs.default())
    swap(pack, SWAPS["another lesson"])
    assert check_pack(pack, AppDirs.default()).items[0].title == "Swapped in"
    swap(pack, SWAPS["a lesson the check would refuse"])
    with pytest.raises(PackError, match="unknown placeholder"):
        check_pack(pack, AppDirs.default())


def test_cli_import_swapped_between_check_and_install_installs_the_checked_pack(
        tmp_path, capsys, monkeypatch):
    dirs = AppDirs.default()
    pack = tmp_path / "pack.zip"
    pack.write_bytes(lesson_pack("Checked"))
    shown = edukit.cli.show_progress

    def swap_when_installing(done: int, total: int, what: str) -> None:
        if what.startswith("module "):  # the install's first step; the check has finished
            swap(pack, SWAPS["a lesson the check would refuse"])
        shown(done, total, what)
    monkeypatch.setattr(edukit.cli, "show_progress", swap_when_installing)
    assert main(["import-pack", str(pack)]) == 0
    assert "add module 'our-lesson' — Checked" in capsys.readouterr().out
    with pytest.raises(PackError, match="unknown placeholder"):
        check_pack(pack, dirs)  # the swap happened: the file on disk now would be refused
    assert installed_title(dirs) == "Checked"


def test_a_fifo_given_as_the_pack_is_refused_without_waiting(tmp_path, capsys):
    fifo = tmp_path / "pack.zip"
    __import__("os").mkfifo(fifo)
    assert main(["import-pack", str(fifo), "--dry-run"]) == 1
    assert capsys.readouterr().err == (f"edukit: import-pack: {fifo}: cannot read it "
                                       "(not a regular file)\n")


# --- Damaged members ------------------------------------------------------------------------

def central_entry(data: bytes, name: str) -> int:
    """Offset of the named member's central directory header."""
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        length = struct.unpack("<H", data[at + 28:at + 30])[0]
        if data[at + 46:at + 46 + length] == name.encode():
            return at
        at = data.find(b"PK\x01\x02", at + 1)
    raise AssertionError(name)


def local_data(data: bytes, name: str) -> int:
    """Offset of the named member's compressed data."""
    at = struct.unpack("<I", data[central_entry(data, name) + 42:][:4])[0]
    name_len, extra_len = struct.unpack("<HH", data[at + 26:at + 30])
    return at + 30 + name_len + extra_len


def patched(data: bytes, at: int, new: bytes) -> bytes:
    return data[:at] + new + data[at + len(new):]


MD, PIC = "modules/our-lesson/module.md", "modules/our-lesson/pic.png"


def with_crc_flipped(name: str):
    def damage(data: bytes) -> bytes:
        at = central_entry(data, name) + 16
        return patched(data, at, bytes([data[at] ^ 0xFF]))
    return damage


def with_garbage_deflate(name: str):
    return lambda data: patched(data, local_data(data, name) + 3, b"\xff" * 12)


def with_field(name: str, offset: int, value: int, fmt: str = "<I"):
    return lambda data: patched(data, central_entry(data, name) + offset, struct.pack(fmt, value))


def with_sizes(name: str, size: int):
    """A stored member whose listed sizes (both) are larger than its data."""
    return lambda data: with_field(name, 20, size)(with_field(name, 24, size)(data))


DAMAGED = {  # damage, stored?, words in the one-line message
    "bad checksum of module.md": (with_crc_flipped(MD), False,
                                  f"'{MD}' cannot be read: its checksum"),
    "bad checksum of an image": (with_crc_flipped(PIC), False,
                                 f"'{PIC}' cannot be read: its checksum"),
    "bad deflate data": (with_garbage_deflate(MD), False, f"'{MD}' cannot be read: its compressed"),
    "compression method 99": (with_field(MD, 10, 99, "<H"), False, "compression method 99"),
    "bzip2 method on deflate data": (with_field(MD, 10, 12, "<H"), False,
                                     f"'{MD}' cannot be read: its compressed data is corrupt"),
    "listed size smaller than its data": (with_field(PIC, 24, 10), False,
                                          f"'{PIC}' cannot be read"),
    "listed size larger than its data": (with_field(PIC, 24, 5000), False,
                                         "holds less data than the zip lists"),
    "stored member listed larger than the zip": (with_sizes(PIC, 400_000), True,
                                                 f"'{PIC}' cannot be read: its data ends"),
    "encrypted member": (lambda d: patched(d, central_entry(d, MD) + 8, b"\x01"), False,
                         "is encrypted"),
    "truncated zip": (lambda d: d[:len(d) * 2 // 3], False, "not a zip file"),
    "bytes cut from the middle": (lambda d: d[:60] + d[120:], False, "cannot be read"),
}


def damaged_pack(tmp_path: Path, case: str) -> Path:
    damage, stored, _ = DAMAGED[case]
    pack = tmp_path / "pack.zip"
    pack.write_bytes(damage(lesson_pack("Checked", compress=zipfile.ZIP_STORED if stored
                                        else zipfile.ZIP_DEFLATED)))
    return pack


@pytest.mark.parametrize("case", DAMAGED, ids=list(DAMAGED))
def test_a_damaged_member_is_one_line_in_the_dry_run_and_the_import(tmp_path, capsys, case):
    dirs = AppDirs.default()
    pack = damaged_pack(tmp_path, case)
    for dry_run in (["--dry-run"], []):
        assert main(["import-pack", str(pack), *dry_run]) == 1
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("edukit: import-pack: pack.zip: "), err
        assert DAMAGED[case][2] in err[0]
        assert user_files(dirs) == []


@pytest.mark.parametrize("stored", [False, True])
def test_positive_control_the_undamaged_pack_installs(tmp_path, capsys, stored):
    pack = tmp_path / "pack.zip"
    pack.write_bytes(lesson_pack("Checked", compress=zipfile.ZIP_STORED if stored
                                 else zipfile.ZIP_DEFLATED))
    assert main(["import-pack", str(pack)]) == 0
    assert installed_title(AppDirs.default()) == "Checked"


def test_the_damage_is_real_python_zipfile_raises_on_it(tmp_path):
    """The harness builds zips Python's own reader cannot read (not ones edukit merely dislikes)."""
    for case in ("bad checksum of module.md", "bad deflate data", "compression method 99",
                 "bytes cut from the middle", "stored member listed larger than the zip"):
        python_raises = (zipfile.BadZipFile, zlib.error, NotImplementedError, ValueError, EOFError,
                         OSError)
        with pytest.raises(python_raises), zipfile.ZipFile(damaged_pack(tmp_path, case)) as zf:
            for info in zf.infolist():
                zf.read(info)


# --- Every module body is validated ----------------------------------------------------------

BODY_ERRORS = {
    "unknown placeholder": ("Call {{ evil_number }} now.",
                            "unknown placeholder '{{ evil_number }}'"),
    "block never closed": ("::: tip\nOpen", "block '::: tip' is never closed"),
    "image missing from the pack": ("![x](missing.png)", "image file not found: 'missing.png'"),
    "link out of the module": ("[x](../../../etc/passwd)", "leaves the module folder"),
    "scheme not allowed": ("[x](javascript:alert(1))", "uses a scheme edukit does not allow"),
}


@pytest.mark.parametrize("single", [False, True], ids=["folder", "single file"])
@pytest.mark.parametrize("case", BODY_ERRORS, ids=list(BODY_ERRORS))
def test_an_error_in_a_module_body_refuses_the_pack_naming_file_and_line(tmp_path, capsys, case,
                                                                         single):
    body, says = BODY_ERRORS[case]
    name = "modules/a.md" if single else "modules/a/module.md"
    pack = tmp_path / "p.zip"
    pack.write_bytes(zip_bytes({name: LESSON.format(title="A", body=body)}))
    assert main(["import-pack", str(pack), "--dry-run"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith(f"edukit: import-pack: p.zip:{name}:6: error: ") and says in err[0]
    assert user_files(AppDirs.default()) == []


def disk_and_pack(tmp_path: Path, body: str) -> tuple[list[tuple], Path]:
    """The problems validate_module finds in the lesson on disk, and a pack of the same."""
    folder = tmp_path / "disk" / "a"
    folder.mkdir(parents=True)
    (folder / "module.md").write_text(LESSON.format(title="A", body=body))
    (folder / "pic.png").write_bytes(b"png")
    on_disk = [(p.line, p.severity, p.message)
               for p in validate_module(load_module(folder / "module.md", "user"),
                                           reading_level=False)]
    pack = tmp_path / "p.zip"
    pack.write_bytes(zip_bytes({"modules/a/module.md": LESSON.format(title="A", body=body),
                                "modules/a/pic.png": b"png"}))
    return on_disk, pack


def test_the_pack_check_finds_the_errors_edukit_validate_finds_in_the_same_module(tmp_path):
    """One validator: the same messages for the module in a pack and on disk."""
    on_disk, pack = disk_and_pack(tmp_path, "![pic](pic.png)\n\n{{ nope }}\n\n[x](../../y.md)\n")
    assert [s for _, s, _ in on_disk] == ["error", "error"]
    with pytest.raises(PackError) as refused:
        check_pack(pack, AppDirs.default())
    assert str(refused.value) == "; ".join(f"p.zip:modules/a/module.md:{line}: error: {message}"
                                           for line, _, message in on_disk)


def test_the_pack_check_lists_the_warnings_edukit_validate_finds_in_the_same_module(tmp_path):
    on_disk, pack = disk_and_pack(tmp_path, "::: mystery\nx\n:::\n\n![pic](pic.png)\n:::\n")
    assert [s for _, s, _ in on_disk] == ["warning", "warning"]
    plan = check_pack(pack, AppDirs.default())
    assert [(p.path, p.line, p.severity, p.message) for p in plan.warnings] == [
        ("p.zip:modules/a/module.md", *found) for found in on_disk]


def test_warnings_in_a_module_body_are_listed_by_the_dry_run_and_the_pack_is_accepted(
        tmp_path, capsys):
    pack = tmp_path / "p.zip"
    pack.write_bytes(zip_bytes({"modules/a/module.md": LESSON.format(
        title="A", body="::: mystery\nx\n:::\n\n![remote](https://example.org/x.png)\n")}))
    assert main(["import-pack", str(pack), "--dry-run"]) == 0
    out, err = capsys.readouterr()
    assert "add module 'a' — A" in out
    assert "p.zip:modules/a/module.md:6: warning: unknown block '::: mystery'" in err
    assert "p.zip:modules/a/module.md:10: warning: remote image" in err
    assert user_files(AppDirs.default()) == []


# --- The note of an interrupted import -------------------------------------------------------

def outside_victims(tmp_path: Path) -> Path:
    """Files and a folder outside the data folder that a tampered note aims at."""
    outside = tmp_path / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "victim").write_text("precious")
    (outside / ".bashrc").write_text("precious")
    (outside / "folder" / "work.txt").write_text("precious")
    return outside


def outside_is_intact(outside: Path) -> bool:
    return ((outside / "victim").read_text() == "precious"
            and (outside / ".bashrc").read_text() == "precious"
            and (outside / "folder" / "work.txt").read_text() == "precious")


def tampered_note(dirs: AppDirs, outside: Path, case: str) -> list:
    data, staging = dirs.data.absolute(), dirs.data.absolute() / ".import-abc123"
    gone = str(staging / "0")  # a staged source no longer there: "it was moved in"
    modules = data / "modules"
    if case == "modules folder is a link out":
        modules.symlink_to(outside / "folder")
    if case == "backups folder is a link out":
        (data / "backups").symlink_to(outside)
    return {
        "absolute target outside": [[gone, str(outside / "victim"), None]],
        "target ~/.bashrc-like": [[gone, str(outside / ".bashrc"), None]],
        "target with ..": [[gone, str(modules / ".." / ".." / "outside" / "victim"), None]],
        "relative target": [[gone, "../outside/victim", None]],
        "backup outside moved in": [[None, str(modules / "x"), str(outside / "victim")]],
        "modules folder is a link out": [[gone, str(modules / "work.txt"), None]],
        "backups folder is a link out": [
            [None, str(modules / "victim"), str(data / "backups" / "victim")]],
        "source outside": [[str(outside / "victim"), str(modules / "x"), None]],
        "not a list of moves": {"modules": str(outside / "victim")},
        "moves of the wrong shape": [[gone, 7, None]],
    }[case]


TAMPERED = ["absolute target outside", "target ~/.bashrc-like", "target with ..",
            "relative target", "backup outside moved in", "modules folder is a link out",
            "backups folder is a link out", "source outside", "not a list of moves",
            "moves of the wrong shape"]


@pytest.mark.parametrize("case", TAMPERED)
def test_a_tampered_note_moves_nothing_outside_and_is_one_warning_then_set_aside(
        tmp_path, monkeypatch, case):
    dirs = AppDirs.default()
    outside = outside_victims(tmp_path)
    monkeypatch.chdir(dirs.data)  # where a relative path in the note would land
    staging = dirs.data / ".import-abc123"
    staging.mkdir()
    (staging / "moves.json").write_text(json.dumps(tampered_note(dirs, outside, case)))
    library = open_library(dirs=dirs)
    assert outside_is_intact(outside)
    assert sorted(p.name for p in outside.iterdir()) == [".bashrc", "folder", "victim"]
    [warning] = library.problems
    assert warning.severity == "warning"
    assert "the note of an interrupted import was ignored" in warning.message
    assert "nothing was moved, and it was set aside as refused-import-abc123" in warning.message
    assert not staging.exists() and (dirs.data / "refused-import-abc123" / "moves.json").is_file()
    assert open_library(dirs=dirs).problems == []  # said once, not at every start


def test_a_staging_folder_that_is_a_link_out_is_not_followed(tmp_path):
    dirs = AppDirs.default()
    outside = outside_victims(tmp_path)
    (outside / "moves.json").write_text(json.dumps([[None, str(outside / "victim"), None]]))
    (dirs.data / ".import-abc123").symlink_to(outside)
    library = open_library(dirs=dirs)
    assert outside_is_intact(outside) and (outside / "moves.json").is_file()
    assert ["is not a plain folder" in p.message for p in library.problems] == [True]


def test_positive_control_the_raw_undo_would_delete_the_file_outside(tmp_path):
    """Without the check, the first tampered note deletes a file outside the data folder."""
    dirs = AppDirs.default()
    outside = outside_victims(tmp_path)
    undo_move(dirs.data / ".import-abc123" / "0", outside / "victim", None, dirs)
    assert not (outside / "victim").exists()


def test_a_link_inside_the_modules_folder_pointing_out_is_removed_not_followed(tmp_path):
    """A well-formed note whose installed item is a link out: only the link goes."""
    dirs = AppDirs.default()
    outside = outside_victims(tmp_path)
    data = dirs.data.absolute()
    (data / "modules").mkdir()
    (data / "modules" / "evil").symlink_to(outside / "folder")
    staging = data / ".import-abc123"
    staging.mkdir()
    (staging / "moves.json").write_text(json.dumps([[str(staging / "0"),
                                                     str(data / "modules" / "evil"), None]]))
    library = open_library(dirs=dirs)
    assert outside_is_intact(outside)
    assert not (data / "modules" / "evil").is_symlink()
    assert [p.message for p in library.problems] == [
        "an import was stopped part-way; what it had installed was taken out again"]


def test_positive_control_a_well_formed_note_still_rolls_the_import_back(tmp_path):
    """The note install_pack writes (an import that replaced 'our-lesson' and stopped before
    removing its note) is obeyed: the old lesson comes back, the new one goes."""
    dirs = AppDirs.default()
    first, second = tmp_path / "first.zip", tmp_path / "second.zip"
    first.write_bytes(lesson_pack("Old"))
    second.write_bytes(lesson_pack("New"))
    install_pack(check_pack(first, dirs), dirs)
    install_pack(check_pack(second, dirs), dirs)
    [stamp] = [p for p in (dirs.data / "backups").iterdir()]
    data = dirs.data.absolute()
    staging = data / ".import-abc123"
    staging.mkdir()
    (staging / "moves.json").write_text(json.dumps([[
        str(staging / "0"), str(data / "modules" / "our-lesson"),
        str(data / "backups" / stamp.name / "modules" / "our-lesson")]]))
    library = open_library(dirs=dirs)
    assert library.get("our-lesson").meta.title == "Old"
    assert [p.message for p in library.problems] == [
        "an import was stopped part-way; what it had installed was taken out again"]
    assert not staging.exists() and not (dirs.data / "refused-import-abc123").exists()


@pytest.mark.parametrize("name", ["modules/a.md", "modules/a/module.md"])
def test_a_module_with_many_warnings_lists_the_first_twenty_and_counts_the_rest(tmp_path, name):
    """A pack summary stays readable (and bounded): not thousands of lines for one module."""
    pack = tmp_path / "p.zip"
    pack.write_bytes(zip_bytes({name: LESSON.format(title="A", body="".join(f"::: mystery{n}\nx\n:::\n" for n in range(30)))}))
    warnings = check_pack(pack, AppDirs.default()).warnings
    assert len(warnings) == 21
    assert all(str(p).startswith(f"p.zip:{name}:") for p in warnings)
    assert all("unknown block '::: mystery" in p.message for p in warnings[:20])
    assert str(warnings[20]) == (f"p.zip:{name}:1: warning: and 10 more warnings in this "
                                 "module (edukit validate lists them all once it is installed)")


def test_an_import_killed_with_a_relative_data_folder_is_still_undone(tmp_path, monkeypatch):
    """EDUKIT_DATA_DIR may be relative: the note holds absolute paths, so it is obeyed (not
    refused as pointing elsewhere) even when the next start runs from another folder."""
    import signal
    import subprocess
    import sys

    from test_packs import INSTALLER, three_lessons

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("EDUKIT_DATA_DIR", "data")
    dirs = AppDirs.default()
    install_pack(check_pack(three_lessons(tmp_path, "old"), dirs), dirs)
    run = subprocess.run([sys.executable, "-c", INSTALLER, str(three_lessons(tmp_path, "new")),
                          "2/4 in place"], capture_output=True, text=True, timeout=60,
                         check=False)
    assert run.returncode == -signal.SIGKILL, run.stderr
    library = open_library(dirs=dirs)
    assert {m.meta.title for m in library.all if m.origin == "user"} == {
        "one old", "two old", "three old"}
    assert [p.message for p in library.problems] == [
        "an import was stopped part-way; what it had installed was taken out again"]
    assert not list((tmp_path / "data" / "backups").rglob("*"))  # emptied folders removed too


@pytest.mark.parametrize("linked", ["backups", "backups/20250101-120000",
                                    "backups/20250101-120000/modules"])
def test_a_backups_folder_that_is_a_link_out_is_not_listed_or_restored(tmp_path, capsys, linked):
    dirs = AppDirs.default()
    kept = tmp_path / "outside" / "kept"
    lesson = kept / "20250101-120000" / "modules" / "lesson"
    lesson.mkdir(parents=True)
    (lesson / "module.md").write_text(LESSON.format(title="Precious", body=""))
    link = dirs.data / linked
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(kept / linked.removeprefix("backups").lstrip("/"))
    assert main(["import-pack", "--list-backups"]) == 0
    assert "lesson" not in capsys.readouterr().out
    assert main(["import-pack", "--restore", "20250101-120000"]) == 1
    assert "Precious" in (lesson / "module.md").read_text()
    assert not (dirs.user_modules / "lesson").exists()


def test_positive_control_a_real_backups_folder_is_listed(tmp_path, capsys):
    dirs = AppDirs.default()
    kept = dirs.data / "backups" / "20250101-120000" / "modules" / "lesson"
    kept.mkdir(parents=True)
    (kept / "module.md").write_text(LESSON.format(title="Kept", body=""))
    assert main(["import-pack", "--list-backups"]) == 0
    assert "module 'lesson' — Kept" in capsys.readouterr().out


def test_a_member_path_too_long_to_unpack_is_one_line(tmp_path, capsys):
    deep = "/".join(["d" * 190] * 25)  # each name allowed; the whole path is not (4096 bytes)
    pack = tmp_path / "p.zip"
    pack.write_bytes(zip_bytes({"modules/a/module.md": LESSON.format(title="A", body=""),
                                f"modules/a/{deep}/pic.png": b"png"}))
    assert main(["import-pack", str(pack), "--dry-run"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].endswith("cannot be unpacked: its path is too long for the disk")


def test_no_room_to_unpack_the_pack_for_the_check_is_one_line(tmp_path, capsys, monkeypatch):
    import os
    import tempfile

    from test_state import small_filesystem

    pack = tmp_path / "p.zip"
    pack.write_bytes(zip_bytes({"modules/a/module.md": LESSON.format(title="A", body=""),
                                "modules/a/pic.png": os.urandom(200_000)}))
    with small_filesystem(tmp_path, "size=64k") as mount:
        assert mount is not None, "these tests run as root, with tmpfs"
        monkeypatch.setattr(tempfile, "tempdir", str(mount))  # put back after the test
        assert main(["import-pack", str(pack), "--dry-run"]) == 1
    assert capsys.readouterr().err == (f"edukit: import-pack: p.zip: could not be unpacked in "
                                       f"{mount} to be checked (No space left on device)\n")
    assert user_files(AppDirs.default()) == []
