"""Python's multiprocessing transports, run as the seed study ran them (Queue, Pipe, Array,
Manager, RawArray, File, socket, plus Python 3.8+'s shared_memory): each a Transport, whose hooks
ipclab_case.py calls.
"""

import multiprocessing as mp
import os
import pickle
import socket
import struct
from multiprocessing import resource_tracker, shared_memory

from ipclab_channel import ShmChannel, channel_name, ring_for, send_int32
from ipclab_payload import cast_marks, int32_from_buffer, int32_into_buffer, int32_of, np, to_payload

FORK = mp.get_context("fork")


class Transport:
    """What a multiprocessing transport does, hook by hook, in the order a case calls them. The
    sender makes the shared objects (setup) and forks the receiver before it builds its payload;
    each side may prepare before the barrier; the sender sends while the receiver receives; the
    sender finishes once the receiver is done, whatever happened."""

    needs_numpy = False
    # The kind the receiver ends up with when it is not the kind that was sent (None: the same).
    hands_over = None

    def setup(self, spec, info):
        """The state both sides share, made in the sender before the fork."""
        return {}

    def prepare_receiver(self, side, shared):
        """In the receiver, before the barrier."""

    def prepare_sender(self, side, shared):
        """In the sender, before it builds its payload."""

    def send(self, side, shared, payload):
        raise NotImplementedError

    def after_send(self, shared):
        """In the sender, right after send(), before it waits for the receiver."""

    def receive(self, side, shared):
        """The value as the receiver got it."""
        raise NotImplementedError

    def finish(self, shared):
        """In the sender, at its very end."""


def wait_flag(side, shared):
    shared["done"].wait()
    side.mark("firstByte")


class Queue(Transport):
    def setup(self, spec, info):
        return {"queue": FORK.Queue()}

    def send(self, side, shared, payload):
        shared["queue"].put(payload)  # a feeder thread pickles and writes in the background

    def after_send(self, shared):
        shared["queue"].close()
        shared["queue"].join_thread()

    def receive(self, side, shared):
        shared["queue"]._reader.poll(None)  # blocks until the first bytes are readable
        side.mark("firstByte")
        return shared["queue"].get()


class Pipe(Transport):
    def setup(self, spec, info):
        reader, writer = FORK.Pipe(duplex=False)
        return {"reader": reader, "writer": writer}

    def send(self, side, shared, payload):
        shared["writer"].send(payload)

    def receive(self, side, shared):
        shared["reader"].poll(None)
        side.mark("firstByte")
        return shared["reader"].recv()


class MpArray(Transport):
    """mp.Array: a list is copied element by element into a ctypes int array (numpy or a buffer copy
    for int32), with the array's lock held (default) or without one (lock=False)."""

    def __init__(self, lock):
        self.lock = lock

    def setup(self, spec, info):
        return {"array": FORK.Array("i", max(1, spec["elements"]), lock=self.lock), "done": FORK.Event()}

    def _locked(self, shared):
        return shared["array"].get_lock() if self.lock else _NoLock()

    def _raw(self, shared):
        return shared["array"].get_obj() if self.lock else shared["array"]

    def send(self, side, shared, payload):
        n = len(payload)
        with self._locked(shared):
            if isinstance(payload, list):
                self._raw(shared)[:n] = payload
            else:
                int32_into_buffer(self._raw(shared), payload, n)
        shared["done"].set()

    def receive(self, side, shared):
        wait_flag(side, shared)
        n = side.spec["elements"]
        with self._locked(shared):
            if side.spec["payload"] == "array":
                return self._raw(shared)[:n]
            return int32_from_buffer(self._raw(shared), n)


class _NoLock:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class Manager(Transport):
    """A Manager's list proxy: the list lives in the manager's server process; the sender extends it
    (an int32 payload goes in as one item), the receiver copies it out."""

    def setup(self, spec, info):
        manager = FORK.Manager()
        return {"manager": manager, "list": manager.list(), "done": FORK.Event()}

    def send(self, side, shared, payload):
        if isinstance(payload, list):
            shared["list"].extend(payload)
        else:
            shared["list"].append(payload)
        shared["done"].set()

    def receive(self, side, shared):
        wait_flag(side, shared)
        if side.spec["payload"] == "array":
            return shared["list"][:]
        return shared["list"][0]

    def finish(self, shared):
        shared["manager"].shutdown()


class RawArray(Transport):
    """RawArray + numpy, as the seed did: the list is cast to a numpy int32 array, then copied into
    the RawArray; the receiver copies it out (and turns it back into a list for `array`)."""

    needs_numpy = True

    def __init__(self, rebuild_list=True):
        # rebuild_list=False is the seed study's RawArray: the receiver keeps the numpy int32 copy
        # (its 0.18 s recv), never turning it back into a list.
        self.rebuild_list = rebuild_list
        self.hands_over = None if rebuild_list else "int32"

    def setup(self, spec, info):
        return {"raw": FORK.RawArray("i", max(1, spec["elements"])), "done": FORK.Event()}

    def send(self, side, shared, payload):
        payload = int32_of(side, payload)
        np.frombuffer(shared["raw"], dtype=np.int32, count=len(payload))[:] = payload
        shared["done"].set()

    def receive(self, side, shared):
        wait_flag(side, shared)
        values = int32_from_buffer(shared["raw"], side.spec["elements"])
        if not self.rebuild_list:
            side.mark("received")
            return values
        return to_payload(side, values)


