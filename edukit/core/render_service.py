"""The render worker's side of out-of-process rendering: requests in on stdin, results out on stdout.

edukit.gui.render_worker runs main() in a fresh Python process for lessons that did
not come with the app, so one that takes too long is stopped by ending the process, never by
waiting on it. Frames are an 8-byte length and a pickle, both ways, between edukit's own
processes only. No Qt here.
"""
from __future__ import annotations

import os
import pickle
import struct
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

from .model import Module
from .options import PrintOptions

if TYPE_CHECKING:
    from .rendered import RenderContext

HEADER = struct.Struct(">Q")
READY = "ready"  # the first frame a worker writes, once its imports are done


@dataclass(frozen=True)
class ViewRequest:
    """Render one view of a module (→ Rendered)."""

    module: Module
    view: str
    ctx: RenderContext


@dataclass(frozen=True)
class PrintRequest:
    """Lay a module out for paper (→ the whole print page as str)."""

    module: Module
    ctx: RenderContext
    options: PrintOptions
    css_base: str | None = None
    font: str = "default"  # the reading font (core/pages.py READING_FONTS)
    spacing: str = "normal"  # the line spacing (core/typography.py LINE_SPACINGS)


def handle(request: ViewRequest | PrintRequest) -> object:
    from .printing import print_page  # (the worker loads them before it says READY: main)
    from .render import render

    if isinstance(request, ViewRequest):
        return render(request.module, request.view, request.ctx)
    if isinstance(request, PrintRequest):
        return print_page(request.module, request.ctx, request.options, css_base=request.css_base,
                          font=request.font, spacing=request.spacing)
    raise TypeError(f"not a render request: {type(request).__name__}")


def frame(message: object) -> bytes:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return HEADER.pack(len(data)) + data


def split_frames(buffer: bytearray) -> list[object]:
    """Take every complete frame off the front of buffer (a partial one stays)."""
    messages = []
    while len(buffer) >= HEADER.size:
        (size,) = HEADER.unpack_from(buffer)
        if len(buffer) < HEADER.size + size:
            break
        messages.append(pickle.loads(bytes(buffer[HEADER.size:HEADER.size + size])))
        del buffer[:HEADER.size + size]
    return messages


def read_frame(stream: BinaryIO) -> object | None:
    """The next frame, or None at the end of the stream."""
    header = stream.read(HEADER.size)
    if len(header) < HEADER.size:
        return None
    (size,) = HEADER.unpack(header)
    data = stream.read(size)
    return pickle.loads(data) if len(data) == size else None


def answer(request: object) -> tuple[str, object]:
    """("ok", result) or ("error", one plain line); the worker keeps serving either way."""
    try:
        return "ok", handle(request)
    except Exception as exc:  # noqa: BLE001 - a failure is that lesson's answer; the worker serves on
        return "error", f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def serve(requests: BinaryIO, results: BinaryIO) -> None:
    """Answer (ticket, request) frames with (ticket, (status, value)) frames until stdin closes."""
    results.write(frame(READY))
    results.flush()
    while (message := read_frame(requests)) is not None:
        ticket, request = message
        results.write(frame((ticket, answer(request))))
        results.flush()


def main() -> None:
    from . import printing, render  # noqa: F401  (the renderer loads before READY: its time
    # counts against the start-up limit, not against the first lesson's render)

    results = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a stray print must not corrupt a frame
    try:
        serve(sys.stdin.buffer, results)
    except (BrokenPipeError, KeyboardInterrupt):
        pass  # the app went away


if __name__ == "__main__":
    main()
