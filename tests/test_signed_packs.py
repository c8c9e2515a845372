"""Signed packs: a school can check who published a pack and that nothing changed since. A pack
whose signature is broken or whose files differ from its signed manifest is refused whole;
only a trusted publisher's signed pack may change helplines; ssh-keygen agrees with edukit."""
from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from signing_helpers import OTHER_KEY, PUBLISHER, TEST_KEY, signed, trust_key

from edukit.cli import main
from edukit.core.library import Library
from edukit.core.packs import PackError, check_pack, install_pack
from edukit.core.paths import AppDirs
from edukit.core.signing import (
    MANIFEST,
    SIGNATURE,
    WORDS,
    fingerprint_words,
    key_blob,
    private_key_text,
    public_key_line,
    ssh_fingerprint,
    ssh_sign,
)
from edukit.core.trust import TrustError, trusted_publishers, untrust

LESSON = "---\ntitle: {title}\n---\n# {title}\n\nTell a grown-up you trust.\n"
ROUTES = ("region: uk\nname: Anytown\nroutes:\n  - id: anytown-line\n    name: Anytown Helpline\n"
          "    for: [pupils, parents, staff]\n    phone: \"0800 000 111\"\n")
MEMBERS = {"modules/our-lesson/module.md": LESSON.format(title="Our lesson"),
           "modules/our-lesson/pic.png": b"\x89PNG fake " * 20,
           "routes/uk.yaml": ROUTES}
needs_ssh_keygen = pytest.mark.skipif(shutil.which("ssh-keygen") is None,
                                      reason="openssh-client is not installed")


