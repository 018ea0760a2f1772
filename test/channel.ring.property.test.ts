// The channel's ring (src/channel/ring-*.ts) against a model, a JS array of the messages sent, over
// a plain ArrayBuffer shaped like a segment: random interleavings of writes, batches, in-place
// claims and reads, with sizes across the wrap and around the record and chunk limits. Whatever
// the interleaving, the reader gets every message, whole, in order, of its kind, and nothing else.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { IpcError } from '../src/errors.js';
import { layout, PayloadKind } from '../src/channel/layout.js';
import { RingReader } from '../src/channel/ring-reader.js';
import { RingWriter } from '../src/channel/ring-writer.js';

interface Message {
  kind: number;
  bytes: Uint8Array;
}

type Op =
  | { type: 'write'; size: number; kind: number }
  | { type: 'batch'; sizes: number[] }
  | { type: 'claim'; size: number; commit: number }
  | { type: 'read'; max: number };

const kinds = [PayloadKind.arrayBuffer, PayloadKind.Uint8Array, PayloadKind.Int32Array, PayloadKind.Float64Array, PayloadKind.json];

/** A message of `size` bytes (rounded down to whole elements of its kind) whose bytes say which message it is. */
function makeMessage(index: number, size: number, kind: number): Message {
  const element = kind === PayloadKind.Int32Array ? 4 : kind === PayloadKind.Float64Array ? 8 : 1;
  const bytes = new Uint8Array(size - (size % element));
  for (let i = 0; i < bytes.length; i++) bytes[i] = (index * 31 + i * 7) & 0xff;
  return { kind, bytes };
}

/** Sizes that matter for a ring of `ringBytes`: tiny, around a record's limit, around a chunk, beyond the ring. */
function sizeArbitrary(ringBytes: number): fc.Arbitrary<number> {
  const maxWhole = ringBytes / 2 - layout.recordHeaderBytes;
  const chunk = ringBytes / 4;
  return fc.oneof(
    fc.integer({ min: 0, max: 40 }),
    fc.integer({ min: maxWhole - 9, max: maxWhole + 9 }),
    fc.integer({ min: chunk - 20, max: chunk + 20 }),
    fc.integer({ min: 0, max: 3 * ringBytes }),
  );
}

function opArbitrary(ringBytes: number): fc.Arbitrary<Op> {
  const size = sizeArbitrary(ringBytes);
  const maxWhole = ringBytes / 2 - layout.recordHeaderBytes;
  return fc.oneof(
    fc.record({ type: fc.constant('write' as const), size, kind: fc.constantFrom(...kinds) }),
    fc.record({ type: fc.constant('batch' as const), sizes: fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 40 }) }),
    fc
      .record({ size: fc.integer({ min: 0, max: maxWhole }), part: fc.double({ min: 0, max: 1, noNaN: true }) })
      .map(({ size, part }) => ({ type: 'claim' as const, size, commit: Math.floor(size * part) })),
    fc.record({ type: fc.constant('read' as const), max: fc.integer({ min: 1, max: 50 }) }),
  );
}

/** Both ends over one buffer, with the model: what was offered, in order, and what arrived. */
class Harness {
  readonly writer: RingWriter;
  readonly reader: RingReader;
  readonly offered: Message[] = [];
  readonly received: Message[] = [];
  /** Messages offered but not yet fully written (the ring was full): written first, in order. */
  readonly backlog: Message[] = [];
  #assembling: Message | undefined;
  wakes = 0;

  constructor(readonly ringBytes: number) {
    const memory = new ArrayBuffer(layout.headerBytes + ringBytes);
    this.writer = new RingWriter(memory, ringBytes, 'model', () => this.wakes++);
    this.reader = new RingReader(memory, ringBytes, 'model', () => this.wakes++);
  }

  offer(message: Message): void {
    this.offered.push(message);
    this.backlog.push(message);
  }

  /** Writes from the backlog while there is room, publishing after each message or chunk. */
  pump(): void {
    const writer = this.writer;
    while (this.backlog.length > 0) {
      const next = this.backlog[0]!;
      if (writer.chunking) {
        if (!writer.tryWriteChunk()) return;
        writer.publish();
        if (!writer.chunking) this.backlog.shift();
      } else if (next.bytes.length > writer.maxWholeBytes) {
        writer.startChunked(next.bytes, next.kind);
      } else {
        if (!writer.tryWrite(next.bytes, next.kind)) return;
        writer.publish();
        this.backlog.shift();
      }
    }
  }