class File(Transport):
    """pickle to a file, a completion flag, read and unpickle: in the case's directory under the temp
    dir (beside file-tmp), or on /dev/shm (beside file-shm)."""

    def __init__(self, on_shm=False):
        self.on_shm = on_shm

    def setup(self, spec, info):
        folder = "/dev/shm" if self.on_shm else info["caseDir"]
        name = segment_name(info) + ".pickle" if self.on_shm else "payload.pickle"
        return {"path": os.path.join(folder, name), "done": FORK.Event()}

    def finish(self, shared):
        if self.on_shm:
            try:
                os.unlink(shared["path"])
            except FileNotFoundError:
                pass

    def send(self, side, shared, payload):
        with open(shared["path"], "wb") as file:
            pickle.dump(payload, file, protocol=pickle.HIGHEST_PROTOCOL)
        shared["done"].set()

    def receive(self, side, shared):
        wait_flag(side, shared)
        with open(shared["path"], "rb") as file:
            data = file.read()
        side.mark("received")
        side.mark("decodeStart")
        value = pickle.loads(data)
        side.mark("decodeEnd")
        return value


class Socket(Transport):
    """pickle over a TCP loopback socket, length-prefixed; the receiver listens before the barrier."""

    def setup(self, spec, info):
        return {"port": FORK.Value("i", 0, lock=False), "listening": FORK.Event()}

    def prepare_receiver(self, side, shared):
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        shared["port"].value = server.getsockname()[1]
        shared["server"] = server

    def send(self, side, shared, payload):
        side.mark("encodeStart")
        data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
        side.mark("encodeEnd")
        with socket.create_connection(("127.0.0.1", shared["port"].value)) as connection:
            connection.sendall(struct.pack("<Q", len(data)))
            connection.sendall(data)

    def receive(self, side, shared):
        connection, _ = shared["server"].accept()
        with connection:
            length = struct.unpack("<Q", recv_exactly(connection, 8, side))[0]
            data = recv_exactly(connection, length, side)
        side.mark("received")
        side.mark("decodeStart")
        value = pickle.loads(data)
        side.mark("decodeEnd")
        return value


def recv_exactly(connection, length, side):
    data = bytearray(length)
    view = memoryview(data)
    got = 0
    while got < length:
        count = connection.recv_into(view[got:])
        if count == 0:
            raise ConnectionError(f"the sender closed the socket after {got} of {length} bytes")
        side.mark("firstByte")
        got += count
    return data


class SharedMemory(Transport):
    """multiprocessing.shared_memory + numpy: the sender casts the list straight into a named segment,
    the receiver opens it by name and copies it out."""

    needs_numpy = True

    def setup(self, spec, info):
        # One resource tracker for both sides (started before the fork), so the receiver's open
        # and the sender's unlink register and unregister the name with the same tracker.
        resource_tracker.ensure_running()
        return {"name": segment_name(info), "done": FORK.Event()}

    def prepare_sender(self, side, shared):
        size = max(1, side.spec["elements"] * 4)
        shared["segment"] = shared_memory.SharedMemory(name=shared["name"], create=True, size=size)

    def send(self, side, shared, payload):
        with cast_marks(side, payload):
            np.frombuffer(shared["segment"].buf, dtype=np.int32, count=len(payload))[:] = payload
        shared["done"].set()

    def receive(self, side, shared):
        wait_flag(side, shared)
        segment = shared_memory.SharedMemory(name=shared["name"])
        try:
            values = int32_from_buffer(segment.buf, side.spec["elements"])
        finally:
            segment.close()
        return to_payload(side, values)

    def finish(self, shared):
        shared["segment"].close()
        shared["segment"].unlink()


class IpclabChannel(Transport):
    """ipclab's ShmChannel from Python (the python/ package over libipclab): the receiver creates the
    channel before the barrier, the sender opens it (both map the ring's pages then) and sends a
    JSON header, then the int32 array as one message (a list is cast first), which streams through
    the ring in chunks of a quarter while the receiver copies them into a numpy array (array.array)
    of its own."""

    def setup(self, spec, info):
        return {"name": channel_name(info), "created": FORK.Event()}

    def prepare_receiver(self, side, shared):
        ring = ring_for(side.spec["elements"] * 4)
        shared["channel"] = ShmChannel.create(shared["name"], ring_bytes=ring, populate=True)
        shared["created"].set()

    def prepare_sender(self, side, shared):
        shared["created"].wait()
        shared["channel"] = ShmChannel.open(shared["name"], populate=True)

    def send(self, side, shared, payload):
        send_int32(shared["channel"], int32_of(side, payload))

    def after_send(self, shared):
        shared["channel"].close()

    def receive(self, side, shared):
        with shared["channel"] as channel:
            channel.receive()  # the sender's header
            side.mark("firstByte")
            values = channel.receive()
        return to_payload(side, values)


def segment_name(info):
    """A name under the case's prefix (so the harness removes leftovers), without the leading slash."""
    return info["objectPrefix"].lstrip("/") + "-py"


TRANSPORTS = {
    "py-queue": Queue(),
    "py-pipe": Pipe(),
    "py-array": MpArray(lock=True),
    "py-array-nolock": MpArray(lock=False),
    "py-manager": Manager(),
    "py-rawarray": RawArray(),
    "py-rawarray-numpy": RawArray(rebuild_list=False),
    "py-file": File(),
    "py-file-shm": File(on_shm=True),
    "py-socket": Socket(),
    "py-shared-memory": SharedMemory(),
    "py-ipclab": IpclabChannel(),
}
