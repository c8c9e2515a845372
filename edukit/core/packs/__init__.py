"""Content packs: a zip of lesson modules (and route directories) installed into the user's
content folder — checked before anything is written, validated, installed by rename, with the
modules it replaces kept as backups that can be restored (edukit.core.backups).

Pack layout: `modules/<id>/module.md` (+ files beside it), `modules/<id>.md`,
`routes/<region>.yaml`, and optionally `README.md` / `pack.yaml` at the top, all possibly
inside one top-level folder; a published pack also has `manifest.json` (every member's SHA-256)
and `manifest.json.sig` (its publisher's signature; edukit.core.signing). A pack that does not
match its manifest or signature is refused whole; only a trusted publisher's signed pack may
install route files (they change the helplines every handout prints).

What was checked is what is installed: the pack is read once into memory (read_pack) and both
the check and the install read that copy, never the path again. The check reads every member
in full (a damaged one is refused by name) and validates every module as `edukit validate` does.

In four parts, each importing only those before it: archive (the zip read once and checked
against the bounds), check (check_pack: the PackPlan), recovery (undoing an import killed
part-way) and install (install_pack).
"""
from __future__ import annotations

from .archive import MAX_FILES, PackError, open_zip, read_pack
from .check import PackItem, PackPlan, Progress, check_pack, check_routes, signature_members
from .install import install_pack
from .recovery import recover_interrupted_imports

__all__ = ["MAX_FILES", "PackError", "PackItem", "PackPlan", "Progress", "check_pack",
           "check_routes", "install_pack", "open_zip", "read_pack", "recover_interrupted_imports",
           "signature_members"]
