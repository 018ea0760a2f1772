// Message paths with Python on a side (throughput only, added by --python). interop-node-to-py-channel
// and interop-py-to-node-channel: one ShmChannel between Node and ipclab's Python package, created by
// the receiving side before the barrier; Node sends with sendMany and receives with receiveMany,
// Python with send_many and receive_many, in batches of BATCH_MESSAGES. py-pipe: Python's
// multiprocessing.Pipe, send_bytes/recv_bytes, both sides Python: the yardstick the Node<->Python
// rows are read against. The Python sides are src/bench/python/ipclab_messages.py.
import { DEFAULT_RING_BYTES, ShmChannel } from '../../channel/channel.js';
import type { MessageTransportId } from '../ids.js';
import { pythonMissing } from '../python.js';
import type { Endpoint, Message, MessageSideContext, MessageTransport } from '../side.js';
import { ringHolding } from '../transports/shm-common.js';
import { driveOver, serveOver } from './loops.js';

/** Room around a message in the ring, as the Node shm rows leave (the Python side uses the same). */
const RING_SLACK_BYTES = 64;

const channelName = (ctx: MessageSideContext) => `${ctx.objectPrefix}-up`;
const spinOption = (ctx: MessageSideContext) => (ctx.spec.spinMicros === null ? {} : { spinMicros: ctx.spec.spinMicros });

function pythonSide(id: MessageTransportId, role: string): () => Promise<never> {
  return () => Promise.reject(new Error(`${id}: the ${role} runs in Python (src/bench/python/ipclab_messages.py), not in Node`));
}

/** Python's bytes arrive as ArrayBuffers (kind 0); the check reads Uint8Arrays, as a Node user would wrap them. */
const asBytes = (message: unknown): Message => (message instanceof ArrayBuffer ? new Uint8Array(message) : (message as Message));

function channelEndpoint(channel: ShmChannel): Endpoint {
  return {
    send: (message) => channel.send(message as Uint8Array),
    receive: async () => asBytes(await channel.receive()),
    sendBatch: (messages) => channel.sendMany(messages as Uint8Array[]),
    receiveBatch: async (max) => (await channel.receiveMany({ max })).map(asBytes),
    close: () => channel.close(),
  };
}

const pythonCommon = {
  topology: 'pair',
  modes: ['throughput'],
  unsupported: () => pythonMissing(false),
} satisfies Partial<MessageTransport>;

export const interopNodeToPyMessageTransport: MessageTransport = {
  ...pythonCommon,
  id: 'interop-node-to-py-channel',
  mechanism: "Node's ShmChannel.sendMany into a channel that Python created; Python's receive_many (ipclab's Python package over libipclab), each message a numpy uint8 array checked as bytes",
  runtime: { sender: 'node', receiver: 'python' },
  spins: true,
  openServer: pythonSide('interop-node-to-py-channel', 'server'),

  async openClient(ctx) {
    return driveOver(channelEndpoint(ShmChannel.open(channelName(ctx), spinOption(ctx))), ctx.spec, 'bytes');
  },
};

export const interopPyToNodeMessageTransport: MessageTransport = {
  ...pythonCommon,
  id: 'interop-py-to-node-channel',
  mechanism: "Python's send_many of bytes (ipclab's Python package over libipclab) into a channel that Node created; Node's ShmChannel.receiveMany",
  runtime: { sender: 'python', receiver: 'node' },
  spins: true,
  openClient: pythonSide('interop-py-to-node-channel', 'client'),

  async openServer(ctx) {
    const ringBytes = Math.max(DEFAULT_RING_BYTES, ringHolding(ctx.spec.messageBytes + RING_SLACK_BYTES) ?? 0);
    return serveOver(channelEndpoint(ShmChannel.create(channelName(ctx), { ringBytes, ...spinOption(ctx) })), ctx.spec, 'bytes');
  },
};

export const pyPipeMessageTransport: MessageTransport = {
  ...pythonCommon,
  id: 'py-pipe',
  mechanism: 'Python multiprocessing.Pipe(duplex=False): send_bytes / recv_bytes, the sender forking the receiver; no Node',
  topology: 'parent-child',
  runtime: { sender: 'python', receiver: 'python' },
  spins: false,
  openServer: pythonSide('py-pipe', 'server'),
  openClient: pythonSide('py-pipe', 'client'),
};
