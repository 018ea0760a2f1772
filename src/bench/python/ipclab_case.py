"""One side of one measured case, in Python: the reference transports (py-*) and the Python side
of the Node<->Python interop cases.

The harness starts this script with the case description in IPCLAB_CASE, exactly as it starts
dist/bench/runner/case-process.js, and speaks the same control protocol: newline-delimited JSON over a
Unix socket (hello, ready, go, report, error). Marks are time.monotonic_ns(), which reads
CLOCK_MONOTONIC like Node's process.hrtime.bigint(), so both languages' marks share one clock.

multiprocessing transports (Queue, Pipe, Array, Manager, RawArray, File, socket, shared_memory)
run as the seed study ran them: the sender creates the shared objects, forks the receiver (fork
start method) before it builds its payload, and both sides meet at the harness's barrier.

Payloads: `array` is list(range(n)); `int32` is a numpy int32 array, or array.array('i') when
numpy is missing (IPCLAB_PYTHON_NO_NUMPY=1 hides numpy to test that), which the report says.
"""

import array
import contextlib
import json
import operator
import os
import pickle
import resource
import socket
import struct
import sys
import threading
import time

if os.environ.get("IPCLAB_PYTHON_NO_NUMPY") == "1":
    sys.modules["numpy"] = None  # makes `import numpy` fail as if it were not installed
try:
    import numpy as np
except ImportError:
    np = None

import multiprocessing as mp
from multiprocessing import resource_tracker, shared_memory

NEEDS_NUMPY = {"py-rawarray", "py-shared-memory"}
FORK = mp.get_context("fork")
INT32_KIND = "numpy int32 array" if np is not None else "array.array('i') (numpy is not installed)"


class Side:
    """A side's end of the control channel, its marks and its report."""

    def __init__(self, info, role):
        self.info = info
        self.spec = info["spec"]
        self.role = role
        self.marks = {}
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(info["controlPath"])
        self.lines = self.sock.makefile("r", encoding="utf-8")
        self.send({"type": "hello", "role": role, "pid": os.getpid()})

    def send(self, message):
        self.sock.sendall((json.dumps(message) + "\n").encode("utf-8"))

    def mark(self, name):
        self.marks.setdefault(name, time.monotonic_ns())

    def ready(self):
        self.send({"type": "ready", "role": self.role})

    def wait_for_go(self):
        for line in self.lines:
            if line.strip() and json.loads(line).get("type") == "go":
                return
        raise RuntimeError("the harness closed the control channel before go")

    def report(self, **extra):
        used = resource.getrusage(resource.RUSAGE_SELF)
        report = {
            "role": self.role,
            "pid": os.getpid(),
            "threadId": 0,
            "marks": {name: str(value) for name, value in self.marks.items()},
            "usage": {
                "maxRssBytes": used.ru_maxrss * 1024,
                "userCpuSeconds": used.ru_utime,
                "systemCpuSeconds": used.ru_stime,
                "minorPageFaults": used.ru_minflt,
                "majorPageFaults": used.ru_majflt,
                "sharedProcess": False,
            },
        }
        if self.spec["payload"] == "int32" and np is None:
            report["note"] = f"Python int32 payload as {INT32_KIND}"
        report.update(extra)
        self.send({"type": "report", "role": self.role, "report": report})

    def error(self, error):
        try:
            self.send({"type": "error", "role": self.role, "message": f"{type(error).__name__}: {error}"})
        except OSError:
            pass

    def close(self):
        self.lines.close()
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        """A failure goes to the harness as an error message (then propagates); the channel closes."""
        if error is not None:
            self.error(error)
        self.close()
        return False


# --- payloads ---------------------------------------------------------------------------------

def build_payload(kind, n):
    if kind == "array":
        return list(range(n))
    if np is not None:
        return np.arange(n, dtype=np.int32)
    return array.array("i", range(n))


def int32_from_buffer(buffer, n):
    """A private int32 copy of the first n elements of a buffer (numpy, else array.array)."""
    if np is not None:
        return np.frombuffer(buffer, dtype=np.int32, count=n).copy()
    values = array.array("i")
    values.frombytes(memoryview(buffer).cast("B")[: n * 4])
    return values


def int32_into_buffer(buffer, values, n):
    """Copies n int32 values (a list is cast first) into a buffer."""
    if np is not None:
        np.frombuffer(buffer, dtype=np.int32, count=n)[:] = values
    else:
        source = values if isinstance(values, array.array) else array.array("i", values)
        memoryview(buffer).cast("B")[: n * 4] = memoryview(source).cast("B")


