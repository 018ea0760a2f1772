// Node and Python on the two sides of shared memory: what a user who mixes the two languages pays.
// interop-node-to-py / interop-py-to-node: one segment; the receiving side creates it (<prefix>-py)
// and listens on a Unix socket (<caseDir>/done.sock) before the barrier; the sender opens both,
// writes every element as int32 into the segment (an Array is cast on the way in), then sends one
// byte as the completion flag; the receiver copies the elements out (and rebuilds an Array / a list
// for `array`). interop-*-channel: a ShmChannel, spoken in Python by ipclab's Python package over
// libipclab; the receiving side creates it (sized and populated as the shm row's), the sender opens
// it and sends a JSON header, then the int32 array as one message, which streams through the ring
// in chunks while the receiver copies them into an array of its own. The Python side is src/bench/python/ipclab_case.py.
import net from 'node:net';
import path from 'node:path';

import { ShmChannel } from '../../channel/channel.js';
import { SharedMemory } from '../../shared-memory.js';
import type { TransportId } from '../ids.js';
import { typedToArray } from '../payload.js';
import { pythonMissing } from '../python.js';
import type { Payload, SideContext, Transport } from '../side.js';
import { createChannel, openChannel } from './shm-common.js';
import { ringFor } from './shm.js';
import { int32Limit } from './wire.js';

const SEGMENT_SUFFIX = '-py';
const DONE_SOCKET = 'done.sock';
const DONE_BYTE = 1;

const segmentName = (ctx: SideContext) => `${ctx.objectPrefix}${SEGMENT_SUFFIX}`;
const doneSocketPath = (ctx: SideContext) => path.join(ctx.caseDir, DONE_SOCKET);

/** Writes a payload into an int32 view; an Array must hold only int32 values (never altered). */
function writeInt32(target: Int32Array, payload: Payload, ctx: SideContext): void {
  if (!Array.isArray(payload)) {
    ctx.mark('handoff');
    target.set(payload);
    return;
  }
  ctx.mark('castStart');
  for (let i = 0; i < payload.length; i++) {
    const value = payload[i]!;
    if ((value | 0) !== value) throw new RangeError(`element ${i} is ${value}, which int32 cannot carry exactly; the interop path carries int32 only`);
    target[i] = value;
  }
  ctx.mark('castEnd');
}

const common = {
  standsFor: 'shared memory across languages (no Python row)',
  topology: 'pair',
  payloads: ['array', 'int32'],
  codecs: ['raw'],
  constraint: '1-D int32 array, completion flag needed',
  copies: (spec) => (spec.payload === 'array' ? 3 : 2), // (cast) into the segment, out, (back to an Array or list)
  unsupported: (spec) => int32Limit(spec) ?? pythonMissing(false),
} satisfies Partial<Transport>;

function unusedSide(id: TransportId, role: string): () => Promise<never> {
  return () => Promise.reject(new Error(`${id}: the ${role} runs in Python (src/bench/python/ipclab_case.py), not in Node`));
}

export const interopNodeToPyTransport: Transport = {
  ...common,
  id: 'interop-node-to-py',
  mechanism: "Node writes an ipclab SharedMemory segment that Python created (multiprocessing.shared_memory); Python copies it out (numpy, else array.array)",
  runtime: { sender: 'node', receiver: 'python' },
  limits: ['Needs python3 (numpy is used when present).', 'An Array element that is not an int32 fails the case with its index; nothing is altered.'],
  openReceiver: unusedSide('interop-node-to-py', 'receiver'),

  async openSender(ctx) {
    const segment = SharedMemory.open(segmentName(ctx));
    const done = net.createConnection(doneSocketPath(ctx));
    await new Promise<void>((resolve, reject) => {
      done.once('connect', resolve).once('error', reject);
    });
    return {
      async send(payload) {
        writeInt32(new Int32Array(segment.buffer, 0, payload.length), payload, ctx);
        await new Promise<void>((resolve, reject) => done.end(Uint8Array.of(DONE_BYTE), () => resolve()).once('error', reject));
      },
      close() {
        done.destroy();
        segment.close();
      },
    };
  },
};

