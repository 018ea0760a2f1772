// Node's own message paths, each as a user would write it. ipc-json / ipc-advanced: child.send and
// process.send (a string for json, a Uint8Array for advanced). pipe: the forked server's stdin and
// stdout. unix / tcp: one stream socket (rendezvous.ts). pipe, unix and tcp carry each message as
// one chunk (framing.ts): its length, then its bytes. worker-clone: postMessage of a Uint8Array
// (structured clone) to a worker thread.
import type { SerializationType } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { parentPort } from 'node:worker_threads';

import { childExit } from '../child-exit.js';
import { chunkHeader, ChunkReader } from '../framing.js';
import type { MessageTransportId } from '../ids.js';
import { connectTo, firstConnection, listenAt, type Rendezvous } from '../rendezvous.js';
import type { Endpoint, Message, MessageSideContext, MessageTransport } from '../side.js';
import { driveOver, Inbox, serveOver } from './loops.js';

/** Splits a byte stream into its chunks, one message each, copying a message only when it spans pieces. */
function readMessages(input: Readable, inbox: Inbox, what: string): void {
  const chunks = new ChunkReader();
  let pieces: Uint8Array[] = [];
  const handler = {
    data: (piece: Uint8Array) => void pieces.push(piece),
    end: () => {
      inbox.push(pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces));
      pieces = [];
      return false;
    },
  };
  input.on('data', (bytes: Buffer) => chunks.read(bytes, 0, handler));
  input.on('end', () => inbox.fail(new Error(`the ${what} ended before the last message`)));
  input.on('error', (error) => inbox.fail(error));
}

async function writeMessage(output: Writable, message: Message): Promise<void> {
  output.cork();
  output.write(chunkHeader((message as Uint8Array).byteLength));
  const more = output.write(message);
  output.uncork();
  if (!more) await once(output, 'drain');
}

function streamEndpoint(input: Readable, output: Writable, what: string, close: () => Promise<void> | void): Endpoint {
  const inbox = new Inbox();
  readMessages(input, inbox, what);
  output.on('error', (error) => inbox.fail(error));
  return { send: (message) => writeMessage(output, message), receive: () => inbox.receive(), close };
}

function ipcTransport(id: Extract<MessageTransportId, 'ipc-json' | 'ipc-advanced'>, serialization: SerializationType): MessageTransport {
  const form = serialization === 'json' ? 'text' : 'bytes';
  /**
   * Latency sends without waiting, as a user would; throughput waits for each write, Node's only
   * back-pressure. Either way a failed write fails the inbox, and close() waits for the last write,
   * so a side never exits with its last message still queued.
   */
  function ipcEndpoint(ctx: MessageSideContext, inbox: Inbox, send: (message: Message, done: (error: Error | null) => void) => boolean, close: () => Promise<void> | void): Endpoint {
    let written: Promise<void> = Promise.resolve();
    const write = (message: Message) =>
      new Promise<void>((resolve, reject) =>
        send(message, (error) => {
          if (error) inbox.fail(error);
          return error ? reject(error) : resolve();
        }),
      );
    return {
      send(message) {
        const done = write(message);
        written = done.catch(() => undefined);
        return ctx.spec.mode === 'latency' ? undefined : done;
      },
      receive: () => inbox.receive(),
      async close() {
        await written;
        await close();
      },
    };
  }
  return {
    id,
    mechanism: `child_process.fork({ serialization: '${serialization}' }): child.send / process.send of ${form === 'text' ? 'a string' : 'a Uint8Array'}`,
    topology: 'parent-child',
    spins: false,

    async openServer(ctx) {
      if (!process.send) throw new Error(`${id} runs its server in a child forked with an IPC channel, and this process has none`);
      const inbox = new Inbox();
      const onMessage = (message: unknown) => inbox.push(message as Message);
      const onDisconnect = () => inbox.fail(new Error('the IPC channel to the client closed'));
      process.on('message', onMessage);
      process.on('disconnect', onDisconnect);
      const endpoint = ipcEndpoint(ctx, inbox, (message, done) => process.send!(message, undefined, {}, done), () => {
        process.off('message', onMessage);
        process.off('disconnect', onDisconnect);
      });
      return serveOver(endpoint, ctx.spec, form);
    },

    async openClient(ctx) {
      const child = ctx.spawnReceiver({ serialization });
      const inbox = new Inbox();
      child.on('message', (message) => inbox.push(message as Message));
      child.on('error', (error) => inbox.fail(error));
      child.on('exit', () => inbox.fail(new Error(`the ${id} server exited before the last message`)));
      const endpoint = ipcEndpoint(ctx, inbox, (message, done) => child.send(message, done), () => childExit(child));
      return driveOver(endpoint, ctx.spec, form);
    },
  };
}

