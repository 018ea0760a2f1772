"""Message kinds (docs/channel-protocol.md, "Kinds") in Python: what each kind becomes on receipt,
and which kind a value to send travels as. With numpy, typed kinds are numpy arrays; without it,
``array.array`` of the same element type."""
from __future__ import annotations

import ctypes
import json
import os
from array import array

from .errors import IpcError

try:
    import numpy as _np
except ImportError:  # numpy is optional
    _np = None
if os.environ.get("IPCLAB_PYTHON_NO_NUMPY") == "1":  # as if numpy were missing (tests, benchmarks)
    _np = None

KIND_BYTES = 0
KIND_UINT8 = 2
KIND_DATA_VIEW = 12
KIND_JSON = 13
KIND_VALUE = 100

# kind: (numpy dtype, array typecode, element bytes, JavaScript type)
TYPED = {
    1: ("<i1", "b", 1, "Int8Array"),
    2: ("<u1", "B", 1, "Uint8Array"),
    3: ("<u1", "B", 1, "Uint8ClampedArray"),
    4: ("<i2", "h", 2, "Int16Array"),
    5: ("<u2", "H", 2, "Uint16Array"),
    6: ("<i4", "i", 4, "Int32Array"),
    7: ("<u4", "I", 4, "Uint32Array"),
    8: ("<f4", "f", 4, "Float32Array"),
    9: ("<f8", "d", 8, "Float64Array"),
    10: ("<i8", "q", 8, "BigInt64Array"),
    11: ("<u8", "Q", 8, "BigUint64Array"),
}
BYTE_KINDS = (KIND_BYTES, KIND_DATA_VIEW)

# What a sent value travels as: a numpy dtype (kind letter + size) or a buffer format, to its kind.
_KIND_OF_DTYPE = {("i", 1): 1, ("u", 1): 2, ("i", 2): 4, ("u", 2): 5, ("i", 4): 6, ("u", 4): 7,
                  ("f", 4): 8, ("f", 8): 9, ("i", 8): 10, ("u", 8): 11}
_KIND_OF_FORMAT = {"b": 1, "h": 4, "H": 5, "i": 6, "I": 7, "f": 8, "d": 9, "q": 10, "Q": 11}
_KIND_OF_FORMAT.update({"l": 10, "L": 11} if array("l").itemsize == 8 else {"l": 6, "L": 7})
_TYPECODE_KIND = dict(_KIND_OF_FORMAT, B=KIND_UINT8)

HAS_NUMPY = _np is not None


def element_bytes(kind: int) -> int:
    return TYPED[kind][2] if kind in TYPED else 1


def dtype_of(kind: int):
    return _np.dtype(TYPED[kind][0])


def kind_of_type(element_type) -> int:
    """The kind of reserve()'s element type: a numpy dtype (or anything np.dtype takes) or an array typecode."""
    if isinstance(element_type, str) and len(element_type) == 1 and element_type in _TYPECODE_KIND:
        return _TYPECODE_KIND[element_type]
    if _np is not None:
        dtype = _np.dtype(element_type)
        kind = _KIND_OF_DTYPE.get((dtype.kind, dtype.itemsize))
        if kind is not None and dtype.byteorder in "<=|":
            return kind
    raise TypeError(f"type must be a numpy dtype or array typecode of a kind the channel carries (int8..uint64, float32, float64), got {element_type!r}")


class Outgoing:
    """A message ready to go: its address, length and kind, and the object that keeps its bytes alive."""

    __slots__ = ("address", "nbytes", "kind", "keep")

    def __init__(self, address, nbytes: int, kind: int, keep):
        self.address = address
        self.nbytes = nbytes
        self.kind = kind
        self.keep = keep


def encode(data, what: str = "data") -> Outgoing:
    """bytes-like -> kind 0 (Node receives an ArrayBuffer); numpy arrays and array.array -> their typed kind."""
    if isinstance(data, bytes):
        return Outgoing(data, len(data), KIND_BYTES, data)
    if _np is not None and isinstance(data, _np.ndarray):
        kind = _KIND_OF_DTYPE.get((data.dtype.kind, data.dtype.itemsize))
        if kind is None or data.dtype.byteorder not in "<=|":
            raise TypeError(f"{what} has dtype {data.dtype}, which the channel does not carry: use int8..uint64, float32 or float64 (little-endian)")
        array_ = _np.ascontiguousarray(data)
        return Outgoing(array_.ctypes.data, array_.nbytes, kind, array_)
    if isinstance(data, array):
        kind = _TYPECODE_KIND.get(data.typecode)
        if kind is None:
            raise TypeError(f"{what} is an array.array of typecode {data.typecode!r}, which the channel does not carry")
        address, length = data.buffer_info()
        return Outgoing(address, length * data.itemsize, kind, data)
    if isinstance(data, str):
        raise TypeError(f"{what} is a str: send its bytes (data.encode()) or use send_json()")
    try:
        view = memoryview(data)
    except TypeError:
        raise TypeError(f"{what} must be bytes-like, a numpy array or an array.array, got {type(data).__name__}") from None
    fmt = view.format.lstrip("@=<")
    kind = KIND_BYTES if fmt in ("B", "b", "c") and not isinstance(data, array) else _KIND_OF_FORMAT.get(fmt)
    if kind is None:
        raise TypeError(f"{what} has buffer format {view.format!r}, which the channel does not carry")
    if not view.c_contiguous:
        view = memoryview(view.tobytes()).cast(view.format) if fmt != "B" else memoryview(view.tobytes())
    if view.readonly:
        copy = view.tobytes()
        return Outgoing(copy, len(copy), kind, copy)
    block = (ctypes.c_char * view.nbytes).from_buffer(view)
    return Outgoing(ctypes.addressof(block), view.nbytes, kind, (block, view))


