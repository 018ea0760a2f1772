"""Payloads as the Python side makes, copies and checks them: `array` is list(range(n)); `int32` is
a numpy int32 array, or array.array('i') when numpy is missing (IPCLAB_PYTHON_NO_NUMPY=1 hides
numpy to test that), which the side's report says.
"""

import array
import contextlib
import operator
import os
import sys

if os.environ.get("IPCLAB_PYTHON_NO_NUMPY") == "1":
    sys.modules["numpy"] = None  # makes `import numpy` fail as if it were not installed
try:
    import numpy as np
except ImportError:
    np = None

INT32_KIND = "numpy int32 array" if np is not None else "array.array('i') (numpy is not installed)"


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


def int32_of(side, payload):
    """The payload as int32 values to send whole: a list is cast (numpy, else array.array), timed as the cast."""
    if not isinstance(payload, list):
        side.mark("handoff")
        return payload
    side.mark("castStart")
    values = np.array(payload, dtype=np.int32) if np is not None else array.array("i", payload)
    side.mark("castEnd")
    side.mark("handoff")
    return values


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


def to_payload(side, values):
    """An int32 copy at the receiver, turned back into a list for an `array` payload."""
    side.mark("received")
    if side.spec["payload"] != "array":
        return values
    side.mark("decodeStart")
    values = values.tolist()
    side.mark("decodeEnd")
    return values


@contextlib.contextmanager
def cast_marks(side, payload):
    """Writing a list into an int32 buffer casts it as it goes (timed as the cast); an int32 payload
    is a plain copy, which starts the hand-off."""
    is_list = isinstance(payload, list)
    side.mark("castStart" if is_list else "handoff")
    yield
    if is_list:
        side.mark("castEnd")
