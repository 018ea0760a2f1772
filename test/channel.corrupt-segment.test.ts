// A peer that writes garbage into a channel's counters, its records or its magic: the handles
// that read them get IpcError ERR_BAD_CHANNEL (and keep getting it), never a crash, a hang or a
// message made of garbage. Each case runs in its own process, so an abort would be seen.
import { spawnSync } from 'node:child_process';

import { describe, expect, it } from 'vitest';

import { testName } from './support/names.js';

const dist = JSON.stringify(new URL('../dist/index.js', import.meta.url).href);
const layoutModule = JSON.stringify(new URL('../dist/channel/layout.js', import.meta.url).href);

/** Runs `body` with a producer and consumer on a fresh channel and `words`, an Int32Array over its segment; prints its outcomes. */
function outcomes(body: string): string[] {
  const name = JSON.stringify(testName('garbage'));
  const script = `
    import { IpcError, SharedMemory, ShmChannel } from ${dist};
    import { layout } from ${layoutModule};
    const consumer = ShmChannel.create(${name}, { ringBytes: 4096 });
    const producer = ShmChannel.open(${name});
    const peer = SharedMemory.open(${name});
    const words = new Int32Array(peer.buffer);
    const results = [];
    const outcome = async (use) => {
      try { const value = await use(); results.push(value === undefined ? 'ok' : 'ok ' + JSON.stringify(Array.from(value))); }
      catch (error) { results.push(error instanceof IpcError ? error.code : 'not IpcError: ' + error); }
    };
    ${body}
    peer.close();
    producer.close();
    consumer.close();
    console.log(JSON.stringify(results));`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
  expect(result.stderr).toBe('');
  expect({ status: result.status, signal: result.signal }).toEqual({ status: 0, signal: null });
  return JSON.parse(result.stdout) as string[];
}

describe('a channel a peer wrote garbage into', () => {
  it('a tail that is not a multiple of 8, or runs more than the ring ahead: the consumer reports ERR_BAD_CHANNEL, again and again', () => {
    expect(
      outcomes(`
        words[layout.tailOffset / 4] = 3;
        await outcome(() => consumer.receive({ timeoutMs: 1000 }));
        await outcome(() => consumer.receive({ timeoutMs: 1000 }));
        words[layout.tailOffset / 4] = 0;
        await outcome(() => consumer.tryReceive());`),
    ).toEqual(['ERR_BAD_CHANNEL', 'ERR_BAD_CHANNEL', 'ERR_BAD_CHANNEL']);
    expect(outcomes(`words[layout.tailOffset / 4] = 8192; await outcome(() => consumer.receive({ timeoutMs: 1000 }));`)).toEqual(['ERR_BAD_CHANNEL']);
  });

  it('a head that moves backwards or past the tail: the producer reports ERR_BAD_CHANNEL when it next reads it', () => {
    expect(
      outcomes(`
        while (producer.trySend(new Uint8Array(8)));
        words[layout.headOffset / 4] = -8;
        await outcome(() => producer.send(new Uint8Array(8), { timeoutMs: 1000 }));
        await outcome(() => producer.send(new Uint8Array(8), { timeoutMs: 1000 }));
        words[layout.headOffset / 4] = 4096 + 8;
        await outcome(() => producer.trySend(new Uint8Array(8)));`),
    ).toEqual(['ERR_BAD_CHANNEL', 'ERR_BAD_CHANNEL', 'ERR_BAD_CHANNEL']);
    expect(outcomes(`while (producer.trySend(new Uint8Array(8))); words[layout.headOffset / 4] = 4096 + 8; await outcome(() => producer.send(new Uint8Array(8), { timeoutMs: 1000 }));`)).toEqual(['ERR_BAD_CHANNEL']);
  });

  it('a record with a size past the tail, an unknown kind, a wrong sequence or flags: ERR_BAD_CHANNEL, no message', () => {
    const record = (word0: string, word1: string) => `
      await outcome(() => producer.send(new Uint8Array([1, 2, 3])));
      words[layout.headerBytes / 4] = ${word0};
      words[layout.headerBytes / 4 + 1] = ${word1};
      await outcome(() => consumer.receive({ timeoutMs: 1000 }));`;
    const kindFlagsSequence = (kind: number, flags: number, sequence: number) => String(kind | (flags << 8) | (sequence << 16));
    expect(outcomes(record('3', kindFlagsSequence(2, 0, 0)))).toEqual(['ok', 'ok [1,2,3]']); // untouched: the message itself
    expect(outcomes(record('4000', kindFlagsSequence(2, 0, 0)))).toEqual(['ok', 'ERR_BAD_CHANNEL']);
    expect(outcomes(record('3', kindFlagsSequence(77, 0, 0)))).toEqual(['ok', 'ERR_BAD_CHANNEL']);
    // The first record's number is taken as given (a consumer may take over mid-stream); the next must follow it.
    expect(
      outcomes(`
        await outcome(() => producer.send(new Uint8Array([1, 2, 3])));
        await outcome(() => producer.send(new Uint8Array([4, 5, 6])));
        words[layout.headerBytes / 4 + 5] = ${kindFlagsSequence(2, 0, 9)};
        await outcome(() => consumer.receive({ timeoutMs: 1000 }));
        await outcome(() => consumer.receive({ timeoutMs: 1000 }));`),
    ).toEqual(['ok', 'ok', 'ok [1,2,3]', 'ERR_BAD_CHANNEL']);
    expect(outcomes(record('3', kindFlagsSequence(2, 4, 0)))).toEqual(['ok', 'ERR_BAD_CHANNEL']);
    expect(outcomes(record('3', kindFlagsSequence(6, 0, 0)))).toEqual(['ok', 'ERR_BAD_CHANNEL']); // 3 bytes are no whole int32
  });

  it('a magic or version a peer overwrote: open() says it is not a usable channel', () => {
    expect(outcomes(`words[0] = 0; await outcome(() => ShmChannel.open(consumer.name));`)).toEqual(['ERR_BAD_CHANNEL']);
    expect(outcomes(`words[1] = 7; await outcome(() => ShmChannel.open(consumer.name));`)).toEqual(['ERR_BAD_CHANNEL']);
  });
});
