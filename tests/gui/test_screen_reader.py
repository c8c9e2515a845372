"""The app as a screen reader meets it: the real AT-SPI tree (what Orca reads), walked with
pyatspi while edukit runs in a window under Xvfb, not Qt's accessibleName() from inside.

One app launch serves the module: the main window over a lesson, each dialog in turn, then the
show (F5) with the presenter console. Chromium's page tree comes through Qt's own bridge once Qt
accessibility is on (QT_LINUX_ACCESSIBILITY_ALWAYS_ON): no Chromium flag is needed. Positive
controls run a probe window built to fail: an unnamed button must count as unnamed, and a big
bold div must not count as a heading."""
from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from a11y_desktop import Desktop, DesktopError, missing_tools

LESSON = "who-can-i-tell"
# Roles a user acts on, focusable or not (Qt's toolbar buttons take no focus but are clicked);
# lists, trees and their items count when they take the focus (a web page's lists do not).
ACTIONABLE = {"push button", "toggle button", "check box", "radio button", "combo box", "text",
              "entry", "password text", "spin button", "slider", "link", "menu item",
              "check menu item", "radio menu item", "page tab"}
NO_MEANING = {"filler", "unknown", "panel", "invalid", "redundant object", "section", ""}
# Named, but with no role to give: Qt has no accessible interface for QPdfView, so AT-SPI gets a
# plain "filler" (a screen reader reads its name). Counted as "named, no role".
ROLELESS_ALLOWED = {"Pages as they will print"}
CONTAINERS = {"frame", "filler", "dialog", "alert", "window"}  # roles a top-level window has


# -- reading the walked tree ------------------------------------------------------------------
def descendants(node: dict) -> Iterator[dict]:
    yield node
    for child in node["children"]:
        yield from descendants(child)


def windows(app: dict) -> list[dict]:
    """The app's windows: its named top-level objects. (Qt WebEngine also lists each web view's
    own offscreen window, unnamed, beside them: not a window a user can reach.)"""
    return [w for w in app["children"] if w["role"] in CONTAINERS and w["name"]]


def window(app: dict, title: str) -> dict:
    found = [w for w in windows(app) if title in w["name"]]
    assert found, f"no window titled {title!r}; there are {[w['name'] for w in windows(app)]}"
    return found[0]


def is_control(node: dict) -> bool:
    return "focusable" in node["states"] or node["role"] in ACTIONABLE


def controls(top: dict) -> list[dict]:
    """Every control inside a window (the window itself excluded)."""
    return [n for n in descendants(top) if n is not top and is_control(n)]


def unnamed(found: list[dict]) -> list[str]:
    """Controls a screen reader could only call by their role, or not at all."""
    return [f"{n['role']} {n['name']!r} {n['description']!r}".replace(" ''", "")
            for n in found if not n["name"].strip()
            or (n["role"] in NO_MEANING and n["name"] not in ROLELESS_ALLOWED)]


def roleless(found: list[dict]) -> int:
    return sum(n["role"] in NO_MEANING for n in found)


def counts(found: list[dict]) -> dict[str, int]:
    missing = len(unnamed(found))
    return {"controls": len(found), "named": len(found) - missing, "unnamed": missing,
            "named, no role": roleless(found) - missing}


def documents(top: dict) -> list[dict]:
    return [n for n in descendants(top) if n["role"] == "document web"]


def headings(node: dict) -> list[dict]:
    return [n for n in descendants(node) if n["role"] == "heading"]


