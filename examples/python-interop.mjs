// Node and Python share one segment: Node creates it and writes 0..n-1, Python
// (examples/python_double.py, standard library only) opens it by name and doubles every value in
// place, and Node reads the result from the same memory. Needs python3.
//   node examples/python-interop.mjs
// readme:start
import { spawnSync } from 'node:child_process';
import { SharedMemory, uniqueName } from 'ipclab';

const count = 100_000;
const segment = SharedMemory.create(uniqueName('py'), count * Int32Array.BYTES_PER_ELEMENT);
const values = new Int32Array(segment.buffer, 0, count);
for (let i = 0; i < count; i++) values[i] = i;

const script = new URL('./python_double.py', import.meta.url).pathname;
// Python's shared_memory adds the leading "/" itself.
const python = spawnSync('python3', [script, segment.name.slice(1), String(count)], { stdio: 'inherit' });

const doubled = python.status === 0 && values.every((value, i) => value === 2 * i); // no copy came back
segment.close();
// readme:end
console.log(`python ${python.status === 0 ? 'doubled' : 'failed on'} ${count} int32 values${doubled ? ', every one as expected' : ', NOT as expected'}`);
process.exitCode = doubled ? 0 : 1;
