"""ShmChannel: one producer, one consumer, messages of any length through a ring in shared memory,
speaking protocol v3 through libipclab, so that the other end may be Node, C or Python. The same
names and options as Node's ShmChannel, in snake_case; calls block (releasing the GIL) where
Node's return promises."""
from __future__ import annotations

import collections
import ctypes
import sys
import threading
from array import array

from . import _kinds
from ._kinds import KIND_BYTES, KIND_JSON, KIND_UINT8, decode, decode_many, encode, json_bytes, new_buffer, view_of
from ._handle import Handle
from ._library import MessageInfo, Outgoing, library
from ._mapping import mapped_view
from ._waits import Deadline, check_spin, check_timeout
from .errors import AGAIN, ERR_OUT_OF_RANGE, ERR_TIMEOUT, IpcError, check, error_of
from .shared_memory import POPULATE, check_mode, encode_name

DEFAULT_RING_BYTES = 4 * 1024 * 1024
DEFAULT_RECEIVE_MANY = 1024
# Messages up to this long are received into a buffer of the channel's and copied out (one ctypes
# call for the common case); longer ones into memory of their own, sized by a peek.
_SCRATCH_BYTES = 64 * 1024
# receive_many's buffer: a batch of messages back to back, decoded with a second copy. A message
# longer than this comes alone, received straight into memory of its own as receive() does (one copy).
_BATCH_BYTES = 256 * 1024
# send_many joins a batch of bytes up to this long into one buffer (one copy in C, no ctypes call per message).
_JOIN_BYTES = 64 * 1024
# ipclab_outgoing is three 64-bit words here (data, bytes, kind and padding): send_many builds its
# table as an array('Q') in one step instead of a ctypes structure per message.
_OUTGOING_WORDS = (sys.byteorder == "little" and ctypes.sizeof(ctypes.c_void_p) == 8 and ctypes.sizeof(Outgoing) == 24
                   and Outgoing.bytes.offset == 8 and Outgoing.kind.offset == 16)


def _address_of(buffer) -> int:
    """The address of a writable buffer (numpy array, array.array, bytearray or writable memoryview)."""
    if _kinds.HAS_NUMPY and isinstance(buffer, _kinds._np.ndarray):
        if not buffer.flags.c_contiguous or not buffer.flags.writeable:
            raise ValueError("target must be a writable C-contiguous array")
        return buffer.ctypes.data
    view = memoryview(buffer)
    if view.readonly or not view.c_contiguous:
        raise TypeError(f"target must be a writable contiguous buffer, got {type(buffer).__name__}")
    if view.nbytes == 0:
        return 0
    return ctypes.addressof(ctypes.c_char.from_buffer(view))


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _pointer(address) -> int:
    """An Outgoing address as a number (bytes objects are addressed through ctypes)."""
    return address if isinstance(address, int) else (ctypes.cast(address, ctypes.c_void_p).value or 0)


def _outgoing_table(messages) -> tuple:
    """send_many's ipclab_outgoing table: its address, and what keeps it and the messages' bytes alive."""
    if all(type(data) is bytes for data in messages) and sum(map(len, messages)) <= _JOIN_BYTES:
        joined = b"".join(messages)
        at = _pointer(joined)
        entries = []
        for data in messages:
            entries.append((at, len(data), KIND_BYTES))
            at += len(data)
        keep = joined
    else:
        try:
            encoded = [encode(data) for data in messages]
        except TypeError:  # again, to name the message
            encoded = [encode(data, f"messages[{index}]") for index, data in enumerate(messages)]
        entries = [(_pointer(message.address), message.nbytes, message.kind) for message in encoded]
        keep = encoded
    if _OUTGOING_WORDS:
        table = array("Q", [word for entry in entries for word in entry])
        return table.buffer_info()[0], (table, keep)
    table = (Outgoing * len(entries))(*entries)
    return ctypes.addressof(table), (table, keep)