export const interopPyToNodeTransport: Transport = {
  ...common,
  id: 'interop-py-to-node',
  mechanism: 'Python writes (numpy, else array.array) into a segment that ipclab created; Node copies it out of the SharedMemory buffer',
  runtime: { sender: 'python', receiver: 'node' },
  limits: ['Needs python3 (numpy is used when present).'],
  openSender: unusedSide('interop-py-to-node', 'sender'),

  async openReceiver(ctx) {
    const elements = ctx.spec.elements;
    const segment = SharedMemory.create(segmentName(ctx), Math.max(1, elements * Int32Array.BYTES_PER_ELEMENT));
    const server = net.createServer();
    const flagged = new Promise<void>((resolve, reject) => {
      server.once('connection', (socket) => {
        socket.once('data', (data: Buffer) => (data[0] === DONE_BYTE ? resolve() : reject(new Error(`completion byte was ${data[0]}, expected ${DONE_BYTE}`))));
        socket.once('end', () => reject(new Error('the sender closed the completion socket without signalling')));
      });
    });
    flagged.catch(() => undefined); // observed by receive()
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(doneSocketPath(ctx), resolve));
    return {
      async receive() {
        await flagged;
        ctx.mark('firstByte');
        const values = new Int32Array(segment.buffer, 0, elements).slice();
        ctx.mark('received');
        if (ctx.spec.payload !== 'array') return values;
        ctx.mark('decodeStart');
        const array = typedToArray(values);
        ctx.mark('decodeEnd');
        return array;
      },
      close() {
        server.close();
        segment.close();
      },
    };
  },
};

/** An int32 payload as it is; an Array cast to one (timed as the cast). */
function int32Of(payload: Payload, ctx: SideContext): Int32Array {
  if (!Array.isArray(payload)) {
    ctx.mark('handoff');
    return payload as Int32Array;
  }
  const values = new Int32Array(payload.length);
  writeInt32(values, payload, ctx);
  ctx.mark('handoff');
  return values;
}

/** What the sender says first (JSON, which both languages read), so the receiver can mark the first byte. */
interface ChannelHeader {
  elements: number;
}

const channelCommon = {
  ...common,
  standsFor: 'ShmChannel across languages (no Python row)',
  constraint: '1-D int32 array',
  limits: ['Needs python3 and libipclab (built by npm ci); numpy is used when present.', 'An Array element that is not an int32 fails the case with its index; nothing is altered.'],
} satisfies Partial<Transport>;

export const interopNodeToPyChannelTransport: Transport = {
  ...channelCommon,
  id: 'interop-node-to-py-channel',
  mechanism: "Node's ShmChannel.send into a channel that Python created; Python's ShmChannel.receive (ipclab's Python package over libipclab) into a numpy array of its own",
  runtime: { sender: 'node', receiver: 'python' },
  openReceiver: unusedSide('interop-node-to-py-channel', 'receiver'),

  async openSender(ctx) {
    const channel = openChannel(ctx, true);
    return {
      async send(payload) {
        const values = int32Of(payload, ctx);
        await channel.sendJson({ elements: values.length } satisfies ChannelHeader);
        await channel.send(values);
      },
      close: () => channel.close(),
    };
  },
};

export const interopPyToNodeChannelTransport: Transport = {
  ...channelCommon,
  id: 'interop-py-to-node-channel',
  mechanism: "Python's ShmChannel.send (ipclab's Python package over libipclab) into a channel that Node created; Node's ShmChannel.receiveInto an Int32Array of its own",
  runtime: { sender: 'python', receiver: 'node' },
  openSender: unusedSide('interop-py-to-node-channel', 'sender'),

  async openReceiver(ctx) {
    const channel: ShmChannel = createChannel(ctx, ringFor({ ...ctx.spec, payload: 'int32' }), true);
    return {
      async receive() {
        const values = new Int32Array(ctx.spec.elements);
        await channel.receive<ChannelHeader>();
        ctx.mark('firstByte');
        await channel.receiveInto(values);
        ctx.mark('received');
        if (ctx.spec.payload !== 'array') return values;
        ctx.mark('decodeStart');
        const array = typedToArray(values);
        ctx.mark('decodeEnd');
        return array;
      },
      close: () => channel.close(),
    };
  },
};
