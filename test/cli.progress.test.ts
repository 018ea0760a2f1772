import { describe, expect, it } from 'vitest';

import type { ProgressEvent } from '../src/bench/modes/bulk.js';
import { progressPrinter } from '../src/cli/progress.js';
import { fixtureResults } from './fixtures/bench-output.js';

const spec = { transport: 'shm-zero-copy', payload: 'int32', codec: 'raw', elements: 1_000_000 } as const;
const completed = fixtureResults.find((result) => result.transport === 'shm-zero-copy' && result.elements === 1_000_000)!;
const errored = fixtureResults.find((result) => result.status === 'errored')!;

function capture(isTTY: boolean) {
  const writes: string[] = [];
  const print = progressPrinter({ isTTY, write: (text: string) => writes.push(text) });
  return { writes, print };
}

const events: ProgressEvent[] = [
  { index: 0, total: 12, spec, elapsedSeconds: 1.2 },
  { index: 0, total: 12, spec, elapsedSeconds: 2.5, result: completed },
  { index: 1, total: 12, spec: { ...spec, transport: 'ipc-json', payload: 'array', codec: 'json', elements: 1e8 }, elapsedSeconds: 3 },
  { index: 1, total: 12, spec: { ...spec, transport: 'ipc-json', payload: 'array', codec: 'json', elements: 1e8 }, elapsedSeconds: 4, result: errored },
];

describe('bench progress on stderr', () => {
  it('prints one finished line per case when not on a terminal, numbering cases from 1', () => {
    const { writes, print } = capture(false);
    events.forEach(print);
    expect(writes).toEqual([
      '[1/12] shm-zero-copy int32/raw 10^6: verified, end-to-end 0.00110 s (elapsed 2.5 s)\n',
      `[2/12] ipc-json array/json 10^8: errored: ${errored.reason} (elapsed 4.0 s)\n`,
    ]);
  });

  it('on a terminal shows the running case, then completes the same line in place', () => {
    const { writes, print } = capture(true);
    events.slice(0, 2).forEach(print);
    expect(writes).toEqual([
      '[1/12] shm-zero-copy int32/raw 10^6 ... (elapsed 1.2 s)',
      '\r\x1b[K[1/12] shm-zero-copy int32/raw 10^6: verified, end-to-end 0.00110 s (elapsed 2.5 s)\n',
    ]);
  });

  it('says when the data arrived wrong', () => {
    const { writes, print } = capture(false);
    const unverified = fixtureResults.find((result) => result.status === 'completed' && !result.verified)!;
    print({ index: 4, total: 5, spec: { ...spec, transport: 'file-tmp' }, elapsedSeconds: 9, result: unverified });
    expect(writes).toEqual(['[5/5] file-tmp int32/raw 10^6: NOT VERIFIED (element 5 is 6, expected 5), end-to-end 0.00500 s (elapsed 9.0 s)\n']);
  });
});