class ShmChannel(Handle):
    """A one-way channel of messages between two processes. Create it on one side (``create``), open
    it by name on the other (``open``); the first send or receive call makes a handle the producer
    or the consumer. Context manager; iterating yields messages until the producer closes.

    One thread at a time uses a channel (calls from others wait their turn); ``close()`` from any
    thread ends a wait in progress with ERR_CLOSED."""

    def __init__(self, handle: int):
        lib = library()
        self._handle = handle
        self.name: str = lib.ipclab_channel_name(handle).decode()
        self.ring_bytes: int = lib.ipclab_channel_ring_bytes(handle)
        self._max_in_place = lib.ipclab_channel_max_in_place_bytes(handle)
        self._calls = threading.Lock()  # held by the call in progress
        self._state = threading.Lock()  # guards _handle against close() for a moment, never across a wait
        self._closing = False
        self._info = MessageInfo()
        self._scratch = None  # (memoryview, address, capacity)
        self._batch = None  # (memoryview, address, capacity, lengths, kinds, max)
        self._partial = None  # a long message in the middle of arriving: (buffer, address, nbytes, kind)
        self._memory = None  # the segment as a memoryview, for reserve() and receive_in_place()
        self._reservation = None  # (byte length, element bytes) of the pending reserve()
        self._pending = collections.deque()  # what receive_many took and has not delivered yet

    @classmethod
    def create(cls, name: str, *, ring_bytes: int = DEFAULT_RING_BYTES, populate: bool = False, mode: int = 0o600, spin_micros: int = 0) -> "ShmChannel":
        """Makes the channel's segment (exclusive; the creator unlinks it on close). `ring_bytes`: a power
        of two from 4096 to 2^30 (longer messages stream through in chunks). `spin_micros`: busy-wait up to
        this long for the peer before each sleep (0 to 10^6)."""
        if not _is_int(ring_bytes) or ring_bytes < 4096 or ring_bytes > 2**30 or ring_bytes & (ring_bytes - 1):
            raise ValueError(f"ring_bytes must be a power of two from 4096 to 2^30, got {ring_bytes!r}")
        handle = ctypes.c_void_p()
        check(library().ipclab_channel_create(encode_name(name), ring_bytes, check_mode(mode), check_spin(spin_micros), POPULATE if populate else 0, ctypes.byref(handle)))
        return cls(handle.value)

    @classmethod
    def open(cls, name: str, *, spin_micros: int = 0, populate: bool = False) -> "ShmChannel":
        """Opens a channel made by any language; ERR_BAD_CHANNEL with the reason when the segment is not
        a channel of the protocol version this library speaks."""
        handle = ctypes.c_void_p()
        check(library().ipclab_channel_open(encode_name(name), check_spin(spin_micros), POPULATE if populate else 0, ctypes.byref(handle)))
        return cls(handle.value)

    # ---- producer ----

    def send(self, data, *, timeout_ms: float | None = None) -> None:
        """Copies `data` into the channel (in chunks when longer than a record), waiting for room.
        bytes-like objects travel as bytes (Node receives an ArrayBuffer), numpy arrays and
        array.array as their typed array (int32 -> Int32Array, float64 -> Float64Array, ...)."""
        self._send(encode(data), timeout_ms)

    def send_json(self, value, *, timeout_ms: float | None = None) -> None:
        """Sends ``json.dumps(value)`` as UTF-8 text (kind 13): Node's receive() returns it parsed."""
        text = json_bytes(value)
        self._send(_kinds.Outgoing(text, len(text), KIND_JSON, text), timeout_ms)

    def try_send(self, data) -> bool:
        """Writes `data` now and returns True, or returns False when the ring has no room. Never waits."""
        message = encode(data)
        with self._calls:
            status = library().ipclab_channel_try_send(self._live(), message.address, message.nbytes, message.kind)
        if status == AGAIN:
            return False
        check(status)
        return True

    def send_many(self, messages, *, timeout_ms: float | None = None) -> None:
        """Sends every message of the list in order, publishing them at once (one wake-up of the
        consumer at most) when they fit."""
        if not isinstance(messages, (list, tuple)):
            messages = list(messages)
        count = len(messages)
        table, _keep = _outgoing_table(messages)
        deadline = Deadline(check_timeout(timeout_ms))
        lib = library()
        done = 0
        sent = ctypes.c_size_t()
        with self._calls:
            handle = self._live()
            while True:
                status = lib.ipclab_channel_send_many(handle, table + done * ctypes.sizeof(Outgoing), count - done, deadline.slice(), ctypes.byref(sent))
                done += sent.value
                if status != ERR_TIMEOUT or deadline.expired():
                    break
        check(status)

    def _send(self, message: _kinds.Outgoing, timeout_ms: float | None) -> None:
        lib = library()
        with self._calls:
            handle = self._live()
            status = lib.ipclab_channel_try_send(handle, message.address, message.nbytes, message.kind)
            if status == AGAIN:
                deadline = Deadline(check_timeout(timeout_ms))
                status = self._until(deadline, lambda slice_ms: lib.ipclab_channel_send(handle, message.address, message.nbytes, message.kind, slice_ms))
        check(status)

    def reserve(self, type_or_bytes, length: int | None = None, *, timeout_ms: float | None = None):
        """Zero-copy send, step 1: waits for room and returns a writable view inside the ring; fill it,
        then commit(). ``reserve(n)`` gives n bytes (sent as Uint8Array); ``reserve(numpy.int32, n)``
        (or an array typecode such as ``"i"``) n elements of that type, as a numpy array when numpy is there."""
        if length is None:
            kind, count = KIND_UINT8, type_or_bytes
        else:
            kind, count = _kinds.kind_of_type(type_or_bytes), length
        element = _kinds.element_bytes(kind)
        most = self._max_in_place // element
        if not _is_int(count) or not 0 <= count <= most:
            raise ValueError(f"length must be an integer from 0 to {most} (one record, half the ring of {self.ring_bytes} bytes), got {count!r}")
        nbytes = count * element
        region = ctypes.c_void_p()
        lib = library()
        deadline = Deadline(check_timeout(timeout_ms))
        with self._calls:
            handle = self._live()
            status = self._until(deadline, lambda slice_ms: lib.ipclab_channel_reserve(handle, nbytes, kind, slice_ms, ctypes.byref(region)))
            check(status)
            self._reservation = (nbytes, element)
            view = self._region(region.value, nbytes)
        if _kinds.HAS_NUMPY:
            return _kinds._np.frombuffer(view, dtype=_kinds.TYPED[kind][0])
        return view.cast(_kinds.TYPED[kind][1]) if kind != KIND_UINT8 else view

    def commit(self, length: int | None = None) -> None:
        """Zero-copy send, step 2: publishes the reserved view (or its first `length` elements)."""
        with self._calls:
            handle = self._live()
            if self._reservation is None:
                check(library().ipclab_channel_commit(handle, 0))  # the library says why not
            nbytes, element = self._reservation
            most = nbytes // element
            if length is not None and (not _is_int(length) or not 0 <= length <= most):
                raise ValueError(f"length must be an integer from 0 to {most}, got {length!r}")
            check(library().ipclab_channel_commit(handle, nbytes if length is None else length * element))
            self._reservation = None

    # ---- consumer ----

    def receive(self, *, timeout_ms: float | None = None):
        """The next message, waiting for it: bytes, a numpy array (array.array without numpy) of the
        sent type, or the value sent with send_json / Node's sendJson. A message of Node's sendValue
        (V8 format) is an IpcError with code ERR_UNSUPPORTED_KIND naming the kind."""
        with self._calls:
            return self._receive(self._live(), Deadline(check_timeout(timeout_ms)))

    def try_receive(self):
        """The next message if one is whole in the ring, else None (a JSON null arrives as None too:
        receive(timeout_ms=0) tells them apart). Never waits."""
        with self._calls:
            try:
                return self._receive(self._live(), Deadline(0))
            except IpcError as error:
                if error.code == "ERR_TIMEOUT":
                    return None
                raise

    def receive_into(self, target, *, timeout_ms: float | None = None) -> int:
        """Copies the next message's bytes into `target` (a writable buffer: bytearray, numpy array,
        array.array, memoryview) from its start; returns its length in bytes. A message longer than
        `target` is ERR_OUT_OF_RANGE and stays for the next receive."""
        address = _address_of(target)
        capacity = memoryview(target).nbytes
        lib = library()
        deadline = Deadline(check_timeout(timeout_ms))
        info = self._info
        with self._calls:
            handle = self._live()
            self._nothing_pending("receive_into")
            check(self._until(deadline, lambda slice_ms: lib.ipclab_channel_receive(handle, address, capacity, slice_ms, ctypes.byref(info))))
            return info.bytes

    def receive_many(self, *, max: int = DEFAULT_RECEIVE_MANY, timeout_ms: float | None = None) -> list:
        """Every message there, up to `max` (default 1024); waits like receive() when there is none."""
        if not _is_int(max) or max < 1:
            raise ValueError(f"max must be a positive integer, got {max!r}")
        lib = library()
        deadline = Deadline(check_timeout(timeout_ms))
        count = ctypes.c_size_t()
        with self._calls:
            handle = self._live()
            if self._pending:
                return self._take_pending(max)
            view, address, capacity, lengths, kinds = self._batch_buffers(max)
            status = lib.ipclab_channel_try_receive_many(handle, address, capacity, lengths, kinds, max, ctypes.byref(count))
            if status == AGAIN:
                status = self._until(deadline, lambda slice_ms: lib.ipclab_channel_receive_many(handle, address, capacity, lengths, kinds, max, slice_ms, ctypes.byref(count)))
            if status == ERR_OUT_OF_RANGE:  # a first message longer than the batch buffer
                return [self._receive(handle, deadline)]
            check(status)
            taken = count.value
            decoded = decode_many(view, lengths[:taken], kinds[:taken], self.name)  # an IpcError where one does not decode
            if not any(isinstance(value, IpcError) for value in decoded):
                return decoded
            self._pending.extend(decoded)
            return self._take_pending(max)

    def receive_in_place(self, *, timeout_ms: float | None = None):
        """Zero-copy receive: a read-only view of the next message inside the ring (a numpy array of its
        dtype, uint8 for bytes and JSON; a memoryview without numpy), valid until release(). A message
        sent in chunks cannot be viewed in place: ERR_OUT_OF_RANGE, and it stays for receive()."""
        data = ctypes.c_void_p()
        info = self._info
        lib = library()
        deadline = Deadline(check_timeout(timeout_ms))
        with self._calls:
            handle = self._live()
            self._nothing_pending("receive_in_place")
            check(self._until(deadline, lambda slice_ms: lib.ipclab_channel_receive_in_place(handle, slice_ms, ctypes.byref(data), ctypes.byref(info))))
            view = self._region(data.value, info.bytes).toreadonly()
        return view_of(view, info.kind)

    def release(self) -> None:
        """Gives the message viewed by receive_in_place() back to the producer. Its view must not be read after this."""
        with self._calls:
            check(library().ipclab_channel_release(self._live()))

    def __iter__(self):
        """Messages until the producer closes the channel (ERR_CHANNEL_CLOSED ends the iteration)."""
        while True:
            try:
                yield self.receive()
            except IpcError as error:
                if error.code == "ERR_CHANNEL_CLOSED":
                    return
                raise

    # ---- both ----

    def close(self) -> None:
        """Tells the peer this side is done (its waits end at once with ERR_CHANNEL_CLOSED) and unmaps
        once no view of the ring is left; a wait of another thread on this handle ends with ERR_CLOSED.
        The creator unlinks the name. Idempotent."""
        lib = library()
        with self._state:
            if self._handle is None:
                return
            if not self._closing:
                self._closing = True
                lib.ipclab_channel_interrupt(self._handle)
        with self._calls:
            with self._state:
                handle, self._handle = self._handle, None
            if handle is not None:
                lib.ipclab_channel_close(handle)
            self._memory = self._scratch = self._batch = self._partial = None
            self._pending.clear()

    def _describe(self) -> str:
        return f", ring_bytes={self.ring_bytes}"

    # ---- inside ----

    def _live(self) -> int:
        handle = self._handle
        if handle is None:
            raise IpcError(f'channel "{self.name}" is closed', "ERR_CLOSED")
        return handle

    @staticmethod
    def _until(deadline: Deadline, call) -> int:
        """call(slice_ms) again after each slice that timed out, until the deadline; its last status."""
        while True:
            status = call(deadline.slice())
            if status != ERR_TIMEOUT or deadline.expired():
                return status

    def _region(self, address: int, nbytes: int) -> memoryview:
        """`nbytes` of the segment from `address`, as a slice of one view of the whole mapping."""
        if self._memory is None:
            self._memory = mapped_view(library().ipclab_channel_mapping, self._handle)
            self._memory_base = ctypes.addressof(ctypes.c_char.from_buffer(self._memory))
        start = address - self._memory_base
        return self._memory[start : start + nbytes]

    def _scratch_buffer(self):
        if self._scratch is None:
            capacity = min(_SCRATCH_BYTES, self._max_in_place)
            memory = bytearray(capacity)
            self._scratch = (memoryview(memory), ctypes.addressof(ctypes.c_char.from_buffer(memory)), capacity)
        return self._scratch

    def _batch_buffers(self, max: int):
        if self._batch is None or self._batch[5] < max:
            capacity = min(_BATCH_BYTES, self.ring_bytes)
            memory = bytearray(capacity)
            self._batch = (memoryview(memory), ctypes.addressof(ctypes.c_char.from_buffer(memory)), capacity,
                           (ctypes.c_size_t * max)(), (ctypes.c_uint8 * max)(), max)
        return self._batch[:5]

    def _nothing_pending(self, call: str) -> None:
        if self._pending:
            raise IpcError(f'{call}() on channel "{self.name}": receive_many() took {len(self._pending)} more messages than it returned; receive() them first', "ERR_WRONG_STATE")

    def _take_pending(self, most: int) -> list:
        """Up to `most` of the messages receive_many took, stopping before one that did not decode;
        that one's error is raised when it comes first (and the messages after it wait)."""
        pending = self._pending
        if isinstance(pending[0], IpcError):
            raise pending.popleft()
        taken = []
        while pending and len(taken) < most and not isinstance(pending[0], IpcError):
            taken.append(pending.popleft())
        return taken

    def _receive(self, handle: int, deadline: Deadline):
        """receive() holding the call lock: short messages through the scratch buffer, long ones into
        memory of their own (kept across a timeout, so the next receive goes on filling it)."""
        if self._pending:
            return self._take_pending(1)[0]
        lib = library()
        info = self._info
        if self._partial is None:
            view, address, capacity = self._scratch_buffer()
            status = lib.ipclab_channel_try_receive(handle, address, capacity, ctypes.byref(info))
            if status == AGAIN:
                status = self._until(deadline, lambda slice_ms: lib.ipclab_channel_receive(handle, address, capacity, slice_ms, ctypes.byref(info)))
            if status == 0:
                return decode(view[: info.bytes], info.kind, self.name)
            if status != ERR_OUT_OF_RANGE:  # longer than the scratch buffer: sized by a peek below
                raise error_of(status)
            check(lib.ipclab_channel_peek(handle, 0, ctypes.byref(info)))
            buffer = new_buffer(info.bytes, info.kind)
            self._partial = (buffer, _address_of(buffer), info.bytes, info.kind)
        buffer, address, nbytes, kind = self._partial
        check(self._until(deadline, lambda slice_ms: lib.ipclab_channel_receive(handle, address, nbytes, slice_ms, ctypes.byref(info))))
        self._partial = None
        return _kinds.adopt(buffer, kind, self.name)


__all__ = ["ShmChannel", "DEFAULT_RING_BYTES", "DEFAULT_RECEIVE_MANY"]
