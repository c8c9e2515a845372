"""Chromium's start-up flags: no background traffic, no idle zygotes when the sandbox is off, and
V8's small first heap (tests/gui/test_renderer_garbage.py shows what it is for)."""
from __future__ import annotations

import pytest

from edukit.gui.runtime import V8_FLAGS, prepare_environment


@pytest.fixture
def environment(monkeypatch):
    def prepare(flags: str = "", disable_sandbox: str | None = None, root: bool = False,
                small_heap: bool = True) -> list[str]:
        monkeypatch.setenv("QTWEBENGINE_CHROMIUM_FLAGS", flags)
        monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
        if disable_sandbox is None:
            monkeypatch.delenv("QTWEBENGINE_DISABLE_SANDBOX", raising=False)
        else:
            monkeypatch.setenv("QTWEBENGINE_DISABLE_SANDBOX", disable_sandbox)
        monkeypatch.setattr("os.geteuid", lambda: 0 if root else 1000)
        prepare_environment(small_heap)
        import os

        return os.environ["QTWEBENGINE_CHROMIUM_FLAGS"].split()
    return prepare


def test_background_networking_is_always_off(environment):
    flags = environment()
    assert "--disable-background-networking" in flags and "--disable-component-update" in flags


def test_a_sandboxed_chromium_keeps_its_zygote(environment):
    # --no-zygote without --no-sandbox stops Chromium from starting at all.
    assert "--no-zygote" not in environment()


@pytest.mark.parametrize("how", [{"flags": "--no-sandbox"}, {"disable_sandbox": "1"}, {"root": True}])
def test_without_the_sandbox_renderers_start_without_idle_zygotes(environment, how):
    assert "--no-zygote" in environment(**how)


def test_v8_starts_with_a_small_heap_and_favours_size(environment):
    environment("--disable-gpu")
    import os

    assert V8_FLAGS in os.environ["QTWEBENGINE_CHROMIUM_FLAGS"]
    assert "--optimize-for-size" in V8_FLAGS and "--initial-heap-size=8" in V8_FLAGS


def test_a_command_that_prints_and_exits_keeps_v8s_usual_heap(environment):
    """Nothing piles up in a process that prints and exits; a small heap would cost its print
    a few collections."""
    assert not any(f.startswith("--js-flags") for f in environment(small_heap=False))


def test_v8_flags_given_from_outside_win(environment):
    """Chromium takes one --js-flags: the app's does not replace a developer's own."""
    flags = environment("--js-flags=--expose-gc")
    assert [f for f in flags if f.startswith("--js-flags")] == ["--js-flags=--expose-gc"]
