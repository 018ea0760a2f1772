"""One side of one measured case, in Python: the reference transports (py-*, and py-ipclab over
ipclab's own Python package) and the Python side of the Node<->Python interop cases.

The harness starts this script with the case description in IPCLAB_CASE, exactly as it starts
dist/bench/case-process.js, and the side speaks the same control protocol (ipclab_side.py).
The multiprocessing transports (ipclab_transports.py) run as the seed study ran them: the sender
creates the shared objects, forks the receiver (fork start method) before it builds its payload,
and both sides meet at the harness's barrier. Payloads are made and checked by ipclab_payload.py.
Message cases (a spec with a `mode`) go to ipclab_messages.py.
"""

import json
import os
import socket
import sys
import threading
from multiprocessing import resource_tracker, shared_memory

from ipclab_channel import ShmChannel, channel_name, ring_for, send_int32
from ipclab_payload import build_payload, cast_marks, int32_from_buffer, int32_into_buffer, int32_of, np, to_payload, verify
from ipclab_messages import run_message_case
from ipclab_side import Side
from ipclab_transports import FORK, TRANSPORTS, segment_name


def verify_and_report(side, value, hands_over=None):
    """The receiver's end of every case: a first full read of the value, a check of every element, the report.
    hands_over: the kind the receiver ends up with when a transport does not rebuild the sent one
    (py-rawarray-numpy hands over a numpy int32 array for a list, as the seed study's RawArray did)."""
    side.mark("valueReady")
    # The receiver's first full read of the value (the `consume` phase), as case-process.js does.
    side.mark("consumeStart")
    side.consumed = int(value.sum()) if np is not None and isinstance(value, np.ndarray) else sum(value)
    side.mark("consumeEnd")
    side.mark("verifyStart")
    ok, mismatch = verify(value, hands_over or side.spec["payload"], side.spec["elements"])
    side.mark("verifyEnd")
    extra = {"verified": ok}
    if mismatch:
        extra["mismatch"] = mismatch
    side.report(**extra)


def run_receiver(info, transport, shared):
    with Side(info, "receiver") as side:
        transport.prepare_receiver(side, shared)
        side.ready()
        if side.spec.get("fault") == "hang":
            threading.Event().wait()
        value = transport.receive(side, shared)
        verify_and_report(side, value, transport.hands_over)


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
            transport.prepare_sender(side, shared)
            payload = build_and_meet(side)
            transport.send(side, shared, payload)
            side.mark("sendEnd")
            transport.after_send(shared)
            receiver.join()
            side.report()
    finally:
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


# --- interop over a ShmChannel: the Python side of interop-*-channel ------------------------------
# The receiving side creates the channel (<prefix>-ch, its ring as ringFor sizes it) before the
# barrier; the sender opens it and sends a JSON header, then the int32 array as one message,
# streamed in chunks.
# The Node side is src/bench/transports/interop.ts.


def run_channel_receiver(info):
    with Side(info, "receiver") as side:
        ring = ring_for(side.spec["elements"] * 4)
        with ShmChannel.create(channel_name(info), ring_bytes=ring, populate=True) as channel:
            side.ready()
            channel.receive()  # the sender's header
            side.mark("firstByte")
            values = channel.receive()
        verify_and_report(side, to_payload(side, values))


def run_channel_sender(info):
    with Side(info, "sender") as side:
        channel = ShmChannel.open(channel_name(info), populate=True)
        try:
            payload = build_and_meet(side)
            send_int32(channel, int32_of(side, payload))
            side.mark("sendEnd")
        finally:
            channel.close()
        side.report()


def probe():
    """What the harness needs to know before it plans Python cases: versions, and whether numpy loads."""
    print(json.dumps({"python": sys.version.split()[0], "numpy": np.__version__ if np is not None else None}))


def main():
    if sys.argv[1:] == ["--probe"]:
        return probe()
    info = json.loads(os.environ["IPCLAB_CASE"])
    transport = info["spec"]["transport"]
    if "mode" in info["spec"]:
        run_message_case(info)
    elif transport in TRANSPORTS:
        if TRANSPORTS[transport].needs_numpy and np is None:
            raise RuntimeError(f"{transport} needs numpy, which is not installed")
        run_multiprocessing_case(info)
    elif transport.endswith("-channel"):
        (run_channel_receiver if info["role"] == "receiver" else run_channel_sender)(info)
    elif info["role"] == "receiver":
        run_interop_receiver(info)
    else:
        run_interop_sender(info)


if __name__ == "__main__":
    main()
