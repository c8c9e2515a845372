"""Test helpers: a fixed publisher key, and packs signed with it as `edukit pack build` and
`edukit pack sign` would make them."""
from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from edukit.core.signing import (
    MANIFEST,
    SIGNATURE,
    manifest_bytes,
    public_key_line,
    sha256,
    ssh_sign,
)
from edukit.core.trust import trust

TEST_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
OTHER_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
PUBLISHER = "Anytown Council"


def signed(members: dict[str, bytes | str], key: Ed25519PrivateKey | None = TEST_KEY,
           publisher: str = PUBLISHER, version: str = "2026.3") -> dict[str, bytes | str]:
    """members plus a manifest of their SHA-256s and (unless key is None) its signature."""
    as_bytes = {n: d.encode() if isinstance(d, str) else d for n, d in members.items()}
    manifest = manifest_bytes("anytown-lessons", version, publisher,
                              {n: sha256(d) for n, d in as_bytes.items()})
    out: dict[str, bytes | str] = {MANIFEST: manifest, **as_bytes}
    if key is not None:
        out[SIGNATURE] = ssh_sign(manifest, key)
    return out


def trust_key(key: Ed25519PrivateKey = TEST_KEY, name: str = PUBLISHER) -> None:
    trust(public_key_line(key.public_key()), name)
