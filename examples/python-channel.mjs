// Node and Python over two ShmChannels: Node sends a job (JSON) and a Float64Array; Python
// (examples/python_channel.py, the ipclab package with numpy) sends back a summary and the scaled
// array. Needs python3 with numpy.
//   node examples/python-channel.mjs
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ShmChannel, uniqueName } from 'ipclab';

const count = 1_000_000;
const script = new URL('./python_channel.py', import.meta.url).pathname;
// The ipclab Python package ships in the npm package (python/): no pip install needed to try it.
const pythonPath = path.join(path.dirname(createRequire(import.meta.url).resolve('ipclab/package.json')), 'python');

// readme:start
const jobs = ShmChannel.create(uniqueName('jobs'));
const results = ShmChannel.create(uniqueName('results'));
const python = spawn('python3', [script, jobs.name, results.name], { stdio: 'inherit', env: { ...process.env, PYTHONPATH: pythonPath } });

await jobs.sendJson({ op: 'scale', factor: 2 });
await jobs.send(Float64Array.from({ length: count }, (_, i) => i / 4));
const summary = await results.receive({ timeoutMs: 10_000 }); // { count, sum }
const scaled = await results.receive({ timeoutMs: 10_000 }); // a Float64Array
// readme:end
const exited = await new Promise((resolve) => python.once('exit', resolve));
const intact =
  exited === 0 && summary.count === count && summary.sum === (count * (count - 1)) / 4 && scaled instanceof Float64Array && scaled.every((value, i) => value === i / 2);
jobs.close();
results.close();
console.log(`python scaled ${count} float64 values${intact ? ', every one as expected' : ', NOT as expected'}`);
process.exitCode = intact ? 0 : 1;
