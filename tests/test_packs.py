"""Content packs: a hostile zip is refused before anything is written; a good one installs by
rename, reports what it adds or replaces, and keeps what it replaced as a restorable backup."""
from __future__ import annotations

import re
import signal
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from signing_helpers import signed, trust_key

from edukit.cli import main
from edukit.core.backups import list_backups, restore_backup
from edukit.core.library import Library
from edukit.core.packs import MAX_FILES, PackError, check_pack, install_pack
from edukit.core.paths import AppDirs
from edukit.core.startup import open_library

LESSON = "---\ntitle: {title}\n---\n# {title}\n\nText.\n"
ROUTES = "region: wales\nroutes:\n  - id: helpline\n    name: Helpline {version}\n    for: [pupils]\n"


def make_zip(path: Path, members: dict[str, bytes | str], compress: int = zipfile.ZIP_DEFLATED) -> Path:
    """A pack of these members; one with route files is signed by a publisher the school
    trusts, as only such a pack may install them (test_signed_packs.py tests the refusal)."""
    if any(name.startswith("routes/") for name in members):
        members = signed(members)
        trust_key()
    with zipfile.ZipFile(path, "w", compress) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def good_pack(tmp_path: Path, title: str = "Our lesson") -> Path:
    return make_zip(tmp_path / "pack.zip", {
        "modules/our-lesson/module.md": LESSON.format(title=title),
        "modules/our-lesson/pic.png": b"\x89PNG fake",
        "routes/wales.yaml": ROUTES.format(version=1),
    })


def user_files(dirs: AppDirs) -> list[str]:
    """The lessons, routes and backups in the data folder (not the note of where they came
    from, which test_signed_packs.py tests)."""
    return sorted(str(p.relative_to(dirs.data)) for p in dirs.data.rglob("*")
                  if p.name != "pack-provenance.json")


def test_good_pack_installs_modules_and_routes_into_the_user_folder(tmp_path):
    dirs = AppDirs.default()
    plan = check_pack(good_pack(tmp_path), dirs)
    assert [(i.kind, i.name, i.action) for i in plan.items] == [
        ("module", "our-lesson", "add"), ("routes", "wales.yaml", "add")]
    install_pack(plan, dirs)
    assert (dirs.user_modules / "our-lesson" / "module.md").read_text().startswith("---")
    assert (dirs.user_modules / "our-lesson" / "pic.png").read_bytes() == b"\x89PNG fake"
    assert (dirs.data / "routes" / "wales.yaml").is_file()
    assert Library.default(dirs=dirs).get("our-lesson").meta.title == "Our lesson"
    assert not any(name.startswith(".import-") for name in user_files(dirs))  # staging removed


def test_pack_zipped_from_a_folder_is_accepted(tmp_path):
    pack = make_zip(tmp_path / "p.zip", {"my-pack/modules/x.md": LESSON.format(title="X"),
                                         "my-pack/README.md": "about"})
    dirs = AppDirs.default()
    install_pack(check_pack(pack, dirs), dirs)
    assert (dirs.user_modules / "x.md").is_file()


def test_replacing_keeps_a_backup_that_can_be_restored(tmp_path):
    dirs = AppDirs.default()
    install_pack(check_pack(good_pack(tmp_path, "First"), dirs), dirs)
    plan = check_pack(good_pack(tmp_path, "Second"), dirs)
    assert plan.items[0].action == "replace"
    assert "replace your copy of module 'our-lesson' — Second" in plan.summary()
    install_pack(plan, dirs)
    assert "Second" in (dirs.user_modules / "our-lesson" / "module.md").read_text()
    backup = next(b for b in list_backups(dirs) if b.original.name == "our-lesson")
    restore_backup(backup, dirs)
    assert "First" in (dirs.user_modules / "our-lesson" / "module.md").read_text()
    assert any("Second" in (b.path / "module.md").read_text()
               for b in list_backups(dirs) if b.original.name == "our-lesson")


def test_module_with_a_bundled_id_is_shown_as_taking_its_place(tmp_path):
    pack = make_zip(tmp_path / "p.zip", {"modules/who-can-i-tell/module.md": LESSON.format(title="Ours")})
    plan = check_pack(pack, AppDirs.default(), bundled_ids={"who-can-i-tell"})
    assert plan.items[0].action == "shadow"


