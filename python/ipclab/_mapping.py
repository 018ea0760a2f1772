"""Memory of a segment or channel as Python views. One ctypes array spans the mapping, pinned by a
libipclab mapping reference that is released when the array is freed: once every view of it is
gone, never before. So a view that outlives close() reads memory that is still mapped (and no
longer shared with anyone new) instead of crashing the process."""
from __future__ import annotations

import ctypes
import weakref

from ._library import library


def mapped_view(handle_mapping, handle) -> memoryview:
    """A writable byte view of the whole mapping behind `handle` (ipclab_segment_mapping or ipclab_channel_mapping)."""
    from .errors import check

    lib = library()
    pin = ctypes.c_void_p()
    check(handle_mapping(handle, ctypes.byref(pin)))
    address = lib.ipclab_mapping_address(pin)
    size = lib.ipclab_mapping_size(pin)
    block = (ctypes.c_char * size).from_address(address)
    weakref.finalize(block, lib.ipclab_mapping_release, pin)
    return memoryview(block).cast("B")
