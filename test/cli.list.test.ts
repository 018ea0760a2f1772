import { describe, expect, it } from 'vitest';

import { MESSAGE_TRANSPORT_IDS, TRANSPORT_IDS } from '../src/bench/ids.js';
import { messageTransports } from '../src/bench/messages/index.js';
import { renderTransportList, type TransportListing } from '../src/cli/list.js';
import { ipclab } from './support/cli.js';

// FIXTURE metadata, not the registry.
const pipe: TransportListing = {
  id: 'pipe',
  standsFor: 'Pipe',
  mechanism: 'an OS pipe between the processes',
  topology: 'pair',
  payloads: ['array', 'int32'],
  codecs: ['json', 'v8'],
  constraint: 'serializable',
  limits: [
    'json: one string per message, so 10^8 elements exceed V8 string limits unless streamed, which this transport does in chunks of a fixed size',
    'the pipe buffer is 64 KiB',
  ],
};

describe('ipclab list text', () => {
  it('shows each field under its label, wrapping long limits under the text', () => {
    expect(renderTransportList([pipe, { ...pipe, id: 'tcp', standsFor: 'socket', limits: [] }])).toBe(
      [
        '2 transport(s); "stands for" names the row of Python\'s multiprocessing table it answers.',
        '',
        "pipe  (stands for Python's Pipe)",
        '  mechanism   an OS pipe between the processes',
        '  topology    pair',
        '  payloads    array, int32',
        '  codecs      json, v8',
        '  constraint  serializable',
        '  limits      - json: one string per message, so 10^8 elements exceed V8 string limits unless',
        '                streamed, which this transport does in chunks of a fixed size',
        '              - the pipe buffer is 64 KiB',
        '',
        "tcp  (stands for Python's socket)",
        '  mechanism   an OS pipe between the processes',
        '  topology    pair',
        '  payloads    array, int32',
        '  codecs      json, v8',
        '  constraint  serializable',
        '  limits      none known',
        '',
      ].join('\n'),
    );
  });

  it('keeps lines within 100 columns', () => {
    for (const line of renderTransportList([pipe]).split('\n').slice(1)) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('says so when nothing is registered', () => {
    expect(renderTransportList([])).toBe('No transports are registered.\n');
  });
});

describe('ipclab list, compact by default', () => {
  it('prints one line per id, bulk and message ids alike, with the modes it runs in, within 120 columns', async () => {
    const run = await ipclab('list');
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    const ids = [...new Set([...TRANSPORT_IDS, ...MESSAGE_TRANSPORT_IDS])];
    expect(lines[0]).toBe(`${ids.length} ids for "ipclab bench --transports" (bulk by default; latency, throughput with --mode); --verbose for details`);
    expect(lines[1]).toMatch(/^id +modes +what it is$/);
    expect(lines.slice(2).map((line) => line.split(/ +/)[0]).sort()).toEqual([...ids].sort());
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(120);
    const row = (id: string) => lines.find((line) => line.startsWith(`${id} `))!;
    expect(row('native')).toMatch(/^native +latency throughput +C\+\+ reference/);
    expect(row('semaphore')).toMatch(/^semaphore +latency throughput +ipclab /);
    expect(row('shm-value')).toMatch(/^shm-value +latency throughput +ipclab ShmChannel\.sendValue/);
    expect(row('shm')).toMatch(/^shm +bulk latency throughput +/);
    expect(row('worker-sab')).toMatch(/^worker-sab +bulk +worker_threads/);
    expect(row('py-queue')).toMatch(/^py-queue +bulk \(--python\) +Python/);
    // Each message path's modes come from the registry (a batch path has no round trip).
    for (const transport of messageTransports) {
      for (const mode of ['latency', 'throughput'] as const) expect(row(transport.id).includes(` ${mode}`), `${transport.id} ${mode}`).toBe(transport.modes?.includes(mode) ?? true);
    }
  });

  it('--verbose adds the message paths with their mechanisms after the bulk transports', async () => {
    const run = await ipclab('list', '--verbose');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`\nMessage paths (--mode latency, throughput), ${messageTransports.length}:\n`);
    expect(run.stdout).toMatch(/\nnative {2}\(latency, throughput\)\n {2}mechanism {3}C\+\+/);
  });
});
