"""A school region chosen in Settings whose route directory is not installed (its pack removed,
school.json edited): the app says so plainly in the status bar and in Settings, for as long as
it holds, and prints each lesson's own region's helplines meanwhile (edukit.core.region)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from regions import ISLAND_ROUTES

from edukit.core.library import Library
from edukit.gui.app import open_window

FIXTURES = Path(__file__).parents[1] / "fixtures"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(FIXTURES / "content", root)
    (root / "routes").mkdir()
    (root / "routes" / "island.yaml").write_text(ISLAND_ROUTES, encoding="utf-8")
    return root


def start(qtbot, content: Path, user_dirs, region: str):
    (user_dirs["config"] / "school.json").write_text(
        json.dumps({"schema_version": 2, "region": region}), encoding="utf-8")
    window = open_window(Library.default(extra=[content]), "sample-lesson")
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.started, timeout=30000)
    return window


def test_the_window_says_the_schools_region_is_not_installed_and_prints_uk(
        qtbot, content, user_dirs):
    window = start(qtbot, content, user_dirs, "atlantis<b>x</b>")
    label = window.region_warning
    assert label.isVisibleTo(window)
    assert "'atlantis<b>x</b>'" in label.text() and "not installed" in label.text()
    assert label.textFormat().name == "PlainText"  # shown as typed, never as markup
    session = window.session
    handout = session.rendered(session.module, "handout").html
    assert "Childline" in handout and "Island Children" not in handout  # the lesson's own

    dialog = window.edit_school_details()
    assert dialog.region_warning.isVisibleTo(dialog) and "not installed" in \
        dialog.region_warning.text()
    dialog.region.setCurrentIndex(dialog.region.findData("island"))
    assert not dialog.region_warning.isVisibleTo(dialog)  # an installed one: nothing to say
    with qtbot.waitSignal(window.page.loadFinished, timeout=30000):
        dialog.accept()
    assert not label.isVisibleTo(window)  # the status bar follows the store at once
    handout = session.rendered(session.module, "handout").html
    assert "Island Children" in handout and "Childline" not in handout


@pytest.mark.parametrize("region", ["", "island", "uk"])
def test_control_no_warning_when_the_region_is_installed_or_unset(qtbot, content, user_dirs,
                                                                  region):
    window = start(qtbot, content, user_dirs, region)
    assert not window.region_warning.isVisibleTo(window)
    assert window.region_warning.text() == ""
