import { describe, expect, it } from 'vitest';

import { renderTransportList, type TransportListing } from '../src/cli/list.js';

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
