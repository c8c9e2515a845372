"""Contrast of every coloured thing on edukit's pages, computed from the stylesheets themselves
(resources/css, the site's CSS): text 4.5:1 (7:1 in the high-contrast theme), icons, edges and
the focus ring 3:1 (WCAG 2.2 1.4.3, 1.4.6, 1.4.11). A colour changed in a file changes the
figure here, so a low-contrast edit fails. `pytest -s` prints the table."""
from __future__ import annotations

import pytest
from contrast import Pair, blend, colour, rules, table, variables

from edukit.core.pages import stylesheets
from edukit.core.paths import resources_dir

CSS = resources_dir() / "css"
THEMES = ("light", "dark", "contrast")
CALLOUTS = ("note", "tip", "warning", "important", "caution")
BLOCKS = (".block", ".activity", ".notes", ".safeguarding")
PAPER = "#ffffff"


def read(name: str) -> str:
    return (CSS / name).read_text(encoding="utf-8")


class Sheets:
    """The stylesheets a page uses, in order, with the theme's variables; look-ups take the last
    declaration of a selector across them, as the browser's cascade would for equal weight."""

    def __init__(self, texts: list[str], theme_vars: dict[str, str]):
        self.rules = [rule for text in texts for rule in rules(text)]
        self.vars = theme_vars

    def get(self, selector: str, prop: str, media: str = "") -> str:
        hits = [r.declarations[prop] for r in self.rules if r.selector == selector
                and prop in r.declarations and (media in r.media if media else not r.media)]
        if not hits:
            raise LookupError(f"no {prop} on {selector!r}")
        return colour(hits[-1], self.vars)

    def background(self, selector: str, media: str = "") -> str:
        for prop in ("background", "background-color"):
            try:
                return self.get(selector, prop, media)
            except LookupError:
                pass
        raise LookupError(f"no background on {selector!r}")


def sheets_for(view: str, theme: str = "light", printing: bool = False,
               overrides: dict[str, str] | None = None) -> Sheets:
    """The sheets a page of this view links, in the app's own order (edukit.core.pages), with
    the theme's variables; `overrides` replaces a file's text (the positive controls)."""
    names = [n for n in stylesheets(view, theme, printing) if n != "fonts.css"]
    texts = [(overrides or {}).get(n) or read(n) for n in names]
    themed = [t for n, t in zip(names, texts) if n == "base.css" or n.startswith("theme-")]
    return Sheets(texts, variables(*themed))


def text_need(theme: str) -> float:
    return 7.0 if theme == "contrast" else 4.5


def reading_pairs(theme: str, s: Sheets) -> list[Pair]:
    need = text_need(theme)
    bg, fg = s.background("html"), s.get("html", "color")
    box, routes = s.background(".block"), s.background(".routes")
    pairs = [Pair(theme, "body text", fg, bg, need),
             Pair(theme, "headings", s.get("h2", "color"), bg, need),
             Pair(theme, "links", s.get("a", "color"), bg, need),
             Pair(theme, "links in a box", s.get("a", "color"), box, need),
             Pair(theme, "links in the help box", s.get("a", "color"), routes, need),
             Pair(theme, "muted text (quotes)", s.get("blockquote", "color"), bg, need),
             Pair(theme, "lesson facts (ages, time)", s.get(".lesson-facts", "color"), bg, need),
             Pair(theme, "guide label", s.get(".guide-label", "color"), bg, need),
             Pair(theme, "picture placeholder", s.get(".remote-image", "color"), bg, need),
             Pair(theme, "maths error", s.get(".math-error", "color"), bg, need),
             Pair(theme, "table header", fg, s.background("th"), need),
             Pair(theme, "code", fg, s.background("pre"), need),
             Pair(theme, "help box title", s.get(".routes-title", "color"), routes, need),
             Pair(theme, "help box details", s.get(".route-details", "color"), routes, need),
             Pair(theme, "help box source", s.get(".routes-source", "color"), routes, need),
             Pair(theme, "emergency route name", s.get(".route.emergency .route-name", "color"),
                  routes, need),
             Pair(theme, "safeguarding label", s.get(".safeguarding::before", "color"),
                  s.background(".safeguarding"), need)]
    pairs += [Pair(theme, f"block label on {b}", s.get(".block::before", "color"),
                   s.background(b), need) for b in BLOCKS]
    pairs += [Pair(theme, f"block text on {b}", fg, s.background(b), need) for b in BLOCKS]
    pairs += [Pair(theme, f"block edge {b}", colour(f"var(--{edge})", s.vars), s.background(b), 3)
              for b, edge in ((".block", "box-edge"), (".activity", "activity-edge"),
                              (".notes", "notes-edge"), (".safeguarding", "guard-edge"))]
    for where in ("html", ".block", ".routes"):
        pairs.append(Pair(theme, f"focus ring on {where}", s.get(":focus-visible", "outline"),
                          s.background(where), 3))
    return pairs + callout_pairs(theme, s) + code_pairs(theme, s)


