"""The Python side of the throughput message cases (src/bench/messages/python.ts): a stream of
messages of one size, checked message by message at the receiver, as src/bench/messages/loops.ts
streams and checks them in Node.

interop-node-to-py-channel / interop-py-to-node-channel: one ShmChannel (<prefix>-up), created by
the receiving side before the barrier and opened by the sender; Python sends with send_many and
receives with receive_many. py-pipe: multiprocessing.Pipe(duplex=False) with send_bytes and
recv_bytes, the sender forking the receiver as the bulk py-* rows do.
"""

import time

from ipclab_channel import ShmChannel, ring_for
from ipclab_side import Side
from ipclab_transports import FORK

# The pattern of loops.ts: byte i is 33 + (i * 7) % 94; message k starts at k % 94.
PATTERN_PERIOD = 94
# Messages a sender hands over at once, and a receiver takes at most (BATCH_MESSAGES in loops.ts).
BATCH_MESSAGES = 256
# Room around a message in a ring, as the Node shm message rows leave (VALUE_HEADER_BYTES in messages/shm.ts).
RING_SLACK_BYTES = 64
DEFAULT_RING_BYTES = 4 * 1024 * 1024


def patterns(size):
    """The PATTERN_PERIOD distinct messages of `size` bytes, as bytes: message k is patterns[k % 94]."""
    whole = bytes(33 + (i * 7) % PATTERN_PERIOD for i in range(size + PATTERN_PERIOD))
    return [whole[start : start + size] for start in range(PATTERN_PERIOD)]


def message_ring(size):
    return max(DEFAULT_RING_BYTES, ring_for(size + RING_SLACK_BYTES))


def channel_name(info):
    return info["objectPrefix"] + "-up"


def outcome_report(side, outcome):
    side.report(verified=outcome["verified"], **({"mismatch": outcome["mismatch"]} if "mismatch" in outcome else {}), messageOutcome=outcome)


def sink(spec, receive_batch, expected):
    """Receives warmup + messages messages, in batches that never run past the last warm-up message,
    checking each; the window runs from the arrival of the last warm-up message to the last message."""
    warmup, total, size = spec["warmup"], spec["warmup"] + spec["messages"], spec["messageBytes"]
    mismatch = None
    window_start = None
    k = 0
    while k < total:
        batch = receive_batch(min(BATCH_MESSAGES, warmup - k if k < warmup else total - k))
        for message in batch:
            data = message if isinstance(message, bytes) else message.tobytes()
            if mismatch is None and data != expected[k % PATTERN_PERIOD]:
                mismatch = f"message {k} differs from its pattern ({len(data)} bytes, expected {size} bytes)"
            k += 1
        if k == warmup:
            window_start = time.monotonic_ns()
    window_end = time.monotonic_ns()
    outcome = {"verified": mismatch is None, "windowEndNs": str(window_end)}
    if window_start is not None:
        outcome["windowStartNs"] = str(window_start)
    if mismatch is not None:
        outcome["mismatch"] = mismatch
    return outcome


def stream(spec, send_batch, messages):
    """Sends warmup + messages messages in batches of BATCH_MESSAGES; the `corrupt` fault changes the first measured one."""
    start = time.monotonic_ns()
    warmup, total = spec["warmup"], spec["warmup"] + spec["messages"]
    corrupt = spec.get("fault") == "corrupt"
    k = 0
    while k < total:
        end = min(total, k + BATCH_MESSAGES)
        batch = [messages[j % PATTERN_PERIOD] for j in range(k, end)]
        if corrupt and k <= warmup < end:
            good = batch[warmup - k]
            batch[warmup - k] = bytes([good[0] ^ 1]) + good[1:]
        send_batch(batch)
        k = end
    return {"verified": True, "startNs": str(start)}


def spin_of(spec):
    return spec["spinMicros"] if spec["spinMicros"] is not None else 0


def run_channel_server(info):
    """The receiving side of interop-node-to-py-channel: creates the channel, then receive_many."""
    spec = info["spec"]
    with Side(info, "receiver") as side:
        expected = patterns(spec["messageBytes"])
        with ShmChannel.create(channel_name(info), ring_bytes=message_ring(spec["messageBytes"]), spin_micros=spin_of(spec)) as channel:
            side.ready()
            outcome = sink(spec, lambda most: channel.receive_many(max=most), expected)
        outcome_report(side, outcome)


def run_channel_client(info):
    """The sending side of interop-py-to-node-channel: opens the channel Node made, then send_many."""
    spec = info["spec"]
    with Side(info, "sender") as side:
        messages = patterns(spec["messageBytes"])
        with ShmChannel.open(channel_name(info), spin_micros=spin_of(spec)) as channel:
            side.ready()
            side.wait_for_go()
            outcome = stream(spec, channel.send_many, messages)
        outcome_report(side, outcome)


def pipe_receiver(info, reader, writer):
    writer.close()  # the sender's end: the reader sees EOF if the sender dies
    spec = info["spec"]
    with Side(info, "receiver") as side:
        expected = patterns(spec["messageBytes"])
        side.ready()
        outcome = sink(spec, lambda most: [reader.recv_bytes() for _ in range(most)], expected)
        outcome_report(side, outcome)


def run_pipe_case(info):
    """py-pipe: the sender makes the pipe and forks the receiver, then streams with send_bytes."""
    spec = info["spec"]
    reader, writer = FORK.Pipe(duplex=False)
    receiver = FORK.Process(target=pipe_receiver, args=(info, reader, writer))
    receiver.start()
    reader.close()
    with Side(info, "sender") as side:
        messages = patterns(spec["messageBytes"])
        side.ready()
        side.wait_for_go()
        send = writer.send_bytes
        outcome = stream(spec, lambda batch: [send(message) for message in batch], messages)
        writer.close()
        receiver.join()
        outcome_report(side, outcome)


def run_message_case(info):
    transport, role = info["spec"]["transport"], info["role"]
    if transport == "py-pipe":
        run_pipe_case(info)
    elif transport == "interop-node-to-py-channel" and role == "receiver":
        run_channel_server(info)
    elif transport == "interop-py-to-node-channel" and role == "sender":
        run_channel_client(info)
    else:
        raise RuntimeError(f"the {role} of message transport {transport} does not run in Python")
