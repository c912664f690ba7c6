# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Reading a file someone else wrote (a clinic PC's evidence in a drop folder) without trusting it.

A drop folder is writable by a local user or malware on a PC: a file there may be a FIFO (a plain
open() waits forever for a writer), a link to /dev/zero (size 0, endless to read), or far larger than
any evidence. read_regular_file opens once without blocking, checks the opened handle (fstat, so the
file cannot be swapped between check and read) and stops reading at the bound.
"""

import os
import stat

from ansible_collections.webcert.fleet.plugins.plugin_utils.base.errors import WebcertError

_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))
CHUNK = 1 << 16


class InputFileError(WebcertError):
    """The file cannot be read as a regular file within the bound; the message says why, without the path."""


class TooLarge(InputFileError):
    """The file holds more than the bound."""


def file_kind(mode):
    """A plain word for what a non-regular file is."""
    return next((word for test, word in _KINDS if test(mode)), "not a regular file")


def read_regular_file(path, max_bytes=None):
    """The bytes of `path`, a regular file of at most `max_bytes` bytes (None: no bound).

    InputFileError when it is anything else (FIFO, device, socket, folder), TooLarge when it is longer
    than the bound while being read; OSError when it cannot be opened."""
    # O_NONBLOCK: opening a FIFO with no writer must not wait; it has no effect on a regular file's reads.
    handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(handle).st_mode
        if not stat.S_ISREG(mode):
            raise InputFileError("is %s, not a regular file; not read" % file_kind(mode))
        chunks, length = [], 0
        while True:
            # The bound holds while reading, whatever the size said before (a growing file, a proc file).
            chunk = os.read(handle, CHUNK if max_bytes is None else min(CHUNK, max_bytes + 1 - length))
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            length += len(chunk)
            if max_bytes is not None and length > max_bytes:
                raise TooLarge("is more than %d bytes; read no further" % max_bytes)
    finally:
        os.close(handle)
