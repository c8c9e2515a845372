"""`edukit pack build|sign|verify|keygen`: what a publisher (a trust, a local authority) does to
give schools a pack they can check came from them, unchanged."""
from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path, PurePosixPath

from .atomic import write_atomic
from .library import load_module
from .packs import PackError, check_routes, open_zip, read_pack, signature_members
from .signing import (
    MANIFEST,
    SIGNATURE,
    PackSignature,
    PassphraseNeeded,
    SignatureError,
    check_signature,
    load_private_key,
    manifest_bytes,
    new_key,
    private_key_text,
    public_key_line,
    sha256,
    ssh_sign,
)
from .validate import validate_module

SKIPPED = {".DS_Store", "Thumbs.db", MANIFEST, SIGNATURE}


def pack_files(folder: Path) -> dict[str, Path]:
    """The files a pack built from folder holds: modules/ and routes/ and the top-level extras,
    by their name inside the pack."""
    if not (folder / "modules").is_dir() and not (folder / "routes").is_dir():
        raise PackError(f"{folder}: no modules/ or routes/ folder in it")
    found = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if path.is_symlink():
            raise PackError(f"{path}: is a link; a pack holds plain files only")
        if path.is_file() and path.name not in SKIPPED and not path.name.startswith("."):
            found[PurePosixPath(*rel.parts).as_posix()] = path
    return found


def check_folder(folder: Path, files: dict[str, Path]) -> list[str]:
    """Every module and route file validated before anything is built: errors, one a line."""
    errors = []
    for name, path in files.items():
        parts = PurePosixPath(name).parts
        if parts[0] == "modules" and (len(parts) == 2 and name.endswith(".md")
                                      and parts[1].lower() != "readme.md"
                                      or len(parts) == 3 and parts[2] == "module.md"):
            module = load_module(path, "user")
            errors += [str(p) for p in validate_module(module, reading_level=False) if p.is_error]
        elif parts[0] == "routes":
            try:
                check_routes(Path(folder.name), name, path)
            except PackError as exc:
                errors.append(str(exc))
    return errors


def build_pack(folder: Path, out: Path, name: str, version: str, publisher: str) -> int:
    """Zip folder's modules and route files with a manifest of their SHA-256s; the number of
    files. Nothing is written if any module or route file has an error."""
    files = pack_files(folder)
    errors = check_folder(folder, files)
    if errors:
        more = f" (and {len(errors) - 10} more)" if len(errors) > 10 else ""
        raise PackError("; ".join(errors[:10]) + more + "; no pack was built")
    contents = {n: p.read_bytes() for n, p in files.items()}
    manifest = manifest_bytes(name, version, publisher, {n: sha256(d) for n, d in contents.items()})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(MANIFEST, manifest)
        for member, data in contents.items():
            zf.writestr(member, data)
    write_atomic(out, buffer.getvalue())
    return len(contents)


def keygen(path: Path, comment: str = "", passphrase: bytes = b"") -> str:
    """A new Ed25519 key: the private key at path (readable by its owner only), the public
    key at path.pub. Returns the public key line. Refuses to overwrite a key."""
    pub = path.with_name(path.name + ".pub")
    for existing in (path, pub):
        if existing.exists():
            raise PackError(f"{existing}: already exists; edukit will not overwrite a key")
    key = new_key()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(private_key_text(key, passphrase))
    line = public_key_line(key.public_key(), comment)
    pub.write_text(line + "\n", encoding="ascii")
    return line


def sign_pack(pack: Path, key_path: Path, passphrase: bytes = b"") -> PackSignature:
    """Sign the pack's manifest with the key (after checking every member still matches it),
    putting the signature in the pack as manifest.json.sig (replacing an older one)."""
    try:
        key = load_private_key(key_path.read_bytes(), passphrase)
    except OSError as exc:
        raise PackError(f"{key_path}: cannot read it ({exc.strerror or exc})") from None
    except PassphraseNeeded:
        raise
    except SignatureError as exc:
        raise PackError(f"{key_path}: {exc}") from None
    data = read_pack(pack)
    with open_zip(pack, data) as zf:
        manifest, _old, hashes, root = signature_members(pack, zf)
        if manifest is None:
            raise PackError(f"{pack.name}: has no manifest.json; build it with 'edukit pack "
                            "build' first")
        result = check_signature(manifest, None, hashes, {})
        if result.problems:
            raise PackError(f"{pack.name}: " + "; ".join(result.problems) + "; not signed")
        signature = ssh_sign(manifest, key).encode("ascii")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
            for info in zf.infolist():
                if info.filename != root + SIGNATURE:
                    out.writestr(info, zf.read(info))
            out.writestr(root + SIGNATURE, signature)
    write_atomic(pack, buffer.getvalue())
    return verify_pack(pack, {})


def verify_pack(pack: Path, trusted: dict[bytes, str]) -> PackSignature:
    """Who signed the pack and every file that differs from its manifest."""
    data = read_pack(pack)
    with open_zip(pack, data) as zf:
        manifest, signature, hashes, _root = signature_members(pack, zf)
    return check_signature(manifest, signature, hashes, trusted)