HOSTILE = {
    "path traversal": ({"modules/../../evil.md": "x"}, "'..' would write outside"),
    "nested traversal": ({"modules/a/../../../evil/module.md": "x"}, "'..' would write outside"),
    "absolute name": ({"/etc/evil.md": "x"}, "absolute paths are not allowed"),
    "windows drive": ({"C:/evil/module.md": "x"}, "drive letters"),
    "backslash": ({"modules\\..\\evil.md": "x"}, "backslashes"),
    "control character": ({"modules/a\x01/module.md": "x"}, "control characters"),
    "stray file": ({"modules/x.md": LESSON.format(title="X"), "run.sh": "rm -rf ~"},
                   "is not part of a module"),
    "no modules": ({"README.md": "hi"}, "no modules or routes found"),
    "folder without module.md": ({"modules/a/notes.md": "x"}, "has no module.md"),
    "broken front matter": ({"modules/a/module.md": "---\ntitle: [unclosed\n---\n"},
                            "p.zip:modules/a/module.md:3: error: invalid YAML"),
    "names differing in case": ({"modules/Lesson.md": LESSON.format(title="A"),
                                 "modules/lesson.md": LESSON.format(title="B")}, "appears twice"),
    "names differing in Unicode form": ({"modules/caf\u00e9.md": LESSON.format(title="A"),
                                        "modules/cafe\u0301.md": LESSON.format(title="B")},
                                       "appears twice"),
    "duplicate ids": ({"modules/a.md": "---\nid: same\ntitle: A\n---\n",
                       "modules/b.md": "---\nid: same\ntitle: B\n---\n"}, "two modules have the id"),
}


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_hostile_pack_is_refused_before_anything_is_written(tmp_path, case):
    members, message = HOSTILE[case]
    pack = make_zip(tmp_path / "p.zip", members)
    dirs = AppDirs.default()
    with pytest.raises(PackError, match=re.escape(message)):
        check_pack(pack, dirs)
    assert user_files(dirs) == []
    assert not (tmp_path / "evil.md").exists()


def test_symlink_member_is_refused(tmp_path):
    pack = tmp_path / "p.zip"
    with zipfile.ZipFile(pack, "w") as zf:
        zf.writestr("modules/x.md", LESSON.format(title="X"))
        link = zipfile.ZipInfo("modules/y/module.md")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")
    with pytest.raises(PackError, match="symbolic link"):
        check_pack(pack, AppDirs.default())


def test_zip_bomb_is_refused_by_its_compression_ratio(tmp_path):
    pack = make_zip(tmp_path / "p.zip", {"modules/x/module.md": LESSON.format(title="X"),
                                         "modules/x/big.png": b"\0" * (20 * 2**20)})
    assert pack.stat().st_size < 100_000  # 20 MB of zeros packs to almost nothing
    with pytest.raises(PackError, match="zip bomb"):
        check_pack(pack, AppDirs.default())


def test_too_much_unpacked_data_is_refused(tmp_path):
    pack = make_zip(tmp_path / "p.zip", {"modules/x/module.md": LESSON.format(title="X"),
                                         "modules/x/a.bin": b"\0" * (51 * 2**20)},
                    compress=zipfile.ZIP_STORED)
    with pytest.raises(PackError, match="unpacks to more than"):
        check_pack(pack, AppDirs.default())


def test_too_many_files_are_refused(tmp_path):
    members = {f"modules/x/{n}.txt": "" for n in range(MAX_FILES + 1)}
    with pytest.raises(PackError, match="a pack may hold at most"):
        check_pack(make_zip(tmp_path / "p.zip", members), AppDirs.default())