class Outline(HTMLParser):
    """The lesson's headings (level, text) and lists, from the HTML the app serves."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[tuple[int, str]] = []
        self.lists = 0
        self.level = 0

    def handle_starttag(self, tag, attrs) -> None:
        if re.fullmatch(r"h[1-6]", tag):
            self.level = int(tag[1])
            self.headings.append((self.level, ""))
        elif tag in ("ul", "ol"):
            self.lists += 1

    def handle_endtag(self, tag) -> None:
        if re.fullmatch(r"h[1-6]", tag):
            self.level = 0

    def handle_data(self, data) -> None:
        if self.level:
            level, text = self.headings[-1]
            self.headings[-1] = (level, text + data)


def lesson_outline() -> Outline:
    from edukit.core.library import Library
    from edukit.core.render import RenderContext, render

    outline = Outline()
    outline.feed(render(Library.default().get(LESSON), "lesson", RenderContext()).html)
    outline.headings = [(level, " ".join(text.split())) for level, text in outline.headings]
    return outline


def in_order(wanted: list[str], seen: list[str]) -> bool:
    """Every wanted text appears in `seen`, in the same order."""
    rest = iter(seen)
    return all(any(text == s for s in rest) for text in wanted)


# -- the desktop and the app ------------------------------------------------------------------
@pytest.fixture(scope="module")
def desktop(tmp_path_factory):
    """Xvfb, a private session bus and AT-SPI; afterwards, nothing of it may still run."""
    missing = missing_tools()
    if missing:
        pytest.fail(f"screen-reader tests need Debian packages {missing}; .ci/run installs them")
    desk = Desktop(tmp_path_factory.mktemp("a11y-desktop"))
    try:
        desk.start()
        yield desk
    finally:
        left = desk.stop()
    assert not left, f"processes left running after the desktop stopped: {left}"


def start_app(desk: Desktop, argv: list[str], name: str) -> None:
    repo = Path(__file__).resolve().parents[2]
    desk.spawn([sys.executable, *argv], name, cwd=repo,
               env={"PYTHONPATH": str(repo), "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1",
                    "QT_ACCESSIBILITY": "1", "QTWEBENGINE_DISABLE_SANDBOX": "1"})


def lesson_loaded(tree: dict) -> bool:
    framed = [w for w in windows(tree) if w["role"] == "frame"]
    return any(headings(d) for w in framed for d in documents(w))


@pytest.fixture(scope="module")
def app(desktop) -> dict:
    """edukit opened at the lesson; the tree once the lesson's page is in it."""
    start_app(desktop, ["-m", "edukit", "open", LESSON], "edukit")
    try:
        return desktop.walk_until("edukit", lesson_loaded, "the lesson's page")
    except DesktopError as error:
        pytest.fail(f"{error}\napp output:\n{desktop.log_tail('edukit')}")


@pytest.fixture(scope="module")
def main_window(app) -> dict:
    return window(app, "— edukit")


@pytest.fixture(scope="module")
def walk_counts():
    """Each window's counts; the totals are printed at the end (pytest -s shows them)."""
    tallies: dict[str, dict[str, int]] = {}
    yield tallies
    total = {key: sum(t[key] for t in tallies.values()) for key in ("controls", "named", "unnamed")}
    print(f"\nAT-SPI walk counts: {tallies}\nAT-SPI walk total: {total}")


def check_names(top: dict, tallies: dict) -> None:
    found = controls(top)
    tallies[top["name"]] = counts(found)
    assert unnamed(found) == [], f"controls a screen reader cannot name ({counts(found)})"


# -- the main window --------------------------------------------------------------------------
def test_every_control_in_the_main_window_has_a_name_and_a_role(main_window, walk_counts):
    assert len(controls(main_window)) > 100, "too few controls to be the whole window"
    check_names(main_window, walk_counts)


def test_the_lessons_headings_and_lists_are_exposed_as_headings_and_lists(main_window):
    outline = lesson_outline()
    page = documents(main_window)[0]
    seen = [h["name"] for h in headings(page)]
    wanted = [text for _, text in outline.headings]
    assert seen == wanted, "the headings read aloud are the lesson's, no more, no fewer"
    lists = [n for n in descendants(page) if n["role"] == "list"]
    assert len(lists) >= outline.lists
    assert all(any(c["role"] == "list item" for c in lst["children"]) for lst in lists)


def test_each_helpline_link_says_whose_address_it_is(main_window):
    """Tabbing through links, a reader hears each alone: the route's name and its address,
    not the printed separator and arrow."""
    page = documents(main_window)[0]
    said = {}
    for item in (n for n in descendants(page) if n["role"] == "list item"):
        links = [n["name"] for n in descendants(item) if n["role"] == "link"]
        texts = [n["name"] for n in descendants(item) if n["role"] == "label" and n["name"]]
        if links and texts:
            said[texts[0]] = links[0]  # the route's name comes first
    assert {"Childline", "CEOP Safety Centre", "Report Remove"} <= set(said), said
    for route, link in said.items():
        assert link.startswith(f"{route}: ") and not set(link) & {"·", "↗"}, link


