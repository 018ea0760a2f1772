// docs/channel-protocol.md is the contract other languages implement: every offset in its tables,
// and the numbers it states for kinds, flags and sizes, equal the constants the code uses
// (addon.channelLayout, from native/core/channel_layout.hpp). A row the test does not know fails it.
import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { layout, PayloadKind } from '../src/channel/layout.js';

const doc = readFileSync(new URL('../docs/channel-protocol.md', import.meta.url), 'utf8');

/** The rows of the markdown table whose header row starts with `firstHeader`, as arrays of cells (backticks removed). */
function table(firstHeader: string): string[][] {
  const lines = doc.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`| ${firstHeader} |`));
  expect(start, `a table headed "${firstHeader}"`).toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  for (let i = start + 2; i < lines.length && lines[i]!.startsWith('|'); i++) {
    rows.push(lines[i]!.split('|').slice(1, -1).map((cell) => cell.trim().replaceAll('`', '')));
  }
  return rows;
}

/** Every table headed "offset", in document order. */
function offsetTables(): string[][][] {
  const tables: string[][][] = [];
  let from = 0;
  for (;;) {
    const at = doc.indexOf('\n| offset', from);
    if (at < 0) return tables;
    const lines = doc.slice(at + 1).split('\n');
    const rows: string[][] = [];
    for (let i = 2; i < lines.length && lines[i]!.startsWith('|'); i++) rows.push(lines[i]!.split('|').slice(1, -1).map((cell) => cell.trim().replaceAll('`', '')));
    tables.push(rows);
    from = at + 1;
  }
}

describe('docs/channel-protocol.md', () => {
  it('gives every header field at the offset the code uses', () => {
    const [header] = offsetTables();
    const offsets: Record<string, number> = {
      magic: layout.magicOffset,
      version: layout.versionOffset,
      ringBytes: layout.ringBytesOffset,
      state: layout.stateOffset,
      handleTableLock: layout.handleTableLockOffset,
      unsent: layout.unsentOffset,
      tail: layout.tailOffset,
      tailSequence: layout.tailSequenceOffset,
      head: layout.headOffset,
      consumerWaiting: layout.consumerWaitingOffset,
      consumerWakeSequence: layout.consumerWakeSequenceOffset,
      consumerDoorbell: layout.consumerDoorbellOffset,
      producerWaiting: layout.producerWaitingOffset,
      producerWakeSequence: layout.producerWakeSequenceOffset,
      producerDoorbell: layout.producerDoorbellOffset,
      'handle table': layout.handleTableOffset,
    };
    expect(header!.map(([offset, , field]) => [field, Number(offset)])).toEqual(Object.entries(offsets));
  });

  it('gives every record field and every handle entry field at the offset the code uses', () => {
    const [, record, handle] = offsetTables();
    expect(record).toEqual([
      [String(layout.recordSizeOffset), 'u32', expect.stringMatching(/^size:/)],
      [String(layout.recordKindOffset), 'u8', expect.stringMatching(/^kind:/)],
      [String(layout.recordFlagsOffset), 'u8', expect.stringMatching(/^flags:/)],
      [String(layout.recordSequenceOffset), 'u16', expect.stringMatching(/^sequence:/)],
      [String(layout.recordMessageBytesOffset), 'u64', expect.stringMatching(/^only when first: messageBytes/)],
      [`${layout.recordHeaderBytes} or ${layout.firstRecordHeaderBytes}`, 'bytes', expect.stringMatching(/^the payload/)],
    ]);
    expect(handle!.map(([offset, type]) => [Number(offset), type])).toEqual([
      [layout.handlePidOffset, 'i32'],
      [layout.handleFlagsOffset, 'i32'],
      [layout.handleStartTimeOffset, 'i64'],
    ]);
  });

  it('states the numbers the code uses: magic, version, sizes, bits and kinds', () => {
    expect(doc).toContain(`\`0x${layout.magic.toString(16).toUpperCase()}\` ("IPCL")`);
    expect(doc).toContain(`# ShmChannel wire protocol, version ${layout.version}`);
    expect(doc).toContain(`| ${layout.versionOffset} | u32 | \`version\` | creator, once | \`${layout.version}\`.`);
    expect(doc).toContain(`${layout.handleTableOffset}, ${layout.maxHandles} entries of ${layout.handleEntrySize} bytes`);
    expect(doc).toContain(`The ring starts page-aligned at offset ${layout.headerBytes}.`);
    expect(doc).toContain(`a power of two from ${layout.minRingBytes} to 2^${Math.log2(layout.maxRingBytes)}`);
    expect(doc).toContain(`Bit ${layout.producerClosed} \`producerClosed\`, bit ${layout.consumerClosed} \`consumerClosed\``);
    expect(doc).toContain(`bit ${layout.recordPadding} \`padding\`, bit ${layout.recordFirst} \`first\``);
    expect(doc).toContain(`bit ${layout.recordContinued} \`continued\``);
    expect(doc).toContain(`bit ${layout.waitFutex} \`futex\``);
    expect(doc).toContain(`bit ${layout.waitDoorbell} \`doorbell\``);
    expect(doc).toContain(`bit ${layout.handleProducer} \`producer\`, bit ${layout.handleConsumer} \`consumer\`, bit ${layout.handleClosed} \`closed\``);
    const kinds = Object.fromEntries(table('kind').map(([kind, , javascript]) => [javascript!, Number(kind)]));
    expect(kinds).toEqual({
      ArrayBuffer: PayloadKind.arrayBuffer,
      Int8Array: PayloadKind.Int8Array,
      Uint8Array: PayloadKind.Uint8Array,
      Uint8ClampedArray: PayloadKind.Uint8ClampedArray,
      Int16Array: PayloadKind.Int16Array,
      Uint16Array: PayloadKind.Uint16Array,
      Int32Array: PayloadKind.Int32Array,
      Uint32Array: PayloadKind.Uint32Array,
      Float32Array: PayloadKind.Float32Array,
      Float64Array: PayloadKind.Float64Array,
      BigInt64Array: PayloadKind.BigInt64Array,
      BigUint64Array: PayloadKind.BigUint64Array,
      DataView: PayloadKind.dataView,
      'the parsed value': PayloadKind.json,
      'the value': PayloadKind.value,
    });
  });
});
