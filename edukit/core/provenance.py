"""Where each lesson and route file a pack installed came from: the pack's name, version and
publisher, and whether a publisher the school trusts signed it. Kept in the data folder as
pack-provenance.json (written atomically), keyed by the installed item ("modules/<id>",
"routes/<region>.yaml"), so the library can show it, a re-import can say which version it
updates, and a handout can name whose helplines it prints."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from .atomic import write_atomic
from .model import Module
from .paths import AppDirs
from .routes import RouteDirectory, RouteError, load_routes

STORE = "pack-provenance.json"


@dataclass(frozen=True)
class Provenance:
    """Which pack an installed item came from, and who vouches for it."""

    pack: str
    version: str
    publisher: str  # as the manifest says; trusted_name is who the school trusts it as
    trusted_name: str = ""
    key: str = ""  # the signing key, 'ssh-ed25519 AAAA…', if signed

    def label(self) -> str:
        """'pack anytown 2026.3 by Anytown Council' (said plainly for an unsigned pack)."""
        version = f" {self.version}" if self.version else ""
        who = self.trusted_name or (f"{self.publisher} (unverified)" if self.publisher else "")
        return f"pack {self.pack}{version}" + (f" by {who}" if who else " (unsigned)")


def module_source(module: Module, packs: dict[str, Provenance]) -> str:
    """Where a lesson came from, as the library and `list` say it: "bundled", "own" (the user's
    own), "extra" (a --content folder), or the pack's label with its publisher and version."""
    from_pack = packs.get(f"modules/{module.id}") if module.origin == "user" else None
    return from_pack.label() if from_pack else {"user": "own"}.get(module.origin, module.origin)


def source_badge(module: Module, packs: dict[str, Provenance]) -> str:
    """The library's short badge for the same: nothing for bundled lessons; "own"; the trusted
    publisher's name; or "unverified pack" (the full label goes in the tooltip)."""
    from_pack = packs.get(f"modules/{module.id}") if module.origin == "user" else None
    if from_pack is not None:
        return from_pack.trusted_name or "unverified pack"
    return {"user": "own", "extra": "other folder"}.get(module.origin, "")


def store_path(dirs: AppDirs) -> Path:
    return dirs.data / STORE


def load(dirs: AppDirs) -> dict[str, Provenance]:
    return load_from(dirs.data)


def load_from(data: Path) -> dict[str, Provenance]:
    """The recorded provenance; a missing or damaged record is treated as empty (it only
    labels things: nothing is trusted because of it)."""
    try:
        raw = json.loads((data / STORE).read_text(encoding="utf-8"))
        return {str(k): Provenance(**{f: str(v.get(f, "")) for f in Provenance.__dataclass_fields__})
                for k, v in raw.items() if isinstance(v, dict)}
    except (OSError, ValueError, AttributeError, TypeError):
        return {}


def item_key(kind: str, name: str) -> str:
    return f"routes/{name}" if kind == "routes" else f"modules/{name}"


def record(entries: dict[str, Provenance], dirs: AppDirs) -> None:
    """Note where these newly installed items came from (replacing what was noted for them)."""
    known = load(dirs) | entries
    data = {k: asdict(v) for k, v in sorted(known.items())}
    write_atomic(store_path(dirs), (json.dumps(data, indent=1) + "\n").encode("utf-8"))


def routes_source(directory: RouteDirectory | None, region: str, data: Path) -> str:
    """'Helplines: Anytown Council, pack 2026.3' when the region's helplines in use are the
    route file a trusted publisher's pack installed in the data folder; "" otherwise."""
    if directory is None:
        return ""
    found = load_from(data).get(f"routes/{region}.yaml")
    if found is None or not found.trusted_name or not still_trusted(found.key):
        return ""
    try:
        if load_routes(data / "routes" / f"{region}.yaml").routes != directory.routes:
            return ""  # another folder's routes are the ones in use
    except RouteError:
        return ""
    version = f" {found.version}" if found.version else ""
    return f"Helplines: {found.trusted_name}, pack {found.pack}{version}"


def still_trusted(key: str) -> bool:
    """The key is on the school's trust list now (it may have been removed since). Asked only
    when a signed pack's file is in use: the signature code (cryptography) loads then."""
    from .signing import SignatureError, parse_public_key
    from .trust import TrustError, trusted_keys

    try:
        return parse_public_key(key) in trusted_keys()
    except (SignatureError, TrustError):
        return False


def revoked_routes(data: Path, region: str) -> str:
    """Why the region's route file in the data folder no longer applies, or "": a signed pack
    installed it and its publisher is no longer trusted (removed from the list, or the list is
    unreadable). Helplines are only ever as trusted as the key that vouched for them, so
    removing a publisher takes its helplines off every handout at once."""
    found = load_from(data).get(f"routes/{region}.yaml")
    if found is None or not found.key or still_trusted(found.key):
        return ""
    who = found.trusted_name or found.publisher or "its publisher"
    return (f"route file {data / 'routes' / f'{region}.yaml'} came from pack {found.pack} signed "
            f"by {who}, whom you no longer trust: it is not used, and handouts print the "
            "helplines from the next route directory (edukit's own) until you trust the "
            "publisher again or delete the file")
