"""SharedMemory: a POSIX shared memory segment, as Node's ``SharedMemory`` (same names, snake_case)."""
from __future__ import annotations

import ctypes

from ._handle import Handle
from ._library import library
from ._mapping import mapped_view
from .errors import IpcError, check

NONEXCLUSIVE, KEEP, POPULATE, READ_ONLY = 1, 2, 4, 8


def encode_name(name: str, what: str = "name") -> bytes:
    if not isinstance(name, str):
        raise TypeError(f"{what} must be a str, got {type(name).__name__}")
    if "\0" in name:
        raise ValueError(f"{what} must not contain a NUL character, got {name!r}")
    return name.encode("utf-8")


def check_mode(mode) -> int:
    if not isinstance(mode, int) or isinstance(mode, bool) or not 0 <= mode <= 0o777:
        raise ValueError(f"mode must be permission bits from 0 to 0o777, got {mode!r}")
    return mode


class SharedMemory(Handle):
    """A segment mapped into this process. ``buffer`` (alias ``buf``) is a memoryview of it. Segments
    made by Node's ipclab, Python's multiprocessing.shared_memory or any program open alike."""

    def __init__(self, handle: int, read_only: bool, keep: bool):
        lib = library()
        self._handle = handle
        self.name: str = lib.ipclab_segment_name(handle).decode()
        self.size: int = lib.ipclab_segment_size(handle)
        self.read_only = read_only
        self.created = bool(lib.ipclab_segment_created(handle))
        self._keep = keep
        view = mapped_view(lib.ipclab_segment_mapping, handle)
        self._buffer = view.toreadonly() if read_only else view

    @classmethod
    def create(cls, name: str, size: int, *, mode: int = 0o600, exclusive: bool = True, populate: bool = False, keep: bool = False) -> "SharedMemory":
        """Creates a segment of `size` bytes (exclusive by default), reserved up front so a full /dev/shm
        fails here with ENOSPC. The creator unlinks the name on close unless `keep`."""
        if not isinstance(size, int) or isinstance(size, bool) or size <= 0:
            raise ValueError(f"size must be a positive integer number of bytes, got {size!r}")
        flags = (0 if exclusive else NONEXCLUSIVE) | (KEEP if keep else 0) | (POPULATE if populate else 0)
        handle = ctypes.c_void_p()
        check(library().ipclab_segment_create(encode_name(name), size, check_mode(mode), flags, ctypes.byref(handle)))
        return cls(handle.value, False, keep)

    @classmethod
    def open(cls, name: str, *, read_only: bool = False, populate: bool = False) -> "SharedMemory":
        """Opens an existing segment; its size comes from the object itself."""
        handle = ctypes.c_void_p()
        flags = (READ_ONLY if read_only else 0) | (POPULATE if populate else 0)
        check(library().ipclab_segment_open(encode_name(name), flags, ctypes.byref(handle)))
        return cls(handle.value, read_only, True)

    @staticmethod
    def unlink(name: str) -> bool:
        """Removes the name; False when nothing had it. Mappings stay valid until closed."""
        status = library().ipclab_segment_unlink(encode_name(name))
        if status == 2:  # ENOENT
            return False
        check(status)
        return True

    @property
    def buffer(self) -> memoryview:
        if self._handle is None:
            raise IpcError(f'cannot read the buffer of shared memory "{self.name}": it is closed', "ERR_CLOSED")
        return self._buffer

    buf = buffer

    def close(self) -> None:
        """Unmaps (once no view of the buffer is left) and, for the creator, unlinks the name. Idempotent."""
        handle, self._handle = self._handle, None
        if handle is None:
            return
        self._buffer = None
        check(library().ipclab_segment_close(handle))

    def _describe(self) -> str:
        return f", size={self.size}"
