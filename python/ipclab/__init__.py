"""ipclab for Python: POSIX shared memory, semaphores and ShmChannel, through libipclab (ctypes),
talking to Node.js, C and other Python processes alike.

    from ipclab import ShmChannel
    with ShmChannel.open("jobs") as channel:
        for message in channel:          # until the producer closes
            ...
"""
from __future__ import annotations

import os
import re
import secrets

from ._library import library, library_path
from .channel import DEFAULT_RECEIVE_MANY, DEFAULT_RING_BYTES, ShmChannel
from .errors import IpcError
from .semaphore import Semaphore
from .shared_memory import SharedMemory

__version__ = "0.1.0"

PROTOCOL_VERSION = 3


def unique_name(tag: str = "") -> str:
    """A name no other process uses, as Node's uniqueName makes them: ``/ipclab-<pid>-<random>[-<tag>]``
    (``ipclab clean`` removes those whose process is gone)."""
    if not isinstance(tag, str):
        raise TypeError(f"tag must be a str (a short word such as 'jobs'), got {type(tag).__name__}")
    suffix = "-" + re.sub(r"[^A-Za-z0-9_.-]", "", tag)[:8] if tag else ""
    return f"/ipclab-{os.getpid()}-{secrets.token_hex(3)}{suffix}"


def library_version() -> str:
    """The version of the libipclab loaded."""
    return library().ipclab_version().decode()


__all__ = [
    "DEFAULT_RECEIVE_MANY",
    "DEFAULT_RING_BYTES",
    "IpcError",
    "PROTOCOL_VERSION",
    "Semaphore",
    "SharedMemory",
    "ShmChannel",
    "library_path",
    "library_version",
    "unique_name",
]