def verify(value, kind, n):
    """Checks every element: exactly 0..n-1, of the kind that was sent. Returns (ok, mismatch)."""
    if kind == "array":
        if type(value) is not list:
            return False, f"expected a list, got {type(value).__name__}"
        if len(value) != n:
            return False, f"expected {n} elements, got {len(value)}"
        # Elements must be ints (1.0 == 1 in Python) and equal to their index.
        if all(map(operator.eq, value, range(n))) and all(map(int.__instancecheck__, value)):
            return True, None
    else:
        expected_type = np.ndarray if np is not None else array.array
        if not isinstance(value, expected_type):
            return False, f"expected {INT32_KIND}, got {type(value).__name__}"
        if np is not None and value.dtype != np.int32:
            return False, f"expected dtype int32, got {value.dtype}"
        if np is None and value.typecode != "i":
            return False, f"expected typecode 'i', got {value.typecode!r}"
        if len(value) != n:
            return False, f"expected {n} elements, got {len(value)}"
        if np is not None and np.array_equal(value, np.arange(n, dtype=np.int32)):
            return True, None
        if np is None and value == array.array("i", range(n)):
            return True, None
    first = next(i for i in range(n) if value[i] != i or type(value[i]) is float)
    return False, f"element {first} is {value[first]!r}, expected {first}"


def verify_and_report(side, value):
    side.mark("valueReady")
    # The receiver's first full read of the value (the `consume` phase), as case-process.js does.
    side.mark("consumeStart")
    side.consumed = int(value.sum()) if np is not None and isinstance(value, np.ndarray) else sum(value)
    side.mark("consumeEnd")
    side.mark("verifyStart")
    ok, mismatch = verify(value, side.spec["payload"], side.spec["elements"])
    side.mark("verifyEnd")
    extra = {"verified": ok}
    if mismatch:
        extra["mismatch"] = mismatch
    side.report(**extra)


# --- the multiprocessing transports -------------------------------------------------------------
# Each has setup(spec, info) -> shared state (made before the fork), send(side, shared, payload)
# and receive(side, shared) -> value, plus an optional finish(shared) run by the sender once the
# receiver is done.

def wait_flag(side, shared):
    shared["done"].wait()
    side.mark("firstByte")


class Queue:
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


class Pipe:
    def setup(self, spec, info):
        reader, writer = FORK.Pipe(duplex=False)
        return {"reader": reader, "writer": writer}

    def send(self, side, shared, payload):
        shared["writer"].send(payload)

    def receive(self, side, shared):
        shared["reader"].poll(None)
        side.mark("firstByte")
        return shared["reader"].recv()


class MpArray:
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


class Manager:
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


class RawArray:
    """RawArray + numpy, as the seed did: the list is cast to a numpy int32 array, then copied into
    the RawArray; the receiver copies it out (and turns it back into a list for `array`)."""

    def setup(self, spec, info):
        return {"raw": FORK.RawArray("i", max(1, spec["elements"])), "done": FORK.Event()}

    def send(self, side, shared, payload):
        if isinstance(payload, list):
            side.mark("castStart")
            payload = np.array(payload, dtype=np.int32)
            side.mark("castEnd")
        side.mark("handoff")
        np.frombuffer(shared["raw"], dtype=np.int32, count=len(payload))[:] = payload
        shared["done"].set()

    def receive(self, side, shared):
        wait_flag(side, shared)
        values = int32_from_buffer(shared["raw"], side.spec["elements"])
        return to_payload(side, values)


def to_payload(side, values):
    """An int32 copy at the receiver, turned back into a list for an `array` payload."""
    side.mark("received")
    if side.spec["payload"] != "array":
        return values
    side.mark("decodeStart")
    values = values.tolist()
    side.mark("decodeEnd")
    return values


class File:
    """pickle to a file in the case's directory on disk, a completion flag, read and unpickle."""

    def setup(self, spec, info):
        return {"path": os.path.join(info["caseDir"], "payload.pickle"), "done": FORK.Event()}

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


class Socket:
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


class SharedMemory:
    """multiprocessing.shared_memory + numpy: the sender casts the list straight into a named segment,
    the receiver opens it by name and copies it out."""

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


