# Opens the segment that python-interop.mjs created, by name, and doubles every int32 in place.
# readme:start
import sys
from multiprocessing import resource_tracker, shared_memory

name, count = sys.argv[1], int(sys.argv[2])
segment = shared_memory.SharedMemory(name=name)
# Node created it and removes it: stop Python's resource tracker from unlinking it at exit.
resource_tracker.unregister(segment._name, "shared_memory")
values = segment.buf.cast("i")
for i in range(count):
    values[i] *= 2
values.release()
segment.close()
# readme:end
