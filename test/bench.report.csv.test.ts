import { describe, expect, it } from 'vitest';

import { csvField, CSV_HEADERS, renderCsv } from '../src/bench/report/csv.js';
import { PHASE_NAMES } from '../src/bench/ids.js';
import { fixtureOutput, fixtureTransports, JSON_LIMIT_REASON, MISMATCH_REASON, SKIP_REASON } from './fixtures/bench-output.js';

/** A strict RFC 4180 reader, to prove the writer's quoting round-trips. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const character = text[i]!;
    if (quoted) {
      if (character === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (character === '"') {
        quoted = false;
      } else {
        field += character;
      }
    } else if (character === '"' && field === '') {
      quoted = true;
    } else if (character === ',') {
      row.push(field);
      field = '';
    } else if (character === '\n') {
      rows.push([...row, field]);
      row = [];
      field = '';
    } else {
      field += character;
    }
  }
  expect(quoted).toBe(false);
  return rows;
}

const rows = parseCsv(renderCsv(fixtureOutput, { transports: fixtureTransports }));
const header = rows[0]!;
const records = rows.slice(1).map((cells) => Object.fromEntries(header.map((name, index) => [name, cells[index]])));

describe('CSV report', () => {
  it('has one header row and one row per result, every row as wide as the header', () => {
    expect(header).toEqual([...CSV_HEADERS]);
    for (const phase of PHASE_NAMES) expect(header).toContain(`${phase}_median_s`);
    expect(records).toHaveLength(fixtureOutput.results.length);
    for (const cells of rows) expect(cells).toHaveLength(header.length);
  });

  it('carries every phase median in seconds, raw numbers unrounded for display', () => {
    const shm = records.find((record) => record.transport === 'shm-zero-copy' && record.elements === '1000000')!;
    expect(shm).toMatchObject({
      stands_for: 'RawArray, done right',
      payload: 'int32',
      codec: 'raw',
      payload_bytes: '4000000',
      status: 'completed',
      verified: 'true',
      reason: '',
      repetitions: '3',
      endToEnd_median_s: '0.0011',
      send_median_s: '0.00055',
      recv_median_s: '0.00066',
      encode_median_s: '',
      decode_median_s: '',
      kind: 'handoff',
      copies: '0',
      gigabytes_per_s: '', // a hand-off copies nothing
      memcpy_ratio_fresh: '',
      sender_max_rss_bytes: '90000000',
    });
    expect(Number(shm.wholeJob_median_s)).toBeCloseTo(0.0011 * (1 + 1 / 10 + 1 / 40), 12);
    expect(Number(shm.floor_ratio)).toBeCloseTo((0.0011 * (1 + 1 / 10 + 1 / 40)) / (4_000_000 * 1.7e-10), 9);
    const ipc = records.find((record) => record.transport === 'ipc-advanced' && record.elements === '1000000')!;
    expect(ipc).toMatchObject({ kind: 'copy', copies: '2' });
    expect(Number(ipc.gigabytes_per_s)).toBeCloseTo(4_000_000 / 0.132 / 1e9, 9);
    expect(Number(ipc.memcpy_ratio_fresh)).toBeCloseTo(0.132 / (4_000_000 * 1e-10), 9);
  });

  it('quotes reasons with commas and quotes so they round-trip exactly', () => {
    const errored = records.find((record) => record.status === 'errored')!;
    expect(errored.reason).toBe(JSON_LIMIT_REASON);
    expect(errored.endToEnd_median_s).toBe('');
    expect(records.find((record) => record.status === 'skipped')!.reason).toBe(SKIP_REASON);
    expect(records.find((record) => record.transport === 'file-tmp')).toMatchObject({ verified: 'false', reason: MISMATCH_REASON });
    expect(records.find((record) => record.transport === 'worker-sab')!.stands_for).toBe("(threads: Node's own answer)");
  });

  it('quotes only what needs quoting', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(' padded')).toBe('" padded"');
    expect(csvField(null)).toBe('');
    expect(csvField(0.1 + 0.2)).toBe('0.3');
  });
});
