// Python and C refuse what is not a channel of the protocol version they speak, as Node does:
// ERR_BAD_CHANNEL and a sentence naming the problem (another layout version, no magic, a ring that
// does not fit). And each language reports the protocol and ABI versions it was built for.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

import { describe, expect } from 'vitest';

import { pythonCommand } from '../src/bench/python.js';
import { layout } from '../src/channel/layout.js';
import { SharedMemory } from '../src/index.js';
import { testName } from './support/names.js';
import { libraryDir, peerReport, startPeer, type Language } from './support/interop.js';
import { cCompiler, itRequiring, python as pythonRequirement } from './support/requirements.js';
import { repository } from './support/npm.js';

/** A segment of `size` bytes with the given header words (offset -> u32). */
function segmentWith(size: number, words: Record<number, number>): SharedMemory {
  const segment = SharedMemory.create(testName('hdr'), size);
  const view = new DataView(segment.buffer);
  for (const [offset, value] of Object.entries(words)) view.setUint32(Number(offset), value, true);
  return segment;
}

const CASES: Array<[string, number, Record<number, number>, string]> = [
  ['a version 2 header', 4096 + 4 * 4096, { 0: layout.magic, 4: 2, 8: 4, 16: 4096 }, 'layout version 2, this ipclab reads version 3'],
  ['a version 4 header', 8192, { 0: layout.magic, 4: 4, 8: 4096 }, 'layout version 4, this ipclab reads version 3'],
  ['no magic', 8192, { 4: 3, 8: 4096 }, 'no channel magic (not a channel, or its creator has not finished initialising it)'],
  ['a ring larger than the segment', 8192, { 0: layout.magic, 4: 3, 8: 8192 }, 'its ring of 8192 bytes is not a power of two from 4096 to 2^30 that fits its 8192 bytes'],
];

async function refuses(language: Language): Promise<void> {
  for (const [what, size, words, why] of CASES) {
    const segment = segmentWith(size, words);
    try {
      const report = await peerReport(startPeer(language, 'receive', segment.name, '0:8'));
      expect(report, what).toMatchObject({ ok: false, code: 'ERR_BAD_CHANNEL' });
      expect(report.error, what).toContain(`"${segment.name}" is not a usable ipclab channel: ${why}`);
    } finally {
      segment.close();
    }
  }
}

const python = itRequiring(pythonRequirement);
const c = itRequiring(cCompiler);

describe('opening what is not a version-3 channel', () => {
  python('Python: ERR_BAD_CHANNEL naming the problem', () => refuses('python'));
  c('C: IPCLAB_ERR_BAD_CHANNEL naming the problem', () => refuses('c'));
  python('Python knows the protocol and ABI versions of the library it loads, and refuses another ABI', () => {
    const script = `
import ipclab
from ipclab import _library
lib = _library.library()
print(ipclab.PROTOCOL_VERSION, lib.ipclab_protocol_version(), _library.ABI_VERSION, lib.ipclab_abi_version(), ipclab.library_version(), ipclab.__version__)
`;
    const env = { ...process.env, PYTHONPATH: path.join(repository, 'python'), IPCLAB_LIBRARY: path.join(libraryDir, 'libipclab.so') };
    const run = spawnSync(pythonCommand(), ['-c', script], { encoding: 'utf8', env });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('3 3 1 1 0.1.0 0.1.0');
    // Another ABI: the package checks ipclab_abi_version() before it declares a single function.
    const other = spawnSync(pythonCommand(), ['-c', 'import ipclab._library as l; l.ABI_VERSION = 2; l.library()'], { encoding: 'utf8', env });
    expect(other.stderr).toMatch(/OSError: .*libipclab\.so has libipclab ABI version 1, this Python package needs ABI version 2/);
  });
});
