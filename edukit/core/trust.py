"""The publishers a school trusts: their public keys, in trusted-publishers.json in the config
folder. Only a pack signed by one of these keys may change the helplines handouts print (§11).
Written atomically: a crash leaves the old list or the new one."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from .atomic import write_atomic
from .paths import AppDirs
from .signing import SignatureError, blob_line, fingerprint_words, parse_public_key

STORE = "trusted-publishers.json"


class TrustError(ValueError):
    """A trust list or request that cannot be used; one plain line."""


@dataclass(frozen=True)
class Publisher:
    name: str
    key: bytes  # the SSH key blob
    added: str

    @property
    def words(self) -> str:
        return fingerprint_words(self.key)


def store_path(dirs: AppDirs | None = None) -> Path:
    return (dirs or AppDirs.default()).config / STORE


def trusted_publishers(dirs: AppDirs | None = None) -> list[Publisher]:
    """The trusted publishers; an unreadable or damaged list trusts nobody (TrustError says
    so, so that it is never mistaken for an empty one silently)."""
    path = store_path(dirs)
    if not path.exists():
        return []
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return [Publisher(str(e["name"]), parse_public_key(str(e["key"])), str(e.get("added", "")))
                for e in raw["publishers"]]
    except (OSError, ValueError, KeyError, TypeError, SignatureError) as exc:
        raise TrustError(f"{path}: the list of trusted publishers cannot be read ({exc}); "
                         "no publisher is trusted until it is fixed or removed") from None


def trusted_keys(dirs: AppDirs | None = None) -> dict[bytes, str]:
    return {p.key: p.name for p in trusted_publishers(dirs)}


def save(publishers: list[Publisher], dirs: AppDirs | None) -> None:
    entries = [{"name": p.name, "key": blob_line(p.key), "added": p.added} for p in publishers]
    write_atomic(store_path(dirs), (json.dumps({"publishers": entries}, indent=1) + "\n").encode())


def trust(public_key: str, name: str, dirs: AppDirs | None = None) -> Publisher:
    """Add a publisher (or rename the one with this key)."""
    name = " ".join(name.split())
    if not name:
        raise TrustError("give the publisher a name (--name \"Anytown Council\")")
    try:
        blob = parse_public_key(public_key)
    except SignatureError as exc:
        raise TrustError(str(exc)) from None
    publishers = trusted_publishers(dirs)
    clash = [p for p in publishers if p.name.casefold() == name.casefold() and p.key != blob]
    if clash:
        raise TrustError(f"you already trust a different key as '{clash[0].name}'; remove it "
                         "first (edukit pack trust --remove NAME) if the publisher changed keys")
    added = Publisher(name, blob, dt.date.today().isoformat())
    save([p for p in publishers if p.key != blob] + [added], dirs)
    return added


def untrust(name: str, dirs: AppDirs | None = None) -> Publisher:
    """Remove the publisher with this name (or these fingerprint words)."""
    publishers = trusted_publishers(dirs)
    wanted = " ".join(name.split()).casefold()
    gone = [p for p in publishers if wanted in (p.name.casefold(), p.words)]
    if not gone:
        raise TrustError(f"no trusted publisher is called '{name}' (edukit pack trust --list)")
    save([p for p in publishers if p not in gone], dirs)
    return gone[0]
