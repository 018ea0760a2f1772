// The broker process of the `broker` transport (protocol in broker.ts): holds the one decoded
// value a client puts, and hands it, encoded afresh, to every client that gets it.
// Usage: node broker-server.js <unix socket path>. Tells its parent BROKER_LISTENING over IPC.
import net from 'node:net';

import { readFrameWithInfo, writeFrame } from '../codecs/streams.js';
import type { CodecId } from '../ids.js';
import type { Payload } from '../side.js';
import { BROKER_FAILED, BROKER_GET, BROKER_LISTENING, BROKER_PUT, BROKER_PUT_DONE, readByte } from './broker.js';

interface Stored {
  value: Payload;
  codec: CodecId;
}

let stored: Stored | undefined;
const waitingForValue: Array<(value: Stored) => void> = [];

function storedValue(): Promise<Stored> {
  return stored ? Promise.resolve(stored) : new Promise((resolve) => waitingForValue.push(resolve));
}

async function put(socket: net.Socket): Promise<void> {
  try {
    const { value, info } = await readFrameWithInfo(socket, undefined, 'client connection');
    stored = { value, codec: info.codec };
  } catch (error) {
    socket.end(Buffer.concat([Buffer.of(BROKER_FAILED), Buffer.from(String(error), 'utf8')]));
    throw error;
  }
  socket.write(Buffer.of(BROKER_PUT_DONE));
  for (const wake of waitingForValue.splice(0)) wake(stored);
}

async function get(socket: net.Socket): Promise<void> {
  const { value, codec } = await storedValue();
  await writeFrame(socket, value, codec);
}

async function serve(socket: net.Socket): Promise<void> {
  const verb = await readByte(socket, 'client connection');
  if (verb === BROKER_PUT) return put(socket);
  if (verb === BROKER_GET) return get(socket);
  throw new Error(`unknown request 0x${verb.toString(16)}`);
}

const socketPath = process.argv[2];
if (!socketPath || !process.send) {
  console.error('usage: broker-server <unix socket path>, forked with an IPC channel');
  process.exit(2);
}
process.on('disconnect', () => process.exit(0)); // the receiver that started it is gone

const server = net.createServer((socket) => {
  socket.on('error', () => undefined); // reported through serve()
  serve(socket).catch((error: unknown) => {
    console.error(`ipclab broker: ${String(error)}`);
    socket.destroy();
  });
});
server.listen(socketPath, () => process.send!(BROKER_LISTENING));
