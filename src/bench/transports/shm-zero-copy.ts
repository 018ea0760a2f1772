// RawArray done right: the sender produces the payload inside the segment and commits it; the
// receiver gets a view of the same memory. Nothing is copied for typed payloads; an `array`
// payload is cast into the segment by the sender and rebuilt as a JS Array by the receiver.
// After the measured (cold, first) hand-off and its report's marks, the sides make warm ones: the
// receiver asks for each over a small channel back, the sender reserves, fills and commits one
// int32 in the same ring, the receiver takes it in place; each hand-off's start and arrival go
// into the reports (warmHandoffNanos), and the row reports the median after the warm-up.
import { ShmChannel } from '../../channel/channel.js';
import { typedAsSentKind } from '../codecs/bodies.js';
import { PAYLOAD_IDS } from '../ids.js';
import { fillTyped, isJsArrayPayload } from '../payload.js';
import type { Transport } from '../side.js';
import { channelName, createChannel, openChannel, ringHolding } from './shm-common.js';
import { castCopies, checkedWireType, int32Limit, wireBytes, wireType } from './wire.js';

/** Warm hand-offs after the measured one: the first WARM_HANDOFF_WARMUP are dropped, the rest reported. */
export const WARM_HANDOFFS = 60;
export const WARM_HANDOFF_WARMUP = 10;

const backName = (ctx: Parameters<typeof channelName>[0]) => `${channelName(ctx)}-back`;
const nowString = () => process.hrtime.bigint().toString();

export const shmZeroCopyTransport: Transport = {
  id: 'shm-zero-copy',
  standsFor: 'RawArray, done right',
  mechanism: 'native shared memory: producer writes in place (reserve/commit), consumer reads in place',
  topology: 'pair',
  payloads: PAYLOAD_IDS,
  codecs: ['raw'],
  constraint: '1-D typed array sized up front',
  // A typed payload is produced in the segment and read there: a hand-off. A JS Array is cast in and rebuilt.
  copies: castCopies,
  memory: { sender: 'reserved', receiver: 'reserved' }, // the receiver reserves the ring before the barrier; each side maps its pages on first touch
  limits: [
    'the ring holds the whole payload in one record, at most half the largest ring (2^29 - 8 bytes), so the segment is up to twice the payload',
    'the receiver\'s view is valid only until it releases it',
  ],
  unsupported: (spec) =>
    int32Limit(spec) ?? (ringHolding(wireBytes(spec)) === undefined ? `${wireBytes(spec)} bytes do not fit one record of the largest ring (2^29 - 8 bytes)` : undefined),

  async openReceiver(ctx) {
    const channel = createChannel(ctx, ringHolding(wireBytes(ctx.spec))!);
    const back = ShmChannel.create(backName(ctx), { ringBytes: 4096 });
    return {
      async receive() {
        const view = await channel.receiveInPlace<Int32Array | Float64Array>();
        ctx.mark('firstByte');
        ctx.mark('received');
        return typedAsSentKind(view, ctx.spec.payload, ctx.mark);
      },
      release: () => channel.release(),
      async afterRelease() {
        const arrivals: string[] = [];
        for (let k = 0; k < WARM_HANDOFFS; k++) {
          await back.send(new Uint8Array(1)); // ready for the next one
          const view = await channel.receiveInPlace<Int32Array>();
          arrivals.push(nowString());
          if (view[0] !== k) throw new Error(`warm hand-off ${k} carried ${view[0]}`);
          channel.release();
        }
        return { warmHandoffNanos: arrivals };
      },
      close() {
        back.close();
        channel.close();
      },
    };
  },

  async openSender(ctx) {
    const channel: ShmChannel = openChannel(ctx);
    const back = ShmChannel.open(backName(ctx));
    const type = wireType(ctx.spec);
    const typedPayload = !isJsArrayPayload(ctx.spec.payload);
    let slot: Int32Array | Float64Array | undefined;
    return {
      // Typed payloads are produced straight into the segment.
      ...(typedPayload
        ? {
            async build() {
              slot = await channel.reserve(type, ctx.spec.elements);
              return fillTyped(slot);
            },
          }
        : {}),
      async send(payload) {
        if (Array.isArray(payload)) {
          ctx.mark('castStart');
          slot = await channel.reserve(checkedWireType(ctx.spec, payload), payload.length);
          for (let i = 0; i < payload.length; i++) slot[i] = payload[i]!;
          ctx.mark('castEnd');
        }
        ctx.mark('handoff');
        channel.commit();
      },
      async afterSend() {
        const starts: string[] = [];
        for (let k = 0; k < WARM_HANDOFFS; k++) {
          await back.receive();
          starts.push(nowString());
          const one = await channel.reserve(Int32Array, 1);
          one[0] = k;
          channel.commit();
        }
        return { warmHandoffNanos: starts };
      },
      close() {
        back.close();
        channel.close();
      },
    };
  },
};
