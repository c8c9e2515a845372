"""Reads a running app's accessibility tree over AT-SPI, as a screen reader (Orca) does, and
prints it as JSON. It runs under the system's python3 (Debian's python3-pyatspi binds the
C library; it cannot be pip-installed into the venv), so the pytest side only reads JSON.

usage: atspi_walk.py tree APP [--wait SECONDS]
       atspi_walk.py events APP [--seconds S] [--until TEXT]  prints "ready", then the events
"""
from __future__ import annotations

import argparse
import json
import sys
import time

import pyatspi
from gi.repository import GLib

STATES = {"focusable": pyatspi.STATE_FOCUSABLE, "focused": pyatspi.STATE_FOCUSED,
          "showing": pyatspi.STATE_SHOWING, "visible": pyatspi.STATE_VISIBLE,
          "expandable": pyatspi.STATE_EXPANDABLE, "expanded": pyatspi.STATE_EXPANDED,
          "selectable": pyatspi.STATE_SELECTABLE, "checkable": pyatspi.STATE_CHECKABLE}
# What pyatspi raises for an object that went away or an app still starting up.
GONE = (GLib.Error, LookupError, RuntimeError, AttributeError)
MAX_NODES = 20000  # a runaway tree ends the walk rather than the test run
MAX_DEPTH = 80


def find_app(name: str, wait: float):
    """The application called `name` once it shows a window (bounded wait), or None."""
    deadline = time.monotonic() + wait
    while True:
        desktop = pyatspi.Registry.getDesktop(0)
        for i in range(desktop.childCount):
            app = desktop.getChildAtIndex(i)
            if app is not None and app.name == name and has_window(app):
                return app
        if time.monotonic() > deadline:
            return None
        time.sleep(0.25)


def has_window(app) -> bool:
    try:
        return any(app.getChildAtIndex(i).getRoleName() == "frame" for i in range(app.childCount))
    except GONE:  # the app is still starting: its objects come and go
        return False


def attributes(acc) -> dict[str, str]:
    try:
        pairs = acc.getAttributes() or []
    except GONE:
        return {}
    return dict(pair.split(":", 1) for pair in pairs if ":" in pair)


def node(acc, budget: list[int], depth: int = 0) -> dict:
    """One object and its children, as plain data."""
    budget[0] -= 1
    states = acc.getState()
    data = {"role": acc.getRoleName(), "name": acc.name or "", "description": acc.description or "",
            "states": [k for k, v in STATES.items() if states.contains(v)],
            "attributes": attributes(acc), "children": []}
    if depth >= MAX_DEPTH:
        return data
    for i in range(acc.childCount):
        if budget[0] <= 0:
            data["truncated"] = True
            break
        try:
            child = acc.getChildAtIndex(i)
            if child is not None:
                data["children"].append(node(child, budget, depth + 1))
        except GONE as error:  # an object that went away during the walk
            data["children"].append({"role": "gone", "name": str(error), "children": []})
    return data


def print_tree(app_name: str, wait: float) -> int:
    app = find_app(app_name, wait)
    if app is None:
        names = [a.name for a in pyatspi.Registry.getDesktop(0) if a is not None]
        print(json.dumps({"error": f"no application {app_name!r} with a window on the "
                                   f"accessibility bus after {wait:.0f} s; there are {names}"}))
        return 1
    print(json.dumps(node(app, [MAX_NODES])))
    return 0


def print_events(app_name: str, seconds: float, until: str) -> int:
    """The app's announcements (and text and name changes) until one says `until`, or time
    runs out."""
    seen: list[dict] = []
    loop = GLib.MainLoop()

    def heard(event) -> None:
        try:
            source_app = event.source.getApplication().name
            source = (event.source.getRoleName(), event.source.name)
        except GONE:
            source_app, source = "", ("", "")
        if source_app != app_name:
            return
        seen.append({"type": event.type, "role": source[0], "name": source[1],
                     "data": str(event.any_data) if event.any_data is not None else "",
                     "detail1": event.detail1})
        if event.type.startswith("object:announcement") and seen[-1]["data"] == until:
            loop.quit()
    kinds = ("object:announcement", "object:text-changed", "object:property-change:accessible-name")
    for kind in kinds:
        pyatspi.Registry.registerEventListener(heard, kind)
    GLib.timeout_add(300, lambda: print("ready", flush=True) and False)
    GLib.timeout_add(int(seconds * 1000), loop.quit)
    loop.run()
    print(json.dumps(seen), flush=True)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=("tree", "events"))
    parser.add_argument("app")
    parser.add_argument("--wait", type=float, default=30)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--until", default="")
    args = parser.parse_args()
    if args.command == "tree":
        return print_tree(args.app, args.wait)
    return print_events(args.app, args.seconds, args.until)


if __name__ == "__main__":
    sys.exit(main())