def json_bytes(value) -> bytes:
    """JSON text as JavaScript's JSON.stringify writes it (no NaN or Infinity, which JSON.parse refuses)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")


def unsupported(kind: int, channel: str) -> IpcError:
    what = "a V8-serialized value (Node's sendValue)" if kind == KIND_VALUE else f"kind {kind}"
    return IpcError(
        f'channel "{channel}" carried a message of kind {kind}, {what}, which only Node reads; send it with sendJson() '
        "(kind 13), or as bytes or a typed array. The message was taken off the channel; its bytes are in .payload",
        "ERR_UNSUPPORTED_KIND",
    )


def decode(view: memoryview, kind: int, channel: str):
    """A message of its own from `view` (the message's bytes, which the caller reuses): bytes, a numpy
    array (or array.array), or the parsed JSON value."""
    if kind in BYTE_KINDS:
        return bytes(view)
    typed = TYPED.get(kind)
    if typed is not None:
        if _np is not None:
            return _np.frombuffer(view, dtype=typed[0]).copy()
        values = array(typed[1])
        values.frombytes(view)
        return values
    if kind == KIND_JSON:
        try:
            return json.loads(bytes(view))
        except ValueError as error:
            raise IpcError(f'channel "{channel}" carried a message that does not decode: a JSON message is not UTF-8 JSON text ({error}); it was skipped', "ERR_BAD_CHANNEL") from None
    error = unsupported(kind, channel)
    error.payload = bytes(view)
    raise error


def decode_many(view: memoryview, lengths: list, kinds: list, channel: str) -> list:
    """A batch's messages, back to back in `view`, each decoded as decode() does (the IpcError of one
    that does not decode in its place). With numpy, the typed ones are slices of one copy of the
    batch (one copy and one slice each, not an array and a copy per message)."""
    block = None
    if _np is not None and any(kind in TYPED for kind in kinds):
        block = _np.frombuffer(view, dtype=_np.uint8, count=sum(lengths)).copy()
    values = []
    offset = 0
    for length, kind in zip(lengths, kinds):
        end = offset + length
        if block is not None and kind in TYPED:
            values.append(block[offset:end] if kind == KIND_UINT8 else _typed_slice(block, offset, end, kind))
        else:
            try:
                values.append(decode(view[offset:end], kind, channel))
            except IpcError as error:
                values.append(error)
        offset = end
    return values


def _typed_slice(block, start: int, end: int, kind: int):
    """Bytes start..end of a batch's copy as an array of the kind's dtype (copied when misaligned)."""
    dtype, _, size, _ = TYPED[kind]
    values = block[start:end].view(dtype)
    return values if start % size == 0 else values.copy()


def adopt(buffer, kind: int, channel: str):
    """The message received whole into `buffer` (made by new_buffer for it), without another copy where the type allows."""
    if kind in BYTE_KINDS:
        return bytes(buffer)
    if kind in TYPED:
        return buffer
    return decode(memoryview(buffer), kind, channel)


def new_buffer(nbytes: int, kind: int):
    """Memory of its own for a message of `nbytes` bytes of `kind`: a numpy array (or array.array) of its type, else a bytearray."""
    typed = TYPED.get(kind)
    if typed is None:
        return bytearray(nbytes)
    if _np is not None:
        return _np.empty(nbytes // typed[2], dtype=typed[0])
    return array(typed[1], bytes(nbytes))


def view_of(view: memoryview, kind: int):
    """A view (no copy) of a message's bytes as its type: a numpy array of its dtype (uint8 for the byte
    kinds, as Node's Uint8Array) or, without numpy, a memoryview cast to its format."""
    typed = TYPED.get(kind)
    if _np is not None:
        return _np.frombuffer(view, dtype=typed[0] if typed else _np.uint8)
    return view.cast(typed[1]) if typed else view