export const ipcJsonMessageTransport = ipcTransport('ipc-json', 'json');
export const ipcAdvancedMessageTransport = ipcTransport('ipc-advanced', 'advanced');

export const pipeMessageTransport: MessageTransport = {
  id: 'pipe',
  mechanism: "two OS pipes: the forked server's stdin and stdout, length-prefixed messages",
  topology: 'parent-child',
  spins: false,

  async openServer(ctx) {
    const endpoint = streamEndpoint(process.stdin, process.stdout, 'pipe', () => void process.stdin.destroy());
    return serveOver(endpoint, ctx.spec, 'bytes');
  },

  async openClient(ctx) {
    const child = ctx.spawnReceiver({ stdio: ['pipe', 'pipe', 'inherit', 'ipc'] });
    // Closing waits until every byte is in the pipe and the server has exited: this process exits right after.
    const endpoint = streamEndpoint(child.stdout!, child.stdin!, 'pipe', async () => {
      await new Promise<void>((resolve) => child.stdin!.end(resolve));
      await childExit(child);
    });
    return driveOver(endpoint, ctx.spec, 'bytes');
  },
};

function socketTransport(id: Extract<MessageTransportId, 'unix' | 'tcp'>): MessageTransport {
  const tcp = id === 'tcp';
  const what = tcp ? 'TCP socket' : 'Unix socket';
  const rendezvous = (ctx: MessageSideContext): Rendezvous => ({ kind: id, caseDir: ctx.caseDir, name: 'messages' });
  return {
    id,
    mechanism: tcp ? 'node:net over TCP loopback (127.0.0.1, no Nagle), length-prefixed messages' : 'node:net over a Unix domain stream socket, length-prefixed messages',
    topology: 'pair',
    spins: false,

    async openServer(ctx) {
      const server = net.createServer();
      const connection = firstConnection(server);
      await listenAt(server, rendezvous(ctx));
      // The client connects after the barrier; the endpoint starts once it has.
      let endpoint: Endpoint | undefined;
      const ready = connection.then((socket) => {
        if (tcp) socket.setNoDelay(true);
        endpoint = streamEndpoint(socket, socket, what, () => void socket.destroy());
        return endpoint;
      });
      return serveOver(
        {
          send: async (message) => (await ready).send(message),
          receive: async () => (await ready).receive(),
          close() {
            endpoint?.close();
            server.close();
          },
        },
        ctx.spec,
        'bytes',
      );
    },

    async openClient(ctx) {
      const socket = await connectTo(rendezvous(ctx));
      return driveOver(streamEndpoint(socket, socket, what, () => new Promise<void>((resolve) => socket.end(resolve))), ctx.spec, 'bytes');
    },
  };
}

export const unixMessageTransport = socketTransport('unix');
export const tcpMessageTransport = socketTransport('tcp');

export const workerCloneMessageTransport: MessageTransport = {
  id: 'worker-clone',
  mechanism: 'worker_threads postMessage of a Uint8Array (structured clone), main thread to a worker and back',
  topology: 'threads',
  spins: false,

  async openServer(ctx) {
    const port = parentPort;
    if (!port) throw new Error('worker-clone runs its server in a worker thread, and this is the main thread');
    const inbox = new Inbox();
    const onMessage = (message: unknown) => inbox.push(message as Message);
    port.on('message', onMessage);
    const endpoint: Endpoint = {
      send: (message) => port.postMessage(message),
      receive: () => inbox.receive(),
      close: () => void port.off('message', onMessage),
    };
    return serveOver(endpoint, ctx.spec, 'bytes');
  },

  async openClient(ctx) {
    const worker = ctx.startReceiverWorker();
    const inbox = new Inbox();
    const exit = new Promise<void>((resolve) => worker.once('exit', () => resolve())).then(() => inbox.fail(new Error('the worker exited before the last message')));
    worker.on('message', (message) => inbox.push(message as Message));
    worker.on('error', (error) => inbox.fail(error));
    const endpoint: Endpoint = {
      send: (message) => worker.postMessage(message),
      receive: () => inbox.receive(),
      close: () => exit, // the worker ends by itself once it has reported
    };
    return driveOver(endpoint, ctx.spec, 'bytes');
  },
};
