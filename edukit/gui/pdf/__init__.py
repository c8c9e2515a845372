"""PDF through Chromium: load a print page in the locked-down profile, printToPdf, write atomically.

Used by the command line (`edukit export --format pdf` through edukit.gui.headless, no display
needed) and by the print preview. The page comes from the same scheme handler as the viewer, so it is as locked down.
PdfMaker is in maker.py, the reader thread and what runs on it in reader.py, and what a reprint
reuses from the render cache in reprint.py.
"""
from __future__ import annotations

from .maker import PdfMaker, page_layout
from .reader import finished

__all__ = ["PdfMaker", "finished", "page_layout"]
