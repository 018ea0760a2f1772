"""Timeouts and spins, checked as Node checks them, and the slices long waits are cut into."""
from __future__ import annotations

import math
import time

MAX_SPIN_MICROS = 1_000_000
# A wait longer than this returns to Python between slices, so Ctrl-C (KeyboardInterrupt) gets
# through; data or a wake-up ends a slice at once, so this costs nothing while messages flow.
SLICE_MS = 200


def check_timeout(timeout_ms, what: str = "timeout_ms") -> float | None:
    """None (wait forever) or a non-negative number of milliseconds."""
    if timeout_ms is None or timeout_ms == math.inf:
        return None
    if isinstance(timeout_ms, bool) or not isinstance(timeout_ms, (int, float)) or not timeout_ms >= 0:
        raise ValueError(f"{what} must be None or a non-negative number of milliseconds, got {timeout_ms!r}")
    return timeout_ms


def check_spin(spin_micros, what: str = "spin_micros") -> int:
    if isinstance(spin_micros, bool) or not isinstance(spin_micros, int) or not 0 <= spin_micros <= MAX_SPIN_MICROS:
        raise ValueError(f"{what} must be an integer number of microseconds from 0 to {MAX_SPIN_MICROS}, got {spin_micros!r}")
    return spin_micros


class Deadline:
    """The rest of a wait of `timeout_ms` (None: forever), handed out in slices."""

    __slots__ = ("at",)

    def __init__(self, timeout_ms: float | None):
        self.at = None if timeout_ms is None else time.monotonic() + timeout_ms / 1000

    def slice(self) -> int:
        """Milliseconds for the next call: a slice at most, 0 once the deadline passed."""
        if self.at is None:
            return SLICE_MS
        left = math.ceil((self.at - time.monotonic()) * 1000)
        return max(0, min(SLICE_MS, left))

    def expired(self) -> bool:
        return self.at is not None and time.monotonic() >= self.at
