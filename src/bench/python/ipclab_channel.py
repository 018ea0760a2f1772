"""ipclab's own Python package (python/, beside src/ in a clone and in the npm package) for the
cases that move data over a ShmChannel from Python: py-ipclab, and the Python side of the
Node<->Python channel cases. Rings are sized as the Node shm row sizes them (ringFor in
src/bench/transports/shm.ts), and populated on both sides as its are."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "python"))

import ipclab  # noqa: E402
from ipclab import ShmChannel  # noqa: E402,F401

RING_BYTES = 64 * 1024 * 1024  # the largest ring, streamed through in chunks of a quarter


def ring_for(payload_bytes):
    """The smallest ring whose records hold `payload_bytes` whole, up to RING_BYTES (ringHolding in shm-common.ts)."""
    record = (payload_bytes + 8 + 7) // 8 * 8
    ring = 4096
    while ring < 2 * record and ring < RING_BYTES:
        ring *= 2
    return ring


def channel_name(info):
    """The case's channel name, as channelName in src/bench/transports/shm-common.ts makes it."""
    return info["objectPrefix"] + "-ch"


def send_int32(channel, values):
    """A JSON header first (what the receiver waits for, to mark its first byte), then the values as one message."""
    channel.send_json({"elements": len(values)})
    channel.send(values)