def test_a_file_that_is_not_a_zip_gives_one_clear_line(tmp_path, capsys):
    fake = tmp_path / "lesson.zip"
    fake.write_text("not a zip")
    assert main(["import-pack", str(fake)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("edukit: import-pack: lesson.zip: not a zip file")


def test_cli_dry_run_shows_the_summary_and_installs_nothing(tmp_path, capsys):
    dirs = AppDirs.default()
    assert main(["import-pack", str(good_pack(tmp_path)), "--dry-run"]) == 0
    assert "add module 'our-lesson' — Our lesson" in capsys.readouterr().out
    assert user_files(dirs) == []


def test_cli_installs_with_progress(tmp_path, capsys):
    assert main(["import-pack", str(good_pack(tmp_path))]) == 0
    captured = capsys.readouterr()
    assert "[1/2]" in captured.err and "installed 2 item(s)" in captured.err
    assert (AppDirs.default().user_modules / "our-lesson" / "module.md").is_file()


def test_failure_part_way_puts_everything_back(tmp_path):
    dirs = AppDirs.default()
    first = make_zip(tmp_path / "a.zip", {"routes/wales.yaml": ROUTES.format(version=1)})
    install_pack(check_pack(first, dirs), dirs)
    second = make_zip(tmp_path / "b.zip", {"modules/new-one/module.md": LESSON.format(title="N"),
                                           "routes/wales.yaml": ROUTES.format(version=2)})
    plan = check_pack(second, dirs)
    assert [i.action for i in plan.items] == ["add", "replace"]
    (dirs.data / "backups").write_text("a file where the backups folder should be")
    with pytest.raises(OSError):
        install_pack(plan, dirs)  # the module goes in, then backing up the routes file fails
    assert not (dirs.user_modules / "new-one").exists()
    assert (dirs.data / "routes" / "wales.yaml").read_text() == ROUTES.format(version=1)
    assert not any(name.startswith(".import-") for name in user_files(dirs))


def import_twice(tmp_path, capsys) -> str:
    """Install 'First', then 'Second' over it; the name of the backup keeping 'First'."""
    assert main(["import-pack", str(good_pack(tmp_path, "First"))]) == 0
    assert main(["import-pack", str(good_pack(tmp_path, "Second"))]) == 0
    capsys.readouterr()
    assert main(["import-pack", "--list-backups"]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert re.fullmatch(r"\d{8}-\d{6}(-\d+)?  \(kept \d\d \w{3} \d{4} at \d\d:\d\d\)", listing[0])
    assert listing[1:] == ["    module 'our-lesson' — First", "    routes 'wales.yaml'"]
    return listing[0].split()[0]


def test_cli_lists_backups_and_restores_one_putting_aside_what_it_replaces(tmp_path, capsys):
    dirs = AppDirs.default()
    stamp = import_twice(tmp_path, capsys)
    assert main(["import-pack", "--restore", stamp]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == ["restored module 'our-lesson' — First", "restored routes 'wales.yaml'"]
    assert err.startswith("the copies they replaced are kept as backup ")
    assert Library.default(dirs=dirs).get("our-lesson").meta.title == "First"
    assert not (dirs.data / "backups" / stamp).exists()  # restored, so no longer listed
    assert main(["import-pack", "--list-backups"]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert listing[0].split()[0] == err.split()[-1]  # 'Second' is now the kept copy
    assert listing[1:] == ["    module 'our-lesson' — Second", "    routes 'wales.yaml'"]
    assert main(["import-pack", "--restore", listing[0].split()[0]]) == 0  # and back again
    assert Library.default(dirs=dirs).get("our-lesson").meta.title == "Second"


@pytest.mark.parametrize("name", ["nope", "../modules", ""])
def test_cli_restore_of_an_unknown_backup_is_one_line_and_changes_nothing(tmp_path, capsys, name):
    dirs = AppDirs.default()
    import_twice(tmp_path, capsys)
    before = user_files(dirs)
    assert main(["import-pack", "--restore", name]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [(f"edukit: import-pack: no backup called '{name}' (edukit import-pack "
                   "--list-backups shows them)")]
    assert user_files(dirs) == before


def test_cli_import_pack_needs_exactly_one_of_pack_list_or_restore(tmp_path, capsys):
    assert main(["import-pack"]) == 2
    assert main(["import-pack", str(good_pack(tmp_path)), "--list-backups"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [("edukit: import-pack: give FILE.zip, --list-backups or --restore BACKUP "
                   "(one of them)")] * 2
    assert main(["import-pack", "--list-backups"]) == 0  # none yet: said plainly, not an error
    assert "no backups" in capsys.readouterr().err


def test_a_restore_that_fails_part_way_puts_everything_back(tmp_path, capsys):
    dirs = AppDirs.default()
    stamp = import_twice(tmp_path, capsys)
    (dirs.data / "routes" / "wales.yaml").unlink()
    (dirs.data / "routes").rmdir()
    (dirs.data / "routes").write_text("a file where the routes folder should be")
    before = user_files(dirs)
    assert main(["import-pack", "--restore", stamp]) == 1  # the module goes back, routes fail
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("edukit: import-pack: ")
    assert err[0].endswith("nothing was restored")
    assert Library.default(dirs=dirs).get("our-lesson").meta.title == "Second"
    assert user_files(dirs) == before  # the backup is whole again; no half-made folders


@pytest.mark.parametrize("routes, says", [
    ("[[[[", "'routes/uk.yaml': cannot read route directory"),
    ("!!python/object/apply:os.system ['touch pwned']\n", "could not determine a constructor"),
    ("region: uk\nroutes: 7\n", "a route directory needs 'region' and a list of 'routes'"),
    ("region: uk\nroutes: []\n", "'routes/uk.yaml': lists no routes"),
    ("region: uk\nroutes:\n  - name: no id\n", "each route needs an 'id' and a 'name'"),
])
def test_a_pack_route_file_the_app_could_not_use_is_refused(tmp_path, routes, says):
    """Installed, it would hide the bundled uk.yaml and take the helplines off every handout."""
    pack = make_zip(tmp_path / "p.zip", {"modules/a/module.md": LESSON.format(title="A"),
                                         "routes/uk.yaml": routes})
    dirs = AppDirs.default()
    with pytest.raises(PackError, match=re.escape(says)) as refused:
        check_pack(pack, dirs)
    assert "\n" not in str(refused.value)
    assert user_files(dirs) == []


def test_a_pack_route_file_for_a_bundled_region_says_it_replaces_the_helplines(tmp_path):
    pack = make_zip(tmp_path / "p.zip", {"routes/uk.yaml": ROUTES.format(version=1)})
    plan = check_pack(pack, AppDirs.default())
    assert plan.summary()[1] == ("add routes 'uk.yaml' (in place of the bundled helplines for "
                                 "that region)")


def test_a_member_name_too_long_for_the_disk_is_refused_by_name(tmp_path):
    pack = make_zip(tmp_path / "p.zip", {"modules/a/module.md": LESSON.format(title="A"),
                                         "modules/a/" + "n" * 300 + ".png": b"x"})
    dirs = AppDirs.default()
    with pytest.raises(PackError, match="longer than 200 bytes"):
        check_pack(pack, dirs)
    assert user_files(dirs) == []


INSTALLER = """
import os, signal, sys
from pathlib import Path
from edukit.core.packs import check_pack, install_pack
from edukit.core.paths import AppDirs
pack, kill_at = Path(sys.argv[1]), sys.argv[2]
def progress(done, total, what):
    if f"{done}/{total} {what}".startswith(kill_at):
        os.kill(os.getpid(), signal.SIGKILL)  # as a power cut or a killed app would
dirs = AppDirs.default()
install_pack(check_pack(pack, dirs), dirs, progress)
"""


def three_lessons(tmp_path: Path, version: str) -> Path:
    return make_zip(tmp_path / f"{version}.zip", {
        f"modules/{name}/module.md": LESSON.format(title=f"{name} {version}")
        for name in ("one", "two", "three")} | {"routes/wales.yaml": ROUTES.format(version=version)})


def installed_titles(dirs: AppDirs) -> dict[str, str]:
    library = open_library(dirs=dirs)  # starting up again recovers
    return {m.id: m.meta.title for m in library.all if m.origin == "user"}


@pytest.mark.parametrize("kill_at, moved", [("2/4 module", False), ("1/4 in place", True),
                                            ("2/4 in place", True), ("3/4 in place", True),
                                            ("4/4 in place", True)])
def test_an_import_killed_part_way_is_undone_at_the_next_start(tmp_path, kill_at, moved):
    """Killed while unpacking (nothing moved yet) or between the renames that put it in place."""
    dirs = AppDirs.default()
    install_pack(check_pack(three_lessons(tmp_path, "old"), dirs), dirs)
    before = installed_titles(dirs)
    run = subprocess.run([sys.executable, "-c", INSTALLER, str(three_lessons(tmp_path, "new")),
                          kill_at], capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == -signal.SIGKILL, run.stderr
    assert any(n.startswith(".import-") for n in user_files(dirs))  # it really was mid-way
    library = open_library(dirs=dirs)  # the next start
    assert {m.id: m.meta.title for m in library.all if m.origin == "user"} == before
    assert (dirs.data / "routes" / "wales.yaml").read_text() == ROUTES.format(version="old")
    assert [p.message for p in library.problems] == [
        "an import was stopped part-way; what it had installed was taken out again"] * moved
    assert not any(n.startswith(".import-") for n in user_files(dirs))
    assert list_backups(dirs) == []  # nothing was replaced in the end
    install_pack(check_pack(three_lessons(tmp_path, "new"), dirs), dirs)  # and it can be redone
    assert set(installed_titles(dirs).values()) == {"one new", "two new", "three new"}


def test_an_import_that_finished_leaves_nothing_to_undo_positive_control(tmp_path):
    dirs = AppDirs.default()
    run = subprocess.run([sys.executable, "-c", INSTALLER, str(three_lessons(tmp_path, "new")),
                          "never"], capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == 0, run.stderr
    library = open_library(dirs=dirs)
    assert library.problems == []
    assert {m.meta.title for m in library.all if m.origin == "user"} == {
        "one new", "two new", "three new"}


def test_a_pack_path_that_is_a_folder_says_it_cannot_be_read(tmp_path, capsys):
    assert main(["import-pack", str(tmp_path)]) == 1
    assert capsys.readouterr().err == f"edukit: import-pack: {tmp_path}: cannot read it (Is a directory)\n"


@pytest.mark.parametrize("disk", ["full", "read-only"])
def test_an_import_onto_a_full_or_read_only_disk_is_one_line_and_installs_nothing(
        tmp_path, capsys, monkeypatch, disk):
    from test_state import small_filesystem

    pack = make_zip(tmp_path / "p.zip", {"modules/small/module.md": LESSON.format(title="S"),
                                         "modules/zz/module.md": LESSON.format(title="Z"),
                                         "modules/zz/pic.png": __import__("os").urandom(100_000)})
    with small_filesystem(tmp_path, "size=64k") as mount:
        assert mount is not None, "these tests run as root, with tmpfs"
        if disk == "read-only":
            subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        dirs = AppDirs(mount, mount, mount)
        monkeypatch.setenv("EDUKIT_DATA_DIR", str(mount))
        assert main(["import-pack", str(pack)]) == 1
        err = capsys.readouterr().err.splitlines()
        reason = "No space left on device" if disk == "full" else "Read-only file system"
        assert err[-1] == f"edukit: import-pack: cannot install into {mount}: {reason}; nothing was installed"
        assert user_files(dirs) == []


def test_replacing_a_module_kept_under_another_name_leaves_one_module_with_that_id(tmp_path):
    """The user has 'a' as a.md and as a folder with `id: a`; the pack's a/ replaces both,
    both are kept as backups, and both come back on restore."""
    dirs = AppDirs.default()
    dirs.user_modules.mkdir(parents=True)
    (dirs.user_modules / "a.md").write_text(LESSON.format(title="Single A"))
    (dirs.user_modules / "elsewhere").mkdir()
    (dirs.user_modules / "elsewhere" / "module.md").write_text("---\nid: a\ntitle: Elsewhere A\n---\n")
    pack = make_zip(tmp_path / "p.zip", {"modules/a/module.md": LESSON.format(title="Folder A")})
    plan = check_pack(pack, dirs)
    assert [(i.name, i.action) for i in plan.items] == [("a", "replace")]
    assert install_pack(plan, dirs) == [dirs.user_modules / "a"]
    library = Library.default(dirs=dirs)
    assert [m.meta.title for m in library.all if m.origin == "user"] == ["Folder A"]
    assert not [p for p in library.problems if "duplicate id" in p.message]
    assert sorted(b.title() for b in list_backups(dirs)) == ["Elsewhere A", "Single A"]


def test_a_readme_beside_the_modules_is_not_installed_as_an_invisible_lesson(tmp_path):
    dirs = AppDirs.default()
    pack = make_zip(tmp_path / "p.zip", {"modules/README.md": LESSON.format(title="About"),
                                         "modules/a.md": LESSON.format(title="A")})
    plan = check_pack(pack, dirs)
    assert [i.name for i in plan.items] == ["a"]
    install_pack(plan, dirs)
    assert user_files(dirs) == ["modules", "modules/a.md"]
