// Pieces the Node-built-in transports share: the payload message of the message-passing
// transports, waiting for a file to appear, sockets, and ending the processes a side started.
import type { ChildProcess } from 'node:child_process';
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { open, rename, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';

import type { Payload } from '../side.js';

/** The message that carries the payload over IPC and worker postMessage. */
export const PAYLOAD_MESSAGE = 'ipclab-payload';

export interface PayloadMessage {
  type: typeof PAYLOAD_MESSAGE;
  value: Payload;
}

export function isPayloadMessage(message: unknown): message is PayloadMessage {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === PAYLOAD_MESSAGE;
}

/** How often waitForFile looks again, should a watch event be missed. */
const FILE_POLL_MS = 250;

export interface FileWait {
  appeared: Promise<void>;
  close(): void;
}

/** Resolves once `filePath` exists: a watch on its directory, plus a slow poll as a safety net. */
export function waitForFile(filePath: string): FileWait {
  const name = path.basename(filePath);
  let watcher: FSWatcher | undefined;
  let poll: NodeJS.Timeout | undefined;
  let settled = false;
  const close = () => {
    settled = true;
    watcher?.close();
    clearInterval(poll);
  };
  const appeared = new Promise<void>((resolve, reject) => {
    const check = () => {
      if (!settled && existsSync(filePath)) {
        close();
        resolve();
      }
    };
    watcher = watch(path.dirname(filePath), (_event, changed) => {
      if (changed === name) check();
    });
    watcher.on('error', (error) => {
      close();
      reject(error);
    });
    poll = setInterval(check, FILE_POLL_MS);
    check();
  });
  return { appeared, close };
}

/** Writes a small file so that readers see all of it or none of it (write, then rename). */
export async function writeFileAtomically(filePath: string, contents: string): Promise<void> {
  const partial = `${filePath}.partial`;
  await writeFile(partial, contents);
  await rename(partial, filePath);
}

/** Largest single read (Node reads at most 2 GiB per call). */
const MAX_READ_BYTES = 2 ** 30;

/** A whole file in one fresh buffer, read with as few calls as Node allows. */
export async function readWholeFile(filePath: string): Promise<Uint8Array> {
  const handle = await open(filePath, 'r');
  try {
    const { size } = await handle.stat();
    const bytes = new Uint8Array(size);
    let filled = 0;
    while (filled < size) {
      const { bytesRead } = await handle.read(bytes, filled, Math.min(size - filled, MAX_READ_BYTES), filled);
      if (bytesRead === 0) throw new Error(`${filePath} ended at ${filled} of ${size} bytes`);
      filled += bytesRead;
    }
    return bytes;
  } finally {
    await handle.close();
  }
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

/** Resolves when the child has exited (at once if it already has). */
export function childExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Ends a process this side started. `waitForIt`: it has its payload and ends by itself after
 * reporting, so wait; otherwise (the send failed or never ran) kill it.
 */
export async function releaseChild(child: ChildProcess, waitForIt: boolean): Promise<void> {
  const exited = childExit(child);
  if (!waitForIt) child.kill('SIGKILL');
  await exited;
}
