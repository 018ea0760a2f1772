"""Semaphore: named POSIX semaphores and ipclab's in-segment ones, as Node's ``Semaphore``."""
from __future__ import annotations

import ctypes
import threading

from ._handle import Handle
from ._library import library
from ._waits import Deadline, check_spin, check_timeout
from .errors import AGAIN, ERR_TIMEOUT, IpcError, check, error_of
from .shared_memory import KEEP, NONEXCLUSIVE, SharedMemory, check_mode, encode_name

VALUE_MAX = 2**31 - 1


def _check_initial(initial) -> int:
    if isinstance(initial, bool) or not isinstance(initial, int) or not 0 <= initial <= VALUE_MAX:
        raise ValueError(f"initial must be an integer from 0 to {VALUE_MAX}, got {initial!r}")
    return initial


def _check_offset(segment, offset) -> int:
    if not isinstance(segment, SharedMemory):
        raise TypeError(f"segment must be a SharedMemory, got {type(segment).__name__}")
    if segment.closed:
        raise IpcError(f'shared memory "{segment.name}" is closed', "ERR_CLOSED")
    last = segment.size - Semaphore.byte_length
    if isinstance(offset, bool) or not isinstance(offset, int) or not 0 <= offset <= last or offset % Semaphore.alignment:
        raise ValueError(f"offset must be a multiple of {Semaphore.alignment} from 0 to {last}, got {offset!r}")
    return offset


class Semaphore(Handle):
    """A counting semaphore shared between processes: named (``create``/``open``), or living inside a
    shared memory segment (``create_in``/``open_in``, the same words as Node's Semaphore.createIn).
    Any thread may use it; ``wait`` releases the GIL while it sleeps."""

    byte_length = 32  # bytes one in-segment semaphore occupies (IPCLAB_SEMAPHORE_BYTES)
    alignment = 8  # its offset's alignment

    def __init__(self, handle: int, name: str):
        self._handle = handle
        self.name = name
        # Calls in progress, so that close() frees the handle only once they returned.
        self._calls = 0
        self._idle = threading.Condition(threading.Lock())

    @classmethod
    def create(cls, name: str, initial: int = 0, *, mode: int = 0o600, exclusive: bool = True, keep: bool = False) -> "Semaphore":
        handle = ctypes.c_void_p()
        flags = (0 if exclusive else NONEXCLUSIVE) | (KEEP if keep else 0)
        check(library().ipclab_semaphore_create(encode_name(name), _check_initial(initial), check_mode(mode), flags, ctypes.byref(handle)))
        return cls(handle.value, "/" + name.lstrip("/"))

    @classmethod
    def open(cls, name: str) -> "Semaphore":
        handle = ctypes.c_void_p()
        check(library().ipclab_semaphore_open(encode_name(name), ctypes.byref(handle)))
        return cls(handle.value, "/" + name.lstrip("/"))

    @staticmethod
    def unlink(name: str) -> bool:
        """Removes the name; False when nothing had it."""
        status = library().ipclab_semaphore_unlink(encode_name(name))
        if status == 2:  # ENOENT
            return False
        check(status)
        return True

    @classmethod
    def create_in(cls, segment: SharedMemory, offset: int, initial: int = 0) -> "Semaphore":
        """Initialises a process-shared semaphore at `offset` of a writable segment."""
        handle = ctypes.c_void_p()
        _check_offset(segment, offset)
        check(library().ipclab_semaphore_create_in(segment._handle, offset, _check_initial(initial), ctypes.byref(handle)))
        return cls(handle.value, f"semaphore at {segment.name}+{offset}")

    @classmethod
    def open_in(cls, segment: SharedMemory, offset: int) -> "Semaphore":
        """Attaches to a semaphore that a peer initialised at `offset` with create_in (or Node's createIn)."""
        handle = ctypes.c_void_p()
        _check_offset(segment, offset)
        check(library().ipclab_semaphore_open_in(segment._handle, offset, ctypes.byref(handle)))
        return cls(handle.value, f"semaphore at {segment.name}+{offset}")

    def _enter(self, operation: str) -> int:
        with self._idle:
            if self._handle is None:
                raise IpcError(f"cannot {operation} {self.name}: the semaphore is closed", "ERR_CLOSED")
            self._calls += 1
            return self._handle

    def _leave(self) -> None:
        with self._idle:
            self._calls -= 1
            if self._calls == 0:
                self._idle.notify_all()

    def post(self) -> None:
        handle = self._enter("post")
        try:
            check(library().ipclab_semaphore_post(handle))
        finally:
            self._leave()

    def try_wait(self, *, spin_micros: int = 0) -> bool:
        """Takes one unit if there is one (busy-waiting up to `spin_micros` for it), without sleeping."""
        spin = check_spin(spin_micros)
        handle = self._enter("try_wait")
        try:
            status = library().ipclab_semaphore_try_wait(handle, spin)
        finally:
            self._leave()
        if status == AGAIN:
            return False
        check(status)
        return True

    def wait(self, timeout_ms: float | None = None, *, spin_micros: int = 0) -> bool:
        """Blocks (releasing the GIL) until a unit is taken: True, or False after `timeout_ms` (default
        forever). ERR_CLOSED when another thread closes the semaphore meanwhile."""
        deadline = Deadline(check_timeout(timeout_ms))
        spin = check_spin(spin_micros)
        lib = library()
        handle = self._enter("wait")
        try:
            while True:
                status = lib.ipclab_semaphore_wait(handle, deadline.slice(), spin)
                if status != ERR_TIMEOUT:
                    break
                if deadline.expired():
                    return False
        finally:
            self._leave()
        if status != 0:
            raise error_of(status)
        return True

    @property
    def value(self) -> int:
        """The current count (a snapshot: peers may change it at any moment)."""
        handle = self._enter("read")
        value = ctypes.c_int()
        try:
            check(library().ipclab_semaphore_value(handle, ctypes.byref(value)))
        finally:
            self._leave()
        return value.value

    def close(self) -> None:
        """Ends waits in other threads (ERR_CLOSED), then releases the handle; the creator of a named
        one unlinks it unless `keep`. Idempotent."""
        lib = library()
        with self._idle:
            handle, self._handle = self._handle, None
            if handle is None:
                return
            lib.ipclab_semaphore_interrupt(handle)
            while self._calls:
                self._idle.wait()
        check(lib.ipclab_semaphore_close(handle))