def test_heading_levels_are_not_passed_by_qt_webengine_6_11(main_window):
    """Qt WebEngine 6.11 passes a heading's role to AT-SPI (checked above) but not its level:
    web content carries no object attributes. This pins that limitation, so the day Qt passes
    levels this fails, and the check becomes: the levels are the lesson's."""
    outline = lesson_outline()
    page = documents(main_window)[0]
    levels = [h["attributes"].get("level") for h in headings(page)]
    assert len(levels) >= len(outline.headings)
    assert set(levels) == {None}, (
        f"Qt now passes heading levels ({levels[:6]}): assert they equal "
        f"{[level for level, _ in outline.headings][:6]} instead")


def tree_items(tree: dict) -> list[dict]:
    return [n for n in tree["children"] if n["role"] in ("table cell", "tree item")]


def test_the_library_and_the_contents_are_trees_of_named_items(main_window):
    trees = {n["name"]: n for n in descendants(main_window) if n["role"] == "tree"}
    assert {"Lesson library", "Contents"} <= set(trees), f"trees: {list(trees)}"
    contents = [i["name"] for i in tree_items(trees["Contents"])]
    assert in_order([text for _, text in lesson_outline().headings][:5], contents)
    library = tree_items(trees["Lesson library"])
    groups = [i for i in library if "focusable" not in i["states"]]
    lessons = [i for i in library if "focusable" in i["states"]]
    assert groups and lessons and all(i["name"].strip() for i in library)
    assert any(i["name"].startswith("Who can I tell?") for i in lessons)
    assert all("selectable" in i["states"] for i in lessons), "arrow keys select a lesson"
    headers = [n["name"] for n in trees["Lesson library"]["children"]
               if n["role"] == "table column header"]
    assert headers == ["Lessons"], "the hidden header names the column, not '1'"


def named_tree(tree: dict, name: str) -> dict:
    return next(n for n in descendants(window(tree, "— edukit"))
                if n["role"] == "tree" and n["name"] == name)


def focused_item(tree: dict, name: str) -> str | None:
    """The item a screen reader is on in the named tree, when that tree has the keyboard."""
    found = named_tree(tree, name)
    if "focused" not in found["states"]:
        return None
    return next((i["name"] for i in tree_items(found) if "focused" in i["states"]), None)


@pytest.mark.parametrize("name", ["Contents", "Lesson library"])
def test_the_trees_are_walked_with_the_arrow_keys(desktop, main_window, name):
    """F6 brings the keyboard to the tree (bounded), Down moves the reader to the next item."""
    tree = desktop.walk("edukit")
    for _ in range(6):
        if focused_item(tree, name):
            break
        desktop.press("— edukit", "F6")
        tree = desktop.walk("edukit")
    before = focused_item(tree, name)
    assert before, f"F6 never brought the keyboard to {name}"
    desktop.press("— edukit", "Down")
    after = focused_item(desktop.walk_until("edukit", lambda t: focused_item(t, name) != before,
                                            f"a move in {name}", seconds=20), name)
    items = [i["name"] for i in tree_items(named_tree(tree, name))]
    assert after in items and items.index(after) > items.index(before), (before, after)


# -- the dialogs ------------------------------------------------------------------------------
# Each opened from the keyboard as a screen-reader user would (shortcut or menu mnemonics).
DIALOGS = {"Keyboard shortcuts": "F1", "Print — ": "ctrl+p", "Publish as website": "alt+f w",
           "Restore a replaced lesson": "alt+f r", "School details": "alt+s s",
           "Trusted publishers": "alt+s t", "About edukit": "alt+h a"}


def showing(title: str):
    return lambda tree: any(title in w["name"] and "showing" in w["states"]
                            for w in windows(tree))


