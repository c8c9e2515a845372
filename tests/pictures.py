"""Test helper: real PNG files made in memory (for the serving, viewer and stall tests)."""
from __future__ import annotations

import struct
import zlib


def png(tag: bytes = b"", width: int = 1, height: int = 1) -> bytes:
    """A real red PNG; `tag` (in a text chunk) makes each one's bytes distinct."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = (b"\x00" + b"\xff\x00\x00" * width) * height
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"tEXt", b"c\x00" + tag)
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
