"""The lesson's zoom is shown in the status bar ("110%"); a click on it, or Ctrl+0, returns the
lesson to actual size; Ctrl+wheel zooms in the same steps, so the indicator always tells."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication


@pytest.fixture
def window(lesson_window, fixture_content):
    return lesson_window(fixture_content, "who-can-i-tell")[1]


def shown(window) -> str:
    indicator = window.zoom_indicator
    assert indicator.isVisibleTo(window) and indicator.parent() is window.statusBar()
    return indicator.text()


def test_the_status_bar_shows_the_zoom_as_it_changes(window):
    assert shown(window) == "100%"
    window.actions["view.zoom_in"].trigger()
    assert shown(window) == "110%" and window.view.zoomFactor() == pytest.approx(1.1)
    window.actions["view.zoom_in"].trigger()
    assert shown(window) == "125%"
    window.actions["view.zoom_out"].trigger()
    window.actions["view.zoom_out"].trigger()
    window.actions["view.zoom_out"].trigger()
    assert shown(window) == "90%"
    window.lesson.set_zoom(1.5)  # as a saved zoom is restored on start
    assert shown(window) == "150%"


def test_a_click_on_the_indicator_returns_to_actual_size(qtbot, window):
    window.lesson.set_zoom(1.75)
    qtbot.mouseClick(window.zoom_indicator, Qt.MouseButton.LeftButton)
    assert shown(window) == "100%" and window.lesson.zoom == 1.0
    assert window.view.zoomFactor() == pytest.approx(1.0)


def test_ctrl_0_returns_to_actual_size(qtbot, window):
    window.activateWindow()
    window.view.setFocus()
    window.lesson.set_zoom(2.0)
    QTest.keyClick(window.view.focusProxy() or window.view, Qt.Key.Key_0,
                   Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: shown(window) == "100%", timeout=2000)


@pytest.mark.parametrize("delta, expected", [(120, "110%"), (-120, "90%")])
def test_ctrl_wheel_zooms_in_steps_the_indicator_follows(qtbot, window, delta, expected):
    proxy = window.view.focusProxy()
    assert proxy is not None
    wheel = QWheelEvent(QPointF(50, 50), QPointF(proxy.mapToGlobal(QPoint(50, 50))), QPoint(),
                        QPoint(0, delta), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.ControlModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(proxy, wheel)
    assert shown(window) == expected
    assert window.view.zoomFactor() == pytest.approx(window.lesson.zoom)