@contextlib.contextmanager
def cast_marks(side, payload):
    """Writing a list into an int32 buffer casts it as it goes (timed as the cast); an int32 payload
    is a plain copy, which starts the hand-off."""
    is_list = isinstance(payload, list)
    side.mark("castStart" if is_list else "handoff")
    yield
    if is_list:
        side.mark("castEnd")


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
    "py-file": File(),
    "py-socket": Socket(),
    "py-shared-memory": SharedMemory(),
}


def run_receiver(info, transport, shared):
    with Side(info, "receiver") as side:
        if hasattr(transport, "prepare_receiver"):
            transport.prepare_receiver(side, shared)
        side.ready()
        if side.spec.get("fault") == "hang":
            threading.Event().wait()
        value = transport.receive(side, shared)
        verify_and_report(side, value)


def build_and_meet(side):
    """The sender's part of every case up to the start of the send: build the payload (timed),
    meet the receiver at the barrier, apply a test fault."""
    spec = side.spec
    side.mark("buildStart")
    payload = build_payload(spec["payload"], spec["elements"])
    side.mark("buildEnd")
    if spec.get("fault") == "corrupt":
        payload[len(payload) // 2] += 1
    side.ready()
    side.wait_for_go()
    if spec.get("fault") == "crash":
        os.kill(os.getpid(), 9)
    side.mark("sendStart")
    return payload


def run_multiprocessing_case(info):
    spec = info["spec"]
    transport = TRANSPORTS[spec["transport"]]
    shared = transport.setup(spec, info)
    receiver = FORK.Process(target=run_receiver, args=(info, transport, shared))
    receiver.start()  # forked before the payload exists, so it inherits none of it
    try:
        with Side(info, "sender") as side:
            if hasattr(transport, "prepare_sender"):
                transport.prepare_sender(side, shared)
            payload = build_and_meet(side)
            transport.send(side, shared, payload)
            side.mark("sendEnd")
            if hasattr(transport, "after_send"):
                transport.after_send(shared)
            receiver.join()
            side.report()
    finally:
        if hasattr(transport, "finish"):
            transport.finish(shared)


# --- interop: the Python side of a Node<->Python case over shared memory ------------------------
# The receiving side creates the segment (named <prefix>-py) and listens on a Unix socket
# (<caseDir>/done.sock) before the barrier; the sender opens both, writes every element into the
# segment as int32, then sends one byte as the completion flag. The Node side is
# src/bench/transports/interop.ts.

DONE_SOCKET = "done.sock"
DONE_BYTE = b"\x01"


def open_segment(name):
    segment = shared_memory.SharedMemory(name=name)
    # The resource tracker would unlink, at exit, a segment this process merely opened.
    resource_tracker.unregister(segment._name, "shared_memory")
    return segment


def run_interop_receiver(info):
    n = info["spec"]["elements"]
    segment = shared_memory.SharedMemory(name=segment_name(info), create=True, size=max(1, n * 4))
    try:
        with Side(info, "receiver") as side:
            listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            listener.bind(os.path.join(info["caseDir"], DONE_SOCKET))
            listener.listen(1)
            side.ready()
            connection, _ = listener.accept()
            if connection.recv(1) != DONE_BYTE:
                raise ConnectionError("the sender closed the completion socket without signalling")
            side.mark("firstByte")
            connection.close()
            listener.close()
            values = int32_from_buffer(segment.buf, n)
            verify_and_report(side, to_payload(side, values))
    finally:
        segment.close()
        segment.unlink()


def run_interop_sender(info):
    segment = open_segment(segment_name(info))
    try:
        with Side(info, "sender") as side:
            done = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            done.connect(os.path.join(info["caseDir"], DONE_SOCKET))
            payload = build_and_meet(side)
            with cast_marks(side, payload):
                int32_into_buffer(segment.buf, payload, len(payload))
            done.sendall(DONE_BYTE)
            done.close()
            side.mark("sendEnd")
            side.report()
    finally:
        segment.close()


def probe():
    """What the harness needs to know before it plans Python cases: versions, and whether numpy loads."""
    print(json.dumps({"python": sys.version.split()[0], "numpy": np.__version__ if np is not None else None}))


def main():
    if sys.argv[1:] == ["--probe"]:
        return probe()
    info = json.loads(os.environ["IPCLAB_CASE"])
    transport = info["spec"]["transport"]
    if transport in TRANSPORTS:
        if transport in NEEDS_NUMPY and np is None:
            raise RuntimeError(f"{transport} needs numpy, which is not installed")
        run_multiprocessing_case(info)
    elif info["role"] == "receiver":
        run_interop_receiver(info)
    else:
        run_interop_sender(info)


if __name__ == "__main__":
    main()
