"""Names for certificates, typed in the print dialog or read from a `--names` file: untrusted
text, cleaned and bounded by edukit.core.resources.clean_names, with one plain sentence for
what was cut or could not be read. The CLI and the print dialog both use these."""
from __future__ import annotations

from pathlib import Path

from .files import read_regular
from .resources import MAX_NAME, MAX_NAMES, clean_names

MAX_NAMES_BYTES = 256 * 1024  # MAX_NAMES lines of MAX_NAME characters, with room to spare


class NamesError(ValueError):
    """A names file that cannot be used; the message says why in plain words."""


def read_names_file(path: Path) -> tuple[str, ...]:
    """The names in a file, one a line; NamesError if it cannot be read, is not UTF-8 text,
    is too large or holds no names."""
    try:
        data, size = read_regular(path, MAX_NAMES_BYTES)
    except OSError as exc:
        raise NamesError(f"{path}: {exc.strerror or exc}") from None
    if size > MAX_NAMES_BYTES:
        raise NamesError(f"{path}: larger than {MAX_NAMES_BYTES // 1024} KB; one name a line")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NamesError(f"{path}: not UTF-8 text (save it as UTF-8)") from None
    names = clean_names(text.splitlines())
    if not names:
        raise NamesError(f"{path}: no names in it (one name a line)")
    return names


def names_problem(lines: list[str]) -> str:
    """What cleaning did to typed names, in one plain sentence ("" when nothing was cut)."""
    typed = [line for line in lines if line.strip()]
    said = []
    if len(typed) > MAX_NAMES:
        said.append(f"only the first {MAX_NAMES} names are printed "
                    f"({len(typed) - MAX_NAMES} left out)")
    kept = typed[:MAX_NAMES]
    long = sum(len("".join(ch for ch in n if ch.isprintable()).strip()) > MAX_NAME for n in kept)
    if long:
        said.append(f"{long} name{'s' if long != 1 else ''} cut to {MAX_NAME} characters")
    hidden = sum(any(not ch.isprintable() for ch in n) for n in kept)
    if hidden:
        said.append(f"control characters removed from {hidden} name{'s' if hidden != 1 else ''}")
    return "; ".join(said).capitalize() + ("." if said else "")
