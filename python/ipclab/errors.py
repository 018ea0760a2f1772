"""IpcError, the one exception of ipclab, with the Node API's codes ("ERR_PEER_GONE", "EEXIST", ...)."""
from __future__ import annotations

import errno as _errno

from ._library import library

OK = 0
AGAIN = _errno.EAGAIN
ERR_CLOSED = -1
ERR_OUT_OF_RANGE = -3
ERR_CHANNEL_CLOSED = -8
ERR_PEER_GONE = -9
ERR_TIMEOUT = -10
ERR_INVALID_ARGUMENT = -12


class IpcError(Exception):
    """An ipclab failure. ``code`` is an errno's name ("EEXIST") for system errors, or an ``ERR_*``
    code as in Node ("ERR_PEER_GONE", "ERR_TIMEOUT", "ERR_CHANNEL_CLOSED", ...); ``errno`` is the
    errno value for system errors; ``syscall`` the failed system call when there is one."""

    def __init__(self, message: str, code: str = "ERR_IPC", errno: int | None = None, syscall: str | None = None):
        super().__init__(message)
        self.code = code
        self.errno = errno
        self.syscall = syscall

    def __str__(self) -> str:
        return f"[{self.code}] {self.args[0]}"


def error_of(status: int) -> Exception:
    """The exception for a failed call's status, with the calling thread's last error message."""
    lib = library()
    message = (lib.ipclab_last_error_message() or b"").decode("utf-8", "replace")
    if status == ERR_INVALID_ARGUMENT:
        return ValueError(message)
    code = lib.ipclab_status_name(status).decode()
    syscall = (lib.ipclab_last_error_syscall() or b"").decode() or None
    return IpcError(message, code, status if status > 0 else None, syscall)


def check(status: int) -> None:
    if status != OK:
        raise error_of(status)
