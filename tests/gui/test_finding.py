"""Finding the lesson for a year group: search results carry audience and age badges, the
library's filters stay in view under the search field and choose among its results, an empty
filter result says so and offers to clear, and topics read as topics.yaml writes them."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel


@pytest.fixture
def window(qtbot, fixture_content, lesson_window):
    _, win = lesson_window(fixture_content, "who-can-i-tell")
    qtbot.waitUntil(lambda: win.search_box.indexer.done, timeout=60000)
    return win


def choose(window, key: str, value: str) -> None:
    combo = window.library_pane.combos[key]
    combo.setCurrentIndex(combo.findData(value))


def results(window) -> list[str]:
    box = window.search_box
    return [box.results.itemWidget(box.results.item(n)).text() for n in range(box.results.count())]


def test_results_show_who_each_lesson_is_for(qtbot, window):
    window.search_box.edit.setText("sextorti")  # typed, not finished: a prefix past the stem
    shown = results(window)
    assert shown and "Sextortion" in shown[0]
    assert "Pupils 11-14" in shown[0] or "Pupils 14-16" in shown[0]
    assert any("Parents" in r for r in shown) and any("Staff" in r for r in shown)


def test_filters_stay_in_view_under_the_search_field_and_choose_among_the_results(qtbot, window):
    box, pane = window.search_box, window.library_pane
    box.edit.setText("sextorti")
    everyone = len(window.search_box.hits)
    assert pane.filter_bar.isVisible()
    assert box.edit.geometry().bottom() < pane.filter_bar.geometry().top() < box.results.geometry().top()
    choose(window, "audience", "parents")
    assert 0 < len(box.hits) < everyone
    assert all("Parents" in r for r in results(window))
    assert pane.clear_filters.isVisible()
    pane.clear_filters.click()
    assert len(box.hits) == everyone and not pane.clear_filters.isVisible()


def test_a_search_the_filters_empty_says_so_and_clearing_them_brings_the_results_back(qtbot, window):
    box, pane = window.search_box, window.library_pane
    choose(window, "ages", "8-11")
    box.edit.setText("deepfak")  # only lessons for older pupils talk of deepfakes
    assert box.hits == [] and "chosen filters" in box.status.text() and box.status.isVisible()
    pane.clear_filters.click()
    assert box.hits and not box.status.isVisible()
    box.edit.setText("zzzyqx")
    assert box.status.text() == "No lessons mention “zzzyqx”."


def test_an_empty_library_filter_says_so_and_offers_to_clear(qtbot, window):
    pane = window.library_pane
    assert not pane.empty.isVisible()
    choose(window, "audience", "staff")
    choose(window, "ages", "8-11")
    assert pane.module_items() == []
    assert pane.empty.isVisible() and "No lessons match these filters" in pane.empty.text()
    assert pane.clear_filters.isVisible()
    pane.clear_filters.click()
    assert pane.module_items() and not pane.empty.isVisible()


def test_topics_read_as_topics_yaml_writes_them(qtbot, window):
    combo = window.library_pane.combos["topic"]
    labels = [combo.itemText(n) for n in range(combo.count())]
    assert "AI images" in labels and "Ai images" not in labels
    assert combo.itemData(labels.index("AI images")) == "ai-images"
    assert isinstance(window.library_pane.empty, QLabel)
