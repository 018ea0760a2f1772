// Python's RawArray: elements copied in bulk into shared memory and out again, through a
// ShmChannel's ring, which both sides use at once (the sender fills one chunk while the receiver
// empties another). raw: a typed array is one message, which the channel streams in chunks of a
// quarter of the ring; a JS Array is cast (to int32 when every value is one, else float64) chunk
// by chunk into the ring in place, and turned back into a JS Array chunk by chunk on the way out.
// json: streamed in chunks of a quarter of the ring, parsed as they arrive. v8: serialized whole,
// then streamed.
import { deserialize, serialize } from 'node:v8';

import type { ShmChannel } from '../../channel/channel.js';
import { encodeJsonChunks, JSON_CHUNK_BYTES, JsonBodyDecoder } from '../codecs/json.js';
import { PAYLOAD_IDS, type CodecId, type PayloadId } from '../ids.js';
import { ArrayAssembler, copyIntoSlot, isJsArrayPayload, rawWireType, typedConstructorOf } from '../payload.js';
import type { CaseSpec, Payload, SideContext, Transport } from '../side.js';
import { createChannel, openChannel, ringHolding } from './shm-common.js';
import { int32Limit, wireBytes } from './wire.js';
import { injectDelay } from './inject-delay.js';

/** The ring for large payloads; they stream through it in chunks of a quarter (16 MiB, as the 4 slots of v2 measured best at 10^8). */
export const RING_BYTES = 64 * 1024 * 1024;
export const CHUNK_BYTES = RING_BYTES / 4;

interface Header {
  codec: CodecId;
  elements: number;
}

/**
 * A ring that holds a small payload in one record (fewer pages to make and map before the first
 * message), else RING_BYTES. Payload bytes are estimated generously for the json and v8 codecs.
 */
export function ringFor(spec: CaseSpec): number {
  const bytes = spec.codec === 'raw' ? wireBytes(spec) : spec.codec === 'json' ? spec.elements * 12 + 2 : spec.elements * 10 + 64;
  return Math.min(RING_BYTES, ringHolding(bytes) ?? RING_BYTES);
}

async function sendElements(channel: ShmChannel, payload: Payload, ctx: SideContext): Promise<void> {
  if (!Array.isArray(payload)) {
    await channel.send(payload);
    return;
  }
  ctx.mark('castStart');
  // Each chunk says its element type, so a JS Array travels as int32 only when every value is one.
  const type = rawWireType(payload);
  const perChunk = Math.floor(channel.ringBytes / 4 / type.BYTES_PER_ELEMENT);
  for (let start = 0; start < payload.length; start += perChunk) {
    const count = Math.min(perChunk, payload.length - start);
    const chunk = await channel.reserve(type, count);
    copyIntoSlot(chunk, payload, start, count);
    channel.commit();
  }
  ctx.mark('castEnd');
}

async function receiveElements(channel: ShmChannel, payload: PayloadId, elements: number): Promise<{ assembler?: ArrayAssembler; typed?: Int32Array | Float64Array }> {
  if (!isJsArrayPayload(payload)) {
    const typed = new (typedConstructorOf(payload))(elements);
    await channel.receiveInto(typed);
    return { typed };
  }
  // An array is rebuilt chunk by chunk while the sender is still casting the next ones.
  const assembler = new ArrayAssembler(elements);
  for (let filled = 0; filled < elements; ) {
    const chunk = await channel.receiveInPlace<Int32Array | Float64Array>();
    assembler.add(chunk);
    filled += chunk.length;
    channel.release();
  }
  return { assembler };
}

async function receiveJson(channel: ShmChannel, ctx: SideContext, elements: number): Promise<Payload> {
  const decoder = new JsonBodyDecoder({ payload: ctx.spec.payload, elements }, ctx.mark);
  for (;;) {
    const chunk = await channel.receiveInPlace<Uint8Array>();
    const last = chunk.byteLength === 0; // the end marker
    if (!last) decoder.write(chunk);
    channel.release();
    if (last) break;
  }
  ctx.mark('received');
  return decoder.finish();
}

export const shmTransport: Transport = {
  id: 'shm',
  standsFor: 'RawArray + numpy',
  mechanism: 'native shared memory segment (ShmChannel): bulk copy into its ring and out, both sides at once',
  topology: 'pair',
  payloads: PAYLOAD_IDS,
  codecs: ['raw', 'json', 'v8'],
  constraint: 'numbers (raw, json) or structured-cloneable (v8)',
  memory: { sender: 'pre-mapped', receiver: 'fresh' }, // the ring is populated on both sides before the barrier; the receiver's array is new
  copies: () => 2, // into the ring and out of it (a raw Array is cast straight into the ring and rebuilt from it)
  limits: [
    'raw: a JS Array travels as int32 when every value is one, else as float64 (never altered), and is rebuilt as a JS Array by the receiver',
    'json: streamed and parsed a chunk at a time, so it works past V8\'s string limit',
    'v8: the whole serialized payload must fit in memory on both sides',
  ],
  unsupported: (spec) => (spec.codec === 'raw' ? int32Limit(spec) : undefined),

  async openReceiver(ctx) {
    const channel = createChannel(ctx, ringFor(ctx.spec), true);
    return {
      async receive() {
        const header = await channel.receive<Header>();
        ctx.mark('firstByte');
        if (header.codec === 'json') return receiveJson(channel, ctx, header.elements);
        if (header.codec === 'v8') {
          const bytes = await channel.receive<Uint8Array>();
          await injectDelay(); // fault injection for tests; none unless IPCLAB_BENCH_INJECT_DELAY_MS is set
          ctx.mark('received');
          ctx.mark('decodeStart');
          const value = deserialize(bytes) as Payload;
          ctx.mark('decodeEnd');
          return value;
        }
        const { assembler, typed } = await receiveElements(channel, ctx.spec.payload, header.elements);
        await injectDelay(); // fault injection for tests; none unless IPCLAB_BENCH_INJECT_DELAY_MS is set
        ctx.mark('received');
        if (!assembler) return typed!;
        ctx.mark('decodeStart');
        const values = assembler.finish();
        ctx.mark('decodeEnd');
        return values;
      },
      close: () => channel.close(),
    };
  },

  async openSender(ctx) {
    const channel = openChannel(ctx, true);
    return {
      async send(payload) {
        const header: Header = { codec: ctx.spec.codec, elements: payload.length };
        if (ctx.spec.codec === 'v8') {
          ctx.mark('encodeStart');
          const bytes = serialize(payload);
          ctx.mark('encodeEnd');
          await channel.sendValue(header);
          await channel.send(bytes);
          return;
        }
        // json and the cast of an array are streamed chunk by chunk, so bytes move from the start.
        ctx.mark('handoff');
        await channel.sendValue(header);
        if (ctx.spec.codec === 'json') {
          for (const chunk of encodeJsonChunks(payload, Math.min(JSON_CHUNK_BYTES, channel.ringBytes / 4))) await channel.send(chunk);
          await channel.send(new Uint8Array(0));
          return;
        }
        await sendElements(channel, payload, ctx);
      },
      close: () => channel.close(),
    };
  },
};
