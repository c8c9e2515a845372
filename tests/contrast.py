"""Test helper: WCAG contrast ratios from the real stylesheets (CSS and Qt's QSS read the same
way here): a small rule reader, theme variables, colour parsing and the ratio itself."""
from __future__ import annotations

import re
from dataclasses import dataclass

NAMED = {"white": "#ffffff", "black": "#000000"}
COLOUR = re.compile(r"#[0-9a-fA-F]{3}\b|#[0-9a-fA-F]{6}\b|\b(?:white|black)\b")
VAR = re.compile(r"var\(\s*--([\w-]+)\s*(?:,\s*([^)]+))?\)")


@dataclass(frozen=True)
class Rule:
    media: str  # "" outside any @media
    selector: str
    declarations: dict[str, str]


def strip_comments(css: str) -> str:
    return re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)


def declarations(body: str) -> dict[str, str]:
    found = {}
    for part in body.split(";"):
        name, sep, value = part.partition(":")
        if sep:
            found[name.strip().lower()] = value.strip()
    return found


def rules(css: str, media: str = "") -> list[Rule]:
    """Every rule, one per selector in a list, with the @media it sits in."""
    css, found, at = strip_comments(css), [], 0
    while (brace := css.find("{", at)) != -1:
        head = css[at:brace].strip()
        if head.startswith("@"):
            end = matching_brace(css, brace)
            found += rules(css[brace + 1:end], head)
        else:
            end = css.index("}", brace)
            decls = declarations(css[brace + 1:end])
            found += [Rule(media, s.strip(), decls) for s in head.split(",") if s.strip()]
        at = end + 1
    return found


def matching_brace(css: str, start: int) -> int:
    depth = 0
    for n in range(start, len(css)):
        depth += {"{": 1, "}": -1}.get(css[n], 0)
        if depth == 0:
            return n
    raise ValueError("unbalanced braces")


def variables(*sheets: str) -> dict[str, str]:
    """Custom properties set on :root, later sheets overriding earlier ones (as themes do)."""
    found: dict[str, str] = {}
    for css in sheets:
        for rule in rules(css):
            if rule.selector == ":root" and not rule.media:
                found.update({k[2:]: v for k, v in rule.declarations.items() if k.startswith("--")})
    return found


def value(sheet: str, selector: str, prop: str, media: str | None = None) -> str:
    """The last value of a property on exactly this selector: a renamed rule fails loudly."""
    hits = [r.declarations[prop] for r in rules(sheet)
            if r.selector == selector and prop in r.declarations
            and (media is None or media in r.media)]
    if not hits:
        raise LookupError(f"no {prop!r} on {selector!r}")
    return hits[-1]


def colour(text: str, theme_vars: dict[str, str] | None = None) -> str:
    """A colour as #rrggbb from a declaration: the first colour in it, var(--x) resolved."""
    theme_vars = theme_vars or {}
    for _ in range(5):
        match = VAR.search(text)
        if not match:
            break
        name, fallback = match.groups()
        text = text[:match.start()] + theme_vars.get(name, fallback or "") + text[match.end():]
    found = COLOUR.search(text)
    if not found:
        raise ValueError(f"no colour in {text!r}")
    hex_or_name = NAMED.get(found.group().lower(), found.group().lower())
    if len(hex_or_name) == 4:
        hex_or_name = "#" + "".join(c * 2 for c in hex_or_name[1:])
    return hex_or_name


def luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio, 1 to 21."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def blend(fg: str, bg: str, alpha: float) -> str:
    """fg drawn at this opacity over bg."""
    mix = [round(int(fg[i:i + 2], 16) * alpha + int(bg[i:i + 2], 16) * (1 - alpha))
           for i in (1, 3, 5)]
    return "#" + "".join(f"{c:02x}" for c in mix)


@dataclass(frozen=True)
class Pair:
    where: str  # theme or surface
    what: str
    fg: str
    bg: str
    need: float

    @property
    def ratio(self) -> float:
        return ratio(self.fg, self.bg)

    def ok(self) -> bool:
        return self.ratio >= self.need


def table(pairs: list[Pair]) -> str:
    lines = [f"{'where':12} {'what':48} {'fg':8} {'bg':8} ratio  need"]
    lines += [f"{p.where:12} {p.what:48} {p.fg:8} {p.bg:8} {p.ratio:5.2f}  {p.need:g}"
              + ("" if p.ok() else "  FAIL") for p in pairs]
    return "\n".join(lines)
