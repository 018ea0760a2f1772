// Python's multiprocessing.Array: the sender writes a JS Array into a shared segment one element
// at a time, then raises a completion flag (a semaphore); the receiver reads the elements one at
// a time back into a JS Array.
import { Semaphore } from '../../semaphore.js';
import { SharedMemory } from '../../shared-memory.js';
import { isJsArrayPayload } from '../payload.js';
import { PAYLOAD_IDS } from '../ids.js';
import type { Payload, Transport } from '../side.js';
import { checkedWireType, int32Limit, wireBytes, wireType } from './wire.js';

const FLAG_BYTES = 64; // the completion semaphore, ahead of the elements (64-byte aligned)

function segmentName(prefix: string): string {
  return `${prefix}-arr`;
}

export const shmElementTransport: Transport = {
  id: 'shm-element',
  standsFor: 'shared memory (mp.Array)',
  mechanism: 'native shared memory segment, elements copied one by one + a semaphore as completion flag',
  topology: 'pair',
  payloads: PAYLOAD_IDS,
  codecs: ['raw'],
  constraint: '1-D array, completion flag needed',
  memory: { sender: 'reserved', receiver: 'fresh' }, // the segment is reserved by the receiver; the rebuilt Array is new
  copies: () => 2, // element by element into the segment, and out of it
  limits: [
    'elements travel as int32 (array, int32) or float64 (mixed, float64); an `array` whose values are not all int32 fails the case rather than change them',
    'the segment holds the whole payload at once',
  ],
  unsupported: int32Limit,

  async openReceiver(ctx) {
    const segment = SharedMemory.create(segmentName(ctx.objectPrefix), FLAG_BYTES + wireBytes(ctx.spec));
    const done = Semaphore.createIn(segment, 0, 0);
    const type = wireType(ctx.spec);
    return {
      async receive() {
        await done.wait();
        ctx.mark('firstByte');
        const shared = new type(segment.buffer, FLAG_BYTES, ctx.spec.elements);
        const values: Payload = isJsArrayPayload(ctx.spec.payload) ? [] : new type(ctx.spec.elements);
        if (Array.isArray(values)) {
          for (let i = 0; i < shared.length; i++) values.push(shared[i]!);
        } else {
          for (let i = 0; i < shared.length; i++) values[i] = shared[i]!;
        }
        ctx.mark('received');
        return values;
      },
      close() {
        done.close();
        segment.close();
      },
    };
  },

  async openSender(ctx) {
    const segment = SharedMemory.open(segmentName(ctx.objectPrefix));
    const done = Semaphore.openIn(segment, 0);
    const shared = new (wireType(ctx.spec))(segment.buffer, FLAG_BYTES, ctx.spec.elements);
    return {
      async send(payload) {
        if (Array.isArray(payload)) checkedWireType(ctx.spec, payload);
        for (let i = 0; i < payload.length; i++) shared[i] = payload[i]!;
        ctx.mark('handoff');
        done.post();
      },
      close() {
        done.close();
        segment.close();
      },
    };
  },
};
