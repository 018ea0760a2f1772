// Node and C over two ShmChannels: Node sends 0..n-1 as an Int32Array, the C program
// (examples/c/double.c, linked against libipclab) doubles them and sends them back. Builds the C
// program with the compile line of the README first; needs a C compiler (cc).
//   node examples/c-interop.mjs
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { ShmChannel, uniqueName } from 'ipclab';

const count = 1_000_000;
const root = path.dirname(createRequire(import.meta.url).resolve('ipclab/package.json'));
const lib = path.join(root, 'build', 'Release');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'ipclab-c-example-'));
const program = path.join(scratch, 'double');
const source = new URL('./c/double.c', import.meta.url).pathname;
const cc = spawnSync('cc', ['-O2', source, `-I${path.join(root, 'include')}`, `-L${lib}`, `-Wl,-rpath,${lib}`, '-lipclab', '-o', program], { stdio: 'inherit' });
if (cc.status !== 0) throw new Error('cc could not build examples/c/double.c');

// readme:start
const toC = ShmChannel.create(uniqueName('to-c'));
const fromC = ShmChannel.create(uniqueName('from-c'));
const peer = spawn(program, [toC.name, fromC.name], { stdio: 'inherit' });

await toC.send(Int32Array.from({ length: count }, (_, i) => i));
const doubled = await fromC.receive({ timeoutMs: 10_000 }); // an Int32Array
// readme:end
const exited = await new Promise((resolve) => peer.once('exit', resolve));
const intact = exited === 0 && doubled instanceof Int32Array && doubled.length === count && doubled.every((value, i) => value === 2 * i);
toC.close();
fromC.close();
rmSync(scratch, { recursive: true, force: true });
console.log(`C doubled ${count} int32 values${intact ? ', every one as expected' : ', NOT as expected'}`);
process.exitCode = intact ? 0 : 1;
