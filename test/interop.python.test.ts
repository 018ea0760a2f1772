import { describe, expect, it } from 'vitest';

import { SharedMemory } from '../src/index.js';
import { testName } from './support/names.js';
import { runCommand } from './support/processes.js';

// Python's resource tracker would unlink segments it merely opened; unregister them.
const untrack = `
from multiprocessing import resource_tracker
def untrack(shm):
    resource_tracker.unregister(shm._name, "shared_memory")
`;

describe('interop with Python multiprocessing.shared_memory', () => {
  it('opens a segment that Python created, by the same name, and reads what Python wrote', async () => {
    const name = testName('py');
    const script = `
import sys, time
from multiprocessing import shared_memory
${untrack}
shm = shared_memory.SharedMemory(name=${JSON.stringify(name.slice(1))}, create=True, size=4000)
untrack(shm)
view = shm.buf.cast("i")
for i in range(1000):
    view[i] = i * 7
view.release()
shm.close()
print("ok")
`;
    const result = await runCommand('python3', ['-c', script]);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('ok');
    const segment = SharedMemory.open(name);
    try {
      expect(segment.size).toBeGreaterThanOrEqual(4000);
      const values = new Int32Array(segment.buffer, 0, 1000);
      expect(values.every((value, i) => value === i * 7)).toBe(true);
    } finally {
      segment.close();
      expect(SharedMemory.unlink(name)).toBe(true);
    }
  });

  it('lets Python open a segment that ipclab created and read every value', async () => {
    const segment = SharedMemory.create(testName('py2'), 8000);
    try {
      const values = new Float64Array(segment.buffer);
      values.forEach((_, i) => (values[i] = i / 4));
      const script = `
from multiprocessing import shared_memory
${untrack}
shm = shared_memory.SharedMemory(name=${JSON.stringify(segment.name)})
untrack(shm)
view = shm.buf.cast("d")
bad = [i for i in range(1000) if view[i] != i / 4]
print(len(view), "bad" if bad else "ok")
view.release()
shm.close()
`;
      const result = await runCommand('python3', ['-c', script]);
      expect(result.stderr).toBe('');
      expect(result.stdout.trim()).toBe('1000 ok');
    } finally {
      segment.close();
    }
  });
});
