// Python's RawArray: elements copied in bulk into shared memory and out again, through a
// ShmChannel whose slots both sides use at once (the sender fills one slot while the receiver
// empties another). raw: a JS Array is cast (to int32 when every value is one, else float64) slot by slot on the way in and turned
// back into a JS Array slot by slot on the way out. json: streamed in chunks, one per slot,
// parsed as they arrive. v8: serialized whole, then streamed through the slots.
import { deserialize, serialize } from 'node:v8';

import type { ShmChannel } from '../../channel.js';
import { encodeJsonChunks, JsonBodyDecoder } from '../codecs/json.js';
import { ArrayAssembler, copyIntoSlot, isJsArrayPayload, rawWireType, typedConstructorOf } from '../payload.js';
import { PAYLOAD_IDS, type CodecId, type PayloadId } from '../ids.js';
import type { Payload, SideContext, Transport } from '../side.js';
import { createChannel, openChannel } from './shm-common.js';
import { int32Limit } from './wire.js';

export const SLOT_BYTES = 16 * 1024 * 1024; // measured at 10^8: 16 MiB x 4 beat 1, 4, 32 and 64 MiB slots
const SLOTS = 4;

interface Header {
  codec: CodecId;
  elements: number;
}

async function sendElements(channel: ShmChannel, payload: Payload, ctx: SideContext): Promise<void> {
  if (!Array.isArray(payload)) {
    const perSlot = Math.floor(channel.slotSize / payload.BYTES_PER_ELEMENT);
    for (let start = 0; start < payload.length; start += perSlot) {
      await channel.send(payload.subarray(start, Math.min(payload.length, start + perSlot)));
    }
    return;
  }
  ctx.mark('castStart');
  // Each slot says its element type, so a JS Array travels as int32 only when every value is one.
  const type = rawWireType(payload);
  const perSlot = Math.floor(channel.slotSize / type.BYTES_PER_ELEMENT);
  for (let start = 0; start < payload.length; start += perSlot) {
    const count = Math.min(perSlot, payload.length - start);
    const slot = await channel.reserve(type, count);
    copyIntoSlot(slot, payload, start, count);
    channel.commit();
  }
  ctx.mark('castEnd');
}

async function receiveElements(channel: ShmChannel, payload: PayloadId, elements: number): Promise<{ assembler?: ArrayAssembler; typed?: Int32Array | Float64Array }> {
  // An array is rebuilt slot by slot while the sender is still casting the next slots.
  const assembler = isJsArrayPayload(payload) ? new ArrayAssembler(elements) : undefined;
  const typed = assembler ? undefined : new (typedConstructorOf(payload))(elements);
  let filled = 0;
  while (filled < elements) {
    const chunk = await channel.receiveInPlace<Int32Array | Float64Array>();
    if (assembler) assembler.add(chunk);
    else typed!.set(chunk, filled);
    filled += chunk.length;
    channel.release();
  }
  return { assembler, typed };
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
  mechanism: 'native shared memory segment (ShmChannel): bulk copy in and out, semaphores per slot',
  topology: 'pair',
  payloads: PAYLOAD_IDS,
  codecs: ['raw', 'json', 'v8'],
  constraint: 'numbers (raw, json) or structured-cloneable (v8)',
  copies: () => 2, // into the slots and out of them (a raw Array is cast straight into a slot and rebuilt from it)
  limits: [
    'raw: a JS Array travels as int32 when every value is one, else as float64 (never altered), and is rebuilt as a JS Array by the receiver',
    'json: streamed and parsed one slot at a time, so it works past V8\'s string limit',
    'v8: the whole serialized payload must fit in memory on both sides',
  ],
  unsupported: (spec) => (spec.codec === 'raw' ? int32Limit(spec) : undefined),

  async openReceiver(ctx) {
    const channel = createChannel(ctx, SLOT_BYTES, SLOTS, true);
    return {
      async receive() {
        const header = await channel.receive<Header>();
        ctx.mark('firstByte');
        if (header.codec === 'json') return receiveJson(channel, ctx, header.elements);
        if (header.codec === 'v8') {
          const bytes = await channel.receive<Uint8Array>();
          ctx.mark('received');
          ctx.mark('decodeStart');
          const value = deserialize(bytes) as Payload;
          ctx.mark('decodeEnd');
          return value;
        }
        const { assembler, typed } = await receiveElements(channel, ctx.spec.payload, header.elements);
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
        // json and the cast of an array are streamed slot by slot, so bytes move from the start.
        ctx.mark('handoff');
        await channel.sendValue(header);
        if (ctx.spec.codec === 'json') {
          for (const chunk of encodeJsonChunks(payload)) await channel.send(chunk);
          await channel.send(new Uint8Array(0));
          return;
        }
        await sendElements(channel, payload, ctx);
      },
      close: () => channel.close(),
    };
  },
};
