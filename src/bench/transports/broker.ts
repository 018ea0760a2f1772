// Python's Manager (list proxy): a third process holds the data. The receiver side forks the
// broker (broker-server.ts) and waits for it to listen on a Unix socket in the case directory.
// The sender `put`s a frame; the broker decodes it and keeps the value, as a Manager keeps its
// list; the receiver's `get` waits until a value is there and gets it encoded afresh.
//
// Protocol, one request per connection: a verb byte, then
//   PUT: the client writes a frame; the broker answers one PUT_DONE byte once the value is stored,
//        or a FAILED byte followed by the reason as UTF-8 text.
//   GET: the broker answers with a frame of the stored value, in the codec it was put with.
import { fork, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import type { Readable } from 'node:stream';

import { releaseChild } from '../child-exit.js';
import { readFrame, writeFrame } from '../codecs/streams.js';
import { waitForFile } from '../file-flags.js';
import { caseNodeFlags, distEntry } from '../paths.js';
import { connect, unixSocketPath } from '../rendezvous.js';
import type { Transport } from '../side.js';
import { framedTraits } from './framed.js';

export const BROKER_PUT = 0x50; // 'P'
export const BROKER_GET = 0x47; // 'G'
export const BROKER_PUT_DONE = 0x4b; // 'K'
export const BROKER_FAILED = 0x45; // 'E'
/** What the broker sends its parent over IPC once it listens. */
export const BROKER_LISTENING = 'ipclab-broker-listening';
const SOCKET_NAME = 'broker.sock';
const brokerEntry = distEntry('bench/transports/broker-server.js');

/** Reads one byte from a stream; the bytes after it stay in the stream. */
export function readByte(stream: Readable, what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const done = () => {
      stream.off('readable', tryRead);
      stream.off('end', onEnd);
      stream.off('error', reject);
    };
    const tryRead = () => {
      const byte = stream.read(1) as Buffer | null;
      if (byte === null) return;
      done();
      resolve(byte[0]!);
    };
    const onEnd = () => {
      done();
      reject(new Error(`the ${what} ended before its answer`));
    };
    stream.on('readable', tryRead);
    stream.on('end', onEnd);
    stream.on('error', reject);
  });
}

/** The rest of a stream as text, up to its end. */
async function readRest(stream: Readable): Promise<string> {
  const pieces: Buffer[] = [];
  for await (const piece of stream) pieces.push(piece as Buffer);
  return Buffer.concat(pieces).toString('utf8');
}

function startBroker(socketPath: string): Promise<ChildProcess> {
  const broker = fork(brokerEntry, [socketPath], { execArgv: caseNodeFlags(os.totalmem()), stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null, signal: string | null) => reject(new Error(`the broker exited (${signal ?? `code ${code}`}) before listening`));
    broker.once('error', reject);
    broker.once('exit', onExit);
    broker.on('message', (message) => {
      if (message !== BROKER_LISTENING) return;
      broker.off('exit', onExit);
      broker.off('error', reject);
      resolve(broker);
    });
  });
}

async function connectToBroker(socketPath: string): Promise<net.Socket> {
  const socket = await connect({ path: socketPath });
  socket.on('error', () => undefined); // a failed exchange rejects with this error
  return socket;
}

export const brokerTransport: Transport = {
  ...framedTraits,
  id: 'broker',
  standsFor: 'Manager (list proxy)',
  mechanism: 'a third Node process holding the decoded value, reached over a Unix socket (put, then get)',
  topology: 'pair',
  constraint: `${framedTraits.constraint}; the broker holds a decoded copy`,
  // Into the broker and out again: twice what a direct socket copies.
  copies: (spec) => 2 * framedTraits.copies(spec),
  limits: [
    ...framedTraits.limits,
    'The payload is decoded and encoded again in the broker: three copies live at once.',
    'The broker’s own CPU time and memory are not in either side’s usage.',
  ],

  async openReceiver(ctx) {
    const socketPath = unixSocketPath(ctx.caseDir, SOCKET_NAME);
    const broker = await startBroker(socketPath);
    const socket = await connectToBroker(socketPath).catch(async (error: unknown) => {
      await releaseChild(broker, false);
      throw error;
    });
    return {
      receive() {
        socket.write(Buffer.of(BROKER_GET));
        return readFrame(socket, ctx.mark, 'broker connection');
      },
      async close() {
        socket.destroy();
        await releaseChild(broker, false);
      },
    };
  },

  async openSender(ctx) {
    const socketPath = unixSocketPath(ctx.caseDir, SOCKET_NAME);
    await waitForFile(socketPath).appeared;
    const socket = await connectToBroker(socketPath);
    return {
      async send(payload) {
        socket.write(Buffer.of(BROKER_PUT));
        await writeFrame(socket, payload, ctx.spec.codec, ctx.mark);
        const answer = await readByte(socket, 'broker connection');
        if (answer === BROKER_FAILED) throw new Error(`the broker could not store the payload: ${await readRest(socket)}`);
        if (answer !== BROKER_PUT_DONE) throw new Error(`the broker answered 0x${answer.toString(16)} to a put, expected 0x${BROKER_PUT_DONE.toString(16)}`);
      },
      close() {
        socket.destroy();
      },
    };
  },
};
