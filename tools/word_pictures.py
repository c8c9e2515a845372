"""Draw the picture cards for the EAL key words of the bundled lessons (issue 15, adaptations).

    PYTHONPATH=$PWD /work/venv/bin/python tools/word_pictures.py [--check]

Each lesson's `::: adaptations` block names its key words' pictures as
`images/words/NAME.svg`. The drawings are kept here, once; this writes the ones a lesson names
into its own folder (a lesson carries its pictures, so a pack or a copied folder keeps them)
and lists them in resources/illustrations/README.md. `--check` only says what is out of date.
Simple symbols, in the lessons' colours, no text but a few letters, nothing graphic.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MODULES = REPO / "content" / "modules"
CREDITS = REPO / "resources" / "illustrations" / "README.md"
WORD = re.compile(r"\]\((images/words/([a-z0-9-]+)\.svg)\)")
BEGIN, END = "<!-- word pictures: begin -->", "<!-- word pictures: end -->"

INK, BLUE, RED, GREEN, AMBER, CARD = "#33415c", "#2a6f97", "#c0392b", "#2e7d32", "#e9a23b", "#eef4f8"
S = f'stroke="{INK}" stroke-width="3" stroke-linecap="round" stroke-linejoin="round"'
L = f'fill="none" {S}'  # a line, not a shape


def person(x: int = 32, y: int = 0, fill: str = BLUE) -> str:
    """A simple figure: head and shoulders, its head at (x, y + 18)."""
    return (f'<circle cx="{x}" cy="{y + 18}" r="8" fill="#fff3e0" {S}/>'
            f'<path d="M{x - 15},{y + 52} C{x - 15},{y + 34},{x + 15},{y + 34},{x + 15},{y + 52} Z" '
            f'fill="{fill}" {S}/>')


def bubble(fill: str = "#ffffff") -> str:
    return f'<path d="M10,12 H54 V40 H28 L18,50 V40 H10 Z" fill="{fill}" {S}/>'


def frame() -> str:
    return (f'<rect x="10" y="14" width="44" height="34" rx="3" fill="#ffffff" {S}/>'
            f'<path d="M14,44 L26,30 L34,38 L40,32 L50,44 Z" fill="{GREEN}"/>'
            f'<circle cx="44" cy="22" r="4" fill="{AMBER}"/>')


def flag(colour: str) -> str:
    return (f'<path d="M18,54 V10" {L}/>'
            f'<path d="M18,12 H48 L42,21 L48,30 H18 Z" fill="{colour}" {S}/>')


def letters(text: str, size: int = 14, y: int = 31, colour: str = INK) -> str:
    return (f'<text x="32" y="{y}" text-anchor="middle" font-family="sans-serif" '
            f'font-size="{size}" font-weight="bold" fill="{colour}">{text}</text>')


# name: (what it shows, in words: the alt text's picture part; the drawing)
DRAWINGS: dict[str, tuple[str, str]] = {
    "adult": ("a grown-up with a small red heart", person() +
              f'<path d="M32,48 L27,43 A3,3,0,0,1,32,39 A3,3,0,0,1,37,43 Z" fill="{RED}"/>'),
    "worry": ("a face with a worried frown", (f'<circle cx="32" cy="32" r="20" fill="#fff3e0" {S}/>'
              f'<circle cx="25" cy="28" r="2" fill="{INK}"/><circle cx="39" cy="28" r="2" fill="{INK}"/>'
              f'<path d="M24,43 Q32,36,40,43" {L}/>')),
    "school-adult": ("a grown-up wearing a badge with a tick on it", person() +
                     f'<circle cx="38" cy="44" r="6" fill="#ffffff" {S}/>'
                     f'<path d="M35,44 L37,46 L41,41" {L}/>'),
    "talk": ("two speech bubbles, one person talking to another",
             (f'<path d="M8,10 H38 V30 H20 L13,37 V30 H8 Z" fill="#ffffff" {S}/>'
             f'<path d="M26,34 H56 V52 H51 V58 L44,52 H26 Z" fill="{BLUE}" {S}/>')),
    "emergency": ("a flashing red emergency light",
                  (f'<path d="M20,48 V36 A12,12,0,0,1,44,36 V48 Z" fill="{RED}" {S}/>'
                  f'<path d="M14,52 H50 M32,10 V16 M14,18 L18,22 M50,18 L46,22" {L}/>')),
    "report": ("a flag raised on a pole, to tell someone", flag(BLUE)),
    "online-friend": ("a screen with a person on it and a question mark",
                      f'<rect x="8" y="8" width="48" height="40" rx="4" fill="#ffffff" {S}/>'
                      + person(26, 2).replace("r=\"8\"", "r=\"6\"") + letters("?", 18, 30, RED)
                      .replace('x="32"', 'x="46"')),
    "warning": ("a warning triangle with an exclamation mark",
                f'<path d="M32,8 L58,54 H6 Z" fill="{AMBER}" {S}/>' + letters("!", 24, 48)),
    "gift": ("a wrapped present with a bow",
             (f'<rect x="12" y="26" width="40" height="28" fill="{GREEN}" {S}/>'
             f'<rect x="9" y="18" width="46" height="9" fill="{GREEN}" {S}/>'
             f'<path d="M32,18 V54 M32,18 C24,6,16,14,32,18 C48,14,40,6,32,18" {L}/>')),
    "shh": ("a speech bubble saying shh, a secret", bubble() + letters("Shh", 14, 32, RED)),
    "lock": ("a closed padlock", (f'<path d="M22,28 V20 A10,10,0,0,1,42,20 V28" {L}/>'
             f'<rect x="16" y="28" width="32" height="26" rx="4" fill="{AMBER}" {S}/>'
             f'<circle cx="32" cy="40" r="3" fill="{INK}"/>')),
    "picture": ("a photo of hills and the sun", frame()),
    "share": ("three dots joined by lines, the share sign",
              (f'<path d="M20,32 L44,18 M20,32 L44,46" {L}/>'
              f'<circle cx="18" cy="32" r="7" fill="{BLUE}" {S}/>'
              f'<circle cx="46" cy="16" r="7" fill="{BLUE}" {S}/>'
              f'<circle cx="46" cy="48" r="7" fill="{BLUE}" {S}/>')),
    "id-card": ("a name card with a face and lines of writing",
                (f'<rect x="6" y="14" width="52" height="36" rx="4" fill="#ffffff" {S}/>'
                f'<circle cx="20" cy="28" r="5" fill="#fff3e0" {S}/>'
                f'<path d="M12,42 C12,34,28,34,28,42 M34,24 H50 M34,32 H50 M34,40 H46" {L}/>')),
    "pin": ("a map pin showing a place",
            (f'<path d="M32,56 C22,42,16,34,16,24 A16,16,0,0,1,48,24 C48,34,42,42,32,56 Z" '
            f'fill="{RED}" {S}/><circle cx="32" cy="24" r="6" fill="#ffffff" {S}/>')),
    "tick": ("a green circle with a tick, meaning yes",
             (f'<circle cx="32" cy="32" r="22" fill="{GREEN}" {S}/>'
             f'<path d="M22,32 L29,40 L43,24" fill="none" stroke="#ffffff" stroke-width="5" '
             'stroke-linecap="round" stroke-linejoin="round"/>')),
    "live": ("a video camera with a red live light",
             f'<rect x="8" y="20" width="34" height="26" rx="4" fill="{BLUE}" {S}/>'
             f'<path d="M42,28 L56,20 V46 L42,38 Z" fill="{BLUE}" {S}/>'
             f'<circle cx="16" cy="12" r="5" fill="{RED}"/>' + letters("LIVE", 9, 15)
             .replace('x="32"', 'x="34"')),
    "video-call": ("a screen with two faces on a video call",
                   (f'<rect x="6" y="10" width="52" height="38" rx="4" fill="#ffffff" {S}/>'
                   f'<path d="M32,10 V48 M24,56 H40" {L}/>'
                   f'<circle cx="19" cy="26" r="6" fill="#fff3e0" {S}/>'
                   f'<circle cx="45" cy="26" r="6" fill="#fff3e0" {S}/>'
                   f'<path d="M10,44 C10,34,28,34,28,44 M36,44 C36,34,54,34,54,44" {L}/>')),
    "comment": ("a speech bubble with lines of writing",
                bubble() + f'<path d="M18,22 H46 M18,30 H38" {L}/>'),
    "question": ("a speech bubble with a question mark", bubble() + letters("?", 20, 34, BLUE)),
    "block": ("a red no-entry sign", (f'<circle cx="32" cy="32" r="22" fill="{RED}" {S}/>'
              '<path d="M20,32 H44" stroke="#ffffff" stroke-width="7" stroke-linecap="round"/>')),
    "edit": ("a photo with a pencil drawing on it", frame() +
             f'<path d="M38,52 L56,34 L60,38 L42,56 L36,58 Z" fill="{AMBER}" {S}/>'),
    "robot": ("a friendly robot head, for a computer tool",
              (f'<rect x="14" y="18" width="36" height="32" rx="6" fill="{BLUE}" {S}/>'
              f'<path d="M32,18 V10" {L}/><circle cx="32" cy="9" r="3" fill="{AMBER}"/>'
              '<circle cx="25" cy="31" r="4" fill="#ffffff"/><circle cx="39" cy="31" r="4" '
              f'fill="#ffffff"/><path d="M24,41 H40" stroke="#ffffff" stroke-width="3" '
              'stroke-linecap="round"/>')),
    "mask": ("a mask hiding a face, for something fake",
             (f'<path d="M8,22 C20,16,44,16,56,22 C56,40,44,50,32,44 C20,50,8,40,8,22 Z" '
             f'fill="{INK}" {S}/><ellipse cx="22" cy="29" rx="6" ry="4" fill="#ffffff"/>'
             '<ellipse cx="42" cy="29" rx="6" ry="4" fill="#ffffff"/>')),
    "upstander": ("a person standing tall with one hand raised",
                  person(26) + f'<path d="M36,40 L46,16" {L}/>'
                  f'<circle cx="47" cy="12" r="4" fill="#fff3e0" {S}/>'),
    "take-down": ("a photo with a red cross, being taken down", frame() +
                  f'<circle cx="48" cy="46" r="10" fill="{RED}" {S}/>'
                  '<path d="M44,42 L52,50 M52,42 L44,50" stroke="#ffffff" stroke-width="3" '
                  'stroke-linecap="round"/>'),
    "heart": ("a red heart, for caring", (f'<path d="M32,54 L12,32 A11,11,0,0,1,32,18 '
              f'A11,11,0,0,1,52,32 Z" fill="{RED}" {S}/>')),
    "pressure": ("a person with big arrows pushing from each side", person() +
                 f'<path d="M4,34 H14 M10,29 L15,34 L10,39 M60,34 H50 M54,29 L49,34 L54,39" '
                 f'stroke="{RED}" stroke-width="3" fill="none" stroke-linecap="round" '
                 'stroke-linejoin="round"/>'),
    "green-flag": ("a green flag on a pole, a good sign", flag(GREEN)),
    "red-flag": ("a red flag on a pole, a warning sign", flag(RED)),
    "star": ("a speech bubble with a gold star, for praise",
             bubble() + f'<path d="M32,14 L35,22 L43,22 L37,27 L39,35 L32,30 L25,35 L27,27 '
             f'L21,22 L29,22 Z" fill="{AMBER}" {S}/>'),
    "shield": ("a blue shield with a tick, for a safety service",
               (f'<path d="M32,6 L52,14 V30 C52,44,42,52,32,58 C22,52,12,44,12,30 V14 Z" '
               f'fill="{BLUE}" {S}/><path d="M23,31 L30,38 L42,24" fill="none" '
               'stroke="#ffffff" stroke-width="4" stroke-linecap="round" stroke-linejoin="round"/>')),
    "eye": ("an open eye, someone who sees",
            (f'<path d="M6,32 C18,14,46,14,58,32 C46,50,18,50,6,32 Z" fill="#ffffff" {S}/>'
            f'<circle cx="32" cy="32" r="9" fill="{BLUE}" {S}/><circle cx="32" cy="32" r="3" '
            f'fill="{INK}"/>')),
    "record": ("a red record button inside a circle",
               (f'<circle cx="32" cy="32" r="22" fill="#ffffff" {S}/>'
               f'<circle cx="32" cy="32" r="11" fill="{RED}"/>')),
    "forward": ("a speech bubble with an arrow sending it on",
                bubble() + f'<path d="M20,26 H42 M35,19 L42,26 L35,33" {L}/>'),
    "law": ("a pair of weighing scales, for the law",
            (f'<path d="M32,10 V52 M20,54 H44 M12,18 H52 M12,18 L6,34 M12,18 L18,34 M52,18 L46,34 '
            f'M52,18 L58,34" {L}/><path d="M4,34 H20 A8,8,0,0,1,4,34 Z M44,34 H60 A8,8,0,0,1,44,34 Z" '
            f'fill="{AMBER}" {S}/>')),
    "evidence": ("a magnifying glass, for looking at proof",
                 (f'<circle cx="26" cy="26" r="15" fill="#ffffff" {S}/>'
                 f'<path d="M37,37 L54,54" stroke="{INK}" stroke-width="7" stroke-linecap="round"/>')),
    "group": ("three people standing together",
              person(16, 8, GREEN).replace('r="8"', 'r="6"') + person(48, 8, AMBER)
              .replace('r="8"', 'r="6"') + person(32, 4)),
    "fingerprint": ("a fingerprint, a mark that is one of a kind",
                    (f'<path d="M20,48 C14,36,16,18,32,16 C48,18,50,36,44,48 '
                    f'M26,50 C22,40,22,26,32,25 C42,26,42,40,38,50 M32,34 V50" {L}/>')),
    "threat": ("a speech bubble with a red exclamation mark, a threat",
               bubble() + letters("!", 22, 35, RED)),
    "unkind": ("a speech bubble crossed out in red, for unwanted words",
               bubble() + f'<path d="M12,52 L54,8" stroke="{RED}" stroke-width="5" '
               'stroke-linecap="round"/>'),
    "laugh": ("a speech bubble saying ha ha, for jokes", bubble() + letters("Ha ha", 13, 31)),
    "money": ("a pile of coins with a pound sign",
              f'<ellipse cx="32" cy="44" rx="18" ry="7" fill="{AMBER}" {S}/>'
              f'<ellipse cx="32" cy="34" rx="18" ry="7" fill="{AMBER}" {S}/>'
              f'<ellipse cx="32" cy="24" rx="18" ry="7" fill="{AMBER}" {S}/>'
              + letters("£", 11, 28)),
}


def alt(name: str) -> str:
    """The alt text a lesson gives the picture (eight words or more, test_bundled_content)."""
    return f"Picture card for this key word: {DRAWINGS[name][0]}"


def svg(name: str) -> str:
    shows, drawing = DRAWINGS[name]
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0,0,64,64" '
            f'role="img" aria-labelledby="t">\n  <title id="t">{shows}</title>\n'
            "  <!-- Original drawing for edukit (tools/word_pictures.py; see "
            "resources/illustrations/README.md). -->\n"
            f'  <rect x="1" y="1" width="62" height="62" rx="8" fill="{CARD}"/>\n'
            f"  {drawing}\n</svg>\n")


def wanted() -> dict[str, list[str]]:
    """{lesson id: [picture names]} of every bundled lesson that names word pictures."""
    out = {}
    for md in sorted(MODULES.glob("*/module.md")):
        names = sorted({m.group(2) for m in WORD.finditer(md.read_text(encoding="utf-8"))})
        if names:
            out[md.parent.name] = names
    return out


def credits_section(found: dict[str, list[str]]) -> str:
    rows = "".join(f"| {lesson} | " + ", ".join(f"`{lesson}/images/words/{n}.svg`" for n in names)
                   + " |\n" for lesson, names in found.items())
    return (f"{BEGIN}\n## Key-word picture cards (EAL adaptations)\n\n"
            "Small symbol cards beside the EAL key words in each lesson's `::: adaptations` "
            "block (teacher guide and lesson plan only). Original drawings for edukit, MIT, "
            "drawn once in `tools/word_pictures.py`, which writes the ones a lesson names into "
            "its folder.\n\n| Lesson | Pictures |\n|---|---|\n" + rows + END)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true", help="only report what is out of date")
    args = parser.parse_args()
    found, stale = wanted(), []
    for lesson, names in found.items():
        for name in names:
            if name not in DRAWINGS:
                print(f"{lesson}: no drawing called '{name}'", file=sys.stderr)
                return 1
            path = MODULES / lesson / "images" / "words" / f"{name}.svg"
            if not path.is_file() or path.read_text(encoding="utf-8") != svg(name):
                stale.append(path)
                if not args.check:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_text(svg(name), encoding="utf-8")
    text = CREDITS.read_text(encoding="utf-8")
    section = credits_section(found)
    start, end = text.find(BEGIN), text.find(END)
    new = (text[:start] + section + text[end + len(END):] if start >= 0 <= end
           else text.rstrip("\n") + "\n\n" + section + "\n")
    if new != text:
        stale.append(CREDITS)
        if not args.check:
            CREDITS.write_text(new, encoding="utf-8")
    for path in stale:
        print(f"{'out of date' if args.check else 'wrote'}: {path.relative_to(REPO)}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
