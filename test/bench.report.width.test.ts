// Every table of the default terminal report fits in 120 columns, in every mode (`--wide` lifts
// it): bulk, latency and throughput, from the shared fixtures and from short real runs.
import { describe, expect, it } from 'vitest';

import { renderTable, TERMINAL_WIDTH } from '../src/bench/report/table.js';
import type { BenchOutput } from '../src/bench/results.js';
import { fixtureOutput } from './fixtures/bench-output.js';
import { latencyFixture, throughputFixture } from './fixtures/message-output.js';
import { ipclab } from './support/cli.js';

const widest = (text: string) => Math.max(...text.split('\n').map((line) => line.length));

describe('terminal tables within 120 columns', () => {
  const outputs: Array<[string, BenchOutput]> = [
    ['bulk', fixtureOutput],
    ['latency', latencyFixture],
    ['throughput', throughputFixture],
  ];

  it.each(outputs)('%s: at most 120 columns by default; --wide prints every column', (_, output) => {
    expect(TERMINAL_WIDTH).toBe(120);
    expect(widest(renderTable(output))).toBeLessThanOrEqual(120);
    expect(renderTable(output, { wide: true })).toContain('status');
  });

  it('latency: the remarks go below the table (once when every row agrees, else as footnotes), the full row under --wide', () => {
    const narrow = renderTable(latencyFixture);
    // The fixture's tcp row failed: its reason is a footnote; the verified rows say "ok".
    expect(narrow).toMatch(/^tcp +8 B +- +- +- +- +- +- +errored \[\d\]$/m);
    expect(narrow).toMatch(/^\[\d\] tcp 8 B: client failed: connection refused$/m);
    expect(narrow).toMatch(/^shm +8 B +.* ok \[\d\]$/m);
    const wide = renderTable(latencyFixture, { wide: true });
    expect(widest(wide)).toBeGreaterThan(120);
    expect(wide).toMatch(/^shm .* verified +2,000 messages after 200 warm-up, 3 repetition\(s\)$/m);
  });

  it.each([
    ['latency', '8,64KiB'],
    ['throughput', '1KiB,64KiB'],
  ])('a real %s run without native: every line within 120 columns, ending with a verdict against process.send', async (mode, sizes) => {
    const run = await ipclab('bench', '--mode', mode, '--sizes', sizes, '--transports', 'shm,ipc-json', '--repeat', '1', '--messages', '200', '--warmup', '50');
    expect(run.code, run.stderr).toBe(0);
    expect(widest(run.stdout), run.stdout).toBeLessThanOrEqual(120);
    expect(run.stdout.replace(/\n {6}/g, ' ')).toMatch(/\n {2}\w+, messages [^\n]*ShmChannel \(shm\)[^\n]*process\.send \(ipc-json\)/);
  }, 60_000);
});