def callout_pairs(theme: str, s: Sheets) -> list[Pair]:
    pairs = []
    for kind in CALLOUTS:
        tint = s.get(f".callout-{kind}", "--callout-tint")
        edge = s.get(f".callout-{kind}", "--callout-edge")
        pairs += [Pair(theme, f"callout {kind}: title", s.get(".callout > .callout-title", "color"),
                       tint, text_need(theme)),
                  Pair(theme, f"callout {kind}: icon and edge", edge, tint, 3),
                  Pair(theme, f"callout {kind}: edge on page", edge, s.background("html"), 3)]
    return pairs


def code_pairs(theme: str, s: Sheets) -> list[Pair]:
    """Highlighted code: every token colour on the code box."""
    box = s.background("pre")
    seen: dict[str, str] = {}
    for rule in s.rules:
        if rule.selector.startswith(".codehilite .") and "color" in rule.declarations \
                and rule.selector != ".codehilite .w":  # whitespace: nothing to read
            seen[rule.selector] = colour(rule.declarations["color"], s.vars)
    pairs = [Pair(theme, f"code token {sel.split()[-1]}", fg, box, text_need(theme))
             for sel, fg in seen.items()]
    return pairs + [Pair(theme, "highlighted code line", s.get("html", "color"),
                         s.background(".codehilite .hll"), text_need(theme))]


def slide_pairs(theme: str, s: Sheets) -> list[Pair]:
    need = text_need(theme)
    bg, fg = s.background(".slide"), s.get(".slide", "color")
    return [Pair(theme, "slide text", fg, bg, need),
            Pair(theme, "slide title", s.get(".slide h2", "color"), bg, need),
            Pair(theme, "slide subtitle", s.get(".slide .subtitle", "color"), bg, need),
            Pair(theme, "slide byline", s.get(".slide .byline", "color"), bg, need),
            Pair(theme, "title slide summary", s.get(".slide h1 + p", "color"), bg, need),
            Pair(theme, "continued mark", s.get(".slide .continued-mark", "color"), bg, need),
            Pair(theme, "bullets", s.get(".slide li::marker", "color"), bg, 3),
            Pair(theme, "title rule", s.get(".slide h2", "border-bottom"), bg, 3)]


