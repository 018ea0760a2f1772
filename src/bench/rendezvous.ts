// Where a receiver listens and how its sender finds it, for every stream socket a case opens: a
// Unix domain socket in the case folder, or TCP on loopback with the port the receiver was given
// told to the sender through a file in the case folder (written whole before the receiver is ready);
// and the promise-returning listen, accept and connect they are made of.
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';

import { waitForFile, writeFileAtomically } from './file-flags.js';

export type SocketKind = 'unix' | 'tcp';

/** A socket's meeting point: its kind, the case folder, and its name there. */
export interface Rendezvous {
  kind: SocketKind;
  caseDir: string;
  name: string;
}

const LOOPBACK = '127.0.0.1';

const socketPath = (at: Rendezvous) => unixSocketPath(at.caseDir, `${at.name}.sock`);
const portFile = (at: Rendezvous) => path.join(at.caseDir, `${at.name}.port`);

/** Listens where the sender will look; resolves once a connection can be accepted. */
export async function listenAt(server: net.Server, at: Rendezvous): Promise<void> {
  if (at.kind === 'unix') return listen(server, { path: socketPath(at) });
  await listen(server, { host: LOOPBACK, port: 0 });
  await writeFileAtomically(portFile(at), String((server.address() as net.AddressInfo).port));
}

/** Connects to the receiver listening at `at` (TCP: once its port is told, and without Nagle's delay). */
export async function connectTo(at: Rendezvous): Promise<net.Socket> {
  if (at.kind === 'unix') return connect({ path: socketPath(at) });
  await waitForFile(portFile(at)).appeared;
  const socket = await connect({ host: LOOPBACK, port: Number(await readFile(portFile(at), 'utf8')) });
  socket.setNoDelay(true);
  return socket;
}

/** Longest Unix socket path Linux accepts (sun_path is 108 bytes with its NUL). */
const MAX_SOCKET_PATH_BYTES = 107;

export function unixSocketPath(directory: string, name: string): string {
  const socketPath = path.join(directory, name);
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH_BYTES) {
    throw new RangeError(`Unix socket path ${socketPath} is ${Buffer.byteLength(socketPath)} bytes; Linux allows ${MAX_SOCKET_PATH_BYTES}`);
  }
  return socketPath;
}

export function listen(server: net.Server, options: net.ListenOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** The first connection the server accepts; later ones are closed. */
export function firstConnection(server: net.Server): Promise<net.Socket> {
  return new Promise((resolve) => {
    let taken = false;
    server.on('connection', (socket) => {
      if (taken) return socket.destroy();
      taken = true;
      resolve(socket);
    });
  });
}

export function connect(options: net.NetConnectOpts): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(options);
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
  });
}