def write_zip(path: Path, members: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def user_files(dirs: AppDirs) -> list[str]:
    """The lessons, routes and backups in the data folder (not the note of where they came
    from, which test_signed_packs.py tests)."""
    return sorted(str(p.relative_to(dirs.data)) for p in dirs.data.rglob("*")
                  if p.name != "pack-provenance.json")


def pack_helpline(dirs: AppDirs) -> str:
    return Library.default(dirs=dirs).routes("uk").routes[0].name


# --- the publisher's round trip, through the command line ----------------------------------

def test_build_keygen_sign_verify_trust_import_round_trip(tmp_path, capsys):
    src = tmp_path / "src"
    for name, data in MEMBERS.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_bytes(data.encode() if isinstance(data, str) else data)
    pack, key = tmp_path / "anytown.zip", tmp_path / "key"
    assert main(["pack", "build", str(src), "-o", str(pack), "--name", "anytown",
                 "--version", "2026.3", "--publisher", PUBLISHER]) == 0
    assert main(["pack", "keygen", "-o", str(key)]) == 0
    assert key.stat().st_mode & 0o077 == 0  # the private key is its owner's alone
    assert main(["pack", "verify", str(pack)]) == 1  # built, not yet signed
    assert main(["pack", "sign", str(pack), "--key", str(key)]) == 0
    capsys.readouterr()
    assert main(["pack", "verify", str(pack)]) == 0
    out = capsys.readouterr().out
    assert "signed by an unknown key" in out and f"'{PUBLISHER}'" in out
    assert main(["pack", "trust", str(key) + ".pub", "--name", PUBLISHER]) == 0
    words = capsys.readouterr().out.split("fingerprint: ")[1].split("  (")[0]
    assert main(["import-pack", str(pack)]) == 0
    out = capsys.readouterr().out
    assert f"signed by {PUBLISHER}, a publisher you trust (key {words})" in out
    dirs = AppDirs.default()
    assert user_files(dirs) == ["modules", "modules/our-lesson", "modules/our-lesson/module.md",
                                "modules/our-lesson/pic.png", "routes", "routes/uk.yaml"]
    assert pack_helpline(dirs) == "Anytown Helpline"


def test_build_refuses_a_folder_with_a_broken_module_or_route_file_and_writes_nothing(tmp_path):
    src = tmp_path / "src"
    (src / "modules" / "bad").mkdir(parents=True)
    (src / "modules" / "bad" / "module.md").write_text(LESSON.format(title="Bad") + "{{ nope }}\n")
    (src / "routes").mkdir()
    (src / "routes" / "uk.yaml").write_text("region: uk\nroutes: []\n")
    with pytest.raises(PackError) as refused:
        main_build(src, tmp_path / "out.zip")
    assert "module.md" in str(refused.value) and "'routes/uk.yaml': lists no routes" in str(
        refused.value)
    assert not (tmp_path / "out.zip").exists()


def main_build(src: Path, out: Path) -> None:
    from edukit.core.pack_publish import build_pack
    build_pack(src, out, "p", "1", PUBLISHER)


# --- refused whole, nothing written ------------------------------------------------------------

def tampered(case: str) -> dict[str, bytes | str]:
    members = signed(MEMBERS)
    if case.startswith("changed "):
        name = case.removeprefix("changed ")
        data = members[name]
        data = data.encode() if isinstance(data, str) else data
        members[name] = data[:-2] + bytes([data[-2] ^ 1]) + data[-1:]  # one bit of one byte
    elif case == "member added":
        members["modules/extra/module.md"] = LESSON.format(title="Slipped in")
    elif case == "member removed":
        del members["modules/our-lesson/pic.png"]
    elif case == "manifest edited":
        members[MANIFEST] = members[MANIFEST].replace(b'"version": "2026.3"', b'"version": "9"')
    elif case == "signed by another key":  # an impostor re-signs it as the trusted publisher
        members = signed(MEMBERS, key=OTHER_KEY)
    elif case == "signature of another manifest":
        members[SIGNATURE] = signed(MEMBERS, version="1")[SIGNATURE]
    elif case == "signature not a signature":
        members[SIGNATURE] = b"-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----\n"
    elif case == "signature without a manifest":
        del members[MANIFEST]
    return members


REFUSALS = {
    "changed modules/our-lesson/module.md": "'modules/our-lesson/module.md' was changed",
    "changed modules/our-lesson/pic.png": "'modules/our-lesson/pic.png' was changed",
    "changed routes/uk.yaml": "'routes/uk.yaml' was changed",
    "member added": "'modules/extra/module.md' is in the pack but not in the manifest",
    "member removed": "'modules/our-lesson/pic.png' is listed in the manifest but missing",
    "manifest edited": "the manifest was changed after it was signed",
    "signed by another key": f"it says it is from '{PUBLISHER}', whom you trust, but it is "
                             "signed by a different key",
    "signature of another manifest": "the manifest was changed after it was signed",
    "signature not a signature": "the signature is damaged",
    "signature without a manifest": "it has a signature but no manifest.json",
}


@pytest.mark.parametrize("case", REFUSALS)
def test_a_tampered_pack_is_refused_whole_with_a_clear_message(tmp_path, capsys, case):
    trust_key()
    pack = write_zip(tmp_path / "p.zip", tampered(case))
    dirs = AppDirs.default()
    with pytest.raises(PackError) as refused:
        check_pack(pack, dirs)
    message = str(refused.value)
    assert REFUSALS[case] in message and message.endswith("nothing was installed")
    assert main(["import-pack", str(pack)]) == 1
    err = capsys.readouterr().err
    assert REFUSALS[case] in err and err.count("\n") == 1
    assert list(dirs.data.rglob("*")) == []  # not even the note of where lessons came from
    assert main(["pack", "verify", str(pack)]) == 1
    assert REFUSALS[case] in capsys.readouterr().err


def test_positive_control_the_untampered_pack_installs_lessons_and_helplines(tmp_path):
    trust_key()
    dirs = AppDirs.default()
    install_pack(check_pack(write_zip(tmp_path / "p.zip", tampered("none")), dirs), dirs)
    assert "routes/uk.yaml" in user_files(dirs) and pack_helpline(dirs) == "Anytown Helpline"


# --- who may change helplines -----------------------------------------------------------------

@pytest.mark.parametrize("case", ["unsigned, no manifest", "unsigned, with manifest",
                                  "signed, never trusted", "signed, trust removed"])
def test_route_files_of_an_untrusted_pack_are_refused_its_lessons_added(tmp_path, capsys, case):
    members = {"unsigned, no manifest": MEMBERS,
               "unsigned, with manifest": signed(MEMBERS, key=None)}.get(case, signed(MEMBERS))
    if case == "signed, trust removed":
        trust_key()
        untrust(PUBLISHER)
    pack = write_zip(tmp_path / "p.zip", members)
    dirs = AppDirs.default()
    assert main(["import-pack", str(pack)]) == 0
    out = capsys.readouterr().out
    why = "not signed" if case.startswith("unsigned") else "signed by a key you have not trusted"
    assert ("refused route file 'routes/uk.yaml': only a pack signed by a publisher you trust "
            f"may change helplines (this pack is {why}" in out)
    assert user_files(dirs) == ["modules", "modules/our-lesson", "modules/our-lesson/module.md",
                                "modules/our-lesson/pic.png"]
    assert pack_helpline(dirs) != "Anytown Helpline"  # the bundled helplines still print


def test_the_dry_run_says_who_signed_and_what_is_refused_before_anything_is_written(tmp_path,
                                                                                      capsys):
    pack = write_zip(tmp_path / "p.zip", signed(MEMBERS))
    assert main(["import-pack", "--dry-run", str(pack)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("pack 'anytown-lessons' version 2026.3, signed by an unknown key")
    assert any(line.startswith("refused route file 'routes/uk.yaml'") for line in lines)
    assert user_files(AppDirs.default()) == []


# --- trusting a publisher ---------------------------------------------------------------------

def test_fingerprint_words_are_stable_for_a_fixed_key_and_differ_between_keys():
    assert len(WORDS) == len(set(WORDS)) == 256
    blob = key_blob(TEST_KEY.public_key())
    assert fingerprint_words(blob) == "raven trumpet summer shell blanket feather comet hedgehog"
    assert fingerprint_words(key_blob(OTHER_KEY.public_key())) != fingerprint_words(blob)


def test_trust_list_add_list_remove(capsys):
    line = public_key_line(TEST_KEY.public_key(), "anytown")
    assert main(["pack", "trust", line, "--name", PUBLISHER]) == 0
    assert main(["pack", "trust", "--list"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith(
        f"{PUBLISHER}  (raven trumpet summer shell blanket feather comet hedgehog; trusted since")
    other = public_key_line(OTHER_KEY.public_key())
    assert main(["pack", "trust", other, "--name", PUBLISHER.upper()]) == 1
    assert "you already trust a different key as 'Anytown Council'" in capsys.readouterr().err
    assert main(["pack", "trust", "--remove", PUBLISHER]) == 0
    assert trusted_publishers() == []
    assert main(["pack", "trust", "--remove", PUBLISHER]) == 1


def test_a_damaged_trust_list_trusts_nobody_and_says_so(tmp_path):
    AppDirs.default().config.joinpath("trusted-publishers.json").write_text("{not json")
    with pytest.raises(TrustError, match="no publisher is trusted until it is fixed"):
        trusted_publishers()
    with pytest.raises(PackError, match="cannot be read"):
        check_pack(write_zip(tmp_path / "p.zip", signed(MEMBERS)), AppDirs.default())


# --- other tools can check edukit's signatures, and edukit theirs -----------------------------

def ssh_verify_cli(tmp_path: Path, manifest: bytes, signature: bytes) -> subprocess.CompletedProcess:
    (tmp_path / "allowed_signers").write_text(
        f"anytown {public_key_line(TEST_KEY.public_key())}\n")
    (tmp_path / "manifest.json.sig").write_bytes(signature)
    return subprocess.run(["ssh-keygen", "-Y", "verify", "-f", str(tmp_path / "allowed_signers"),
                           "-I", "anytown", "-n", "edukit-pack", "-s",
                           str(tmp_path / "manifest.json.sig")],
                          input=manifest, capture_output=True, timeout=30, check=False)


@needs_ssh_keygen
def test_ssh_keygen_accepts_edukits_signature_and_rejects_a_tampered_manifest(tmp_path):
    members = signed(MEMBERS)
    good = ssh_verify_cli(tmp_path, members[MANIFEST], members[SIGNATURE].encode())
    assert good.returncode == 0 and b"Good \"edukit-pack\" signature" in good.stdout
    tampered_manifest = members[MANIFEST].replace(b"2026.3", b"2026.4")
    bad = ssh_verify_cli(tmp_path, tampered_manifest, members[SIGNATURE].encode())
    assert bad.returncode != 0


@needs_ssh_keygen
def test_edukit_accepts_a_pack_signed_with_ssh_keygen_and_shows_the_same_fingerprint(tmp_path):
    key = tmp_path / "key"
    key.write_bytes(private_key_text(TEST_KEY))
    key.chmod(0o600)
    members = signed(MEMBERS, key=None)
    (tmp_path / "manifest.json").write_bytes(members[MANIFEST])
    subprocess.run(["ssh-keygen", "-Y", "sign", "-f", str(key), "-n", "edukit-pack",
                    str(tmp_path / "manifest.json")], capture_output=True, timeout=30, check=True)
    members[SIGNATURE] = (tmp_path / "manifest.json.sig").read_bytes()
    trust_key()
    plan = check_pack(write_zip(tmp_path / "p.zip", members), AppDirs.default())
    assert plan.signature.status == "trusted" and not plan.refused
    (tmp_path / "key.pub").write_text(public_key_line(TEST_KEY.public_key()) + "\n")
    listed = subprocess.run(["ssh-keygen", "-l", "-f", str(tmp_path / "key.pub")],
                            capture_output=True, text=True, timeout=30, check=True).stdout
    assert listed.split()[1] == ssh_fingerprint(key_blob(TEST_KEY.public_key()))


def test_positive_control_a_signature_edukit_makes_for_other_bytes_does_not_verify():
    members = signed(MEMBERS)
    assert ssh_sign(members[MANIFEST], TEST_KEY) == members[SIGNATURE]  # Ed25519: deterministic
    assert ssh_sign(members[MANIFEST] + b" ", TEST_KEY) != members[SIGNATURE]


# --- provenance: the library, the handout footer, updates in place ------------------------------

def export_handout(tmp_path: Path, capsys) -> str:
    out = tmp_path / "handout.html"
    assert main(["export", "our-lesson", "--as", "handout", "--format", "html", "-o", str(out),
                 "--overwrite"]) == 0
    capsys.readouterr()
    return out.read_text(encoding="utf-8")


def test_a_trusted_packs_helplines_are_named_on_the_handout_an_untrusted_ones_never(tmp_path,
                                                                                    capsys):
    pack = write_zip(tmp_path / "p.zip", signed(MEMBERS))
    assert main(["import-pack", str(pack)]) == 0  # not trusted: lessons only
    html = export_handout(tmp_path, capsys)
    assert "Anytown Helpline" not in html and "Helplines: " not in html
    trust_key()
    assert main(["import-pack", str(pack)]) == 0
    html = export_handout(tmp_path, capsys)
    assert "Anytown Helpline" in html
    assert '<p class="routes-source">Helplines: Anytown Council, pack anytown-lessons 2026.3</p>' \
        in html
    untrust(PUBLISHER)  # the routes stay installed, but no longer apply: nobody vouches for them
    html = export_handout(tmp_path, capsys)
    assert "Helplines: " not in html and "Anytown Helpline" not in html
    assert "Childline" in html  # edukit's own directory again


def test_removing_trust_takes_an_installed_packs_helplines_off_every_output(tmp_path, capsys):
    """A revoked (or unreadable) trust list means the pack's installed uk.yaml no longer applies:
    library, validate and export all fall back to the bundled directory and say why."""
    trust_key()
    dirs = AppDirs.default()
    assert main(["import-pack", str(write_zip(tmp_path / "p.zip", signed(MEMBERS)))]) == 0
    assert pack_helpline(dirs) == "Anytown Helpline"  # positive control: trusted, it applies
    untrust(PUBLISHER)
    assert pack_helpline(dirs) != "Anytown Helpline"
    assert (dirs.data / "routes" / "uk.yaml").is_file()  # nothing deleted behind the user's back
    capsys.readouterr()
    assert main(["validate", "our-lesson"]) == 0
    err = capsys.readouterr()
    said = err.out + err.err
    assert "whom you no longer trust: it is not used" in said and "Anytown Council" in said
    trust_key()
    assert pack_helpline(dirs) == "Anytown Helpline"  # trusted again, it applies again
    from edukit.core.trust import store_path
    store_path().write_text("{not json", encoding="utf-8")  # a damaged list trusts nobody
    assert pack_helpline(dirs) != "Anytown Helpline"


def test_the_library_lists_each_lessons_pack_and_a_newer_version_updates_in_place(tmp_path,
                                                                                   capsys):
    trust_key()
    dirs = AppDirs.default()
    assert main(["import-pack", str(write_zip(tmp_path / "a.zip", signed(MEMBERS)))]) == 0
    capsys.readouterr()
    assert main(["list", "--json"]) == 0
    rows = {r["id"]: r for r in __import__("json").loads(capsys.readouterr().out)}
    assert rows["our-lesson"]["source"] == "pack anytown-lessons 2026.3 by Anytown Council"
    assert rows["online-friends-and-secrets"]["source"] == "bundled"
    newer = dict(MEMBERS, **{"modules/our-lesson/module.md": LESSON.format(title="Newer")})
    pack = write_zip(tmp_path / "b.zip", signed(newer, version="2026.4"))
    assert main(["import-pack", str(pack)]) == 0
    out = capsys.readouterr().out
    assert ("updates pack 'anytown-lessons' from version 2026.3 to 2026.4 (the older copies are "
            "kept as backups)") in out
    assert Library.default(dirs=dirs).get("our-lesson").meta.title == "Newer"
    assert any(p.name == "module.md" for p in (dirs.data / "backups").rglob("*"))


def test_positive_control_without_the_signature_check_a_changed_lesson_would_install(
        tmp_path, monkeypatch):
    """The tampering tests catch a real fault: skip the check and the changed bytes go in."""
    from edukit.core.packs import check
    from edukit.core.signing import PackSignature

    monkeypatch.setattr(check, "pack_signature", lambda *a: PackSignature("unsigned"))
    dirs = AppDirs.default()
    pack = write_zip(tmp_path / "p.zip", tampered("changed modules/our-lesson/module.md"))
    install_pack(check_pack(pack, dirs), dirs)
    assert (dirs.user_modules / "our-lesson" / "module.md").read_bytes() != \
        MEMBERS["modules/our-lesson/module.md"].encode()


def test_keygen_never_overwrites_a_key_and_sign_refuses_a_key_it_cannot_use(tmp_path, capsys):
    key = tmp_path / "key"
    assert main(["pack", "keygen", "-o", str(key)]) == 0
    before = key.read_bytes()
    assert main(["pack", "keygen", "-o", str(key)]) == 1
    assert "already exists; edukit will not overwrite a key" in capsys.readouterr().err
    assert key.read_bytes() == before
    pack = write_zip(tmp_path / "p.zip", signed(MEMBERS, key=None))
    assert main(["pack", "sign", str(pack), "--key", str(key) + ".pub"]) == 1
    assert "not an OpenSSH private key" in capsys.readouterr().err
    unbuilt = write_zip(tmp_path / "u.zip", MEMBERS)
    assert main(["pack", "sign", str(unbuilt), "--key", str(key)]) == 1
    assert "has no manifest.json; build it with 'edukit pack build' first" in \
        capsys.readouterr().err


def test_removing_a_publisher_says_which_of_its_route_files_still_apply(tmp_path, capsys):
    trust_key()
    assert main(["import-pack", str(write_zip(tmp_path / "p.zip", signed(MEMBERS)))]) == 0
    capsys.readouterr()
    assert main(["pack", "trust", "--remove", PUBLISHER]) == 0
    assert "note: routes/uk.yaml from its pack no longer applies" in capsys.readouterr().err


def test_an_older_version_of_an_installed_pack_is_refused_and_versions_compare_as_numbers(
        tmp_path, capsys):
    """Re-importing an older signed pack could bring back a corrected lesson or helpline (a
    replay): it is refused whole. 2026.10 is newer than 2026.9, not older."""
    trust_key()
    dirs = AppDirs.default()
    newer = dict(MEMBERS, **{"modules/our-lesson/module.md": LESSON.format(title="Newer")})
    assert main(["import-pack", str(write_zip(tmp_path / "a.zip",
                                              signed(MEMBERS, version="2026.9")))]) == 0
    assert main(["import-pack", str(write_zip(tmp_path / "b.zip",
                                              signed(newer, version="2026.10")))]) == 0
    assert "from version 2026.9 to 2026.10" in capsys.readouterr().out
    before = user_files(dirs)
    old = write_zip(tmp_path / "c.zip", signed(MEMBERS, version="2026.9"))
    assert main(["import-pack", str(old), "--dry-run"]) == 1
    assert main(["import-pack", str(old)]) == 1
    assert ("this is version 2026.9, older than version 2026.10 you have installed; nothing was "
            "written") in capsys.readouterr().err
    assert user_files(dirs) == before
    assert Library.default(dirs=dirs).get("our-lesson").meta.title == "Newer"
    again = write_zip(tmp_path / "d.zip", signed(newer, version="2026.10"))
    assert main(["import-pack", str(again)]) == 0  # the same version again is not "older"


def test_a_passphrase_protected_key_signs_once_its_passphrase_is_given(tmp_path, capsys):
    """Publishers protect their signing key: edukit makes such keys and signs with them (and
    with ssh-keygen's own), and says plainly when the passphrase is missing or wrong."""
    secret, wrong = tmp_path / "pass", tmp_path / "wrong"
    secret.write_text("correct horse battery staple\n")
    wrong.write_text("not it\n")
    key = tmp_path / "key"
    assert main(["pack", "keygen", "-o", str(key), "--passphrase-file", str(secret)]) == 0
    assert b"bcrypt" in __import__("edukit.core.signing", fromlist=["x"]).data_kdf(
        key.read_bytes())  # stored encrypted, not in the clear
    pack = write_zip(tmp_path / "p.zip", signed(MEMBERS, key=None))
    capsys.readouterr()
    assert main(["pack", "sign", str(pack), "--key", str(key)]) == 1  # no terminal to ask on
    assert "the key is protected by a passphrase" in capsys.readouterr().err
    assert main(["pack", "sign", str(pack), "--key", str(key), "--passphrase-file",
                 str(wrong)]) == 1
    assert "the passphrase is wrong for this key" in capsys.readouterr().err
    assert main(["pack", "verify", str(pack)]) == 1  # nothing was signed
    assert main(["pack", "sign", str(pack), "--key", str(key), "--passphrase-file",
                 str(secret)]) == 0
    assert main(["pack", "verify", str(pack)]) == 0
    if shutil.which("ssh-keygen"):  # ssh-keygen's own protected key works the same way
        theirs = tmp_path / "theirs"
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "correct horse battery staple",
                        "-f", str(theirs)], check=True)
        assert main(["pack", "sign", str(pack), "--key", str(theirs), "--passphrase-file",
                     str(secret)]) == 0
        assert main(["pack", "verify", str(pack)]) == 0
