"""Start the app: the library, the Qt runtime (edukit.gui.runtime), the main window as it was left."""
from __future__ import annotations

import gc
import sys
import warnings
from pathlib import Path

from ..core.escape import terminal_text
from .runtime import make_application


def run_app(content: list[Path], module: str | None = None, present: bool = False) -> int:
    from ..core import yaml_cache
    from .garbage import collecting_on_ui_thread

    # The app collects cycles from a timer on the UI thread (edukit.gui.garbage); stopped from
    # here, the collector does not walk the start-up's imports again and again (~0.005 s).
    collecting = gc.isenabled()
    gc.disable()
    parsed = yaml_cache.ParsedYaml.default()  # front matter, topics, helplines: parsed before
    yaml_cache.use(parsed)
    try:
        return run_window(content, module, present, parsed)
    finally:
        parsed.save()  # what was parsed this run (an edited lesson's new text) for the next
        yaml_cache.use(None)
        if collecting and not collecting_on_ui_thread():  # no app took the collecting over
            gc.enable()


def run_window(content: list[Path], module: str | None, present: bool, parsed) -> int:
    from ..core.startup import open_library

    library = open_library(extra=content)
    if module is not None:
        try:
            library.resolve(module)  # a wrong id is one plain line, before any window opens
        except LookupError as exc:
            print(terminal_text(f"edukit: {exc}"), file=sys.stderr)
            return 2
    app = make_application()
    try:
        window = open_window(library, module)  # as the user left it, or at `module`
    except LookupError as exc:
        print(terminal_text(f"edukit: {exc}"), file=sys.stderr)
        return 2
    window.firstPainted.connect(parsed.save)  # kept at once: a session may end in a crash
    if window.session.module is not None and present:
        window.present()  # `edukit present`: straight into the show; Esc returns to the lesson
    return app.exec()


def open_window(library, module: str | None = None):
    """The main window as the user left it. A saved settings or state file that could not be
    read (set aside, defaults used) is told in the window after the first paint, and on
    stderr; LookupError when `module` names no module."""
    from ..core.model import EdukitWarning
    from .window_state import open_viewer

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", EdukitWarning)
        window = open_viewer(library, module)
    notes = []
    for found in caught:
        if issubclass(found.category, EdukitWarning):
            notes.append(str(found.message))
            print(terminal_text(f"edukit: warning: {found.message}"), file=sys.stderr)
        else:
            warnings.showwarning(found.message, found.category, found.filename, found.lineno)
    if notes:  # the banner's module loads only when there is something to tell
        from .startup_notice import show_after_first_paint

        show_after_first_paint(window, notes)
    return window
