"""Finds and loads libipclab (include/ipclab.h) and declares its functions for ctypes.

Where the library comes from, first found wins:
1. the file named by the environment variable IPCLAB_LIBRARY;
2. a copy inside this package (``pip install ./python`` copies a built one in);
3. the clone or npm package this package sits in (``build/Release``, ``build-cmake/Release``,
   ``prebuilds/<platform>``);
4. an installed ipclab Node package, ``node_modules/ipclab`` in the current directory or above;
5. the system's library path (``cmake --install``), as ``ctypes.util.find_library`` sees it.

ctypes releases the GIL around every call, so a blocking wait never holds up other threads.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import platform
import threading
from ctypes import POINTER, c_char_p, c_int, c_int64, c_size_t, c_uint, c_uint8, c_uint32, c_void_p
from pathlib import Path

ABI_VERSION = 1
LIBRARY_FILE = "libipclab.so"


class MessageInfo(ctypes.Structure):
    _fields_ = [("bytes", c_size_t), ("kind", c_uint8)]


class Outgoing(ctypes.Structure):
    _fields_ = [("data", c_void_p), ("bytes", c_size_t), ("kind", c_uint8)]


def _prebuild_platform() -> str:
    machine = platform.machine()
    return "linux-" + {"x86_64": "x64", "aarch64": "arm64"}.get(machine, machine)


def candidates() -> list[Path]:
    """Every place looked at, in order (IPCLAB_LIBRARY alone when it is set)."""
    named = os.environ.get("IPCLAB_LIBRARY")
    if named:
        return [Path(named)]
    here = Path(__file__).resolve().parent
    found = [here / LIBRARY_FILE]
    package_roots = [here.parent.parent]  # python/ipclab -> the clone or the npm package
    cwd = Path.cwd()
    package_roots += [base / "node_modules" / "ipclab" for base in (cwd, *cwd.parents)]
    for root in package_roots:
        found += [
            root / "build" / "Release" / LIBRARY_FILE,
            root / "build-cmake" / "Release" / LIBRARY_FILE,
            root / "prebuilds" / _prebuild_platform() / LIBRARY_FILE,
        ]
    return found


_SIGNATURES = {
    "ipclab_version": (c_char_p, []),
    "ipclab_abi_version": (c_int, []),
    "ipclab_protocol_version": (c_int, []),
    "ipclab_status_name": (c_char_p, [c_int]),
    "ipclab_last_error_message": (c_char_p, []),
    "ipclab_last_error_status": (c_int, []),
    "ipclab_last_error_syscall": (c_char_p, []),
    "ipclab_segment_create": (c_int, [c_char_p, c_size_t, c_uint, c_uint, POINTER(c_void_p)]),
    "ipclab_segment_open": (c_int, [c_char_p, c_uint, POINTER(c_void_p)]),
    "ipclab_segment_close": (c_int, [c_void_p]),
    "ipclab_segment_unlink": (c_int, [c_char_p]),
    "ipclab_segment_size": (c_size_t, [c_void_p]),
    "ipclab_segment_name": (c_char_p, [c_void_p]),
    "ipclab_segment_created": (c_int, [c_void_p]),
    "ipclab_segment_mapping": (c_int, [c_void_p, POINTER(c_void_p)]),
    "ipclab_mapping_address": (c_void_p, [c_void_p]),
    "ipclab_mapping_size": (c_size_t, [c_void_p]),
    "ipclab_mapping_release": (None, [c_void_p]),
    "ipclab_semaphore_create": (c_int, [c_char_p, c_uint, c_uint, c_uint, POINTER(c_void_p)]),
    "ipclab_semaphore_open": (c_int, [c_char_p, POINTER(c_void_p)]),
    "ipclab_semaphore_unlink": (c_int, [c_char_p]),
    "ipclab_semaphore_create_in": (c_int, [c_void_p, c_size_t, c_uint, POINTER(c_void_p)]),
    "ipclab_semaphore_open_in": (c_int, [c_void_p, c_size_t, POINTER(c_void_p)]),
    "ipclab_semaphore_post": (c_int, [c_void_p]),
    "ipclab_semaphore_try_wait": (c_int, [c_void_p, c_int64]),
    "ipclab_semaphore_wait": (c_int, [c_void_p, c_int64, c_int64]),
    "ipclab_semaphore_value": (c_int, [c_void_p, POINTER(c_int)]),
    "ipclab_semaphore_interrupt": (None, [c_void_p]),
    "ipclab_semaphore_close": (c_int, [c_void_p]),
    "ipclab_channel_create": (c_int, [c_char_p, c_uint32, c_uint, c_int64, c_uint, POINTER(c_void_p)]),
    "ipclab_channel_open": (c_int, [c_char_p, c_int64, c_uint, POINTER(c_void_p)]),
    "ipclab_channel_close": (None, [c_void_p]),
    "ipclab_channel_interrupt": (None, [c_void_p]),
    "ipclab_channel_name": (c_char_p, [c_void_p]),
    "ipclab_channel_ring_bytes": (c_uint32, [c_void_p]),
    "ipclab_channel_max_in_place_bytes": (c_size_t, [c_void_p]),
    "ipclab_channel_mapping": (c_int, [c_void_p, POINTER(c_void_p)]),
    "ipclab_channel_send": (c_int, [c_void_p, c_void_p, c_size_t, c_uint8, c_int64]),
    "ipclab_channel_try_send": (c_int, [c_void_p, c_void_p, c_size_t, c_uint8]),
    "ipclab_channel_send_many": (c_int, [c_void_p, c_void_p, c_size_t, c_int64, POINTER(c_size_t)]),
    "ipclab_channel_try_send_many": (c_int, [c_void_p, c_void_p, c_size_t, POINTER(c_size_t)]),
    "ipclab_channel_reserve": (c_int, [c_void_p, c_size_t, c_uint8, c_int64, POINTER(c_void_p)]),
    "ipclab_channel_try_reserve": (c_int, [c_void_p, c_size_t, c_uint8, POINTER(c_void_p)]),
    "ipclab_channel_commit": (c_int, [c_void_p, c_size_t]),
    "ipclab_channel_receive": (c_int, [c_void_p, c_void_p, c_size_t, c_int64, POINTER(MessageInfo)]),
    "ipclab_channel_try_receive": (c_int, [c_void_p, c_void_p, c_size_t, POINTER(MessageInfo)]),
    "ipclab_channel_peek": (c_int, [c_void_p, c_int64, POINTER(MessageInfo)]),
    "ipclab_channel_try_peek": (c_int, [c_void_p, POINTER(MessageInfo)]),
    "ipclab_channel_receive_many": (
        c_int,
        [c_void_p, c_void_p, c_size_t, POINTER(c_size_t), POINTER(c_uint8), c_size_t, c_int64, POINTER(c_size_t)],
    ),
    "ipclab_channel_try_receive_many": (
        c_int,
        [c_void_p, c_void_p, c_size_t, POINTER(c_size_t), POINTER(c_uint8), c_size_t, POINTER(c_size_t)],
    ),
    "ipclab_channel_receive_in_place": (c_int, [c_void_p, c_int64, POINTER(c_void_p), POINTER(MessageInfo)]),
    "ipclab_channel_try_receive_in_place": (c_int, [c_void_p, POINTER(c_void_p), POINTER(MessageInfo)]),
    "ipclab_channel_release": (c_int, [c_void_p]),
}

_loaded: ctypes.CDLL | None = None
_loaded_path: str | None = None
_lock = threading.Lock()


def _load() -> tuple[ctypes.CDLL, str]:
    looked = candidates()
    path = next((str(file) for file in looked if file.is_file()), None)
    if path is None and not os.environ.get("IPCLAB_LIBRARY"):
        path = ctypes.util.find_library("ipclab")
    if path is None:
        where = "\n  ".join(str(file) for file in looked)
        raise OSError(
            "libipclab not found; looked at:\n  " + where + "\nand the system's library path. Build it (npm ci in a clone of "
            "ipclab, or cmake -S native -B build-c && cmake --build build-c) and set IPCLAB_LIBRARY to the file."
        )
    lib = ctypes.CDLL(path)
    lib.ipclab_abi_version.restype = c_int
    abi = lib.ipclab_abi_version()
    if abi != ABI_VERSION:
        raise OSError(f"{path} has libipclab ABI version {abi}, this Python package needs ABI version {ABI_VERSION}")
    for name, (restype, argtypes) in _SIGNATURES.items():
        function = getattr(lib, name)
        function.restype = restype
        function.argtypes = argtypes
    return lib, path


def library() -> ctypes.CDLL:
    """The loaded libipclab (loaded on first use)."""
    global _loaded, _loaded_path
    if _loaded is None:
        with _lock:
            if _loaded is None:
                _loaded, _loaded_path = _load()
    return _loaded


def library_path() -> str:
    """The file libipclab was loaded from."""
    library()
    assert _loaded_path is not None
    return _loaded_path
