// Latency and throughput rows in every renderer: medians with their spread, ratios to the native
// reference and to process.send from the same run, failures with their reason.
import { describe, expect, it } from 'vitest';

import { renderReport } from '../src/bench/report/index.js';
import { messageSummarySentences, renderLatencyHeadline } from '../src/bench/report/messages.js';
import { latencyFixture, throughputFixture } from './fixtures/message-output.js';

describe('message rows in the reports', () => {
  it('states the same-run ratios the issue asks for', () => {
    expect(messageSummarySentences(latencyFixture)).toEqual([
      '8 B round trip, p50: ShmChannel 32.0 µs is 1.33x the native reference (24.0 µs) and 0.500x process.send with JSON (64.0 µs).',
    ]);
    expect(messageSummarySentences(throughputFixture)).toEqual(['1.0 MiB stream: ShmChannel 1.60 GB/s is 50.0% of the native ring (3.20 GB/s).']);
  });

  it('prints latency rows in the terminal table with p50 spread and the ratio to native', () => {
    const table = renderReport('table', latencyFixture);
    expect(table).toContain('Latency: round trips between two processes');
    // The default table: no spin column (no row spun), "ok", remarks below the rows.
    expect(table).toMatch(/^shm +8 B +32\.0 \(30\.0–40\.0\) +48\.0 +96\.0 +320 +26,042 +1\.33x +ok \[1\]$/m);
    expect(table).toMatch(/^tcp +8 B +- +- +- +- +- +- +errored \[4\]$/m);
    expect(table).toContain('[1] shm 8 B: 2,000 messages after 200 warm-up, 3 repetition(s)\n');
    expect(table).toContain('[4] tcp 8 B: client failed: connection refused\n');
    const wide = renderReport('table', latencyFixture, { wide: true });
    expect(wide).toMatch(/^shm +8 B +- +32\.0 \(30\.0–40\.0\) +48\.0 +96\.0 +320 +26,042 +1\.33x +verified +2,000 messages after 200 warm-up, 3 repetition\(s\)$/m);
    expect(wide).toMatch(/^tcp +8 B +- +- +- +- +- +- +- +errored +client failed: connection refused$/m);
    expect(table).not.toContain('(no results)');
  });

  it('prints throughput rows with GB/s spread and the share of the native ring', () => {
    const table = renderReport('table', throughputFixture);
    expect(table).toMatch(/^shm +1\.0 MiB +1,526 +1\.60 \(1\.50–1\.80\) +0\.500x +ok$/m);
    expect(table).toContain('\nevery row: 2,000 messages after 200 warm-up, 3 repetition(s)\n');
    expect(renderReport('table', throughputFixture, { wide: true })).toMatch(/^shm +1\.0 MiB +- +1,526 +1\.60 \(1\.50–1\.80\) +0\.500x +verified/m);
  });

  it('puts the rows in Markdown, HTML, CSV and JSON', () => {
    const markdown = renderReport('markdown', latencyFixture);
    expect(markdown).toContain('| shm | 8 B | - | 32.0 (30.0–40.0) | 48.0 | 96.0 | 320 | 26,042 | 1.33x | verified |');
    expect(markdown).toContain('## Ratios at each message size');
    const html = renderReport('html', latencyFixture);
    expect(html).toContain('<td>shm</td><td class="right">8 B</td>');
    expect(html).toContain('<tr class="failed"><td>tcp</td>');
    const csv = renderReport('csv', throughputFixture).split('\n');
    expect(csv[0]).toMatch(/^mode,transport,message_bytes,messages,warmup,spin_micros,status,verified,reason,repetitions,p50_s,/);
    expect(csv[1]).toMatch(/^throughput,shm,1048576,2000,200,,completed,true,,3,,,,,,,1525\.87890625,1\.6,1\.5,1\.8,0\.3,0\.3$/);
    expect(JSON.parse(renderReport('json', latencyFixture)).results).toHaveLength(4);
  });
});

describe('the latency table of BENCHMARKS.md', () => {
  it('has a row per path, p50 with its spread and p99 per size, and the smallest size against native', () => {
    expect(renderLatencyHeadline(latencyFixture).split('\n')).toEqual([
      '| path | spin (µs) | 8 B: p50 (min–max) / p99 (µs) | 8 B p50 vs native |',
      '| --- | --- | ---: | ---: |',
      '| `shm` | - | 32.0 (30.0–40.0) / 96.0 | 1.33x |',
      '| `ipc-json` | - | 64.0 (60.0–70.0) / 192 | 2.67x |',
      '| `native` | - | 24.0 (20.0–25.0) / 72.0 | 1.00x |',
      '| `tcp` | - | errored: client failed: connection refused | - |',
      '',
    ]);
  });
});