@pytest.mark.parametrize("title", DIALOGS)
def test_every_control_in_each_dialog_has_a_name_and_esc_closes_it(desktop, main_window,
                                                                   walk_counts, title):
    desktop.press("— edukit", *DIALOGS[title].split())
    dialog = window(desktop.walk_until("edukit", showing(title), title), title)
    desktop.press(dialog["name"], "Escape")
    desktop.walk_until("edukit", lambda tree: not showing(title)(tree), f"{title} closed")
    check_names(dialog, walk_counts)


# -- the show ---------------------------------------------------------------------------------
def announcements(events: list[dict]) -> list[str]:
    return [e["data"] for e in events if e["type"].startswith("object:announcement")]


@pytest.fixture(scope="module")
def show(desktop, app) -> dict:
    """F5 in the main window: the slides in front (one screen)."""
    desktop.press("— edukit", "F5")
    return desktop.walk_until("edukit", showing("edukit — slides"), "the slides window")


def slide_news(number: int) -> str:
    """What the show should say on arriving at slide `number` (1-based)."""
    from edukit.core.library import Library
    from edukit.core.render import RenderContext, render

    slides = render(Library.default().get(LESSON), "slides", RenderContext()).slides
    return f"Slide {number} of {len(slides)}: {slides[number - 1].title}"


def moves_are_announced(desktop: Desktop, window_title: str) -> list[str]:
    """End then Home reach slide 1 from wherever the show is (one of them moves), Right
    goes on to 2: what was said."""
    listener = desktop.listen("edukit", until=slide_news(2))
    desktop.press(window_title, "End", "Home", "Right")
    return announcements(desktop.heard(listener))


def test_a_slide_change_is_announced_from_the_slides_window(desktop, show):
    said = moves_are_announced(desktop, "edukit — slides")
    assert said[-2:] == [slide_news(1), slide_news(2)], said


def test_a_black_screen_and_its_end_are_announced(desktop, show):
    listener = desktop.listen("edukit", until="Audience sees the slide again")
    desktop.press("edukit — slides", "b", "b")
    said = announcements(desktop.heard(listener))
    assert len(said) == 2 and "black screen" in said[0], said  # the console's own words
    assert said[1] == "Audience sees the slide again"


@pytest.fixture(scope="module")
def console(desktop, show) -> dict:
    """S: the presenter console in front of the slides (one screen)."""
    desktop.press("edukit — slides", "s")
    tree = desktop.walk_until("edukit", showing("presenter console"), "the console")
    return window(tree, "presenter console")


def test_a_slide_change_is_announced_from_the_console(desktop, console):
    said = moves_are_announced(desktop, "presenter console")
    assert said[-2:] == [slide_news(1), slide_news(2)], said


def test_every_control_in_the_console_has_a_name_and_a_role(console, walk_counts):
    check_names(console, walk_counts)
    named = {n["name"] for n in descendants(console)}
    assert {"Now showing", "Next slide", "Slides", "Teacher notes"} <= named


# -- positive controls ------------------------------------------------------------------------
def test_the_walk_counts_an_unnamed_button_and_ignores_a_div_styled_as_a_heading(desktop):
    start_app(desktop, [str(Path(__file__).with_name("a11y_probe_app.py"))], "a11y-probe")
    try:
        tree = desktop.walk_until("a11y-probe", lambda t: any(
            headings(d) for w in windows(t) for d in documents(w)), "the probe page")
    except DesktopError as error:
        pytest.fail(f"{error}\nprobe output:\n{desktop.log_tail('a11y-probe')}")
    probe = window(tree, "Probe window")
    found = controls(probe)
    # The icon-only button, and Qt's own toolbar overflow button, which the app names
    # (edukit.gui.accessible.name_helper_widgets) and this probe does not.
    assert sorted(unnamed(found)) == ["check box", "push button"], counts(found)
    assert counts(found)["named"] >= 2  # the named button and the page
    page = documents(probe)[0]
    assert [h["name"] for h in headings(page)] == ["A real heading"]
    big = [n for n in descendants(page) if "Big text" in n["name"]]
    assert big and all(n["role"] != "heading" for n in big)
    said = [n["name"] for n in descendants(page) if n["role"] in ("link", "label")]
    assert "example.org" in said and "Text: 85258" in said  # no arrow, no dot read aloud
    assert not any(set(text) & {"·", "↗"} for text in said), said