  /** Reads up to `max` messages (a chunked one may stay partly read). */
  read(max: number): void {
    const reader = this.reader;
    for (let count = 0; count < max; count++) {
      if (this.#assembling) {
        if (!reader.continueChunked()) return;
        this.received.push(this.#assembling);
        this.#assembling = undefined;
        continue;
      }
      if (!reader.peek()) return;
      if (reader.flags === 0) {
        const bytes = new Uint8Array(reader.size);
        reader.copyPayload(bytes);
        this.received.push({ kind: reader.kind, bytes });
        reader.advance();
        continue;
      }
      expect(reader.flags).toBe(layout.recordFirst);
      const message = { kind: reader.kind, bytes: new Uint8Array(reader.messageBytes) };
      if (reader.startChunked(message.bytes)) this.received.push(message);
      else this.#assembling = message;
    }
  }

  /** Everything offered that fits is written, and everything written is read. */
  drain(): void {
    for (let rounds = 0; this.backlog.length > 0 || this.#assembling || this.reader.hasData(); rounds++) {
      if (rounds > 100_000) throw new Error('the ring stopped making progress');
      this.pump();
      this.read(Infinity);
    }
  }

  #checked = 0;

  /** Every message that arrived since the last look is the one offered at its place. */
  expectReceivedSoFar(): void {
    expect(this.received.length).toBeLessThanOrEqual(this.offered.length);
    for (; this.#checked < this.received.length; this.#checked++) {
      const [message, sent] = [this.received[this.#checked]!, this.offered[this.#checked]!];
      if (message.kind !== sent.kind || Buffer.compare(message.bytes, sent.bytes) !== 0) {
        expect.fail(`message ${this.#checked} arrived as kind ${message.kind}, ${message.bytes.length} bytes; sent as kind ${sent.kind}, ${sent.bytes.length} bytes`);
      }
    }
  }
}

function run(ringBytes: number, ops: Op[]): Harness {
  const h = new Harness(ringBytes);
  for (const op of ops) {
    if (op.type === 'write') {
      h.offer(makeMessage(h.offered.length, op.size, op.kind));
      h.pump();
    } else if (op.type === 'batch') {
      // As sendMany: every message that fits, one publish.
      const messages = op.sizes.map((size) => makeMessage(h.offered.length, size, PayloadKind.Uint8Array));
      h.pump();
      let written = 0;
      if (h.backlog.length === 0) while (written < messages.length && h.writer.tryWrite(messages[written]!.bytes, PayloadKind.Uint8Array)) written++;
      for (const message of messages) h.offered.push(message);
      h.backlog.push(...messages.slice(written));
      if (written > 0) h.writer.publish();
    } else if (op.type === 'claim') {
      h.pump();
      if (h.backlog.length > 0) continue;
      const at = h.writer.tryClaim(op.size, PayloadKind.Uint8Array);
      if (at < 0) continue;
      const message = makeMessage(h.offered.length, op.commit, PayloadKind.Uint8Array);
      new Uint8Array(h.writer.memory, at, op.size).fill(0xee).set(message.bytes);
      h.writer.commitClaim(op.commit);
      h.writer.publish();
      h.offered.push(message);
    } else {
      h.read(op.max);
    }
    h.expectReceivedSoFar();
  }
  h.drain();
  return h;
}

describe('the channel ring against a model', () => {
  it.each([4096, 8192])('delivers every message in order, whole, of its kind (ring of %i bytes)', (ringBytes) => {
    fc.assert(
      fc.property(fc.array(opArbitrary(ringBytes), { minLength: 1, maxLength: 120 }), (ops) => {
        const h = run(ringBytes, ops);
        expect(h.received.length).toBe(h.offered.length);
        h.expectReceivedSoFar();
      }),
      { numRuns: 300 },
    );
  });

  it('wraps around the ring many times with every size from 0 to past the ring', () => {
    const ringBytes = 4096;
    const ops: Op[] = [];
    for (let size = 0; size <= 3 * ringBytes; size += 13) ops.push({ type: 'write', size, kind: PayloadKind.Uint8Array }, { type: 'read', max: 3 });
    const h = run(ringBytes, ops);
    expect(h.received.length).toBe(h.offered.length);
    expect(h.offered.reduce((sum, message) => sum + message.bytes.length, 0)).toBeGreaterThan(1000 * ringBytes);
  });

  it('refuses a write that does not fit and leaves the ring as it was; an empty ring takes any record', () => {
    const h = new Harness(4096);
    const big = makeMessage(0, h.writer.maxWholeBytes, PayloadKind.Uint8Array); // half the ring
    expect(h.writer.tryWrite(big.bytes, big.kind)).toBe(true);
    expect(h.writer.tryWrite(big.bytes, big.kind)).toBe(true);
    h.writer.publish();
    expect(h.writer.tryWrite(new Uint8Array(0), big.kind)).toBe(false);
    for (let i = 0; i < 2; i++) {
      expect(h.reader.peek()).toBe(true);
      expect(h.reader.size).toBe(big.bytes.length);
      h.reader.advance(); // the second drains what was published: the head is published at once
    }
    for (let i = 0; i < 50; i++) {
      // Each time at another position, so some need padding to the end of the ring first.
      const message = makeMessage(i, h.writer.maxWholeBytes - (i % 3) * 40, PayloadKind.Uint8Array);
      expect(h.writer.tryWrite(message.bytes, message.kind)).toBe(true);
      h.writer.publish();
      const small = makeMessage(i, 1 + (i % 37), PayloadKind.Uint8Array);
      h.read(1);
      expect(h.writer.tryWrite(small.bytes, small.kind)).toBe(true);
      h.writer.publish();
      h.read(1);
    }
    expect(h.reader.peek()).toBe(false);
  });

  it('wakes the other side only when its waiting word says it sleeps', () => {
    const h = new Harness(4096);
    const header = new Int32Array(h.writer.memory, 0, 1024);
    h.offer(makeMessage(0, 10, PayloadKind.Uint8Array));
    h.pump();
    h.read(1);
    expect(h.wakes).toBe(0);
    Atomics.store(header, layout.consumerWaitingOffset / 4, layout.waitDoorbell);
    h.offer(makeMessage(1, 10, PayloadKind.Uint8Array));
    h.pump();
    expect(h.wakes).toBe(1);
    Atomics.store(header, layout.producerWaitingOffset / 4, layout.waitDoorbell);
    h.read(1);
    expect(h.wakes).toBe(2);
  });

  it('reports counters and records that no writer could have made as ERR_BAD_CHANNEL, and stays broken', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ word: fc.integer({ min: 0, max: 1023 + 1024 }), value: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }) }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 60 }),
        (writes, messages) => {
          const h = new Harness(4096);
          for (let i = 0; i < messages; i++) h.offer(makeMessage(i, (i * 37) % 300, PayloadKind.Uint8Array));
          h.pump();
          const words = new Int32Array(h.writer.memory);
          const counters = [layout.tailOffset / 4, layout.headOffset / 4];
          // Aim most writes at the counters and the records, the rest anywhere in the header.
          for (const { word, value } of writes) words[word < 1024 ? counters[word % 2]! : word + 24] = value;
          // Whichever side sees the damage first breaks, and stays broken (a tail set back to 0 looks
          // like an empty ring to the reader; the writer then finds the head out of place).
          let failure: unknown;
          let stillBroken: (() => unknown) | undefined;
          try {
            stillBroken = () => h.reader.hasData();
            h.read(Infinity);
            stillBroken = () => h.writer.tryWrite(new Uint8Array(1), PayloadKind.Uint8Array);
            h.pump();
            stillBroken = () => h.reader.hasData();
            h.read(Infinity);
          } catch (error) {
            failure = error;
          }
          if (failure === undefined) return;
          expect(failure).toBeInstanceOf(IpcError);
          expect(failure).toMatchObject({ code: 'ERR_BAD_CHANNEL' });
          expect(stillBroken).toThrow(expect.objectContaining({ code: 'ERR_BAD_CHANNEL' }));
        },
      ),
      { numRuns: 500 },
    );
  });
});