def paper_pairs(s: Sheets) -> list[Pair]:
    """Handouts, guides and letters print in the light colours on white paper."""
    routes = s.background(".routes")
    pairs = [Pair("print", "emergency route name",
                  s.get(".route.emergency .route-name", "color", "print"), routes, 4.5),
             Pair("print", "help box details", s.get(".route-details", "color", "print"), routes, 4.5),
             Pair("print", "slide number", s.get(".slide-number", "color"), PAPER, 4.5),
             Pair("print", "notes continued", s.get(".notes-continued", "color"), PAPER, 4.5),
             Pair("print", "no notes", s.get(".no-notes", "color"), PAPER, 4.5),
             Pair("print", "resource kind", s.get(".resource-kind", "color"), PAPER, 4.5),
             Pair("print", "register note", s.get(".register-note", "color"), PAPER, 4.5),
             Pair("print", "certificate date", s.get(".certificate-date", "color"), PAPER, 4.5),
             Pair("print", "register header", s.get("html", "color"),
                  s.background("table.register th"), 4.5),
             Pair("print", "answer lines", s.get(".view-handout .worksheet li::after", "border-top"),
                  PAPER, 3),
             Pair("print", "note lines", s.get(".note-lines span", "border-bottom"), PAPER, 3),
             Pair("print", "slide frame", s.get(".slide-frame", "border"), PAPER, 3)]
    pairs += [Pair("print", f"block label on {b}", s.get(".block::before", "color", "print"),
                   s.background(b), 4.5) for b in BLOCKS]
    return pairs


def site_pairs() -> list[Pair]:
    site = (resources_dir() / "site" / "site.css").read_text(encoding="utf-8")
    s = Sheets([read("base.css"), site], variables(read("base.css")))
    bar, bar_text = s.background(".site-bar"), s.get(".site-bar", "color")
    keys_opacity = float(next(r.declarations["opacity"] for r in s.rules
                              if r.selector == ".slide-keys"))
    bg = s.background("html")
    return [Pair("site", "top bar", bar_text, bar, 4.5),
            Pair("site", "top bar links", s.get(".site-bar a", "color"), bar, 4.5),
            Pair("site", "slide keys (faded)", blend(bar_text, bar, keys_opacity), bar, 4.5),
            Pair("site", "focus ring on the bar", s.get(".site-bar :focus-visible", "outline"),
                 bar, 3),
            Pair("site", "pupils' page note", s.get("html", "color"), s.background(".site-kind"), 4.5),
            Pair("site", "staff page note", s.get("html", "color"),
                 s.background(".site-kind-staff"), 4.5),
            Pair("site", "result count", s.get(".result-count", "color"), bg, 4.5),
            Pair("site", "lesson facts", s.get(".lesson-card .facts", "color"), bg, 4.5),
            Pair("site", "search match", s.get(".lesson-card .match", "color"), bg, 4.5),
            Pair("site", "printed sheet", s.get("html", "color"), s.background("body.print .page", "screen"), 4.5)]


def all_pairs(overrides: dict[str, str] | None = None) -> list[Pair]:
    pairs = []
    for theme in THEMES:
        pairs += reading_pairs(theme, sheets_for("lesson", theme, overrides=overrides))
        pairs += slide_pairs(theme, sheets_for("slides", theme, overrides=overrides))
    return pairs + paper_pairs(sheets_for("handout", printing=True, overrides=overrides)) \
        + site_pairs()


def test_every_colour_pair_on_the_pages_meets_its_contrast_in_every_theme():
    pairs = all_pairs()
    print("\n" + table(pairs))
    assert len(pairs) > 150
    assert [p for p in pairs if not p.ok()] == []


@pytest.mark.parametrize("variable, weak", [("muted", "#9aa3ad"), ("accent", "#6fa3e0")])
def test_a_low_contrast_colour_in_a_stylesheet_is_caught(variable, weak):
    # Positive control: the light theme's muted grey or link blue made pale fails the check.
    base = read("base.css")
    assert f"--{variable}: " in base
    paler = base.replace(f"--{variable}: {variables(base)[variable]}", f"--{variable}: {weak}")
    failing = [p for p in all_pairs({"base.css": paler}) if not p.ok()]
    assert failing and all(p.where in ("light", "print", "site") for p in failing)


def test_the_high_contrast_theme_is_held_to_seven_to_one():
    # A pair that passes AA (5:1) fails in the high-contrast theme.
    theme = read("theme-contrast.css").replace("--muted: #ffffff", "--muted: #8c8c8c")
    failing = [p for p in all_pairs({"theme-contrast.css": theme}) if not p.ok()]
    assert failing and {p.where for p in failing} == {"contrast"}
    assert all(4.5 <= p.ratio < 7 for p in failing)
