"""A lesson edited while the app runs keeps one render of each view in memory: the latest.

The page server keeps what it rendered, by the lesson's text, school and slide fit. A render of
an older text (the lesson saved since) or of slides fitted another way is never asked for
again; each save of a lesson open in the app, and each round of fitting its slides, used to
add a copy of every view it had shown, for as long as the app ran."""
from __future__ import annotations

from dataclasses import replace

import pytest

from edukit.core.library import Library
from edukit.core.model import School
from edukit.gui import page_server
from edukit.gui.page_server import PageServer

EDITS = 12
VIEWS = ("lesson", "guide")


@pytest.mark.parametrize("kept", ["latest", "every-render-control"])
def test_an_edited_lesson_keeps_one_render_of_each_view(qapp, monkeypatch, kept):
    if kept != "latest":
        monkeypatch.setattr(page_server, "LatestRenders", dict)  # as before: every render kept
    library = Library.default()
    lesson = library.modules[0]
    pages = PageServer(library, School())
    for n in range(EDITS):
        edited = replace(lesson, body=f"{lesson.body}\n\nEdit number {n}.\n")
        for view in VIEWS:
            shown = pages.rendered(edited, view)
            assert f"Edit number {n}." in shown.html
            assert pages.rendered(edited, view) is shown  # asked again: not rendered again
    assert len(pages._cache) == (len(VIEWS) if kept == "latest" else len(VIEWS) * EDITS)
    pages.deleteLater()
