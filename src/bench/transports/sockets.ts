// Python's socket row: one frame (codecs.ts) over a stream socket, a Unix domain socket in the
// case directory or TCP on 127.0.0.1. The receiver listens before the barrier; for TCP it tells
// the sender its port through a file in the case directory, written before openReceiver resolves.
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';

import { readFrame, writeFrame } from '../codecs.js';
import type { TransportId } from '../ids.js';
import type { SideContext, Transport } from '../side.js';
import { framedTraits } from './framed.js';
import { connect, firstConnection, listen, unixSocketPath, waitForFile, writeFileAtomically } from './support.js';

const LOOPBACK = '127.0.0.1';
const SOCKET_NAME = 'data.sock';
const PORT_FILE = 'tcp-port';

/** Where the receiver listens, as the sender connects to it. */
type Endpoint = { path: string } | { host: string; port: number };

function socketTransport(id: Extract<TransportId, 'unix' | 'tcp'>): Transport {
  const tcp = id === 'tcp';
  const what = tcp ? 'TCP socket' : 'Unix socket';

  async function listenFor(ctx: SideContext, server: net.Server): Promise<void> {
    if (!tcp) return listen(server, { path: unixSocketPath(ctx.caseDir, SOCKET_NAME) });
    await listen(server, { host: LOOPBACK, port: 0 });
    await writeFileAtomically(path.join(ctx.caseDir, PORT_FILE), String((server.address() as net.AddressInfo).port));
  }

  async function endpoint(ctx: SideContext): Promise<Endpoint> {
    if (!tcp) return { path: unixSocketPath(ctx.caseDir, SOCKET_NAME) };
    const portFile = path.join(ctx.caseDir, PORT_FILE);
    await waitForFile(portFile).appeared;
    return { host: LOOPBACK, port: Number(await readFile(portFile, 'utf8')) };
  }

  return {
    ...framedTraits,
    id,
    standsFor: 'socket',
    mechanism: tcp ? 'node:net over TCP loopback (127.0.0.1), length-prefixed frame' : 'node:net over a Unix domain stream socket, length-prefixed frame',
    topology: 'pair',
    limits: [
      ...framedTraits.limits,
      ...(tcp ? ['Loopback TCP still goes through the kernel’s TCP/IP stack; a Unix socket does not.'] : []),
    ],

    async openReceiver(ctx) {
      const server = net.createServer();
      const connection = firstConnection(server);
      await listenFor(ctx, server);
      let socket: net.Socket | undefined;
      return {
        async receive() {
          socket = await connection;
          return readFrame(socket, ctx.mark, what);
        },
        close() {
          socket?.destroy();
          server.close();
        },
      };
    },

    async openSender(ctx) {
      const socket = await connect(await endpoint(ctx));
      if (tcp) socket.setNoDelay(true);
      socket.on('error', () => undefined); // a failed write rejects send() with this error
      return {
        send: (payload) => writeFrame(socket, payload, ctx.spec.codec, ctx.mark),
        close() {
          socket.destroy(); // the kernel still delivers what was written
        },
      };
    },
  };
}

export const unixTransport = socketTransport('unix');
export const tcpTransport = socketTransport('tcp');
