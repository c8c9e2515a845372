"""Read a file that a user, a lesson or a pack named, without ever blocking or reading too much.

A path may name a pipe (reading waits for a writer for ever), a device (/dev/zero never ends) or
a huge file. Lesson files, settings files and the pictures a lesson names are read here.
"""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

NOT_REGULAR = "not a regular file (a pipe, a device or a socket)"


def read_regular(path: Path, limit: int, follow_links: bool = True) -> tuple[bytes, int]:
    """At most limit + 1 bytes of a regular file, and its size (the true size when it is longer
    than limit: callers refuse rather than use half a file). Anything but a regular file is an
    OSError, raised at once: the file is opened non-blocking, so a FIFO cannot make it wait."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(errno.EINVAL, NOT_REGULAR)
        data = f.read(limit + 1)  # never more: the file may be huge
    return data, (len(data) if len(data) <= limit else max(st.st_size, len(data)))
