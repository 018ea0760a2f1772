// Python's RawArray: elements copied in bulk into shared memory and out again, through a
// ShmChannel whose slots both sides use at once (the sender fills one slot while the receiver
// empties another). An `array` payload is cast to int32 slot by slot on the way in and turned
// back into a JS Array slot by slot on the way out.
import { serialize, deserialize } from 'node:v8';

import type { ShmChannel } from '../../channel.js';
import { ArrayAssembler } from '../payload.js';
import type { Payload, Transport } from '../types.js';
import { createChannel, int32Limit, openChannel, wireType } from './shm-common.js';

const SLOT_BYTES = 4 * 1024 * 1024;
const SLOTS = 4;

interface Header {
  elements: number;
  /** v8 codec: the serialized payload follows as one (chunked) message. */
  serialized: boolean;
}

async function sendElements(channel: ShmChannel, payload: Payload, type: Int32ArrayConstructor | Float64ArrayConstructor, onCast: (phase: 'start' | 'end') => void): Promise<void> {
  const perSlot = Math.floor(channel.slotSize / type.BYTES_PER_ELEMENT);
  if (Array.isArray(payload)) {
    onCast('start');
    for (let start = 0; start < payload.length; start += perSlot) {
      const count = Math.min(perSlot, payload.length - start);
      const slot = await channel.reserve(type, count);
      for (let i = 0; i < count; i++) slot[i] = payload[start + i]!;
      channel.commit();
    }
    onCast('end');
    return;
  }
  for (let start = 0; start < payload.length; start += perSlot) {
    await channel.send(payload.subarray(start, Math.min(payload.length, start + perSlot)));
  }
}

export const shmTransport: Transport = {
  id: 'shm',
  standsFor: 'RawArray + numpy',
  mechanism: 'native shared memory segment (ShmChannel): bulk copy in and out, semaphores per slot',
  topology: 'pair',
  payloads: ['array', 'int32', 'float64'],
  codecs: ['raw', 'v8'],
  constraint: 'typed elements (raw) or structured-cloneable (v8)',
  limits: [
    'raw: an array payload travels as int32 and is rebuilt as a JS Array by the receiver',
    'v8: the whole serialized payload must fit in memory on both sides',
  ],
  unsupported: int32Limit,

  async openReceiver(ctx) {
    const channel = createChannel(ctx, SLOT_BYTES, SLOTS);
    const type = wireType(ctx.spec);
    return {
      async receive() {
        const header = await channel.receive<Header>();
        ctx.mark('firstByte');
        if (header.serialized) {
          const bytes = await channel.receive<Uint8Array>();
          ctx.mark('received');
          ctx.mark('decodeStart');
          const value = deserialize(bytes) as Payload;
          ctx.mark('decodeEnd');
          return value;
        }
        // An array is rebuilt slot by slot while the sender is still casting the next slots.
        const assembler = ctx.spec.payload === 'array' ? new ArrayAssembler(header.elements) : undefined;
        const target = assembler ? undefined : new type(header.elements);
        let filled = 0;
        while (filled < header.elements) {
          const chunk = await channel.receiveInPlace<Int32Array | Float64Array>();
          if (assembler) assembler.add(chunk);
          else target!.set(chunk, filled);
          filled += chunk.length;
          channel.release();
        }
        ctx.mark('received');
        if (!assembler) return target!;
        ctx.mark('decodeStart');
        const values = assembler.finish();
        ctx.mark('decodeEnd');
        return values;
      },
      close: () => channel.close(),
    };
  },

  async openSender(ctx) {
    const channel = openChannel(ctx);
    return {
      async send(payload) {
        if (ctx.spec.codec === 'v8') {
          ctx.mark('encodeStart');
          const bytes = serialize(payload);
          ctx.mark('encodeEnd');
          await channel.sendValue({ elements: payload.length, serialized: true } satisfies Header);
          await channel.send(bytes);
          return;
        }
        // The cast (if any) is streamed slot by slot, so bytes move from the start.
        ctx.mark('handoff');
        await channel.sendValue({ elements: payload.length, serialized: false } satisfies Header);
        await sendElements(channel, payload, wireType(ctx.spec), (phase) => ctx.mark(phase === 'start' ? 'castStart' : 'castEnd'));
      },
      close: () => channel.close(),
    };
  },
};
