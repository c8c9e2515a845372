"""Nothing is told by colour alone (WCAG 1.4.1): the presenter's pacing cue and black/white-screen
pill, the library's badges, the lesson's boxes and callouts, and the red emergency route all say
in words what their colour says, and the words (what a screen reader reads) change with the state."""
from __future__ import annotations

import json

import pytest
from PySide6.QtGui import QAccessible

from edukit.core.library import Library
from edukit.core.model import School
from edukit.core.routes import bundled_routes
from edukit.gui.presentation.console import PACE_COLOURS, pace_style
from edukit.gui.presentation.controller import Presentation
from edukit.gui.session import Session

STATE_WORDS = {"none": "No planned", "ahead": "Ahead", "on-time": "On time", "behind": "Behind",
               "over": "Over time"}


def spoken(widget) -> str:
    """What assistive technology reads for a widget: its accessible name."""
    return QAccessible.queryAccessibleInterface(widget).text(QAccessible.Text.Name)


def distinct_in_words(states: dict[str, tuple[str, str]]) -> bool:
    """Every pair of states that differ in colour differ in words too."""
    shown = list(states.values())
    return all(a[1] != b[1] for i, a in enumerate(shown) for b in shown[i + 1:] if a[0] != b[0])


@pytest.fixture
def console(qapp, qtbot):
    session = Session(Library.default(), School())
    session.open("who-can-i-tell")
    show = Presentation(session, 0)
    yield show.console
    show.end()
    show.dispose()


def test_the_pacing_cue_says_its_state_in_words(console):
    now = [1000.0]
    console.stopwatch.now = lambda: now[0]
    console.stopwatch.reset()
    seen = {}
    for state, (index, minutes) in {"on-time": (0, 0.5), "behind": (0, 9), "ahead": (12, 1),
                                    "over": (0, 99)}.items():
        console.index, now[0] = index, 1000.0 + minutes * 60
        console.tick()
        seen[state] = (console.pace.styleSheet(), spoken(console.pace))
    console.minutes = [0.0] * len(console.minutes)  # a lesson with no planned time
    console.tick()
    seen["none"] = (console.pace.styleSheet(), spoken(console.pace))
    assert set(seen) == set(PACE_COLOURS)
    for state, (style, words) in seen.items():
        assert style == pace_style(state) and words.startswith(STATE_WORDS[state]), (state, words)
    assert distinct_in_words(seen)
    # Positive control: a cue that only changed colour is caught.
    assert not distinct_in_words({s: (style, "") for s, (style, _) in seen.items()})


def test_the_black_and_white_screen_pill_names_the_colour(console):
    console.show_blank("black")
    black = spoken(console.blank_state)
    console.show_blank("white")
    white = spoken(console.blank_state)
    assert "black screen" in black and "(B to return)" in black
    assert "white screen" in white and "(W to return)" in white
    console.show_blank("")
    assert not console.blank_state.isVisibleTo(console)


BLOCKS = """---
title: Every box
---
# Every box

::: activity
Do this.
:::

::: discuss
Talk.
:::

::: scenario
A story.
:::

::: worksheet
1. A question
:::

::: key-messages
Remember.
:::

::: objectives
- Learn.
:::

::: questions
- Why?
:::

::: keypoints
- This.
:::

::: challenge
Try.
:::

::: solution
Answer.
:::

::: {.callout-note}
A note.
:::

::: {.callout-tip}
A tip.
:::

::: {.callout-warning}
A warning.
:::

::: {.callout-important}
Important.
:::

::: {.callout-caution}
Careful.
:::

::: mystery
No label of its own.
:::
"""
# Each box's label as drawn: a callout's title, else the words its ::before puts above it.
LABELS = """JSON.stringify([...document.querySelectorAll('main .block')].map(el => {
  const title = el.querySelector(':scope > .callout-title');
  const before = getComputedStyle(el, '::before').content;
  return [el.className, title ? title.textContent.trim()
                              : (before === 'none' || before === 'normal' ? '' : before)];
}))"""


def test_every_kind_of_box_and_callout_has_its_own_words(qtbot, js, tmp_path, lesson_window):
    (tmp_path / "every-box.md").write_text(BLOCKS, encoding="utf-8")
    _, window = lesson_window(tmp_path, "every-box")
    labels = dict(json.loads(js(window.page, LABELS)))
    mystery = [cls for cls in labels if "mystery" in cls]
    known = {cls: words for cls, words in labels.items() if cls not in mystery}
    assert len(known) == 15
    assert all(words for words in known.values()), known
    assert len(set(known.values())) == len(known)  # no two kinds share their words
    for kind in ("Note", "Tip", "Warning", "Important", "Caution"):
        assert kind in known.values()
    # Positive control: a box of an unknown kind has no words, and the check sees that.
    assert mystery and labels[mystery[0]] == ""


def test_the_library_badges_are_words_in_what_a_screen_reader_reads(qtbot, user_dirs):
    from edukit.gui.library_pane import ID_ROLE, LibraryPane, badges

    bundled = Library.default().get("who-can-i-tell")
    copy = user_dirs["data"] / "modules" / "who-can-i-tell"
    copy.mkdir(parents=True)
    text = bundled.path.read_text(encoding="utf-8")
    copy.joinpath("module.md").write_text(
        text.replace("reviewed:", "reviewed: 2001-01-01\nold_reviewed:", 1), encoding="utf-8")
    session = Session(Library.default(), School())
    pane = LibraryPane(session)
    qtbot.addWidget(pane)
    item = next(i for i in pane.module_items() if i.data(0, ID_ROLE) == "who-can-i-tell")
    words = item.text(0)
    module = session.library.get("who-can-i-tell")
    assert {"review due", "your copy"} <= set(badges(module, "own"))
    assert "review due" in words and "your copy" in words and "own" in words


def test_the_red_emergency_route_says_emergency_in_its_name():
    directory = bundled_routes("uk")
    emergency = [r for r in directory.routes if r.emergency]
    assert emergency and all("emergency" in r.name.lower() for r in emergency)
