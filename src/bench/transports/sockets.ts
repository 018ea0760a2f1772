// Python's socket row: one frame (codecs/frame.ts) over a stream socket, a Unix domain socket in
// the case directory or TCP on 127.0.0.1 (rendezvous.ts). The receiver listens before the barrier.
import net from 'node:net';

import { readFrame, writeFrame } from '../codecs/streams.js';
import type { TransportId } from '../ids.js';
import { connectTo, firstConnection, listenAt, type Rendezvous } from '../rendezvous.js';
import type { SideContext, Transport } from '../side.js';
import { framedTraits } from './framed.js';

function socketTransport(id: Extract<TransportId, 'unix' | 'tcp'>): Transport {
  const tcp = id === 'tcp';
  const what = tcp ? 'TCP socket' : 'Unix socket';
  const rendezvous = (ctx: SideContext): Rendezvous => ({ kind: id, caseDir: ctx.caseDir, name: 'data' });

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
      await listenAt(server, rendezvous(ctx));
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
      const socket = await connectTo(rendezvous(ctx));
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
